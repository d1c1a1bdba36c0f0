from django.apps import AppConfig


class OperacionConfig(AppConfig):
    """Running the system: health check, request log, storage downloads, background tasks, backups."""

    name = "operacion"
    verbose_name = "Operación"
