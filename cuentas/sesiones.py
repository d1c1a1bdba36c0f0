"""Idle limit for the staff who see a whole municipio (IMPLAN, Contraloría, Tesorería, administrators).

Each request of such a user moves the session's expiry to now + ``SESION_INACTIVA_PERSONAL``
(30 minutes): after that long without a request, the session is gone from the database and
the cookie expires. The expiry is moved at most once per interval (a minute, or less for a
shorter limit), so a page full of requests does not rewrite the session row each time.

Dependencia users are not marked: their session lasts ``SESSION_COOKIE_AGE`` (8 hours) from
the login, because they fill long forms and upload large files and see only their own dependencia.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from cuentas.models import Usuario

PERSONAL = "sesion_personal"
ACTIVIDAD = "sesion_actividad"


def limite_segundos() -> int:
    return max(1, int(settings.SESION_INACTIVA_PERSONAL.total_seconds()))


def marcar(sesion: Any, usuario: Usuario) -> None:
    if usuario.es_personal_de_consulta_amplia:
        sesion[PERSONAL] = True
        renovar(sesion, forzar=True)
    else:
        sesion.pop(PERSONAL, None)


def renovar(sesion: Any, *, forzar: bool = False) -> None:
    limite = limite_segundos()
    intervalo = min(60, max(1, limite // 30))
    ahora = int(time.time())
    if forzar or ahora - int(sesion.get(ACTIVIDAD, 0)) >= intervalo:
        sesion[ACTIVIDAD] = ahora
        sesion.set_expiry(limite)
