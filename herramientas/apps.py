from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HerramientasConfig(AppConfig):
    """Benchmarks, generated data, load tests and reports: `manage.py` commands and scripts, no models or URLs."""

    name = "herramientas"
    verbose_name = _("Herramientas: medición, datos de prueba e informes")
