from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeguridadConfig(AppConfig):
    name = "seguridad"
    verbose_name = _("Seguridad y confiabilidad")

    def ready(self) -> None:
        from seguridad import checks  # noqa: F401  (registers the deploy checks)
