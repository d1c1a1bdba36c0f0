"""Read-only public API, version 1: the same records as the open data, with filters and pagination.

No endpoint writes (``ReadOnlyModelViewSet``: anything but GET/HEAD/OPTIONS is a 405);
every queryset comes from ``transparencia.selectors``, so nothing private is reachable.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Prefetch
from django.forms.utils import ErrorList
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from convenios.models import (
    Accion,
    Aspecto,
    ClasificacionAspecto,
    Convenio,
    Evaluacion,
    Prioridad,
    Semaforo,
    TipoAspecto,
    agregar_conteos,
    hoy,
)
from operacion.replica import lee_de_replica
from transparencia import selectors
from transparencia.paginacion import Paginacion
from transparencia.serializers import AspectoApiSerializer, ConvenioSerializer, EvaluacionSerializer
from transparencia.views import en_cache

# --- Filters ------------------------------------------------------------------------------

# Integer filters with the bounds declared both to the form (so an out-of-range value
# is a 400, not a database overflow) and to the schema (so clients know them).
ANIO = {"min_value": 2000, "max_value": 2100}
IDENTIFICADOR = {"min_value": 1, "max_value": 2_147_483_647}


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class FiltroAnio(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2_147_483_647})
class FiltroIdentificador(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 50})
class FiltroMunicipio(django_filters.CharFilter):
    """The municipio's identifier (slug): letters, digits, hyphens."""

    field_class = forms.SlugField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, max_length=50, **kwargs)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{8}$"})
class FiltroClavePrograma(django_filters.CharFilter):
    field_class = forms.RegexField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args,
            regex=r"^[0-9]{8}$",
            error_messages={"invalid": _("La clave del programa tiene 8 dígitos.")},
            **kwargs,
        )


class FiltrosPublicos(django_filters.FilterSet):
    """A filter sent empty (``?estado=``) is a 400, as the schema says, not a silently ignored filter."""

    def _vacios(self) -> list[str]:
        return [nombre for nombre in self.filters if self.data.get(nombre, None) == ""]

    def is_valid(self) -> bool:
        return super().is_valid() and not self._vacios()

    @property
    def errors(self) -> Any:
        errores = super().errors
        for nombre in self._vacios():
            errores[nombre] = ErrorList([gettext("Indique un valor o no envíe el parámetro.")])
        return errores


class FiltroEvaluaciones(FiltrosPublicos):
    municipio = FiltroMunicipio(field_name="municipio__slug", help_text=_("Identificador del municipio."))
    anio = FiltroAnio(field_name="anio_pae", help_text=_("Año del PAE."), **ANIO)
    dependencia = FiltroIdentificador(
        field_name="dependencia_evaluada_id", help_text=_("Identificador de la dependencia evaluada."), **IDENTIFICADOR
    )
    programa = FiltroClavePrograma(field_name="programa__clave", help_text=_("Clave del programa (8 dígitos)."))

    class Meta:
        model = Evaluacion
        fields = ["municipio", "anio", "dependencia", "programa"]


class FiltroConvenios(FiltrosPublicos):
    municipio = FiltroMunicipio(field_name="municipio__slug", help_text=_("Identificador del municipio."))
    anio = FiltroAnio(field_name="evaluacion__anio_pae", help_text=_("Año del PAE."), **ANIO)
    dependencia = FiltroIdentificador(
        field_name="dependencia_evaluada_id", help_text=_("Identificador de la dependencia evaluada."), **IDENTIFICADOR
    )
    programa = FiltroClavePrograma(field_name="evaluacion__programa__clave", help_text=_("Clave del programa."))
    estado = django_filters.ChoiceFilter(
        choices=[(e, e) for e in selectors.ESTADOS_PUBLICOS], help_text=_("Estado del convenio.")
    )

    class Meta:
        model = Convenio
        fields = ["municipio", "anio", "dependencia", "programa", "estado"]


class FiltroAspectos(FiltrosPublicos):
    municipio = FiltroMunicipio(field_name="convenio__municipio__slug", help_text=_("Identificador del municipio."))
    anio = FiltroAnio(field_name="convenio__evaluacion__anio_pae", help_text=_("Año del PAE."), **ANIO)
    dependencia = FiltroIdentificador(
        field_name="convenio__dependencia_evaluada_id",
        help_text=_("Identificador de la dependencia evaluada."),
        **IDENTIFICADOR,
    )
    programa = FiltroClavePrograma(
        field_name="convenio__evaluacion__programa__clave", help_text=_("Clave del programa.")
    )
    convenio = FiltroIdentificador(
        field_name="convenio_id", help_text=_("Identificador del convenio."), **IDENTIFICADOR
    )
    estado = django_filters.ChoiceFilter(
        choices=Aspecto._meta.get_field("estado").choices, help_text=_("Estado del aspecto.")
    )
    tipo = django_filters.ChoiceFilter(choices=TipoAspecto.choices, help_text=_("hallazgo o recomendacion."))
    semaforo = django_filters.ChoiceFilter(choices=Semaforo.choices, help_text=_("Semáforo del día de la consulta."))
    clasificacion = django_filters.ChoiceFilter(
        choices=ClasificacionAspecto.choices, help_text=_("Clasificación del ASM (CONEVAL).")
    )
    prioridad = django_filters.ChoiceFilter(choices=Prioridad.choices, help_text=_("alta, media o baja."))

    class Meta:
        model = Aspecto
        fields = [
            "municipio",
            "anio",
            "dependencia",
            "programa",
            "convenio",
            "estado",
            "tipo",
            "semaforo",
            "clasificacion",
            "prioridad",
        ]


# --- Viewsets -----------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORES_LISTA = {
    400: OpenApiResponse(description=_("Un filtro tiene un valor no válido (se indica cuál).")),
    404: OpenApiResponse(ErrorSerializer, description=_("La página pedida no existe.")),
}
ERROR_DETALLE = {404: OpenApiResponse(ErrorSerializer, description=_("No existe o no es público."))}


@method_decorator(lee_de_replica, name="dispatch")
@method_decorator(cache_control(public=True, max_age=60), name="dispatch")
@method_decorator(
    condition(etag_func=selectors.etag_publico, last_modified_func=selectors.ultima_modificacion_publica),
    name="dispatch",
)
@method_decorator(en_cache, name="dispatch")
class Publico(viewsets.ReadOnlyModelViewSet):
    pagination_class = Paginacion
    authentication_classes: list[Any] = []

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "fecha": self.fecha}

    @property
    def fecha(self) -> Any:
        if not hasattr(self, "_fecha"):
            self._fecha = hoy()
        return self._fecha


@extend_schema_view(
    list=extend_schema(summary=_("Evaluaciones"), responses={200: EvaluacionSerializer(many=True), **ERRORES_LISTA}),
    retrieve=extend_schema(summary=_("Una evaluación"), responses={200: EvaluacionSerializer, **ERROR_DETALLE}),
)
class EvaluacionViewSet(Publico):
    """Evaluaciones de programas presupuestarios incluidas en los PAE municipales."""

    serializer_class = EvaluacionSerializer
    filterset_class = FiltroEvaluaciones

    def get_queryset(self) -> Any:
        return selectors.evaluaciones_publicas().order_by("pk")


@extend_schema_view(
    list=extend_schema(summary=_("Convenios"), responses={200: ConvenioSerializer(many=True), **ERRORES_LISTA}),
    retrieve=extend_schema(summary=_("Un convenio"), responses={200: ConvenioSerializer, **ERROR_DETALLE}),
)
class ConvenioViewSet(Publico):
    """Convenios para la mejora del desempeño firmados (los borradores no se publican)."""

    serializer_class = ConvenioSerializer
    filterset_class = FiltroConvenios

    def get_queryset(self) -> Any:
        return selectors.convenios_publicos(conteos=False).order_by("pk")

    def paginate_queryset(self, queryset: Any) -> Any:
        pagina = super().paginate_queryset(queryset)
        agregar_conteos(pagina)
        return pagina

    def get_object(self) -> Convenio:
        objeto = super().get_object()
        agregar_conteos([objeto])
        return objeto


@extend_schema_view(
    list=extend_schema(
        summary=_("Aspectos susceptibles de mejora"), responses={200: AspectoApiSerializer(many=True), **ERRORES_LISTA}
    ),
    retrieve=extend_schema(summary=_("Un aspecto"), responses={200: AspectoApiSerializer, **ERROR_DETALLE}),
)
class AspectoViewSet(Publico):
    """Hallazgos y recomendaciones de los convenios publicados, con estado y semáforo."""

    serializer_class = AspectoApiSerializer
    filterset_class = FiltroAspectos

    def get_queryset(self) -> Any:
        # The page's actions in one query (open data streams without them: its "acciones" is one text column).
        return selectors.aspectos_publicos(self.fecha).prefetch_related(
            Prefetch(
                "acciones", queryset=Accion.objects.select_related("area_responsable").order_by("aspecto_id", "numero")
            )
        )
