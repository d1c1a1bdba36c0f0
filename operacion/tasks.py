"""Background tasks (found by config/celery.py's autodiscovery). Each is one line; see operacion/tareas.py."""

from __future__ import annotations

from smtplib import SMTPException

from django.core import mail
from django.core.management import call_command

from operacion.tareas import tarea


@tarea(reintentar_en=(SMTPException, OSError))
def enviar_correo(*, asunto: str, cuerpo: str, destinatario: str) -> None:
    mail.send_mail(asunto, cuerpo, None, [destinatario])


@tarea()
def enviar_recordatorios() -> None:
    """Celery beat runs it daily (CELERY_BEAT_SCHEDULE); the command itself is idempotent."""
    call_command("enviar_recordatorios")
