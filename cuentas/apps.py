from django.apps import AppConfig


class CuentasConfig(AppConfig):
    name = "cuentas"
    verbose_name = "Cuentas de usuario"

    def ready(self) -> None:
        from cuentas import receptores  # noqa: F401 - marks each new session (idle limit, second factor)
