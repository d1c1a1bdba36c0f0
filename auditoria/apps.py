from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditoriaConfig(AppConfig):
    name = "auditoria"
    verbose_name = _("Bitácora de auditoría")

    def ready(self) -> None:
        from auditoria import receptores  # noqa: F401 - connects the login/logout receivers
