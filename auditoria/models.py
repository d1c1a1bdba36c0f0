"""The audit log: who did what sensitive thing, when and from where. Rows are only ever added.

Zulip's ``RealmAuditLog`` is the model: a write that matters leaves a row, in the same
transaction as the write. Nothing here is changed or deleted: ``save()`` refuses an
existing row, ``delete()`` and the queryset's ``update()``/``delete()`` refuse always,
the admin only shows, and on PostgreSQL a trigger refuses UPDATE and DELETE
(``migrations/0002_...``), so not even a script through the ORM can rewrite it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


class TipoEvento(models.TextChoices):
    ENTRADA = "entrada", _("Inicio de sesión")
    ENTRADA_FALLIDA = "entrada_fallida", _("Inicio de sesión fallido")
    BLOQUEO = "bloqueo", _("Bloqueo por intentos fallidos")
    SALIDA = "salida", _("Cierre de sesión")
    CAMBIO_CONTRASENA = "cambio_contrasena", _("Cambio de contraseña")
    DOBLE_FACTOR_ACTIVADO = "doble_factor_activado", _("Segundo factor configurado")
    DOBLE_FACTOR_FALLIDO = "doble_factor_fallido", _("Código del segundo factor incorrecto")
    DESCARGA_EVIDENCIA = "descarga_evidencia", _("Descarga de evidencia")
    EMISION_DOCUMENTO = "emision_documento", _("Emisión de documento")
    ALTA_ADMIN = "alta_admin", _("Alta en la administración")
    CAMBIO_ADMIN = "cambio_admin", _("Cambio en la administración")
    BAJA_ADMIN = "baja_admin", _("Baja en la administración")
    ACTO_CONVENIO = "acto_convenio", _("Acto del convenio (firma, modificación, incumplimiento)")


class RegistroInalterable(Exception):
    """Raised on any attempt to change or delete an audit row."""


_MENSAJE = "La bitácora de auditoría no se modifica ni se borra."


class RegistroAuditoriaQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise RegistroInalterable(_MENSAJE)

    def delete(self) -> NoReturn:
        raise RegistroInalterable(_MENSAJE)

    def visibles_para(self, user: Usuario | AnonymousUser) -> RegistroAuditoriaQuerySet:
        """A superuser reads every municipio's log; anyone else only their own municipio's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        municipio = getattr(user, "municipio", None)
        return self.filter(municipio=municipio) if municipio is not None else self.none()


class RegistroAuditoria(models.Model):
    fecha = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True, editable=False)
    tipo = models.CharField(_("evento"), max_length=30, choices=TipoEvento.choices, db_index=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # As typed, also for a failed login with a name that matches no user.
    nombre_usuario = models.CharField(_("nombre de usuario"), max_length=150, blank=True)
    # Taken at the time of the event: a user may later move to another dependencia.
    municipio = models.ForeignKey(
        "convenios.Municipio",
        verbose_name=_("municipio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)
    agente = models.CharField(_("navegador"), max_length=300, blank=True)
    ruta = models.CharField(_("ruta"), max_length=300, blank=True)
    tipo_objeto = models.ForeignKey(
        ContentType, verbose_name=_("tipo de objeto"), on_delete=models.PROTECT, null=True, blank=True
    )
    objeto_id = models.CharField(_("id del objeto"), max_length=64, blank=True)
    objeto_texto = models.CharField(_("objeto"), max_length=300, blank=True)
    detalle = models.TextField(_("detalle"), blank=True)

    objects = RegistroAuditoriaQuerySet.as_manager()

    class Meta:
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("bitácora de auditoría")
        ordering = ["-fecha", "-pk"]
        indexes = [models.Index(fields=["municipio", "-fecha"], name="auditoria_municipio_fecha")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} · {self.nombre_usuario or '—'} · {self.fecha:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RegistroInalterable(_MENSAJE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RegistroInalterable(_MENSAJE)
