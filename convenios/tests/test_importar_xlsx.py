"""Import from the spreadsheet template: its headers, its filled rows, and the rows it cannot read."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from convenios import importar, services
from convenios.models import TipoAspecto
from convenios.tests.importacion import (
    FILAS_XLSX,
    XLSX_TIPO,
    nada_guardado,
    subido,
    xlsx_llenado,
)


def test_xlsx_de_la_plantilla(borrador, implan, m):
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    assert lectura.formato == importar.XLSX
    assert lectura.no_leidas == []

    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)

    hallazgo = borrador.aspectos.get(tipo=TipoAspecto.HALLAZGO)
    assert (hallazgo.numero, hallazgo.prioridad, hallazgo.clasificacion, hallazgo.acciones.count()) == (
        1,
        "alta",
        "especifico",
        0,
    )
    r1, r2 = borrador.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero")
    assert (r1.texto, r1.prioridad, r1.clasificacion, r1.fecha_compromiso) == (
        "Elaborar el diagnóstico.",
        "media",
        "institucional",
        datetime.date(2023, 6, 30),
    )
    assert [(a.texto, a.area, a.fecha_termino) for a in r1.acciones.all()] == [
        ("Levantar la encuesta.", "Dirección de Desarrollo Social", datetime.date(2023, 3, 15)),
        ("Publicar el diagnóstico.", "Oficina de Comunicación", datetime.date(2023, 6, 30)),
    ]
    assert r1.acciones.get(numero=1).area_responsable == m.dependencia
    assert r2.acciones.get().area_responsable == m.otra_dependencia
    assert r2.fecha_compromiso == datetime.date(2023, 5, 15)


def test_la_plantilla_tiene_los_encabezados_que_el_lector_espera():
    libro = load_workbook(io.BytesIO(importar.plantilla_xlsx()))
    encabezados = [c.value for c in libro[importar.HOJA_PLANTILLA][1]]
    assert encabezados == [
        "Tipo",
        "Número",
        "Texto del aspecto",
        "Acción",
        "Área responsable",
        "Fecha de término",
        "Producto esperado",
        "Prioridad",
        "Clasificación",
    ]
    # The example lives on the instructions sheet: an untouched template reads as empty.
    with pytest.raises(ValidationError, match="no contiene hallazgos ni recomendaciones"):
        importar.leer(subido("plantilla.xlsx", importar.plantilla_xlsx(), XLSX_TIPO))


def test_filas_del_xlsx_que_no_se_leen_llevan_su_motivo(borrador, implan):
    filas = [
        [
            "Recomendación",
            1,
            "Elaborar el diagnóstico.",
            "Levantar la encuesta.",
            None,
            "Dicembre 2023",
            None,
            None,
            None,
        ],
        ["Compromiso", 2, "Otro texto.", "Una acción.", None, "Marzo 2023", None, None, None],
        ["Recomendación", "dos", "Otro texto.", "Una acción.", None, "Marzo 2023", None, None, None],
        ["Recomendación", 3, "Sin acción.", None, None, "Marzo 2023", None, None, None],
        ["Hallazgo", 1, "Un hallazgo.", None, None, None, None, "Urgente", None],
    ]
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(filas), XLSX_TIPO))
    assert [(f.lugar, f.motivo) for f in lectura.no_leidas] == [
        ("Fila 2", "La fecha «Dicembre 2023» no se entiende; escríbala como «Diciembre 2022» o «15 de junio de 2023»."),
        ("Fila 3", "Tipo: «Compromiso» no es válido; use hallazgo o recomendación."),
        ("Fila 4", "El número «dos» no es un número de aspecto (1, 2, 3…)."),
        ("Fila 5", "La recomendación no tiene acción."),
        ("Fila 6", "Prioridad: «Urgente» no es válido; use alta, media o baja."),
    ]
    with pytest.raises(ValidationError, match="5 renglones que no se pudieron leer"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert nada_guardado(borrador)
