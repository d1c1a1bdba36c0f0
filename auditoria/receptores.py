"""Login, failed login, lockout and logout reach the audit log through Django's and axes' signals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from auditoria.models import TipoEvento
from auditoria.services import auditar

if TYPE_CHECKING:
    from cuentas.models import Usuario


@receiver(user_logged_in, dispatch_uid="auditoria_entrada")
def registrar_entrada(sender: Any, request: Any, user: Usuario | None, **kwargs: Any) -> None:
    auditar(tipo=TipoEvento.ENTRADA, usuario=user, request=request)


@receiver(user_login_failed, dispatch_uid="auditoria_entrada_fallida")
def registrar_entrada_fallida(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the name is kept.
    nombre = str(credentials.get("username") or "")
    usuario = _usuario_por_nombre(nombre)
    bloqueado = bool(getattr(request, "axes_locked_out", False))
    auditar(
        tipo=TipoEvento.ENTRADA_FALLIDA,
        usuario=usuario,
        nombre_usuario=nombre,
        request=request,
        detalle="Rechazado sin revisar la contraseña: usuario o dirección bloqueados." if bloqueado else "",
    )


@receiver(user_locked_out, dispatch_uid="auditoria_bloqueo")
def registrar_bloqueo(sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    auditar(
        tipo=TipoEvento.BLOQUEO,
        usuario=_usuario_por_nombre(username or ""),
        nombre_usuario=username or "",
        request=request,
        detalle=f"Demasiados intentos fallidos desde {ip_address or 'una dirección desconocida'}.",
    )


@receiver(user_logged_out, dispatch_uid="auditoria_salida")
def registrar_salida(sender: Any, request: Any, user: Usuario | None, **kwargs: Any) -> None:
    if user is not None:
        auditar(tipo=TipoEvento.SALIDA, usuario=user, request=request)


def _usuario_por_nombre(nombre: str) -> Usuario | None:
    if not nombre or "\x00" in nombre:
        return None
    return get_user_model().objects.filter(username=nombre).select_related("dependencia").first()
