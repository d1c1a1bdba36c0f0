"""The follow-up records in the admin are read-only: they change only through the workflow's services.

The one exception is ``Evidencia.publicable``: IMPLAN decides which files the
public portal may offer (default: private).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from convenios.admin import MunicipioAdminMixin
from seguimiento.models import Evidencia, Movimiento, Prorroga, Sesion


class SoloLecturaAdmin(MunicipioAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evidencia)
class EvidenciaAdmin(SoloLecturaAdmin):
    list_display = ["nombre_original", "aspecto", "formato", "tamano", "subida_por", "subida_en", "publicable"]
    list_filter = ["publicable", "formato", "aspecto__convenio__dependencia_evaluada"]
    search_fields = ["nombre_original", "descripcion", "sha256"]
    list_select_related = ["aspecto__convenio__evaluacion__programa", "subida_por"]
    list_editable = ["publicable"]
    readonly_fields = [
        "aspecto",
        "archivo",
        "nombre_original",
        "tamano",
        "tipo_contenido",
        "sha256",
        "descripcion",
        "formato",
        "subida_por",
        "subida_en",
    ]
    fields = [*readonly_fields, "publicable"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only the "publicable" flag is editable (every other field is read-only).
        return request.user.has_perm("seguimiento.change_evidencia")


@admin.register(Movimiento)
class MovimientoAdmin(SoloLecturaAdmin):
    list_display = ["fecha", "aspecto", "accion", "estado_anterior", "estado_nuevo", "usuario"]
    list_filter = ["accion"]
    list_select_related = ["aspecto__convenio__evaluacion__programa", "usuario"]


@admin.register(Prorroga)
class ProrrogaAdmin(SoloLecturaAdmin):
    list_display = ["aspecto", "fecha_anterior", "fecha_solicitada", "estado", "solicitada_por", "resuelta_por"]
    list_filter = ["estado"]
    list_select_related = ["aspecto__convenio__evaluacion__programa", "solicitada_por", "resuelta_por"]


@admin.register(Sesion)
class SesionAdmin(SoloLecturaAdmin):
    list_display = ["fecha", "hora", "lugar", "convocada_por"]
    list_select_related = ["convocada_por"]
