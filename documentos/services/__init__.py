"""Issuing official documents: folio, PDF, archive and the convenio's change of state, in one transaction.

Every ``*_emitir`` function locks the object the document is about (``select_for_update``),
checks it may be issued (only IMPLAN; the right state; not issued before) and hands the
rest to ``emision.emitir`` (folio, render, e.firma, archive). By what the document is about:
``convenio`` (the version for signing, oficio de cumplimiento, vista, incumplimiento),
``seguimiento`` (resolución de prórroga, acta de sesión) and ``anexo1`` (the evaluation's
Anexo 1). Here: the same issue by ids for a background task, and the drafts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from convenios.models import Convenio
from cuentas.models import Usuario
from documentos import contextos
from documentos.models import Documento, TipoDocumento
from documentos.render import generar_pdf
from documentos.services.anexo1 import anexo1_emitir, contexto_anexo1
from documentos.services.convenio import (
    convenio_declarar_incumplido,
    convenio_documento_emitir,
    oficio_cumplimiento_emitir,
    vista_contraloria_emitir,
)
from documentos.services.emision import (
    BYTES_CODIGO,
    documento_firmar,
    exigir_implan,
    siguiente_folio,
    url_verificacion,
)
from documentos.services.seguimiento import acta_sesion_emitir, resolucion_prorroga_emitir
from seguimiento.models import Prorroga, Sesion

__all__ = [
    "BYTES_CODIGO",
    "acta_sesion_emitir",
    "anexo1_emitir",
    "convenio_declarar_incumplido",
    "convenio_documento_emitir",
    "documento_borrador",
    "documento_emitir",
    "documento_firmar",
    "exigir_implan",
    "oficio_cumplimiento_emitir",
    "resolucion_prorroga_emitir",
    "siguiente_folio",
    "url_verificacion",
    "vista_contraloria_emitir",
]


EMITIR_POR_TIPO: dict[str, tuple[type[Convenio] | type[Prorroga] | type[Sesion], Callable[..., Documento]]] = {
    TipoDocumento.CONVENIO: (
        Convenio,
        lambda objeto, usuario: convenio_documento_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.OFICIO_CUMPLIMIENTO: (
        Convenio,
        lambda objeto, usuario: oficio_cumplimiento_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.VISTA_CONTRALORIA: (
        Convenio,
        lambda objeto, usuario: vista_contraloria_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.RESOLUCION_PRORROGA: (
        Prorroga,
        lambda objeto, usuario: resolucion_prorroga_emitir(prorroga=objeto, usuario=usuario),
    ),
    TipoDocumento.ACTA_SESION: (Sesion, lambda objeto, usuario: acta_sesion_emitir(sesion=objeto, usuario=usuario)),
    TipoDocumento.ANEXO1: (Convenio, lambda objeto, usuario: anexo1_emitir(convenio=objeto, usuario=usuario)),
}


def documento_emitir(*, tipo: str, objeto_id: int, usuario_id: int) -> Documento:
    """The same issue by ids, for a background task (documentos.tasks.emitir_documento): a task's arguments
    are JSON, and the worker reads the objects as they are when it runs, not as they were when queued."""
    modelo, emitir = EMITIR_POR_TIPO[tipo]
    return emitir(modelo.objects.get(pk=objeto_id), Usuario.objects.get(pk=usuario_id))


# --- Drafts: the same context and template, marked BORRADOR, no folio, not stored ------------------------

CONTEXTOS_BORRADOR: dict[str, Callable[[Any, datetime.date, None], dict[str, Any]]] = {
    TipoDocumento.OFICIO_CUMPLIMIENTO: contextos.oficio_cumplimiento,
    TipoDocumento.CONVENIO: contextos.convenio_documento,
    TipoDocumento.VISTA_CONTRALORIA: contextos.vista_contraloria,
    TipoDocumento.RESOLUCION_PRORROGA: contextos.resolucion_prorroga,
    TipoDocumento.ACTA_SESION: contextos.acta_sesion,
    TipoDocumento.ANEXO1: contexto_anexo1,
}


def documento_borrador(*, tipo: str, objeto: Convenio | Prorroga | Sesion, usuario: Usuario) -> bytes:
    """A preview for IMPLAN: "BORRADOR" across every page, no folio, no QR, nothing stored."""
    municipio_id = objeto.aspecto.convenio.municipio_id if isinstance(objeto, Prorroga) else objeto.municipio_id
    exigir_implan(usuario, municipio_id)
    return generar_pdf(tipo, CONTEXTOS_BORRADOR[tipo](objeto, timezone.localdate(), None), borrador=True).pdf
