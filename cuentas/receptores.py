"""At login, the session learns what it owes: a second-factor code, and its idle limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from cuentas import doble_factor, sesiones

if TYPE_CHECKING:
    from cuentas.models import Usuario


@receiver(user_logged_in, dispatch_uid="cuentas_marcar_sesion")
def marcar_sesion(sender: Any, request: Any, user: Usuario, **kwargs: Any) -> None:
    sesion = getattr(request, "session", None)
    if sesion is None:
        return
    marca = doble_factor.pendiente_al_entrar(user)
    if marca:
        sesion[doble_factor.PENDIENTE] = marca
    else:
        sesion.pop(doble_factor.PENDIENTE, None)
    sesiones.marcar(sesion, user)
