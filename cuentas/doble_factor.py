"""Second factor by TOTP (django-otp): which sessions still owe a code, and the user's device."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cuentas.models import Usuario

# Session key: what this session still owes after the password ("verificar" or "configurar").
PENDIENTE = "doble_factor_pendiente"
VERIFICAR = "verificar"
CONFIGURAR = "configurar"


def dispositivo_confirmado(usuario: Usuario) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=usuario, confirmed=True).order_by("pk").first()


def pendiente_al_entrar(usuario: Usuario) -> str | None:
    """At login: a user with a device must give a code; one required to have a device must set it up."""
    if TOTPDevice.objects.filter(user=usuario, confirmed=True).exists():
        return VERIFICAR
    if usuario.doble_factor_obligatorio:
        return CONFIGURAR
    return None


def pendiente(request: HttpRequest) -> str | None:
    usuario = request.user
    if not usuario.is_authenticated or usuario.is_verified():
        return None
    marca = request.session.get(PENDIENTE)
    if marca:
        return marca
    # Required after this session began (an administrator just ticked the box).
    return CONFIGURAR if usuario.doble_factor_obligatorio else None
