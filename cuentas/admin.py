"""Users in the admin. The IMPLAN officer manages the accounts of its own municipio's dependencias:
name, e-mail, dependencia, active, an initial password or a set-password e-mail. It never sees nor
sets superuser or staff status, groups or permissions: the role comes from the dependencia
(``cuentas.roles``). Only a superuser (the state-level administrator) sees and sets everything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from auditoria.admin import AlcanceAdminMixin, CambiosAuditadosMixin
from auditoria.models import TipoEvento
from auditoria.services import auditar
from cuentas import roles
from cuentas.models import Usuario
from cuentas.services import enlace_de_contrasena_enviar

CON_CONTRASENA, CON_CORREO = "true", "false"


def _del_municipio(request: HttpRequest, qs: QuerySet, ruta: str) -> QuerySet:
    if request.user.is_superuser:
        return qs
    municipio = request.user.municipio
    return qs.filter(**{ruta: municipio}) if municipio else qs.none()


class AltaUsuarioForm(AdminUserCreationForm):
    # Django's "usable password" choice, in the officer's words: a password typed now, or none
    # (unusable) and a mail with a one-time link to choose it.
    usable_password = forms.ChoiceField(
        label=_("Contraseña"),
        required=False,
        initial=CON_CONTRASENA,
        choices={
            CON_CONTRASENA: _("Escribir una contraseña inicial"),
            CON_CORREO: _("Enviar al usuario un correo para que la establezca"),
        },
        widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
    )

    class Meta(AdminUserCreationForm.Meta):
        model = Usuario
        fields = ("username",)

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        if datos.get("set_usable_password") is False and not datos.get("email"):
            self.add_error(
                "email",
                ValidationError(_("Escriba el correo al que se enviará el enlace."), code="correo_requerido"),
            )
        return datos


_DATOS = (_("Datos de la persona"), {"fields": ["first_name", "last_name", "email"]})
_DEPENDENCIA = (
    _("Dependencia y acceso"),
    {"fields": ["dependencia", "is_active", "doble_factor_obligatorio"]},
)


@admin.register(Usuario)
class UsuarioAdmin(AlcanceAdminMixin, CambiosAuditadosMixin, UserAdmin):
    add_form = AltaUsuarioForm
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        _DATOS,
        _DEPENDENCIA,
    ]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Dependencia"), {"fields": ["dependencia"]}),
        (_("Segundo factor"), {"fields": ["doble_factor_obligatorio"]}),
    ]
    # What an IMPLAN officer edits of an existing account.
    fieldsets_del_municipio = [
        (None, {"fields": ["username", "password"]}),
        _DATOS,
        _DEPENDENCIA,
        (_("Fechas"), {"fields": ["last_login", "date_joined"]}),
    ]
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
    actions = ["exigir_doble_factor", "dejar_de_exigir_doble_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = _del_municipio(request, super().get_queryset(request), "dependencia__municipio")
        # Nobody but a superuser opens a superuser's account (its password, its e-mail).
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.fieldsets_del_municipio

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def get_list_display(self, request: HttpRequest) -> Any:
        lista = super().get_list_display(request)
        return lista if request.user.is_superuser else [c for c in lista if c != "is_staff"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        lista = super().get_list_filter(request)
        return lista if request.user.is_superuser else [f for f in lista if f != "is_staff"]

    def opciones(self, modelo: type[models.Model], request: HttpRequest) -> QuerySet:
        qs = super().opciones(modelo, request)
        return qs.select_related("content_type") if modelo is Permission else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "dependencia" and request.user.is_superuser:
            # The state-level administrator picks among every municipio's "Tesorería Municipal".
            campo.queryset = campo.queryset.select_related("municipio")
            campo.label_from_instance = lambda d: f"{d} ({d.municipio.nombre})"
        return campo

    def cambios_derivados(self, request: HttpRequest, obj: Usuario) -> list[str]:
        return roles.aplicar_rol(obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change and form.cleaned_data.get("set_usable_password") is False:
            enlace_de_contrasena_enviar(usuario=form.instance, request=request)

    def response_add(self, request: HttpRequest, obj: Usuario, post_url_continue: str | None = None) -> HttpResponse:
        if not obj.has_usable_password():
            self.message_user(
                request, _("Se envió a %(correo)s el enlace para establecer la contraseña.") % {"correo": obj.email}
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Exigir segundo factor a los usuarios seleccionados"))
    def exigir_doble_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = self._doble_factor(request, queryset, True)
        self.message_user(
            request,
            ngettext("Se exige segundo factor a %(n)d usuario.", "Se exige segundo factor a %(n)d usuarios.", n)
            % {"n": n},
            messages.SUCCESS,
        )

    @admin.action(description=_("Dejar de exigir segundo factor a los usuarios seleccionados"))
    def dejar_de_exigir_doble_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        n = self._doble_factor(request, queryset, False)
        self.message_user(
            request,
            ngettext(
                "Ya no se exige segundo factor a %(n)d usuario.", "Ya no se exige segundo factor a %(n)d usuarios.", n
            )
            % {"n": n},
            messages.SUCCESS,
        )

    @transaction.atomic
    def _doble_factor(self, request: HttpRequest, queryset: QuerySet, exigir: bool) -> int:
        cambiados = list(queryset.filter(doble_factor_obligatorio=not exigir).select_for_update())
        Usuario.objects.filter(pk__in=[u.pk for u in cambiados]).update(doble_factor_obligatorio=exigir)
        antes, despues = ("no", "sí") if exigir else ("sí", "no")
        for usuario in cambiados:
            auditar(
                tipo=TipoEvento.CAMBIO_ADMIN,
                usuario=request.user,
                request=request,
                objeto=usuario,
                detalle=f"usuario: {usuario}\nexigir segundo factor: «{antes}» → «{despues}»",
            )
        return len(cambiados)

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


# Groups and their permissions are the superuser's (IMPLAN's group has no permission on them);
# a change still leaves its audit row.
admin.site.unregister(Group)


@admin.register(Group)
class GrupoAdmin(AlcanceAdminMixin, CambiosAuditadosMixin, GroupAdmin):
    pass


# django-otp's own admin shows each device's secret key and QR code: whoever reads it could
# produce the user's codes. Here an administrator only sees who has a device and may delete
# one (a lost phone); the user then sets up a new one at the next login.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class DispositivoTOTPAdmin(AlcanceAdminMixin, CambiosAuditadosMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = _del_municipio(request, super().get_queryset(request), "user__dependencia__municipio")
        return qs if request.user.is_superuser else qs.filter(user__is_superuser=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
