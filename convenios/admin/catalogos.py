"""The catalogues IMPLAN keeps: its municipio, the dependencias and their titulares, the programs and
their evaluations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from auditoria.admin import HistorialSoloLecturaAdmin
from convenios.admin.alcance import CapturaAdmin, InlineDelMunicipio, _municipio_de
from convenios.models import Dependencia, Evaluacion, Municipio, ProgramaPresupuestario, TipoDependencia, Titular
from operacion.admin_formularios import AdminSinErrorDelServidor


@admin.register(Municipio)
class MunicipioAdmin(AdminSinErrorDelServidor, HistorialSoloLecturaAdmin):
    list_display = ["nombre", "estado", "slug"]
    search_fields = ["nombre"]
    prepopulated_fields = {"slug": ["nombre"]}

    # Only the state-level administrator (a superuser) creates municipios and their IMPLAN.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        municipio = _municipio_de(request)
        return qs.filter(pk=municipio.pk) if municipio else qs.none()


class TitularInline(InlineDelMunicipio, admin.TabularInline):
    model = Titular
    extra = 0
    fields = ["grado", "tratamiento", "nombre", "cargo", "desde", "hasta"]


@admin.register(Dependencia)
class DependenciaAdmin(CapturaAdmin):
    list_display = ["nombre", "siglas", "tipo", "clave", "municipio"]
    list_filter = ["tipo"]
    search_fields = ["nombre", "siglas", "clave"]
    list_select_related = ["municipio"]
    inlines = [TitularInline]

    # A dependencia's kind is its users' role: only the state-level administrator makes (or unmakes)
    # a municipio's IMPLAN, or its officers could raise any dependencia to IMPLAN.
    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "tipo" and not request.user.is_superuser:
            campo.choices = [c for c in campo.choices if c[0] != TipoDependencia.IMPLAN]
        return campo

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        campos = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.tipo == TipoDependencia.IMPLAN and not request.user.is_superuser:
            campos.append("tipo")
        return campos


@admin.register(ProgramaPresupuestario)
class ProgramaPresupuestarioAdmin(CapturaAdmin):
    list_display = ["clave", "nivel", "nombre", "municipio"]
    list_filter = ["nivel"]
    search_fields = ["clave", "nombre"]
    list_select_related = ["municipio"]
    fields = ["municipio", "clave", "nivel", "nombre"]
    readonly_fields = ["nivel"]


@admin.register(Evaluacion)
class EvaluacionAdmin(CapturaAdmin):
    list_display = [
        "programa",
        "tipo",
        "anio_pae",
        "dependencia_evaluada",
        "instancia_evaluadora",
        "ejercicio_evaluado",
    ]
    list_filter = ["anio_pae", "tipo", "dependencia_evaluada"]
    search_fields = ["programa__clave", "programa__nombre", "instancia_evaluadora"]
    list_select_related = ["programa", "dependencia_evaluada"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "dependencia_evaluada":
            campo.queryset = campo.queryset.filter(tipo=TipoDependencia.DEPENDENCIA)
        elif db_field.name == "evaluacion_anterior":
            campo.queryset = campo.queryset.select_related("programa")
        return campo
