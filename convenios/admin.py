"""IMPLAN's admin. Every list, object, choice, filter and autocomplete starts from
``visibles_para(request.user)`` (``auditoria.admin.AlcanceAdminMixin``), and every change
leaves an audit row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from auditoria.admin import AlcanceAdminMixin, CambiosAuditadosMixin, HistorialSoloLecturaAdmin
from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoAspecto,
    Evaluacion,
    Municipio,
    ProgramaPresupuestario,
    TipoAspecto,
    TipoDependencia,
    Titular,
)

admin.site.site_header = _("Seguimiento de Aspectos Susceptibles de Mejora")
admin.site.site_title = _("Seguimiento ASM")
admin.site.index_title = _("Administración del IMPLAN")


def _municipio_de(request: HttpRequest) -> Any:
    return getattr(request.user, "municipio", None)


# What each model's ``__str__`` reads through its relations: a dropdown of evaluations or
# convenios, an autocomplete answer or a row named by it loads them in the same query.
RELACIONES_DEL_NOMBRE: dict[type[Model], tuple[str, ...]] = {
    Evaluacion: ("programa",),
    Convenio: ("evaluacion__programa",),
}


def con_relaciones_del_nombre(qs: QuerySet) -> QuerySet:
    relaciones = RELACIONES_DEL_NOMBRE.get(qs.model, ())
    return qs.select_related(*relaciones) if relaciones else qs


class MunicipioAdminMixin(AlcanceAdminMixin, CambiosAuditadosMixin):
    """The admin of a municipio's records: every list, object and choice from ``visibles_para(user)``,
    every change in the audit log.

    A titular has no queryset of its own: it is visible through its dependencia.
    """

    def opciones(self, modelo: type[Model], request: HttpRequest) -> QuerySet:
        if modelo is Titular:
            qs = Titular.objects.filter(dependencia__in=Dependencia.objects.visibles_para(request.user))
        else:
            qs = super().opciones(modelo, request)
        return con_relaciones_del_nombre(qs)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # Also the autocomplete's answer, which names each row with ``__str__``.
        qs, duplicados = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        qs = con_relaciones_del_nombre(qs)
        if not qs.ordered:
            # The autocomplete pages its answer; the changelist orders it again afterwards.
            qs = qs.order_by("pk")
        # The changelist applies ``list_select_related`` only to a queryset that selects nothing yet.
        if isinstance(self.list_select_related, list | tuple) and qs.query.select_related:
            qs = qs.select_related(*self.list_select_related)
        return qs, duplicados


@admin.register(Municipio)
class MunicipioAdmin(HistorialSoloLecturaAdmin):
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
    autocomplete_fields = ["evaluacion"]
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
    autocomplete_fields = ["convenio"]
    readonly_fields = ["fecha_vigente", "estado"]
