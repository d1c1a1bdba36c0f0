from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seguridad.integridad import ArchivoVerificable


class SeguimientoConfig(AppConfig):
    name = "seguimiento"
    verbose_name = _("Seguimiento de aspectos susceptibles de mejora")
    # Re-hashed by `manage.py verificar_integridad` (seguridad/integridad.py).
    archivos_verificables = [ArchivoVerificable("Evidencia", archivo="archivo", hash="sha256", carpeta="evidencias")]

    def ready(self) -> None:
        from seguimiento import archivos  # noqa: F401  (registers the download extension of each evidence type)
