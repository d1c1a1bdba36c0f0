from django.apps import AppConfig


class SeguimientoConfig(AppConfig):
    name = "seguimiento"
    verbose_name = "Seguimiento de aspectos susceptibles de mejora"
