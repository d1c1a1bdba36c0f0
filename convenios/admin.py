"""IMPLAN's admin. Every list, object, choice, filter and autocomplete starts from
``visibles_para(request.user)`` (``auditoria.admin.AlcanceAdminMixin``), and every change
leaves an audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from auditoria.admin import AlcanceAdminMixin, CambiosAuditadosMixin, HistorialSoloLecturaAdmin, opciones_visibles
from convenios.formatos import fecha_larga
from convenios.models import (
    PARTES,
    Accion,
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
from operacion.admin_formularios import AdminSinErrorDelServidor, FormularioAdmin, InlineSinErrorDelServidor

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


class InlineDelMunicipio(InlineSinErrorDelServidor):
    """An inline's choices (an action's área responsable, a repeated item) from ``visibles_para`` too."""

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> QuerySet:
        qs = con_relaciones_del_nombre(opciones_visibles(self.admin_site, db_field.remote_field.model, request))
        return qs.using(db) if db else qs


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


class MunicipioPropioMixin:
    """The municipio of what an IMPLAN officer captures is its own: not asked, set before validation."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluidos = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return excluidos if request.user.is_superuser else [*excluidos, "municipio"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if request.user.is_superuser:
            return fieldsets
        return [(titulo, {**opciones, "fields": _sin_municipio(opciones["fields"])}) for titulo, opciones in fieldsets]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        clase = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        municipio = _municipio_de(request)
        if request.user.is_superuser or municipio is None or not _tiene_municipio(self.model):  # type: ignore[attr-defined]
            return clase

        class ConMunicipio(clase):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if not self.instance.municipio_id:
                    self.instance.municipio = municipio

        return ConMunicipio


def _tiene_municipio(modelo: Any) -> bool:
    return any(campo.name == "municipio" for campo in modelo._meta.fields)


def _sin_municipio(campos: Any) -> list[Any]:
    resultado = []
    for campo in campos:
        if isinstance(campo, tuple | list):
            resto = tuple(c for c in campo if c != "municipio")
            if resto:
                resultado.append(resto)
        elif campo != "municipio":
            resultado.append(campo)
    return resultado


class CapturaAdmin(AdminSinErrorDelServidor, MunicipioPropioMixin, MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    """What IMPLAN captures: scoped to its municipio, never a server error, nothing typed lost."""


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


class AspectoInlineForm(FormularioAdmin):
    """Sets the kind of the inline (hallazgos or recomendaciones) before model validation."""

    tipo_fijo: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.tipo = self.tipo_fijo
        if "fecha_compromiso" in self.fields and self.instance.pk and self.instance.acciones.all():
            # DOMAIN.md: the item's date is the latest of its actions' (set when they change).
            self.fields["fecha_compromiso"].disabled = True
            self.fields["fecha_compromiso"].help_text = _("La fecha más tardía de sus acciones.")


class RecomendacionInlineForm(AspectoInlineForm):
    """A recomendación and its first action on one row, as the table of cláusula CUARTA b reads.

    More actions (each with its area and date) are added on the item's own admin page.
    """

    accion_texto = forms.CharField(
        label=_("Acción"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("La columna «Acciones» del cuadro de la cláusula CUARTA b."),
    )
    accion_fecha = forms.DateField(
        label=_("Fecha de término de la acción"),
        widget=AdminDateWidget,
        help_text=_("La «Fecha de cumplimiento» de la fila; no puede exceder la fecha límite del convenio."),
    )
    accion_area = forms.ModelChoiceField(
        label=_("Área responsable"), queryset=Dependencia.objects.none(), required=False
    )
    accion_area_texto = forms.CharField(
        label=_("Área responsable (texto)"),
        max_length=200,
        required=False,
        help_text=_("Si el área no es una dependencia del catálogo."),
    )
    accion_producto = forms.CharField(
        label=_("Producto o evidencia esperada"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    municipio_id: int | None = None

    CAMPOS_DE_ACCION = {
        "texto": "accion_texto",
        "fecha_termino": "accion_fecha",
        "area_responsable": "accion_area",
        "area_responsable_texto": "accion_area_texto",
        "producto_esperado": "accion_producto",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accion_area"].queryset = Dependencia.objects.filter(municipio_id=self.municipio_id)
        self.primera: Accion | None = None
        self.otras_fechas: list[datetime.date] = []
        if self.instance.pk:
            acciones = sorted(self.instance.acciones.all(), key=lambda accion: accion.numero)
            if acciones:
                self.primera = acciones[0]
                self.otras_fechas = [a.fecha_termino for a in acciones[1:]]
                for campo, nombre in self.CAMPOS_DE_ACCION.items():
                    self.initial.setdefault(
                        nombre, getattr(self.primera, f"{campo}_id", None) or getattr(self.primera, campo)
                    )
                if len(acciones) > 1:
                    self.fields["accion_texto"].help_text = _(
                        "Acción 1 de %(n)s; las demás se editan en la página del aspecto."
                    ) % {"n": len(acciones)}

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        fecha = datos.get("accion_fecha")
        if fecha is None or not datos.get("accion_texto"):
            return datos
        padre = self.fields.get("convenio")
        if padre is not None and getattr(padre, "parent_instance", None) is not None:
            # Django gives the row its (maybe unsaved) convenio only after clean(); the action's
            # rule (cláusula QUINTA) needs its deadline now.
            self.instance.convenio = padre.parent_instance
        accion = self.primera or Accion(numero=1)
        accion.aspecto = self.instance
        for campo, nombre in self.CAMPOS_DE_ACCION.items():
            setattr(accion, campo, datos.get(nombre) if campo != "area_responsable_texto" else datos.get(nombre, ""))
        accion.producto_esperado = accion.producto_esperado or ""
        try:
            accion.clean()
        except ValidationError as error:
            for campo, mensajes in error.error_dict.items():
                for mensaje in mensajes:
                    self.add_error(self.CAMPOS_DE_ACCION.get(campo), mensaje)
            return datos
        self.accion = accion
        self.instance.fecha_compromiso = max([fecha, *self.otras_fechas])
        return datos

    def save(self, commit: bool = True) -> Aspecto:
        aspecto = super().save(commit=commit)
        accion = getattr(self, "accion", None)
        if accion is not None:
            accion.aspecto = aspecto
            if commit:
                accion.save()
            else:
                guardar_relacionados = self.save_m2m

                def save_m2m() -> None:
                    guardar_relacionados()
                    accion.aspecto = aspecto
                    accion.save()

                self.save_m2m = save_m2m
        return aspecto


class AspectoInline(InlineDelMunicipio, admin.StackedInline):
    model = Aspecto
    extra = 0
    tipo: str = ""
    formulario: type[AspectoInlineForm] = AspectoInlineForm
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(tipo=self.tipo).prefetch_related("acciones")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        municipio = _municipio_de(request)
        atributos = {
            "tipo_fijo": self.tipo,
            "municipio_id": obj.municipio_id if obj else getattr(municipio, "pk", None),
        }
        kwargs["form"] = type("AspectoForm", (self.formulario,), atributos)
        clase = super().get_formset(request, obj, **kwargs)
        repite = clase.form.base_fields.get("repite_a")
        if repite is not None:
            anterior = obj.evaluacion.evaluacion_anterior_id if obj is not None and obj.evaluacion_id else None
            repite.queryset = (
                Aspecto.objects.filter(convenio__evaluacion_id=anterior).select_related("convenio__evaluacion")
                if anterior
                else Aspecto.objects.none()
            )
            repite.label_from_instance = lambda a: (
                f"{a.etiqueta} (PAE {a.convenio.evaluacion.anio_pae}) — {a.texto[:60]}"
            )
        return clase


class HallazgoInline(AspectoInline):
    tipo = TipoAspecto.HALLAZGO
    verbose_name = _("hallazgo (cláusula CUARTA a)")
    verbose_name_plural = _("hallazgos (cláusula CUARTA a)")
    fields = [("numero", "prioridad", "clasificacion", "fecha_compromiso", "estado"), "texto", "repite_a"]
    readonly_fields = ["estado"]


class RecomendacionInline(AspectoInline):
    tipo = TipoAspecto.RECOMENDACION
    formulario = RecomendacionInlineForm
    verbose_name = _("recomendación (cláusula CUARTA b)")
    verbose_name_plural = _("recomendaciones y acciones (cláusula CUARTA b)")
    fields = [
        ("numero", "prioridad", "clasificacion", "estado"),
        "texto",
        "accion_texto",
        ("accion_fecha", "accion_area", "accion_area_texto"),
        "accion_producto",
        "repite_a",
    ]
    readonly_fields = ["estado"]


@admin.register(Convenio)
class ConvenioAdmin(CapturaAdmin):
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
    # Cláusula DÉCIMA and the convenio's acts (firmar, oficio, vista): the state is never typed.
    readonly_fields = ["estado"]
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

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        request._convenio_en_edicion = obj  # type: ignore[attr-defined]
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        tipo = dict(PARTES).get(db_field.name)
        if tipo is not None:
            campo.queryset = campo.queryset.filter(tipo=tipo)
        elif db_field.name.startswith("firmante_"):
            # Only titulares of that party's kind; on a convenio with a signing date, those in office then.
            tipo = dict(PARTES)[db_field.name.removeprefix("firmante_")]
            opciones = campo.queryset.filter(dependencia__tipo=tipo).select_related("dependencia")
            convenio = getattr(request, "_convenio_en_edicion", None)
            if convenio is not None and convenio.fecha_firma:
                opciones = opciones.filter(desde__lte=convenio.fecha_firma).filter(
                    Q(hasta__isnull=True) | Q(hasta__gte=convenio.fecha_firma)
                )
            campo.queryset = opciones
            campo.label_from_instance = _titular_con_dependencia
        elif db_field.name == "evaluacion":
            campo.queryset = campo.queryset.select_related("programa")
        return campo

    @admin.display(description=_("programa"), ordering="evaluacion__programa__clave")
    def programa(self, obj: Convenio) -> str:
        return str(obj.evaluacion.programa)

    @admin.display(description=_("PAE"), ordering="evaluacion__anio_pae")
    def anio_pae(self, obj: Convenio) -> int:
        return obj.evaluacion.anio_pae


def _titular_con_dependencia(titular: Titular) -> str:
    periodo = fecha_larga(titular.desde) + (f" – {fecha_larga(titular.hasta)}" if titular.hasta else "")
    return f"{titular.nombre_con_grado} — {titular.dependencia} (desde {periodo})"


def _columna_conteo(estado: EstadoAspecto) -> Any:
    @admin.display(description=estado.label, ordering=f"n_{estado.value}")
    def conteo(self: ConvenioAdmin, obj: Convenio) -> int:
        return getattr(obj, f"n_{estado.value}")

    return conteo


for _estado in EstadoAspecto:
    setattr(ConvenioAdmin, f"n_{_estado.value}", _columna_conteo(_estado))


class AccionInline(InlineDelMunicipio, admin.TabularInline):
    model = Accion
    extra = 0
    fields = [
        "numero",
        "texto",
        "area_responsable",
        "area_responsable_texto",
        "fecha_termino",
        "producto_esperado",
        "avance",
    ]
    # The avance is what the dependencia reports (seguimiento); IMPLAN reads it here.
    readonly_fields = ["avance"]


@admin.register(Aspecto)
class AspectoAdmin(CapturaAdmin):
    list_display = ["etiqueta", "convenio", "fecha_compromiso", "fecha_vigente", "estado", "prioridad", "clasificacion"]
    list_filter = [
        "tipo",
        "estado",
        "prioridad",
        "clasificacion",
        "convenio__evaluacion__anio_pae",
        "convenio__dependencia_evaluada",
    ]
    search_fields = ["texto", "acciones__texto", "convenio__evaluacion__programa__clave"]
    list_select_related = ["convenio__evaluacion__programa"]
    fields = [
        "convenio",
        "tipo",
        "numero",
        "texto",
        "prioridad",
        "clasificacion",
        "fecha_compromiso",
        "fecha_vigente",
        "estado",
        "repite_a",
    ]
    readonly_fields = ["convenio", "tipo", "fecha_vigente", "estado"]
    inlines = [AccionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Items are captured on their convenio's page (cláusula CUARTA), which gives them their convenio.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        campos = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.acciones.exists():
            campos.append("fecha_compromiso")
        return campos

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "repite_a":
            campo.queryset = campo.queryset.select_related("convenio__evaluacion")
        return campo
