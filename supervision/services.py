"""Writes of the oversight records. Keyword-only, atomic, checked under lock (STYLE.md, point 5)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from convenios.models import Aspecto, Convenio, EstadoAspecto, EstadoConvenio, calendario
from notificaciones.services import notificar
from seguimiento.notificaciones import usuarios_de
from supervision.models import ActuacionContraloria, TipoActuacion, VerificacionTesoreria
from supervision.permissions import has_actuacion_permission, has_verificacion_permission

if TYPE_CHECKING:
    from cuentas.models import Usuario


def _fecha_valida(fecha: datetime.date, hoy: datetime.date) -> None:
    if fecha > hoy:
        raise ValidationError({"fecha": _("La fecha no puede ser posterior a hoy.")}, code="fecha_futura")


@transaction.atomic
def actuacion_registrar(
    *,
    convenio: Convenio,
    usuario: Usuario,
    tipo: str,
    texto: str,
    fecha: datetime.date,
    aspecto: Aspecto | None = None,
    expediente: str = "",
    estado_procedimiento: str = "",
    hoy: datetime.date | None = None,
) -> ActuacionContraloria:
    """The Contraloría records an observation or a formal procedure on an overdue item or on a convenio.

    ``hoy`` (default: today in Mexico City) decides what is overdue and how late ``fecha`` may be."""
    hoy = hoy or calendario.hoy()
    if not has_actuacion_permission(usuario, convenio):
        raise PermissionDenied(_("Solo la Contraloría del convenio registra observaciones y procedimientos."))
    convenio = Convenio.objects.select_for_update().get(pk=convenio.pk)
    if convenio.estado == EstadoConvenio.BORRADOR:
        raise ValidationError(_("El convenio aún no está firmado."), code="convenio_borrador")
    if aspecto is not None:
        aspecto = Aspecto.objects.select_for_update().get(pk=aspecto.pk, convenio=convenio)
        if not (aspecto.esta_vencido(hoy) or aspecto.estado == EstadoAspecto.NO_ATENDIDA):
            raise ValidationError(
                _("Solo se registran actuaciones sobre aspectos vencidos o no atendidos."), code="aspecto_no_vencido"
            )
    _fecha_valida(fecha, hoy)
    if tipo == TipoActuacion.OBSERVACION:
        expediente, estado_procedimiento = "", ""
    actuacion = ActuacionContraloria(
        convenio=convenio,
        aspecto=aspecto,
        tipo=tipo,
        texto=texto.strip(),
        expediente=expediente.strip(),
        fecha=fecha,
        estado_procedimiento=estado_procedimiento,
        autor=usuario,
    )
    actuacion.full_clean()
    actuacion.save()
    notificar(
        destinatarios=usuarios_de(convenio.implan),
        asunto=_("La Contraloría registró una actuación"),
        plantilla="supervision/correo/actuacion.txt",
        contexto={"actuacion": actuacion, "convenio": convenio, "aspecto": aspecto},
        enlace=reverse("supervision:aspecto", args=[aspecto.pk])
        if aspecto
        else reverse("supervision:convenio", args=[convenio.pk]),
    )
    return actuacion


@transaction.atomic
def verificacion_registrar(
    *,
    convenio: Convenio,
    usuario: Usuario,
    tipo: str,
    resultado: str,
    nota: str,
    fecha: datetime.date,
    hoy: datetime.date | None = None,
) -> VerificacionTesoreria:
    """The Tesorería records one of its two checks (SEGUNDA, Tesorería a and c); a new row supersedes the last.
    ``fecha`` may not be after ``hoy`` (default: today in Mexico City)."""
    if not has_verificacion_permission(usuario, convenio):
        raise PermissionDenied(_("Solo la Tesorería del convenio registra sus verificaciones."))
    convenio = Convenio.objects.select_for_update().get(pk=convenio.pk)
    if convenio.estado == EstadoConvenio.BORRADOR:
        raise ValidationError(_("El convenio aún no está firmado."), code="convenio_borrador")
    _fecha_valida(fecha, hoy or calendario.hoy())
    verificacion = VerificacionTesoreria(
        convenio=convenio, tipo=tipo, resultado=resultado, nota=nota.strip(), fecha=fecha, autor=usuario
    )
    verificacion.full_clean()
    verificacion.save()
    notificar(
        destinatarios=usuarios_de(convenio.implan, convenio.contraloria),
        asunto=_("La Tesorería registró una verificación"),
        plantilla="supervision/correo/verificacion.txt",
        contexto={"verificacion": verificacion, "convenio": convenio},
        enlace=reverse("supervision:convenio", args=[convenio.pk]),
    )
    return verificacion
