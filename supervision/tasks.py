"""Background tasks of oversight (found by config/celery.py's autodiscovery)."""

from __future__ import annotations

from django.core.management import call_command

from operacion.tareas import tarea


@tarea()
def enviar_recordatorios() -> None:
    """Celery beat runs it daily (CELERY_BEAT_SCHEDULE); the command itself is idempotent."""
    call_command("enviar_recordatorios")
