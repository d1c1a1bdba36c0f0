"""The documents that close or bind a convenio: the version for signing, the oficio de cumplimiento, the vista
a la Contraloría, and the declaration of incumplimiento that follows them (cláusulas QUINTA and SEXTA)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from simple_history.utils import bulk_update_with_history

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios import politica
from convenios.models import Aspecto, Convenio, EstadoAspecto, EstadoConvenio
from convenios.services import bloquear_convenio
from cuentas.models import Usuario
from documentos import contextos
from documentos.firma import ArchivosEFirma
from documentos.models import Documento, TipoDocumento
from documentos.services.emision import avisar, emitir, exigir_implan, exigir_no_emitido
from notificaciones.services import notificar
from seguimiento.notificaciones import usuarios_partes


def _exigir_no_emitido(convenio: Convenio, tipo: str) -> None:
    exigir_no_emitido(
        convenio.documentos.filter(tipo=tipo),
        _("El %(tipo)s de este convenio ya fue emitido con el folio %(folio)s; no se emite de nuevo."),
        tipo=TipoDocumento(tipo).label.lower(),
    )


def _cambiar_estado(convenio: Convenio, estado: str, usuario: Usuario, motivo: str) -> None:
    """Only ``estado`` changes, checked above under the row lock; the database's constraints still apply.
    ``bulk_update_with_history`` records the author and the reason (django-simple-history) without re-running
    the whole convenio's ``full_clean`` (a dozen queries that cannot fail for this one field)."""
    convenio.estado = estado
    bulk_update_with_history([convenio], Convenio, ["estado"], default_user=usuario, default_change_reason=motivo)


@transaction.atomic
@sensitive_variables("efirma")
def oficio_cumplimiento_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusula QUINTA: once IMPLAN validates everything, it issues the oficio de cumplimiento; the convenio is
    then cumplido (``politica``: act ``oficio_cumplimiento``)."""
    convenio = bloquear_convenio(convenio)
    # Lock the items too: none may change state while the letter that lists them is issued.
    list(convenio.aspectos.select_for_update())
    exigir_implan(usuario, convenio.municipio_id)
    # Said first: "already issued, folio X" explains more than "the convenio is cumplido".
    _exigir_no_emitido(convenio, TipoDocumento.OFICIO_CUMPLIMIENTO)
    politica.exigir(usuario, "oficio_cumplimiento", convenio)
    documento = emitir(
        tipo=TipoDocumento.OFICIO_CUMPLIMIENTO,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.oficio_cumplimiento(convenio, fecha, emision),
        efirma=efirma,
    )
    _cambiar_estado(convenio, EstadoConvenio.CUMPLIDO, usuario, f"Oficio de cumplimiento {documento.folio}")
    avisar(documento, convenio)
    return documento


@transaction.atomic
@sensitive_variables("efirma")
def vista_contraloria_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusulas QUINTA and SEXTA: IMPLAN gives notice to the Contraloría of the items declared no atendida that
    no earlier vista named. The rest of the convenio is not frozen: pending items may still be attended, and the
    convenio stays vigente until every item is final; then, with every no_atendida named by a vista, the same
    transaction declares it incumplido (act ``incumplimiento``)."""
    convenio = bloquear_convenio(convenio)
    aspectos = list(convenio.aspectos.select_for_update())
    politica.exigir(usuario, "vista", convenio)
    nombrados = [a for a in aspectos if a.estado == EstadoAspecto.NO_ATENDIDA and a.vista_dada_en is None]
    documento = emitir(
        tipo=TipoDocumento.VISTA_CONTRALORIA,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.vista_contraloria(convenio, fecha, emision, nombrados),
        efirma=efirma,
    )
    dada_en = timezone.localdate(documento.emitido_en)
    for aspecto in nombrados:
        aspecto.vista_dada_en = dada_en
    bulk_update_with_history(
        nombrados,
        Aspecto,
        ["vista_dada_en"],
        default_user=usuario,
        default_change_reason=f"Vista a la Contraloría {documento.folio}",
    )
    if politica.decidir(usuario, "incumplimiento", convenio):
        _cambiar_estado(convenio, EstadoConvenio.INCUMPLIDO, usuario, f"Vista a la Contraloría {documento.folio}")
    avisar(documento, convenio)
    return documento


@transaction.atomic
def convenio_declarar_incumplido(*, convenio: Convenio, usuario: Usuario) -> Convenio:
    """Cláusula QUINTA: every item final, some no_atendida and each of those named by a vista: the convenio is
    incumplido. The vista that names the last one does it by itself; this act is for when the last open item is
    closed (attended or cancelled) after the vistas were given."""
    convenio = bloquear_convenio(convenio)
    list(convenio.aspectos.select_for_update())
    politica.exigir(usuario, "incumplimiento", convenio)
    _cambiar_estado(convenio, EstadoConvenio.INCUMPLIDO, usuario, "Incumplimiento declarado (cláusula QUINTA)")
    auditar(tipo=TipoEvento.ACTO_CONVENIO, usuario=usuario, objeto=convenio, detalle="Incumplimiento declarado")
    notificar(
        destinatarios=usuarios_partes(convenio),
        asunto=f"Convenio {convenio.evaluacion.programa.clave}: incumplido",
        plantilla="documentos/correo/convenio_incumplido.txt",
        contexto={"convenio": convenio},
        enlace=reverse("seguimiento:convenio", args=[convenio.pk]),
    )
    return convenio


@transaction.atomic
@sensitive_variables("efirma")
def convenio_documento_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """The convenio itself, to be signed by the four parties: only while it is a borrador. Once signed, the
    signed document (``Convenio.documento_firmado``) is the authoritative one, not a rendering of the data."""
    exigir_implan(usuario, convenio.municipio_id)
    convenio = bloquear_convenio(convenio)
    _exigir_no_emitido(convenio, TipoDocumento.CONVENIO)
    if convenio.estado != EstadoConvenio.BORRADOR:
        raise ValidationError(
            _(
                "El convenio ya está firmado (está %(estado)s): su documento oficial es el convenio firmado que se "
                "archivó; la versión para firma solo se emite mientras es borrador."
            )
            % {"estado": convenio.get_estado_display().lower()},
            code="convenio_ya_firmado",
        )
    sin_firmante = [str(etiqueta) for etiqueta, _dep, titular in convenio.firmantes() if titular is None]
    if sin_firmante:
        raise ValidationError(
            _("Faltan los firmantes de: %(partes)s.") % {"partes": ", ".join(sin_firmante)}, code="sin_firmantes"
        )
    if not convenio.aspectos.exists():
        raise ValidationError(_("El convenio no tiene hallazgos ni recomendaciones."), code="sin_aspectos")
    faltan = list(contextos.huecos_convenio(convenio).values())
    if faltan:
        raise ValidationError(
            _("Faltan datos para el texto del convenio: %(lista)s.") % {"lista": "; ".join(faltan)},
            code="datos_faltantes",
        )
    documento = emitir(
        tipo=TipoDocumento.CONVENIO,
        # The folio of the agreement's own year: a 2022 convenio is not numbered (nor dated) as of today.
        anio=convenio.fecha_firma.year if convenio.fecha_firma else convenio.evaluacion.anio_pae,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.convenio_documento(convenio, fecha, emision),
        firmantes=[titular for _etiqueta, _dependencia, titular in convenio.firmantes()],
        efirma=efirma,
    )
    avisar(documento, convenio)
    return documento
