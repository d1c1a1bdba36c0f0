"""Access to oversight pages and actions: the object helpers are seguimiento's (404 for what the
user may not see); here, one predicate per oversight action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from convenios import politica
from convenios.models import Convenio, TipoDependencia
from notificaciones.models import Notificacion
from seguimiento.permissions import get_aspecto_for_user, get_convenio_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

__all__ = [
    "get_aspecto_for_user",
    "get_convenio_for_user",
    "has_actuacion_permission",
    "has_tablero_permission",
    "has_verificacion_permission",
]


def has_tablero_permission(user: Usuario | AnonymousUser) -> bool:
    """Every role reads the board (a dependencia only its own rows, through ``visibles_para``)."""
    return politica.rol_de(user) is not None


def has_actuacion_permission(user: Usuario | AnonymousUser, convenio: Convenio) -> bool:
    """Only the convenio's Contraloría records observations and procedures (SEGUNDA, Contraloría; SEXTA)."""
    return politica.rol_de(user) == TipoDependencia.CONTRALORIA and user.dependencia_id == convenio.contraloria_id


def has_verificacion_permission(user: Usuario | AnonymousUser, convenio: Convenio) -> bool:
    """Only the convenio's Tesorería records its checks (SEGUNDA, Tesorería a and c)."""
    return politica.rol_de(user) == TipoDependencia.TESORERIA and user.dependencia_id == convenio.tesoreria_id


def get_notificacion_for_user(user: Usuario | AnonymousUser, pk: int) -> Notificacion:
    """Each user sees only their own notices; anyone else's is a 404."""
    return get_object_or_404(Notificacion, pk=pk, usuario=user)
