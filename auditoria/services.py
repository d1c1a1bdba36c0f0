"""``auditar()``: the one way to write to the audit log. Call it inside the transaction of the
write it records (a document issued and its audit row commit or roll back together)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from auditoria.models import RegistroAuditoria
from seguridad.red import ip_cliente

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


def _recortar(texto: str, largo: int) -> str:
    # PostgreSQL refuses NUL in text columns; a hostile user agent or user name must not
    # turn an audit row into an error.
    return (texto or "").replace("\x00", "\ufffd")[:largo]


def auditar(
    *,
    tipo: str,
    usuario: Usuario | AnonymousUser | None = None,
    request: HttpRequest | None = None,
    objeto: models.Model | None = None,
    detalle: str = "",
    nombre_usuario: str = "",
) -> RegistroAuditoria:
    """Adds a row to the audit log. ``usuario`` may be None (a failed login with an unknown name)."""
    autenticado = usuario is not None and getattr(usuario, "is_authenticated", False)
    registro = RegistroAuditoria(
        tipo=tipo,
        usuario=usuario if autenticado else None,
        nombre_usuario=_recortar(nombre_usuario or (usuario.get_username() if autenticado else ""), 150),
        municipio=getattr(usuario, "municipio", None) if autenticado else None,
        detalle=_recortar(detalle, 10_000),
    )
    if request is not None:
        registro.ip = ip_cliente(request)
        registro.agente = _recortar(request.META.get("HTTP_USER_AGENT", ""), 300)
        registro.ruta = _recortar(request.path, 300)
    if objeto is not None:
        registro.tipo_objeto = ContentType.objects.get_for_model(objeto)
        registro.objeto_id = str(objeto.pk)
        registro.objeto_texto = _recortar(str(objeto), 300)
        if registro.municipio is None:
            registro.municipio = _municipio_de(objeto)
    registro.save()
    return registro


def _municipio_de(objeto: models.Model) -> Any:
    """The municipio an object belongs to, following the path its queryset declares (``ruta_municipio``)."""
    ruta = getattr(type(objeto)._default_manager.all(), "ruta_municipio", None)
    if not ruta:
        return None
    valor: Any = objeto
    for parte in ruta.split("__"):
        valor = getattr(valor, parte, None)
        if valor is None:
            return None
    return valor
