"""django-otp's TOTP app under Spanish names in the admin: its AppConfig has no verbose_name (the admin
shows "OTP_TOTP") and its model's verbose_name is a plain English string ("TOTP devices")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig


class SegundoFactorTotpConfig(DefaultConfig):
    verbose_name = _("Segundo factor (TOTP)")

    def ready(self) -> None:
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # Only the displayed names: migrations read Meta.original_attrs, which keep the package's own.
        TOTPDevice._meta.verbose_name = _("dispositivo TOTP")
        TOTPDevice._meta.verbose_name_plural = _("dispositivos TOTP")
