from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparenciaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transparencia"
    verbose_name = _("Transparencia")
