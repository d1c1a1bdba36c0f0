from django.apps import AppConfig


class AuditoriaConfig(AppConfig):
    name = "auditoria"
    verbose_name = "Bitácora de auditoría"

    def ready(self) -> None:
        from auditoria import receptores  # noqa: F401 - connects the login/logout receivers
