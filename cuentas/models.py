"""Users. A user's role is the kind of the dependencia they work for (DOMAIN.md, "Who uses it")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from convenios.models import Municipio


class Usuario(AbstractUser):
    dependencia = models.ForeignKey(
        "convenios.Dependencia",
        verbose_name=_("dependencia"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="usuarios",
        help_text=_("Su tipo (IMPLAN, Tesorería, Contraloría o dependencia) define lo que el usuario puede hacer."),
    )
    doble_factor_obligatorio = models.BooleanField(
        _("exigir segundo factor"),
        default=False,
        help_text=_(
            "El usuario deberá configurar una aplicación de autenticación (códigos de 6 dígitos) y escribir un "
            "código después de su contraseña cada vez que entre. Pensado para el personal del IMPLAN y de la "
            "Contraloría."
        ),
    )

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")

    @property
    def rol(self) -> str | None:
        """The kind of the user's dependencia (a ``TipoDependencia`` value), or None."""
        return self.dependencia.tipo if self.dependencia_id else None

    @property
    def municipio(self) -> Municipio | None:
        return self.dependencia.municipio if self.dependencia_id else None

    def es(self, *roles: str) -> bool:
        return self.rol in roles

    @property
    def es_personal_de_consulta_amplia(self) -> bool:
        """IMPLAN, Contraloría, Tesorería and administrators see the whole municipio (short idle sessions)."""
        from convenios.models import TipoDependencia

        return (
            self.is_superuser
            or self.is_staff
            or self.es(TipoDependencia.IMPLAN, TipoDependencia.CONTRALORIA, TipoDependencia.TESORERIA)
        )
