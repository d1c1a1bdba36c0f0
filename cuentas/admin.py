from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from cuentas.models import Usuario


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "dependencia", "is_staff", "is_active"]
    list_filter = ["dependencia__tipo", "is_staff", "is_active"]
    list_select_related = ["dependencia"]
    fieldsets = [*UserAdmin.fieldsets, (_("Dependencia"), {"fields": ["dependencia"]})]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        municipio = request.user.municipio
        return qs.filter(dependencia__municipio=municipio) if municipio else qs.none()
