"""Capture of a convenio (cláusula CUARTA): its hallazgos and recomendaciones on its page, each
recomendación with its first action on the same row; an item's other actions on the item's page."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from convenios.admin.alcance import CapturaAdmin, InlineDelMunicipio, _municipio_de, filtro_anio_pae
from convenios.formatos import fecha_larga
from convenios.models import (
    PARTES,
    Accion,
    Aspecto,
    Convenio,
    Dependencia,
    EstadoAspecto,
    TipoAspecto,
    Titular,
    agregar_conteos,
)
from operacion.admin_formularios import FormularioAdmin


class ListaConConteos(ChangeList):
    """The convenios' list counts the items of its page only (issue 14: not the state's before the LIMIT)."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = list(self.result_list)
        agregar_conteos(self.result_list)


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
    list_filter = [filtro_anio_pae("evaluacion__anio_pae"), "dependencia_evaluada", "evaluacion__programa", "estado"]
    # The "(N en total)" count is a second COUNT of the state's list on every page.
    show_full_result_count = False
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

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ListaConConteos

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        tipo = dict(PARTES).get(db_field.name)
        if tipo is not None:
            campo.queryset = campo.queryset.filter(tipo=tipo)
        elif db_field.name.startswith("firmante_"):
            # Only titulares of that party's kind; on a convenio with a signing date, those in office then.
            tipo = dict(PARTES)[db_field.name.removeprefix("firmante_")]
            opciones = campo.queryset.filter(dependencia__tipo=tipo).select_related("dependencia")
            convenio = getattr(request, "_objeto_en_edicion", None)
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
    @admin.display(description=estado.label)
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
        filtro_anio_pae("convenio__evaluacion__anio_pae"),
        "convenio__dependencia_evaluada",
    ]
    search_fields = ["texto", "acciones__texto", "convenio__evaluacion__programa__clave"]
    list_select_related = ["convenio__evaluacion__programa"]
    # Newest convenio first, each one's hallazgos then recomendaciones (``tipo`` descending) by number: the
    # index ``aspecto_orden_admin`` reads it in order (the model's ordering sorts by the convenio's firma).
    ordering = ["-convenio_id", "-tipo", "numero"]
    show_full_result_count = False
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
            # An item repeats one of the previous evaluation's (as on its convenio's page), not any of the state's.
            aspecto = getattr(request, "_objeto_en_edicion", None)
            anterior = aspecto.convenio.evaluacion.evaluacion_anterior_id if aspecto is not None else None
            campo.queryset = (
                campo.queryset.filter(convenio__evaluacion_id=anterior).select_related("convenio__evaluacion")
                if anterior
                else campo.queryset.none()
            )
        return campo
