from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervisión: tablero de la Contraloría, verificaciones y recordatorios"
