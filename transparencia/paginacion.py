"""The API's pages: by number (``?pagina=``) and, along the links, by position (``?posicion=``).

A page by number skipping the rows before it (an ``OFFSET``) made, at state scale, the last page
of the items skip 123,000 index entries and cost four times the first. The ``siguiente`` and
``anterior`` links carry the position of the page's last (or first) row in the list's order
(a unique order backed by an index), so a client walking the list reads each page from the
index where the previous one ended, at the cost of the first page, however deep: the
position is ``despues:`` (the rows after) or ``antes:`` (the rows before) and the row's values,
e.g. ``despues:57,recomendacion,3``. The links keep ``pagina`` too: the page's number, for
whoever reads the address; ``?pagina=N`` alone still jumps to a page.

A page by number starts from the nearest *ancla*: the position of every ``FILAS_POR_ANCLA``-th row
of the list, read in one pass of its index once per change of the public data (like the total), so
no page skips more than ``FILAS_POR_ANCLA`` index entries, however deep.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Sequence
from functools import reduce
from typing import Any

from django.core import exceptions
from django.core.cache import cache
from django.core.paginator import InvalidPage, Page
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import F, Field, Model, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from transparencia import selectors

SEGUNDOS_TOTAL = 60 * 60
FILAS_POR_ANCLA = 250
SEPARADOR = ","
POSICION = "posicion"
DESPUES = "despues"
ANTES = "antes"


def orden_de(consulta: QuerySet) -> tuple[str, ...]:
    """The list's order: ascending and unique (the primary key, or a unique index's columns)."""
    orden = tuple(consulta.query.order_by)
    if not orden or any(campo.startswith("-") for campo in orden):
        raise exceptions.ImproperlyConfigured("Una lista paginada por posición va en un orden ascendente y único.")
    return orden


def _campo(modelo: type[Model], nombre: str) -> Field:
    campo = modelo._meta.pk if nombre == "pk" else modelo._meta.get_field(nombre)
    return campo.target_field if campo.is_relation else campo


def posicion_de(objeto: Model, orden: Sequence[str], *, antes: bool = False) -> str:
    valores = SEPARADOR.join(str(getattr(objeto, nombre)) for nombre in orden)
    return f"{ANTES if antes else DESPUES}:{valores}"


class PosicionFuera(Exception):
    """A position of the documented form whose values no row can have (a number out of its column's range)."""


def leer_posicion(texto: str, modelo: type[Model], orden: Sequence[str]) -> tuple[bool, list[Any]]:
    """(before, values) of a position; ValueError if it does not have the documented form."""
    lado, _dos_puntos, resto = texto.partition(":")
    partes = resto.split(SEPARADOR)
    if lado not in (DESPUES, ANTES) or len(partes) != len(orden):
        raise ValueError(texto)
    valores = []
    for nombre, parte in zip(orden, partes, strict=True):
        campo = _campo(modelo, nombre)
        try:
            valor = campo.to_python(parte)
        except exceptions.ValidationError as error:
            raise ValueError(texto) from error
        if campo.choices and valor not in dict(campo.flatchoices):
            raise ValueError(texto)
        try:
            campo.run_validators(valor)
        except exceptions.ValidationError as error:
            raise PosicionFuera(texto) from error
        valores.append(valor)
    return lado == ANTES, valores


def patron_de_posicion(modelo: type[Model], orden: Sequence[str]) -> str:
    """The regular expression of a position, for the schema."""
    partes = []
    for nombre in orden:
        campo = _campo(modelo, nombre)
        if campo.choices:
            partes.append("(" + "|".join(str(valor) for valor, _etiqueta in campo.flatchoices) + ")")
        else:
            partes.append("[0-9]{1,18}")
    return f"^({DESPUES}|{ANTES}):" + SEPARADOR.join(partes) + "$"


def despues_de(orden: Sequence[str], valores: Sequence[Any], *, antes: bool = False) -> Q:
    """Rows after (``antes``: before) the row with these values in the ascending order ``orden``.

    ``(a, b, c) > (x, y, z)`` written for the ORM: ``a > x``, or ``a = x and b > y``, or…; plus
    ``a >= x`` on its own, which bounds the scan of the index on ``(a, b, c)`` from where it starts.
    """
    operador = "lt" if antes else "gt"
    terminos = [
        Q(**dict(zip(orden[:indice], valores[:indice], strict=True)), **{f"{nombre}__{operador}": valores[indice]})
        for indice, nombre in enumerate(orden)
    ]
    condicion = reduce(operator.or_, terminos)
    if len(orden) > 1:
        condicion &= Q(**{f"{orden[0]}__{operador}e": valores[0]})
    return condicion


class PaginaPorPosicion(Page):
    """A page read from a position: whether there are rows on each side was read with it."""

    def __init__(
        self, filas: list[Model], numero: int, paginador: DjangoPaginator, *, antes: bool, despues: bool
    ) -> None:
        super().__init__(filas, numero, paginador)
        self.hay_antes = antes
        self.hay_despues = despues

    def has_next(self) -> bool:
        return self.hay_despues

    def has_previous(self) -> bool:
        return self.hay_antes


class PaginadorConTotalEnCache(DjangoPaginator):
    """The total of a filtered list is counted once per change of the public data, not on every page."""

    def _clave(self, que: str) -> str:
        consulta = f"{selectors.huella_publica().etag}|{self.object_list.query}"
        return f"api:{que}:" + hashlib.sha256(consulta.encode()).hexdigest()

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self._clave("total"), self.object_list.count, SEGUNDOS_TOTAL)

    def _leer_anclas(self) -> list[list[Any]]:
        orden = orden_de(self.object_list)
        filas = (
            self.object_list.annotate(_fila=Window(RowNumber(), order_by=[F(nombre).asc() for nombre in orden]))
            .annotate(_resto=F("_fila") % FILAS_POR_ANCLA)
            .filter(_resto=0)
            .values_list("_fila", *orden)
        )
        # Put in order here: an ORDER BY on the row number would sort the whole list again in the database.
        return [valores for _fila, *valores in sorted(filas)]

    @cached_property
    def anclas(self) -> list[list[Any]]:
        """The order's values of rows FILAS_POR_ANCLA, 2 × FILAS_POR_ANCLA…: where deep pages start."""
        return cache.get_or_set(self._clave("anclas"), self._leer_anclas, SEGUNDOS_TOTAL)

    def _filas(self, ids: list[int]) -> list[Model]:
        filas = {objeto.pk: objeto for objeto in self.object_list.filter(pk__in=ids)}
        return [filas[pk] for pk in ids]

    def page(self, number: Any) -> Page:
        """The page's identifiers first, then only their rows: a deep page skips index entries, not
        joined rows (each skipped item would otherwise be joined to its convenio, municipio, programa…)."""
        number = self.validate_number(number)
        inicio = (number - 1) * self.per_page
        consulta = self.object_list
        # The total may be a few seconds older than the rows: then the last ancla read is the nearest.
        ancla = min(inicio // FILAS_POR_ANCLA, len(self.anclas)) if inicio >= FILAS_POR_ANCLA else 0
        if ancla:
            consulta = consulta.filter(despues_de(orden_de(consulta), self.anclas[ancla - 1]))
            inicio -= ancla * FILAS_POR_ANCLA
        ids = list(consulta.values_list("pk", flat=True)[inicio : inicio + self.per_page])
        return self._get_page(self._filas(ids), number, self)

    def pagina_desde(self, number: Any, valores: Sequence[Any], *, antes: bool) -> PaginaPorPosicion:
        """The page after the row with these values (``antes``: before it), with no OFFSET."""
        number = self.validate_number(number)
        orden = orden_de(self.object_list)
        consulta = self.object_list.filter(despues_de(orden, valores, antes=antes))
        if antes:
            consulta = consulta.reverse()
        ids = list(consulta.values_list("pk", flat=True)[: self.per_page + 1])
        hay_mas = len(ids) > self.per_page
        ids = ids[: self.per_page]
        if antes:
            ids.reverse()
        return PaginaPorPosicion(
            self._filas(ids), number, self, antes=hay_mas if antes else True, despues=hay_mas or antes
        )


class Paginacion(PageNumberPagination):
    """Pages in identifier order (the primary key's index) or a unique index's: a client walking the
    pages does not see them shift when a new record is published, and follows them by position."""

    django_paginator_class = PaginadorConTotalEnCache
    page_size = 50
    max_page_size = 500
    page_query_param = "pagina"
    page_size_query_param = "por_pagina"
    invalid_page_message = "Página no válida."

    def paginate_queryset(self, queryset: QuerySet, request: Any, view: Any = None) -> list[Model]:
        self.request = request
        self.orden = orden_de(queryset)
        paginador = self.django_paginator_class(queryset, self.get_page_size(request))
        numero = self.get_page_number(request, paginador)
        texto = request.query_params.get(POSICION)
        try:
            if texto is None:
                self.page = paginador.page(numero)
            else:
                try:
                    antes, valores = leer_posicion(texto, queryset.model, self.orden)
                except ValueError:
                    raise ValidationError(
                        {POSICION: ["Posición no válida: siga los enlaces «siguiente» y «anterior» de la respuesta."]}
                    ) from None
                self.page = paginador.pagina_desde(numero, valores, antes=antes)
        except (InvalidPage, PosicionFuera) as error:
            raise NotFound(self.invalid_page_message) from error
        return list(self.page)

    def get_next_link(self) -> str | None:
        if not self.page.has_next() or not self.page.object_list:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.page.number + 1)
        return replace_query_param(url, POSICION, posicion_de(self.page.object_list[-1], self.orden))

    def get_previous_link(self) -> str | None:
        if not self.page.has_previous() or not self.page.object_list:
            return None
        url = self.request.build_absolute_uri()
        if self.page.number > 2:
            url = replace_query_param(url, self.page_query_param, self.page.number - 1)
        else:
            url = remove_query_param(url, self.page_query_param)
        return replace_query_param(url, POSICION, posicion_de(self.page.object_list[0], self.orden, antes=True))

    def get_page_size(self, request: Any) -> int:
        """``por_pagina`` out of range or not a number is a 400 (DRF would silently use the default)."""
        valor = request.query_params.get(self.page_size_query_param)
        if valor is None:
            return self.page_size
        try:
            tamano = int(valor)
        except ValueError:
            tamano = 0
        if not 1 <= tamano <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Debe ser un número entero entre 1 y {self.max_page_size}."]}
            )
        return tamano

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        if request.query_params.get(self.page_query_param) == "":
            raise ValidationError({self.page_query_param: ["Indique un número de página o no envíe el parámetro."]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        consulta = view.get_queryset()
        modelo, orden = consulta.model, orden_de(consulta)
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Número de página (desde 1). Para recorrer la lista, siga «siguiente».",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Registros por página (de 1 a {self.max_page_size}; {self.page_size} si se omite).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": POSICION,
                "required": False,
                "in": "query",
                "description": "Posición en la lista, como la escriben los enlaces «siguiente» y «anterior» de la "
                "respuesta (sígalos en lugar de armarla): «despues:» y los valores del orden del último registro "
                "de la página anterior, o «antes:» y los del primero de la siguiente. La página se lee desde ahí, "
                "sin recorrer las anteriores.",
                "schema": {"type": "string", "pattern": patron_de_posicion(modelo, orden)},
            },
        ]

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
