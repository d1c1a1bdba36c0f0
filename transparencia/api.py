"""Read-only public API, version 1: the same records as the open data, with filters and pagination.

No endpoint writes (``ReadOnlyModelViewSet``: anything but GET/HEAD/OPTIONS is a 405);
every queryset comes from ``transparencia.selectors``, so nothing private is reachable.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from convenios.models import Aspecto, Convenio, Evaluacion, Semaforo, TipoAspecto, hoy
from transparencia import selectors
from transparencia.serializers import AspectoSerializer, ConvenioSerializer, EvaluacionSerializer

# --- Pagination with Spanish keys ------------------------------------------------------------


class Paginacion(PageNumberPagination):
    page_size = 50
    max_page_size = 500
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    invalid_page_message = "Página no válida."

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "total": self.page.paginator.count,
                "siguiente": self.get_next_link(),
                "anterior": self.get_previous_link(),
                "resultados": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["total", "resultados"],
            "properties": {
                "total": {"type": "integer", "description": "Registros que cumplen los filtros."},
                "siguiente": {"type": "string", "nullable": True, "format": "uri"},
                "anterior": {"type": "string", "nullable": True, "format": "uri"},
                "resultados": schema,
            },
        }


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


class FiltroEvaluaciones(django_filters.FilterSet):
    municipio = django_filters.CharFilter(field_name="municipio__slug", help_text="Identificador del municipio.")
    anio = FiltroAnio(field_name="anio_pae", help_text="Año del PAE.", **ANIO)
    dependencia = FiltroIdentificador(
        field_name="dependencia_evaluada_id", help_text="Identificador de la dependencia evaluada.", **IDENTIFICADOR
    )
    programa = django_filters.CharFilter(field_name="programa__clave", help_text="Clave del programa (8 dígitos).")

    class Meta:
        model = Evaluacion
        fields = ["municipio", "anio", "dependencia", "programa"]


class FiltroConvenios(django_filters.FilterSet):
    municipio = django_filters.CharFilter(field_name="municipio__slug", help_text="Identificador del municipio.")
    anio = FiltroAnio(field_name="evaluacion__anio_pae", help_text="Año del PAE.", **ANIO)
    dependencia = FiltroIdentificador(
        field_name="dependencia_evaluada_id", help_text="Identificador de la dependencia evaluada.", **IDENTIFICADOR
    )
    programa = django_filters.CharFilter(field_name="evaluacion__programa__clave", help_text="Clave del programa.")
    estado = django_filters.ChoiceFilter(
        choices=[(e, e) for e in selectors.ESTADOS_PUBLICOS], help_text="Estado del convenio."
    )

    class Meta:
        model = Convenio
        fields = ["municipio", "anio", "dependencia", "programa", "estado"]


class FiltroAspectos(django_filters.FilterSet):
    municipio = django_filters.CharFilter(
        field_name="convenio__municipio__slug", help_text="Identificador del municipio."
    )
    anio = FiltroAnio(field_name="convenio__evaluacion__anio_pae", help_text="Año del PAE.", **ANIO)
    dependencia = FiltroIdentificador(
        field_name="convenio__dependencia_evaluada_id",
        help_text="Identificador de la dependencia evaluada.",
        **IDENTIFICADOR,
    )
    programa = django_filters.CharFilter(
        field_name="convenio__evaluacion__programa__clave", help_text="Clave del programa."
    )
    convenio = FiltroIdentificador(field_name="convenio_id", help_text="Identificador del convenio.", **IDENTIFICADOR)
    estado = django_filters.ChoiceFilter(
        choices=Aspecto._meta.get_field("estado").choices, help_text="Estado del aspecto."
    )
    tipo = django_filters.ChoiceFilter(choices=TipoAspecto.choices, help_text="hallazgo o recomendacion.")
    semaforo = django_filters.ChoiceFilter(choices=Semaforo.choices, help_text="Semáforo del día de la consulta.")

    class Meta:
        model = Aspecto
        fields = ["municipio", "anio", "dependencia", "programa", "convenio", "estado", "tipo", "semaforo"]


# --- Viewsets -----------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORES_LISTA = {
    400: OpenApiResponse(description="Un filtro tiene un valor no válido (se indica cuál)."),
    404: OpenApiResponse(ErrorSerializer, description="La página pedida no existe."),
}
ERROR_DETALLE = {404: OpenApiResponse(ErrorSerializer, description="No existe o no es público.")}


@method_decorator(cache_control(public=True, max_age=60), name="dispatch")
@method_decorator(
    condition(etag_func=selectors.etag_publico, last_modified_func=selectors.ultima_modificacion_publica),
    name="dispatch",
)
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
    list=extend_schema(summary="Evaluaciones", responses={200: EvaluacionSerializer(many=True), **ERRORES_LISTA}),
    retrieve=extend_schema(summary="Una evaluación", responses={200: EvaluacionSerializer, **ERROR_DETALLE}),
)
class EvaluacionViewSet(Publico):
    """Evaluaciones de programas presupuestarios incluidas en los PAE municipales."""

    serializer_class = EvaluacionSerializer
    filterset_class = FiltroEvaluaciones

    def get_queryset(self) -> Any:
        return selectors.evaluaciones_publicas().order_by("-anio_pae", "municipio__nombre", "programa__clave", "pk")


@extend_schema_view(
    list=extend_schema(summary="Convenios", responses={200: ConvenioSerializer(many=True), **ERRORES_LISTA}),
    retrieve=extend_schema(summary="Un convenio", responses={200: ConvenioSerializer, **ERROR_DETALLE}),
)
class ConvenioViewSet(Publico):
    """Convenios para la mejora del desempeño firmados (los borradores no se publican)."""

    serializer_class = ConvenioSerializer
    filterset_class = FiltroConvenios

    def get_queryset(self) -> Any:
        return selectors.convenios_publicos().order_by("-evaluacion__anio_pae", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Aspectos susceptibles de mejora", responses={200: AspectoSerializer(many=True), **ERRORES_LISTA}
    ),
    retrieve=extend_schema(summary="Un aspecto", responses={200: AspectoSerializer, **ERROR_DETALLE}),
)
class AspectoViewSet(Publico):
    """Hallazgos y recomendaciones de los convenios publicados, con estado y semáforo."""

    serializer_class = AspectoSerializer
    filterset_class = FiltroAspectos

    def get_queryset(self) -> Any:
        return selectors.aspectos_publicos(self.fecha)
