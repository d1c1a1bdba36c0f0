"""IMPLAN's admin. Every list starts from ``visibles_para(request.user)``; every
foreign-key choice is limited to the user's municipio."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from auditoria.admin import HistorialSoloLecturaAdmin
from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoAspecto,
    Evaluacion,
    Municipio,
    ProgramaPresupuestario,
    TipoAspecto,
    Titular,
)

admin.site.site_header = _("Seguimiento de Aspectos Susceptibles de Mejora")
admin.site.site_title = _("Seguimiento ASM")
admin.site.index_title = _("Administración del IMPLAN")


def _municipio_de(request: HttpRequest) -> Any:
    return getattr(request.user, "municipio", None)


class MunicipioAdminMixin:
    """Limits the list and every foreign-key choice to what the user may see."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)  # type: ignore[misc]
        return qs.visibles_para(request.user) if hasattr(qs, "visibles_para") else qs

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        municipio = _municipio_de(request)
        if campo is not None and municipio is not None and not request.user.is_superuser:
            modelo = db_field.related_model
            if modelo is Municipio:
                campo.queryset = campo.queryset.filter(pk=municipio.pk)
            elif modelo is Titular:
                campo.queryset = campo.queryset.filter(dependencia__municipio=municipio)
            elif any(f.name == "municipio" for f in modelo._meta.fields):
                campo.queryset = campo.queryset.filter(municipio=municipio)
        if campo is not None and db_field.related_model is Titular:
            campo.queryset = campo.queryset.select_related("dependencia")
        return campo


@admin.register(Municipio)
class MunicipioAdmin(HistorialSoloLecturaAdmin):
    list_display = ["nombre", "estado", "slug"]
    search_fields = ["nombre"]
    prepopulated_fields = {"slug": ["nombre"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        municipio = _municipio_de(request)
        return qs.filter(pk=municipio.pk) if municipio else qs.none()


class TitularInline(admin.TabularInline):
    model = Titular
    extra = 0
    fields = ["grado", "tratamiento", "nombre", "cargo", "desde", "hasta"]


@admin.register(Dependencia)
class DependenciaAdmin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    list_display = ["nombre", "siglas", "tipo", "clave", "municipio"]
    list_filter = ["tipo"]
    search_fields = ["nombre", "siglas", "clave"]
    list_select_related = ["municipio"]
    inlines = [TitularInline]


@admin.register(ProgramaPresupuestario)
class ProgramaPresupuestarioAdmin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    list_display = ["clave", "nombre", "municipio"]
    search_fields = ["clave", "nombre"]
    list_select_related = ["municipio"]


@admin.register(Evaluacion)
class EvaluacionAdmin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
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


class AspectoInlineForm(forms.ModelForm):
    """Sets the kind of the inline (hallazgos or recomendaciones) before model validation."""

    tipo_fijo: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.tipo = self.tipo_fijo


class AspectoInline(admin.StackedInline):
    model = Aspecto
    extra = 0
    tipo: str = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(tipo=self.tipo)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = type("AspectoForm", (AspectoInlineForm,), {"tipo_fijo": self.tipo})
        return super().get_formset(request, obj, **kwargs)


class HallazgoInline(AspectoInline):
    tipo = TipoAspecto.HALLAZGO
    verbose_name = _("hallazgo (cláusula CUARTA a)")
    verbose_name_plural = _("hallazgos (cláusula CUARTA a)")
    fields = [("numero", "prioridad", "fecha_compromiso", "fecha_vigente", "estado"), "texto"]
    readonly_fields = ["fecha_vigente", "estado"]


class RecomendacionInline(AspectoInline):
    tipo = TipoAspecto.RECOMENDACION
    verbose_name = _("recomendación (cláusula CUARTA b)")
    verbose_name_plural = _("recomendaciones y acciones (cláusula CUARTA b)")
    fields = [("numero", "prioridad", "fecha_compromiso", "fecha_vigente", "estado"), "texto", "acciones"]
    readonly_fields = ["fecha_vigente", "estado"]


@admin.register(Convenio)
class ConvenioAdmin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    list_display = [
        "programa",
        "dependencia_evaluada",
        "anio_pae",
        "fecha_firma",
        "estado",
        *[f"n_{estado}" for estado in EstadoAspecto.values],
    ]
    list_filter = ["evaluacion__anio_pae", "dependencia_evaluada", "evaluacion__programa", "estado"]
    search_fields = ["evaluacion__programa__clave", "evaluacion__programa__nombre"]
    list_select_related = ["evaluacion__programa", "dependencia_evaluada"]
    inlines = [HallazgoInline, RecomendacionInline]
    fieldsets = [
        (None, {"fields": ["municipio", "evaluacion", "estado", ("fecha_firma", "fecha_limite"), "dias_prorroga_max"]}),
        (
            _("Partes y firmantes"),
            {
                "fields": [
                    ("implan", "firmante_implan"),
                    ("tesoreria", "firmante_tesoreria"),
                    ("contraloria", "firmante_contraloria"),
                    ("dependencia_evaluada", "firmante_dependencia_evaluada"),
                ]
            },
        ),
        (
            _("Responsables designados (cláusula TERCERA)"),
            {
                "fields": [
                    "responsable_implan",
                    "responsable_tesoreria",
                    "responsable_contraloria",
                    "responsable_dependencia_evaluada",
                ]
            },
        ),
        (_("Documento firmado"), {"fields": ["fojas", "documento_firmado"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).con_conteos()

    @admin.display(description=_("programa"), ordering="evaluacion__programa__clave")
    def programa(self, obj: Convenio) -> str:
        return str(obj.evaluacion.programa)

    @admin.display(description=_("PAE"), ordering="evaluacion__anio_pae")
    def anio_pae(self, obj: Convenio) -> int:
        return obj.evaluacion.anio_pae


def _columna_conteo(estado: EstadoAspecto) -> Any:
    @admin.display(description=estado.label, ordering=f"n_{estado.value}")
    def conteo(self: ConvenioAdmin, obj: Convenio) -> int:
        return getattr(obj, f"n_{estado.value}")

    return conteo


for _estado in EstadoAspecto:
    setattr(ConvenioAdmin, f"n_{_estado.value}", _columna_conteo(_estado))


@admin.register(Aspecto)
class AspectoAdmin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    list_display = ["etiqueta", "convenio", "fecha_compromiso", "fecha_vigente", "estado", "prioridad"]
    list_filter = ["tipo", "estado", "prioridad", "convenio__evaluacion__anio_pae", "convenio__dependencia_evaluada"]
    search_fields = ["texto", "acciones", "convenio__evaluacion__programa__clave"]
    list_select_related = ["convenio__evaluacion__programa"]
    readonly_fields = ["fecha_vigente", "estado"]
