from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CuentasConfig(AppConfig):
    name = "cuentas"
    verbose_name = _("Cuentas de usuario")

    def ready(self) -> None:
        from cuentas import receptores  # noqa: F401 - marks each new session (idle limit, second factor)
