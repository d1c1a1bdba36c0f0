"""The e-mail of a notice, as a background task (found by config/celery.py's autodiscovery)."""

from __future__ import annotations

from smtplib import SMTPException

from django.core import mail

from operacion.tareas import tarea


@tarea(reintentar_en=(SMTPException, OSError))
def enviar_correo(*, asunto: str, cuerpo: str, destinatario: str) -> None:
    mail.send_mail(asunto, cuerpo, None, [destinatario])
