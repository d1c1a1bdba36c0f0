from django.apps import AppConfig


class SeguridadConfig(AppConfig):
    name = "seguridad"
    verbose_name = "Seguridad y confiabilidad"
