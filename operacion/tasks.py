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


@tarea()
def emitir_documento(*, tipo: str, objeto_id: int, usuario_id: int) -> int:
    """Issues one official document (documentos.services), e.g. a batch of oficios queued one task each.

    Retried on OSError (the storage failed): the service's transaction gives the folio back and leaves no
    file, so a retry takes the same number. Run twice (acks_late), the second run finds it issued and stops
    with the service's ``ya_emitido`` error, which is not retried. Returns the Documento's id.
    """
    from documentos import services  # here: documentos.services -> notificaciones -> this module

    return services.documento_emitir(tipo=tipo, objeto_id=objeto_id, usuario_id=usuario_id).pk
