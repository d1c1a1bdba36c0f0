from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificacionesConfig(AppConfig):
    name = "notificaciones"
    verbose_name = _("Notificaciones: avisos en la aplicación y por correo")
