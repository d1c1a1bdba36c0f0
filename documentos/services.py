"""Issuing official documents: folio, PDF, archive and the convenio's change of state, in one transaction.

Every ``*_emitir`` function:
1. locks the object the document is about (``select_for_update``) and checks it
   may be issued (only IMPLAN; the right state; not issued before);
2. takes the next folio of its series, locking the series row until commit, so
   two simultaneous issues get consecutive numbers and a failed issue gives its
   number back (never repeated, never skipped);
3. renders the PDF once (PDF/A), stores it with its SHA-256 and never renders it
   again: later edits to the convenio do not change an issued letter.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios.formatos import fecha_larga
from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoAspecto,
    EstadoConvenio,
    Municipio,
    TipoDependencia,
)
from cuentas.models import Usuario
from documentos import contextos
from documentos.contextos import Emision
from documentos.models import CLAVE_FOLIO, Documento, SerieFolio, TipoDocumento
from documentos.permissions import has_emitir_permission
from documentos.render import generar_pdf
from seguimiento.models import EstadoProrroga, Prorroga, Sesion
from seguimiento.notificaciones import notificar, usuarios_partes

# 96 random bits: short enough to type from paper, impossible to guess.
BYTES_CODIGO = 12


def exigir_implan(usuario: Usuario, municipio_id: int) -> None:
    """Only IMPLAN issues documents (cláusula QUINTA: "el IMPLAN emitirá el oficio"), and only for its municipio."""
    if not has_emitir_permission(usuario, municipio_id):
        raise PermissionDenied(_("Solo el IMPLAN del municipio emite documentos oficiales."))


def _prefijo(implan: Dependencia) -> str:
    """The issuing unit in the folio: the IMPLAN's (or UIPPE's) acronym, letters and digits only."""
    return re.sub(r"[^A-Z0-9]", "", (implan.siglas or "IMPLAN").upper()) or "IMPLAN"


def siguiente_folio(*, municipio: Municipio, tipo: str, anio: int) -> int:
    """Takes the next number of the series, holding the series row's lock until the caller's transaction ends."""
    # get_or_create survives two first issues of a year at once: the loser's INSERT
    # waits on the unique index, fails, and then reads the winner's committed row.
    SerieFolio.objects.get_or_create(municipio=municipio, tipo=tipo, anio=anio)
    serie = SerieFolio.objects.select_for_update().get(municipio=municipio, tipo=tipo, anio=anio)
    serie.ultimo += 1
    serie.save(update_fields=["ultimo"])
    return serie.ultimo


def url_verificacion(codigo: str) -> str:
    return settings.SITIO_URL.rstrip("/") + reverse("documentos:verificar", args=[codigo])


def _emitir(
    *,
    tipo: str,
    municipio: Municipio,
    implan: Dependencia,
    usuario: Usuario,
    contexto: Callable[[datetime.date, Emision], dict[str, Any]],
    convenio: Convenio | None = None,
    prorroga: Prorroga | None = None,
    sesion: Sesion | None = None,
) -> Documento:
    """Folio, render, archive. Must run inside the caller's transaction (the series lock lasts until commit)."""
    emitido_en = timezone.now()
    fecha = timezone.localdate(emitido_en)
    numero = siguiente_folio(municipio=municipio, tipo=tipo, anio=fecha.year)
    folio = f"{_prefijo(implan)}/{CLAVE_FOLIO[tipo]}/{fecha.year}/{numero:03d}"
    codigo = secrets.token_urlsafe(BYTES_CODIGO)
    emision = Emision(folio=folio, fecha=fecha, codigo=codigo, url_verificacion=url_verificacion(codigo))
    pdf = generar_pdf(tipo, contexto(fecha, emision), borrador=False).pdf
    documento = Documento(
        tipo=tipo,
        municipio=municipio,
        convenio=convenio,
        prorroga=prorroga,
        sesion=sesion,
        anio=fecha.year,
        numero=numero,
        folio=folio,
        tamano=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        codigo_verificacion=codigo,
        emitido_por=usuario,
        emitido_en=emitido_en,
    )
    documento.archivo.save(folio.replace("/", "-") + ".pdf", ContentFile(pdf), save=False)
    try:
        # The database's constraints (one per kind and object, folio unique) are the check here.
        documento.save()
    except Exception:
        # The row was not stored: the file would be an orphan (and its folio is rolled back).
        documento.archivo.storage.delete(documento.archivo.name)
        raise
    auditar(tipo=TipoEvento.EMISION_DOCUMENTO, usuario=usuario, objeto=documento, detalle=folio)
    return documento


def _bloquear_convenio(convenio: Convenio) -> Convenio:
    # Only the convenio's own row: FOR UPDATE may not reach the nullable side of the firmantes' joins.
    return Convenio.objects.select_for_update(of=("self",)).get(pk=convenio.pk)


def _exigir_no_emitido(convenio: Convenio, tipo: str) -> None:
    previo = convenio.documentos.filter(tipo=tipo).first()
    if previo is not None:
        raise ValidationError(
            _("El %(tipo)s de este convenio ya fue emitido con el folio %(folio)s; no se emite de nuevo.")
            % {"tipo": TipoDocumento(tipo).label.lower(), "folio": previo.folio},
            code="ya_emitido",
        )


def _lista(aspectos: list[Aspecto]) -> str:
    return "; ".join(f"{a.etiqueta} ({a.get_estado_display().lower()})" for a in aspectos)


def _cambiar_estado(convenio: Convenio, estado: str, usuario: Usuario, motivo: str) -> None:
    """Only ``estado`` changes, checked above under the row lock; the database's constraints still apply.
    ``bulk_update_with_history`` records the author and the reason (django-simple-history) without re-running
    the whole convenio's ``full_clean`` (a dozen queries that cannot fail for this one field)."""
    convenio.estado = estado
    bulk_update_with_history([convenio], Convenio, ["estado"], default_user=usuario, default_change_reason=motivo)


def _avisar(documento: Documento, convenio: Convenio) -> None:
    notificar(
        destinatarios=usuarios_partes(convenio),
        asunto=f"{documento.get_tipo_display()} {documento.folio}",
        plantilla="documentos/correo/documento_emitido.txt",
        contexto={"documento": documento, "convenio": convenio, "url": url_verificacion(documento.codigo_verificacion)},
        enlace=reverse("documentos:convenio_documentos", args=[convenio.pk]),
    )


@transaction.atomic
def oficio_cumplimiento_emitir(*, convenio: Convenio, usuario: Usuario) -> Documento:
    """Cláusula QUINTA: once IMPLAN validates everything, it issues the oficio de cumplimiento; the convenio is
    then cumplido."""
    exigir_implan(usuario, convenio.municipio_id)
    convenio = _bloquear_convenio(convenio)
    _exigir_no_emitido(convenio, TipoDocumento.OFICIO_CUMPLIMIENTO)
    if convenio.estado != EstadoConvenio.VIGENTE:
        raise ValidationError(
            _("Solo un convenio vigente puede declararse cumplido (está %(estado)s).")
            % {"estado": convenio.get_estado_display().lower()},
            code="convenio_no_vigente",
        )
    # Lock the items too: none may change state while the letter that lists them is issued.
    aspectos = list(convenio.aspectos.select_for_update().order_by(contextos.orden_convenio(), "numero"))
    if not aspectos:
        raise ValidationError(_("El convenio no tiene hallazgos ni recomendaciones."), code="sin_aspectos")
    faltan = [a for a in aspectos if a.estado not in EstadoAspecto.finales_cumplidos()]
    if faltan:
        raise ValidationError(
            _("No se puede emitir el oficio de cumplimiento: falta atender %(lista)s.") % {"lista": _lista(faltan)},
            code="aspectos_pendientes",
        )
    documento = _emitir(
        tipo=TipoDocumento.OFICIO_CUMPLIMIENTO,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.oficio_cumplimiento(convenio, fecha, emision),
    )
    _cambiar_estado(convenio, EstadoConvenio.CUMPLIDO, usuario, f"Oficio de cumplimiento {documento.folio}")
    _avisar(documento, convenio)
    return documento


@transaction.atomic
def vista_contraloria_emitir(*, convenio: Convenio, usuario: Usuario) -> Documento:
    """Cláusulas QUINTA and SEXTA: IMPLAN gives notice to the Contraloría of the items not attended; the convenio is
    then incumplido."""
    exigir_implan(usuario, convenio.municipio_id)
    convenio = _bloquear_convenio(convenio)
    _exigir_no_emitido(convenio, TipoDocumento.VISTA_CONTRALORIA)
    if convenio.estado != EstadoConvenio.VIGENTE:
        raise ValidationError(
            _("Solo se da vista a la Contraloría de un convenio vigente (está %(estado)s).")
            % {"estado": convenio.get_estado_display().lower()},
            code="convenio_no_vigente",
        )
    list(convenio.aspectos.select_for_update())
    if not convenio.aspectos.filter(estado=EstadoAspecto.NO_ATENDIDA).exists():
        raise ValidationError(
            _("No hay aspectos declarados no atendidos: no hay incumplimiento del que dar vista."),
            code="sin_incumplimiento",
        )
    documento = _emitir(
        tipo=TipoDocumento.VISTA_CONTRALORIA,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.vista_contraloria(convenio, fecha, emision),
    )
    _cambiar_estado(convenio, EstadoConvenio.INCUMPLIDO, usuario, f"Vista a la Contraloría {documento.folio}")
    _avisar(documento, convenio)
    return documento


@transaction.atomic
def convenio_documento_emitir(*, convenio: Convenio, usuario: Usuario) -> Documento:
    """The convenio itself, for printing and signing by the four parties (or for the record of one signed)."""
    exigir_implan(usuario, convenio.municipio_id)
    convenio = _bloquear_convenio(convenio)
    _exigir_no_emitido(convenio, TipoDocumento.CONVENIO)
    sin_firmante = [str(etiqueta) for etiqueta, _dep, titular in convenio.firmantes() if titular is None]
    if sin_firmante:
        raise ValidationError(
            _("Faltan los firmantes de: %(partes)s.") % {"partes": ", ".join(sin_firmante)}, code="sin_firmantes"
        )
    if not convenio.aspectos.exists():
        raise ValidationError(_("El convenio no tiene hallazgos ni recomendaciones."), code="sin_aspectos")
    documento = _emitir(
        tipo=TipoDocumento.CONVENIO,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.convenio_documento(convenio, fecha, emision),
    )
    _avisar(documento, convenio)
    return documento


@transaction.atomic
def resolucion_prorroga_emitir(*, prorroga: Prorroga, usuario: Usuario) -> Documento:
    """Cláusula SÉPTIMA: the written answer to a request for prórroga, approved or rejected."""
    prorroga = Prorroga.objects.select_for_update(of=("self",)).select_related("aspecto__convenio").get(pk=prorroga.pk)
    convenio = prorroga.aspecto.convenio
    exigir_implan(usuario, convenio.municipio_id)
    if prorroga.estado == EstadoProrroga.SOLICITADA:
        raise ValidationError(
            _("La prórroga aún no se resuelve: apruébela o recházela antes de emitir la resolución."),
            code="prorroga_sin_resolver",
        )
    previo = prorroga.documentos.filter(tipo=TipoDocumento.RESOLUCION_PRORROGA).first()
    if previo is not None:
        raise ValidationError(
            _("La resolución de esta prórroga ya fue emitida con el folio %(folio)s.") % {"folio": previo.folio},
            code="ya_emitido",
        )
    documento = _emitir(
        tipo=TipoDocumento.RESOLUCION_PRORROGA,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        prorroga=prorroga,
        contexto=lambda fecha, emision: contextos.resolucion_prorroga(prorroga, fecha, emision),
    )
    _avisar(documento, convenio)
    return documento


@transaction.atomic
def acta_sesion_emitir(*, sesion: Sesion, usuario: Usuario) -> Documento:
    """Cláusula TERCERA: the record of a session held at IMPLAN, with who attended, what was reviewed and agreed."""
    sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
    exigir_implan(usuario, sesion.municipio_id)
    previo = sesion.documentos.filter(tipo=TipoDocumento.ACTA_SESION).first()
    if previo is not None:
        raise ValidationError(
            _("El acta de esta sesión ya fue emitida con el folio %(folio)s.") % {"folio": previo.folio},
            code="ya_emitido",
        )
    if sesion.fecha > timezone.localdate():
        raise ValidationError(
            _("La sesión es el %(fecha)s: su acta se emite después de celebrarla.")
            % {"fecha": fecha_larga(sesion.fecha)},
            code="sesion_futura",
        )
    if not sesion.asistencias.exists():
        raise ValidationError(
            _("Registre la asistencia de la sesión antes de emitir el acta."), code="sesion_sin_asistencia"
        )
    implan = Dependencia.objects.get(municipio=sesion.municipio_id, tipo=TipoDependencia.IMPLAN)
    documento = _emitir(
        tipo=TipoDocumento.ACTA_SESION,
        municipio=sesion.municipio,
        implan=implan,
        usuario=usuario,
        sesion=sesion,
        contexto=lambda fecha, emision: contextos.acta_sesion(sesion, fecha, emision),
    )
    for convenio in sesion.convenios.all():
        _avisar(documento, convenio)
    return documento


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
}


def documento_emitir(*, tipo: str, objeto_id: int, usuario_id: int) -> Documento:
    """The same issue by ids, for a background task (operacion.tasks.emitir_documento): a task's arguments
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
}


def documento_borrador(*, tipo: str, objeto: Convenio | Prorroga | Sesion, usuario: Usuario) -> bytes:
    """A preview for IMPLAN: "BORRADOR" across every page, no folio, no QR, nothing stored."""
    municipio_id = objeto.aspecto.convenio.municipio_id if isinstance(objeto, Prorroga) else objeto.municipio_id
    exigir_implan(usuario, municipio_id)
    return generar_pdf(tipo, CONTEXTOS_BORRADOR[tipo](objeto, timezone.localdate(), None), borrador=True).pdf
