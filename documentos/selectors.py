"""Reads for the pages that list documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from convenios import politica
from convenios.models import Convenio, EstadoConvenio
from documentos.anexo1 import datos_anexo1, describir_pendientes
from documentos.forms import EFirmaForm
from documentos.models import FIRMABLES_DESDE_CONVENIO, Documento, TipoDocumento
from documentos.permissions import has_emitir_permission

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

_SOLO_BORRADOR = "La versión para firma se emite solo mientras el convenio es borrador y tiene sus aspectos capturados."


def documentos_de_convenio(convenio: Convenio, user: Usuario | AnonymousUser) -> QuerySet[Documento]:
    """The convenio's documents, its prórrogas' resolutions and the actas of sessions that reviewed it."""
    return (
        Documento.objects.visibles_para(user)
        .filter(Q(convenio=convenio) | Q(sesion__convenios=convenio))
        .distinct()
        .prefetch_related("firmas")
        .order_by("emitido_en", "pk")
    )


def contexto_lista(convenio: Convenio, user: Usuario | AnonymousUser) -> dict[str, Any]:
    """Context for ``documentos/_lista.html``: add it to the convenio page's context.

    - ``documentos_convenio``: the issued documents (download links);
    - ``puede_emitir_documentos``: whether to show the preview/issue buttons (IMPLAN of the municipio);
    - ``documentos_emitibles``: per kind issued from the convenio, (tipo, label, folios issued, whether it
      may be issued now, and if not why: ``politica.decidir``). Vistas may be several (each names its items).
    """
    documentos = list(documentos_de_convenio(convenio, user))
    puede = has_emitir_permission(user, convenio.municipio_id)
    emitibles: list[tuple[str, str, str, bool, str]] = []
    if puede:
        emitidos: dict[str, list[str]] = {}
        for d in documentos:
            if d.convenio_id == convenio.pk:
                emitidos.setdefault(d.tipo, []).append(d.folio)
        # The version for signing, only before it is signed (documentos.services.convenio_documento_emitir).
        borrador = convenio.estado == EstadoConvenio.BORRADOR
        con_aspectos = borrador and convenio.aspectos.exists()
        decisiones = {
            # Once signed, the page says the signed scan is the official document: no reason to give.
            TipoDocumento.CONVENIO: politica.Decision(
                con_aspectos, _SOLO_BORRADOR if borrador and not con_aspectos else ""
            ),
            TipoDocumento.OFICIO_CUMPLIMIENTO: politica.decidir(user, "oficio_cumplimiento", convenio),
            TipoDocumento.VISTA_CONTRALORIA: politica.decidir(user, "vista", convenio),
        }
        anexo1, razon_anexo1 = _anexo1_listo(convenio, user, emitidos)
        decisiones[TipoDocumento.ANEXO1] = politica.Decision(anexo1, razon_anexo1)
        for tipo, decision in decisiones.items():
            emitibles.append(
                (tipo, TipoDocumento(tipo).label, ", ".join(emitidos.get(tipo, [])), bool(decision), decision.razon)
            )
    return {
        "documentos_convenio": documentos,
        "puede_emitir_documentos": puede,
        "documentos_emitibles": emitibles,
        "tipos_firmables": FIRMABLES_DESDE_CONVENIO,
        "form_efirma": EFirmaForm(),
    }


def _anexo1_listo(
    convenio: Convenio, user: Usuario | AnonymousUser, emitidos: dict[str, list[str]]
) -> tuple[bool, str]:
    """The policy's answer, then what ``services.anexo1_emitir`` would refuse for (the items not captured)."""
    if TipoDocumento.ANEXO1 in emitidos:
        return False, ""
    decision = politica.decidir(user, "anexo1", convenio)
    if not decision:
        return False, decision.razon
    if getattr(convenio.evaluacion, "anexo1", None) is None:
        # One query, not the whole format's, for the usual case: nothing captured yet.
        return False, "Capture primero el Anexo 1 de la evaluación (administración, «Anexos 1 CONAC»)."
    pendientes = datos_anexo1(convenio.evaluacion, lambda ruta: ruta)["pendientes"]
    if pendientes:
        return False, f"Faltan los apartados {describir_pendientes(pendientes)} del Anexo 1."
    return True, ""
