"""Formula injection in the board's exports: a text like ``=HYPERLINK("x")`` written by a user arrives as text.

Every user-writable text of the objects behind a board row (municipio, dependencia, its titular,
program, evaluation, convenio, item: names, texts, acciones…) is set to a formula, then both
exports are read back: no text cell starts with a trigger character, and the XLSX has no formula
cell nor any ``<f>`` element in its sheet XML.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from convenios.models import Aspecto, Convenio
from convenios.tests import fabricas
from seguridad.exportacion import DISPARADORES

pytestmark = pytest.mark.seguridad

FORMULAS = ['=HYPERLINK("x")', '+HYPERLINK("x")', '-HYPERLINK("x")', '@HYPERLINK("x")', '\t=HYPERLINK("x")']
# Names of their own: the report keeps one file per test id, and "=…" and "+…" would read alike.
NOMBRES = ["igual", "mas", "menos", "arroba", "tabulador"]


def _textos_libres(instancia: models.Model) -> list[str]:
    """Names of the free-text fields of a model: no choices, not a key."""
    return [
        campo.name
        for campo in instancia._meta.concrete_fields
        if isinstance(campo, models.CharField | models.TextField)
        and not campo.choices
        and not campo.unique
        and campo.name not in ("slug", "clave", "rfc")  # identifiers with a fixed form, not free text
    ]


def _envenenar(instancia: models.Model, formula: str) -> int:
    campos = _textos_libres(instancia)
    type(instancia).objects.filter(pk=instancia.pk).update(**dict.fromkeys(campos, formula))
    return len(campos)


def _convenio_envenenado(m: fabricas.MunicipioDePrueba, formula: str) -> tuple[Convenio, int]:
    convenio = fabricas.crear_convenio(m, fecha_compromiso=datetime.date(2022, 12, 30))
    evaluacion = convenio.evaluacion
    objetos: list[models.Model] = [
        m.municipio,
        convenio.dependencia_evaluada,
        *convenio.dependencia_evaluada.titulares.all(),
        evaluacion.programa,
        evaluacion,
        convenio,
        *Aspecto.objects.filter(convenio=convenio),
    ]
    # The program's key is not among them: the database holds it to 8 digits (programa_clave_8_digitos).
    return convenio, sum(_envenenar(objeto, formula) for objeto in objetos)


def _textos_csv(respuesta) -> list[str]:
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    return [celda for fila in csv.reader(io.StringIO(texto)) for celda in fila]


@pytest.mark.parametrize("formula", FORMULAS, ids=NOMBRES)
def test_el_csv_del_tablero_no_lleva_formulas(client, contraloria, m, formula, informe):
    _convenio, campos = _convenio_envenenado(m, formula)
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero_csv"))
    assert respuesta.status_code == 200
    celdas = _textos_csv(respuesta)
    neutralizadas = [c for c in celdas if c.startswith("'") and formula.strip()[:10] in c]
    # Dependencia, program name and item text of each of the 5 rows reach the CSV.
    assert len(neutralizadas) == 5 * 3
    assert [c for c in celdas if c.startswith(DISPARADORES)] == []
    informe.medir(
        f"endurecimiento:formulas_csv:{formula[:2]!r}",
        {"prueba": "Fórmulas en el CSV del tablero (campos de texto envenenados)", "casos": campos, "fallas": 0},
    )


@pytest.mark.parametrize("formula", FORMULAS, ids=NOMBRES)
def test_el_xlsx_del_tablero_no_lleva_formulas(client, contraloria, m, formula, informe):
    _convenio, campos = _convenio_envenenado(m, formula)
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero_xlsx"))
    assert respuesta.status_code == 200
    contenido = b"".join(respuesta.streaming_content)

    with zipfile.ZipFile(io.BytesIO(contenido)) as paquete:
        hojas = [n for n in paquete.namelist() if n.startswith("xl/worksheets/")]
        assert hojas
        for hoja in hojas:
            assert b"<f>" not in paquete.read(hoja) and b"<f " not in paquete.read(hoja)

    libro = load_workbook(io.BytesIO(contenido))
    celdas = [celda for fila in libro["Aspectos"].iter_rows() for celda in fila]
    assert [c.coordinate for c in celdas if c.data_type == "f"] == []
    textos = [c.value for c in celdas if isinstance(c.value, str)]
    assert [t for t in textos if t.startswith(DISPARADORES)] == []
    neutralizadas = [t for t in textos if t.startswith("'")]
    assert len(neutralizadas) == 5 * 3
    # Numbers and dates stay numbers and dates.
    assert all(isinstance(c.value, datetime.datetime) for c in celdas[13:] if c.column in (8, 9))
    informe.medir(
        f"endurecimiento:formulas_xlsx:{formula[:2]!r}",
        {"prueba": "Fórmulas en el XLSX del tablero (sin celdas «f» ni <f> en la hoja)", "casos": campos, "fallas": 0},
    )
