"""Open data: CSV and JSON downloads of the public records, their dictionary and licence.

The rows are the API's serializers (``transparencia.serializers``), so a field has
the same name and meaning in the CSV, the JSON and the API. URLs are stable:
``/transparencia/datos/<conjunto>.<csv|json>`` and ``/transparencia/datos/<año>/<conjunto>.<csv|json>``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from convenios.models import hoy
from seguridad.exportacion import celda_segura
from transparencia import selectors
from transparencia.serializers import CONJUNTOS
from transparencia.views import en_cache, publico

# Licence: Creative Commons Attribution 4.0 (CC BY 4.0). A municipality is not bound
# by the federal «Libre Uso MX» terms (written for the Administración Pública
# Federal's datos.gob.mx), while CC BY 4.0 is the international standard those terms
# were modelled on and are compatible with: anyone may copy, adapt and redistribute
# the data, also commercially, citing the source. Nothing more is asked.
LICENCIA = {
    "nombre": "Creative Commons Atribución 4.0 Internacional (CC BY 4.0)",
    "clave": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.es",
}


TAMANO_BLOQUE = 500
"""Rows fetched from the database at a time (``QuerySet.iterator``): memory stays flat with the state."""

BYTES_POR_ENVIO = 64 * 1024
"""Rows are sent in pieces of about this size, not one write per row."""


def consulta(conjunto: str, anio: int | None) -> QuerySet:
    """The records of one data set (optionally one PAE year), in their published order."""
    if conjunto == "evaluaciones":
        qs = selectors.evaluaciones_publicas().order_by("anio_pae", "municipio__nombre", "programa__clave", "pk")
        campo_anio = "anio_pae"
    elif conjunto == "convenios":
        qs = selectors.convenios_publicos().order_by("evaluacion__anio_pae", "pk")
        campo_anio = "evaluacion__anio_pae"
    elif conjunto == "aspectos":
        # The order of the unique index (convenio, tipo, numero): hallazgos before recomendaciones, read
        # from the index as it streams instead of sorting the state's items first.
        qs = selectors.aspectos_publicos(hoy())
        campo_anio = "convenio__evaluacion__anio_pae"
    else:
        raise Http404
    if anio is not None:
        qs = qs.filter(**{campo_anio: anio})
    return qs


def filas(conjunto: str, anio: int | None, request: HttpRequest | None) -> Iterator[dict[str, Any]]:
    """The records as the API serializes them, one at a time (one serializer for all of them)."""
    serializer = CONJUNTOS[conjunto]["serializer"](context={"request": request, "fecha": hoy()})
    for objeto in consulta(conjunto, anio).iterator(chunk_size=TAMANO_BLOQUE):
        yield serializer.to_representation(objeto)


NUMERICOS = (serializers.IntegerField, serializers.DecimalField, serializers.FloatField, serializers.BooleanField)


def _campos_csv(conjunto: str) -> list[tuple[str, bool]]:
    """(name, is text) of each column; text cells go through the formula-injection rule."""
    campos = CONJUNTOS[conjunto]["serializer"]().fields
    return [(nombre, not isinstance(campo, NUMERICOS)) for nombre, campo in campos.items()]


def _valor_csv(valor: Any, texto: bool) -> Any:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    return celda_segura(valor) if texto else valor


class _Eco:
    """A file-like whose ``write`` hands the line back, so ``csv.writer`` can feed a generator."""

    def write(self, valor: str) -> str:
        return valor


def _en_bloques(partes: Iterable[str]) -> Iterator[bytes]:
    """Joins small pieces of text into chunks of about ``BYTES_POR_ENVIO`` (fewer writes to the socket)."""
    bloque: list[str] = []
    tamano = 0
    for parte in partes:
        bloque.append(parte)
        tamano += len(parte)
        if tamano >= BYTES_POR_ENVIO:
            yield "".join(bloque).encode()
            bloque, tamano = [], 0
    if bloque:
        yield "".join(bloque).encode()


def _lineas_csv(conjunto: str, registros: Iterable[dict[str, Any]]) -> Iterator[str]:
    campos = _campos_csv(conjunto)
    escritor = csv.writer(_Eco(), lineterminator="\r\n")
    # UTF-8 with BOM: spreadsheets (Excel in particular) then read the accents right.
    yield "\ufeff"
    yield escritor.writerow([nombre for nombre, _texto in campos])
    for registro in registros:
        yield escritor.writerow([_valor_csv(registro[nombre], texto) for nombre, texto in campos])


def _partes_json(cabecera: dict[str, Any], registros: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object, written as it goes: the header, ``datos`` row by row, and ``total`` at the end."""
    yield "{\n"
    for clave, valor in cabecera.items():
        yield f" {json.dumps(clave)}: {json.dumps(valor, ensure_ascii=False)},\n"
    yield ' "datos": ['
    total = 0
    for registro in registros:
        yield ("\n  " if total == 0 else ",\n  ") + json.dumps(registro, ensure_ascii=False, default=str)
        total += 1
    yield f'\n ],\n "total": {total}\n}}\n'


@publico
def descarga(request: HttpRequest, conjunto: str, formato: str, anio: int | None = None) -> StreamingHttpResponse:
    """A whole data set, streamed: the memory it takes does not grow with the number of rows."""
    if conjunto not in CONJUNTOS or formato not in ("csv", "json"):
        raise Http404
    if anio is not None and not 2000 <= anio <= 2100:
        raise Http404
    registros = filas(conjunto, anio, request)
    nombre = f"{conjunto}-{anio}" if anio else conjunto
    if formato == "csv":
        respuesta = StreamingHttpResponse(
            _en_bloques(_lineas_csv(conjunto, registros)), content_type="text/csv; charset=utf-8"
        )
        respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.csv"'
        return respuesta
    cabecera = {
        "conjunto": conjunto,
        "anio_pae": anio,
        "fecha_corte": timezone.localtime().isoformat(timespec="seconds"),
        "licencia": LICENCIA,
        "diccionario": request.build_absolute_uri(reverse("transparencia:diccionario")),
    }
    respuesta = StreamingHttpResponse(
        _en_bloques(_partes_json(cabecera, registros)), content_type="application/json; charset=utf-8"
    )
    respuesta["Content-Disposition"] = f'inline; filename="{nombre}.json"'
    return respuesta


@publico
@en_cache
def datos(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transparencia/datos.html",
        {"conjuntos": CONJUNTOS, "anios": selectors.anios_pae(), "licencia": LICENCIA},
    )


@publico
@en_cache
def diccionario(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transparencia/diccionario.html",
        {"diccionario": diccionario_de_datos(), "licencia": LICENCIA},
    )


# --- The data dictionary, read from the OpenAPI schema of the same serializers -------------

TIPOS = {
    ("integer", None): _("entero"),
    ("number", "double"): _("número decimal"),
    ("string", None): _("texto"),
    ("string", "date"): _("fecha (AAAA-MM-DD)"),
    ("string", "decimal"): _("importe en pesos (punto decimal, dos decimales, sin separador de miles)"),
    ("string", "uri"): _("dirección web (URL)"),
    ("boolean", None): _("booleano (true / false)"),
}


@lru_cache(maxsize=1)
def _componentes() -> dict[str, Any]:
    from transparencia import api_urls

    generador = SchemaGenerator(patterns=api_urls.urlpatterns, urlconf=api_urls)
    return generador.get_schema(request=None, public=True)["components"]["schemas"]


def _tipo(propiedad: dict[str, Any], componentes: dict[str, Any]) -> tuple[str, bool]:
    """(type in Spanish, may be empty) of one property of the OpenAPI schema."""
    nulo = bool(propiedad.get("nullable"))
    for opcion in propiedad.get("oneOf", []):
        if componentes.get(opcion.get("$ref", "").rsplit("/", 1)[-1], {}).get("enum") == [None]:
            nulo = True
    tipo = str(TIPOS.get((propiedad.get("type"), propiedad.get("format")), _("texto")))
    return tipo, nulo


def diccionario_de_datos() -> list[dict[str, Any]]:
    componentes = _componentes()
    resultado = []
    for clave, conjunto in CONJUNTOS.items():
        nombre_componente = conjunto["serializer"].__name__.removesuffix("Serializer")
        esquema = componentes[nombre_componente]
        campos = []
        for nombre, campo in conjunto["serializer"]().fields.items():
            tipo, nulo = _tipo(esquema["properties"][nombre], componentes)
            if isinstance(campo, serializers.ChoiceField):
                valores = "; ".join(
                    f"{valor or _('(vacío)')} = {etiqueta}" for valor, etiqueta in campo.choices.items()
                )
                tipo = _("texto; valores: %(valores)s") % {"valores": valores}
            campos.append({"nombre": nombre, "tipo": tipo, "descripcion": campo.help_text or "", "nulo": nulo})
        resultado.append({"clave": clave, **conjunto, "campos": campos})
    return resultado
