"""Open data: CSV and JSON downloads of the public records, their dictionary and licence.

The rows are the API's serializers (``transparencia.serializers``), so a field has
the same name and meaning in the CSV, the JSON and the API. URLs are stable:
``/transparencia/datos/<conjunto>.<csv|json>`` and ``/transparencia/datos/<año>/<conjunto>.<csv|json>``.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from convenios.models import hoy
from transparencia import selectors
from transparencia.serializers import CONJUNTOS
from transparencia.views import publico

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


def filas(conjunto: str, anio: int | None, request: HttpRequest | None) -> list[dict[str, Any]]:
    """The records of one data set (optionally one PAE year), as the API serializes them."""
    fecha = hoy()
    if conjunto == "evaluaciones":
        qs = selectors.evaluaciones_publicas().order_by("anio_pae", "municipio__nombre", "programa__clave", "pk")
        campo_anio = "anio_pae"
    elif conjunto == "convenios":
        qs = selectors.convenios_publicos().order_by("evaluacion__anio_pae", "pk")
        campo_anio = "evaluacion__anio_pae"
    elif conjunto == "aspectos":
        qs = selectors.aspectos_publicos(fecha).order_by(
            "convenio__evaluacion__anio_pae", "convenio_id", "orden_tipo", "numero"
        )
        campo_anio = "convenio__evaluacion__anio_pae"
    else:
        raise Http404
    if anio is not None:
        qs = qs.filter(**{campo_anio: anio})
    serializer = CONJUNTOS[conjunto]["serializer"](qs, many=True, context={"request": request, "fecha": fecha})
    return serializer.data


def _valor_csv(valor: Any) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    return str(valor)


def _csv(registros: list[dict[str, Any]], campos: list[str]) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow(campos)
    for registro in registros:
        escritor.writerow([_valor_csv(registro[campo]) for campo in campos])
    # UTF-8 with BOM: spreadsheets (Excel in particular) then read the accents right.
    return salida.getvalue().encode("utf-8-sig")


@publico
def descarga(request: HttpRequest, conjunto: str, formato: str, anio: int | None = None) -> HttpResponse:
    if conjunto not in CONJUNTOS or formato not in ("csv", "json"):
        raise Http404
    if anio is not None and not 2000 <= anio <= 2100:
        raise Http404
    registros = filas(conjunto, anio, request)
    nombre = f"{conjunto}-{anio}" if anio else conjunto
    if formato == "csv":
        campos = list(CONJUNTOS[conjunto]["serializer"]().fields)
        respuesta = HttpResponse(_csv(registros, campos), content_type="text/csv; charset=utf-8")
        respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.csv"'
        return respuesta
    documento = {
        "conjunto": conjunto,
        "anio_pae": anio,
        "fecha_corte": timezone.localtime().isoformat(timespec="seconds"),
        "licencia": LICENCIA,
        "diccionario": request.build_absolute_uri(reverse("transparencia:diccionario")),
        "total": len(registros),
        "datos": registros,
    }
    respuesta = HttpResponse(
        json.dumps(documento, ensure_ascii=False, indent=1, default=str), content_type="application/json; charset=utf-8"
    )
    respuesta["Content-Disposition"] = f'inline; filename="{nombre}.json"'
    return respuesta


@publico
def datos(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transparencia/datos.html",
        {"conjuntos": CONJUNTOS, "anios": selectors.anios_pae(), "licencia": LICENCIA},
    )


@publico
def diccionario(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transparencia/diccionario.html",
        {"diccionario": diccionario_de_datos(), "licencia": LICENCIA},
    )


# --- The data dictionary, read from the OpenAPI schema of the same serializers -------------

TIPOS = {
    ("integer", None): "entero",
    ("number", "double"): "número decimal",
    ("string", None): "texto",
    ("string", "date"): "fecha (AAAA-MM-DD)",
    ("string", "decimal"): "importe en pesos (punto decimal, dos decimales, sin separador de miles)",
    ("string", "uri"): "dirección web (URL)",
    ("boolean", None): "booleano (true / false)",
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
    tipo = TIPOS.get((propiedad.get("type"), propiedad.get("format")), "texto")
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
                valores = "; ".join(f"{valor or '(vacío)'} = {etiqueta}" for valor, etiqueta in campo.choices.items())
                tipo = f"texto; valores: {valores}"
            campos.append({"nombre": nombre, "tipo": tipo, "descripcion": campo.help_text or "", "nulo": nulo})
        resultado.append({"clave": clave, **conjunto, "campos": campos})
    return resultado
