from django.apps import AppConfig


class ConveniosConfig(AppConfig):
    name = "convenios"
    verbose_name = "Convenios y evaluaciones"
