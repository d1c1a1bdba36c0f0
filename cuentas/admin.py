from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from auditoria.models import TipoEvento
from auditoria.services import auditar
from cuentas.models import Usuario


def _del_municipio(request: HttpRequest, qs: QuerySet, ruta: str) -> QuerySet:
    if request.user.is_superuser:
        return qs
    municipio = request.user.municipio
    return qs.filter(**{ruta: municipio}) if municipio else qs.none()


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "dependencia",
        "doble_factor_obligatorio",
        "is_staff",
        "is_active",
    ]
    list_filter = ["dependencia__tipo", "doble_factor_obligatorio", "is_staff", "is_active"]
    list_select_related = ["dependencia"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Dependencia"), {"fields": ["dependencia"]}),
        (_("Segundo factor"), {"fields": ["doble_factor_obligatorio"]}),
    ]
    actions = ["exigir_doble_factor", "dejar_de_exigir_doble_factor"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return _del_municipio(request, super().get_queryset(request), "dependencia__municipio")

    @admin.action(description=_("Exigir segundo factor a los usuarios seleccionados"))
    def exigir_doble_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = queryset.update(doble_factor_obligatorio=True)
        self.message_user(request, f"Se exige segundo factor a {n} usuario(s).", messages.SUCCESS)

    @admin.action(description=_("Dejar de exigir segundo factor a los usuarios seleccionados"))
    def dejar_de_exigir_doble_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = queryset.update(doble_factor_obligatorio=False)
        self.message_user(request, f"Ya no se exige segundo factor a {n} usuario(s).", messages.SUCCESS)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        respuesta = super().user_change_password(request, id, form_url)
        if request.method == "POST" and respuesta.status_code == 302:
            usuario = self.get_object(request, id)
            auditar(
                tipo=TipoEvento.CAMBIO_CONTRASENA,
                usuario=usuario,
                request=request,
                detalle=f"Cambiada en la administración por {request.user.get_username()}.",
            )
        return respuesta


# django-otp's own admin shows each device's secret key and QR code: whoever reads it could
# produce the user's codes. Here an administrator only sees who has a device and may delete
# one (a lost phone); the user then sets up a new one at the next login.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class DispositivoTOTPAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return _del_municipio(request, super().get_queryset(request), "user__dependencia__municipio")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
