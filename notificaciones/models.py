"""The copy, in the app, of each notice the system sent a user (its e-mail goes through ``tasks``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notificacion(models.Model):
    """A copy, in the app, of each e-mail the system sent a user."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="notificaciones"
    )
    asunto = models.CharField(_("asunto"), max_length=200)
    cuerpo = models.TextField(_("mensaje"))
    # The path of what the notice is about (an aspecto, a sesión, a convenio): the list links to it.
    enlace = models.CharField(_("enlace"), max_length=300, blank=True)
    creada_en = models.DateTimeField(_("fecha"), auto_now_add=True)
    leida_en = models.DateTimeField(_("leída el"), null=True, blank=True)

    class Meta:
        # Born in the supervision app: the table keeps its name (migrations 0001 here and 0003 there).
        db_table = "supervision_notificacion"
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-creada_en", "-pk"]
        indexes = [models.Index(fields=["usuario", "-creada_en"], name="notificacion_usuario_fecha")]

    def __str__(self) -> str:
        return self.asunto
