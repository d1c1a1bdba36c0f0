"""The audit log and every history in the admin are read-only.

``RegistroAuditoriaAdmin`` only shows. ``HistorialSoloLecturaAdmin`` replaces
``SimpleHistoryAdmin`` for every model with a history: the history is shown, but cannot be
"reverted" from the admin. Reverting saves the old version of the whole row, including the
fields the admin shows read-only (an item's ``estado``, its ``fecha_vigente``): it would move
an item back in the workflow without a Movimiento and without the service's checks, and
django-simple-history saves a POST to that page even when its "revert" button is hidden.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from auditoria.models import RegistroAuditoria


class HistorialSoloLecturaAdmin(SimpleHistoryAdmin):
    # Our own list of versions: django-simple-history's has an inline style, refused by the CSP.
    object_history_list_template = "auditoria/historial_lista.html"

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("El historial no se revierte desde la administración.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(RegistroAuditoria)
class RegistroAuditoriaAdmin(admin.ModelAdmin):
    list_display = ["fecha", "tipo", "nombre_usuario", "ip", "objeto_texto", "municipio"]
    list_filter = ["tipo", "fecha"]
    search_fields = ["nombre_usuario", "ip", "objeto_texto", "detalle"]
    date_hierarchy = "fecha"
    list_select_related = ["municipio"]
    readonly_fields = [
        "fecha",
        "tipo",
        "usuario",
        "nombre_usuario",
        "municipio",
        "ip",
        "agente",
        "ruta",
        "tipo_objeto",
        "objeto_id",
        "objeto_texto",
        "detalle",
    ]
    fields = readonly_fields
    actions = None

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).visibles_para(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
