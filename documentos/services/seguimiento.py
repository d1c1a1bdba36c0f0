"""The documents of the follow-up: the written resolution of a prórroga (cláusula SÉPTIMA) and the acta of a
session held at IMPLAN (cláusula TERCERA)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from convenios.formatos import fecha_larga
from convenios.models import Dependencia, TipoDependencia, calendario
from cuentas.models import Usuario
from documentos import contextos
from documentos.firma import ArchivosEFirma
from documentos.models import Documento, TipoDocumento
from documentos.services.emision import avisar, emitir, exigir_implan, exigir_no_emitido
from seguimiento.models import EstadoProrroga, Prorroga, Sesion


@transaction.atomic
@sensitive_variables("efirma")
def resolucion_prorroga_emitir(
    *, prorroga: Prorroga, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusula SÉPTIMA: the written answer to a request for prórroga, approved or rejected."""
    prorroga = Prorroga.objects.select_for_update(of=("self",)).select_related("aspecto__convenio").get(pk=prorroga.pk)
    convenio = prorroga.aspecto.convenio
    exigir_implan(usuario, convenio.municipio_id)
    if prorroga.estado == EstadoProrroga.SOLICITADA:
        raise ValidationError(
            _("La prórroga aún no se resuelve: apruébela o recházela antes de emitir la resolución."),
            code="prorroga_sin_resolver",
        )
    exigir_no_emitido(
        prorroga.documentos.filter(tipo=TipoDocumento.RESOLUCION_PRORROGA),
        _("La resolución de esta prórroga ya fue emitida con el folio %(folio)s."),
    )
    documento = emitir(
        tipo=TipoDocumento.RESOLUCION_PRORROGA,
        usuario=usuario,
        convenio=convenio,
        prorroga=prorroga,
        contexto=lambda fecha, emision: contextos.resolucion_prorroga(prorroga, fecha, emision),
        efirma=efirma,
    )
    avisar(documento, convenio)
    return documento


@transaction.atomic
@sensitive_variables("efirma")
def acta_sesion_emitir(
    *, sesion: Sesion, usuario: Usuario, efirma: ArchivosEFirma | None = None, hoy: datetime.date | None = None
) -> Documento:
    """Cláusula TERCERA: the record of a session held at IMPLAN, with who attended, what was reviewed and agreed.
    Issued once the session was held: on or after its date (``hoy``, default today in Mexico City)."""
    sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
    exigir_implan(usuario, sesion.municipio_id)
    exigir_no_emitido(
        sesion.documentos.filter(tipo=TipoDocumento.ACTA_SESION),
        _("El acta de esta sesión ya fue emitida con el folio %(folio)s."),
    )
    if sesion.fecha > (hoy or calendario.hoy()):
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
    documento = emitir(
        tipo=TipoDocumento.ACTA_SESION,
        municipio=sesion.municipio,
        implan=implan,
        usuario=usuario,
        sesion=sesion,
        contexto=lambda fecha, emision: contextos.acta_sesion(sesion, fecha, emision),
        # Each attendee's line is signed by the titular of the party they represent (cláusula TERCERA).
        firmantes=[a.dependencia.titular_en(sesion.fecha) for a in sesion.asistencias.select_related("dependencia")],
        efirma=efirma,
    )
    for convenio in sesion.convenios.all():
        avisar(documento, convenio)
    return documento
