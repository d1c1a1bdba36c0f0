"""Issued documents in the admin: read-only. Nobody edits or deletes an issued document, not even a superuser."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from auditoria.admin import AlcanceAdminMixin
from convenios import politica
from documentos.models import Documento


@admin.register(Documento)
class DocumentoAdmin(AlcanceAdminMixin, admin.ModelAdmin):
    list_display = ["folio", "tipo", "convenio", "emitido_en", "emitido_por"]
    list_filter = ["tipo", "anio"]
    search_fields = ["folio", "codigo_verificacion", "sha256"]
    list_select_related = ["convenio__evaluacion__programa", "emitido_por"]
    date_hierarchy = "emitido_en"
    fields = [
        "tipo",
        "folio",
        "municipio",
        "convenio",
        "prorroga",
        "sesion",
        "emitido_por",
        "emitido_en",
        "descarga",
        "tamano",
        "sha256",
        "codigo_verificacion",
        "verificacion",
    ]
    readonly_fields = fields

    @admin.display(description=_("archivo"))
    def descarga(self, obj: Documento) -> str:
        return format_html('<a href="{}">{}</a>', reverse("documentos:descargar", args=[obj.pk]), obj.nombre_descarga)

    @admin.display(description=_("página pública de verificación"))
    def verificacion(self, obj: Documento) -> str:
        url = reverse("documentos:verificar", args=[obj.codigo_verificacion])
        return format_html('<a href="{}">{}</a>', url, url)

    # IMPLAN's group is given the other apps' permissions; these documents are theirs to consult.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return politica.es_implan(request.user) and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
