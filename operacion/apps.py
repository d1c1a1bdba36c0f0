from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperacionConfig(AppConfig):
    """Running the system: health check, request log, storage downloads, background tasks, backups."""

    name = "operacion"
    verbose_name = _("Operación")
