"""E-mail to the other side of a move, sent only after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from convenios.models import Convenio
from cuentas.models import Usuario
from operacion.tasks import enviar_correo


def usuarios_de(*dependencias: Any) -> list[Usuario]:
    return list(Usuario.objects.filter(dependencia__in=dependencias, is_active=True).exclude(email=""))


def usuarios_implan(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan)


def usuarios_dependencia(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.dependencia_evaluada)


def usuarios_partes(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan, convenio.tesoreria, convenio.contraloria, convenio.dependencia_evaluada)


def notificar(*, destinatarios: Iterable[Usuario], asunto: str, plantilla: str, contexto: dict[str, Any]) -> None:
    """Sends one e-mail per recipient once the surrounding transaction commits (never for a rolled-back move).

    Each recipient also finds it in the app (``supervision.Notificacion``), stored in the
    same transaction, so a rolled-back move leaves no notice either.
    """
    from supervision.notificaciones import guardar_en_la_app

    destinatarios = list(destinatarios)
    cuerpo = render_to_string(plantilla, {**contexto, "sitio": getattr(settings, "SITIO_URL", "")})
    guardar_en_la_app(destinatarios=destinatarios, asunto=asunto, cuerpo=cuerpo)
    correos = sorted({u.email for u in destinatarios if u.email})

    # One task per recipient: a retry after an SMTP failure never repeats a delivered e-mail.
    # Queued for a worker when a broker is configured; inline at commit otherwise.
    for correo in correos:
        enviar_correo.delay_on_commit(asunto=f"[Seguimiento ASM] {asunto}", cuerpo=cuerpo, destinatario=correo)
