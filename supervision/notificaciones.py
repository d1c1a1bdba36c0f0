"""In-app copies of the e-mails (``seguimiento.notificaciones.notificar`` calls this)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from supervision.models import Notificacion


def guardar_en_la_app(*, destinatarios: Iterable[Any], asunto: str, cuerpo: str, enlace: str) -> None:
    """One ``Notificacion`` per active recipient, e-mail address or not, linking to ``enlace`` (a path)."""
    vistos: set[int] = set()
    filas = []
    for usuario in destinatarios:
        if usuario.pk in vistos or not usuario.is_active:
            continue
        vistos.add(usuario.pk)
        filas.append(Notificacion(usuario=usuario, asunto=asunto[:200], cuerpo=cuerpo, enlace=enlace))
    Notificacion.objects.bulk_create(filas)
