from django.apps import AppConfig


class SeguridadConfig(AppConfig):
    name = "seguridad"
    verbose_name = "Seguridad y confiabilidad"

    def ready(self) -> None:
        from seguridad import checks  # noqa: F401  (registers the deploy checks)
