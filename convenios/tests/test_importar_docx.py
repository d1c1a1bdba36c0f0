"""Import from the convenio's Word file: the seed's own text, another layout, and a table that cannot be
read whole."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from convenios import importar, services
from convenios.models import TipoAspecto
from convenios.tests import fabricas
from convenios.tests.importacion import (
    FIN_2022,
    borrador_en_municipio_de,
    como_tuplas,
    docx_de_la_semilla,
    docx_otro_formato,
    nada_guardado,
    subido,
)


def test_el_docx_de_la_semilla_reproduce_sus_5_hallazgos_y_6_recomendaciones(seed):
    nuevo = borrador_en_municipio_de(seed)
    implan = fabricas.crear_usuario("implan_izcalli", seed.implan)

    lectura = importar.leer(subido("convenio.docx", docx_de_la_semilla()))
    assert lectura.formato == importar.DOCX
    assert lectura.no_leidas == []
    assert [a.numero for a in lectura.hallazgos] == [1, 2, 3, 4, 5]
    assert [a.numero for a in lectura.recomendaciones] == [1, 2, 3, 4, 5, 6]
    assert nada_guardado(nuevo)  # reading saves nothing

    services.convenio_importar(convenio=nuevo, lectura=lectura, usuario=implan)

    importado = como_tuplas(nuevo)
    assert importado == como_tuplas(seed)
    assert len(importado) == 11
    assert all(fecha == FIN_2022 for *_, fecha, vigente, _acciones in importado for fecha in (fecha, vigente))
    assert all(len(acciones) == 1 for tipo, *_, acciones in importado if tipo == TipoAspecto.RECOMENDACION)
    # Each row is attributed to who imported it.
    assert {h.history_user for a in nuevo.aspectos.all() for h in a.history.all()} == {implan}


def test_otro_formato_con_area_responsable_y_varias_acciones_por_recomendacion(borrador, implan, m):
    lectura = importar.leer(subido("convenio-otro.docx", docx_otro_formato()))
    assert lectura.no_leidas == []
    assert [(a.numero, a.texto) for a in lectura.hallazgos] == [
        (1, "El diagnóstico del programa no cuantifica la población objetivo."),
        (2, "La MIR no tiene indicadores de calidad."),
    ]

    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)

    r1, r2, r3 = borrador.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero")
    assert r1.texto == "Actualizar el diagnóstico del programa."
    assert [
        (a.numero, a.texto, a.fecha_termino, a.area_responsable, a.area_responsable_texto) for a in r1.acciones.all()
    ] == [
        (1, "Levantar la encuesta de población.", datetime.date(2023, 3, 15), None, "Coordinación de Estadística"),
        (2, "Publicar el diagnóstico actualizado.", datetime.date(2023, 6, 30), m.dependencia, ""),
    ]
    assert [a.producto_esperado for a in r1.acciones.all()] == ["Base de datos de la encuesta", "Diagnóstico publicado"]
    # The item's date is the latest of its actions' (past December: the deadline is 30 June 2023).
    assert r1.fecha_compromiso == r1.fecha_vigente == datetime.date(2023, 6, 30)
    assert [(a.texto, a.fecha_termino, a.area_responsable, a.producto_esperado) for a in r2.acciones.all()] == [
        ("Proponer dos indicadores de calidad.", datetime.date(2023, 4, 30), m.dependencia, "Fichas técnicas"),
        ("Incluirlos en el formato PbRM-01d.", datetime.date(2023, 5, 31), m.dependencia, "Formato PbRM-01d"),
    ]
    assert r2.fecha_compromiso == datetime.date(2023, 5, 31)
    assert [a.texto for a in r3.acciones.all()] == ["Impartir un curso de 20 horas.", "Evaluar el curso."]
    assert r3.fecha_compromiso == datetime.date(2023, 4, 30)
    # Hallazgos without a date of their own take the convenio's deadline (cláusula QUINTA).
    assert set(borrador.aspectos.filter(tipo=TipoAspecto.HALLAZGO).values_list("fecha_compromiso", flat=True)) == {
        datetime.date(2023, 6, 30)
    }


def test_un_cuadro_con_una_fecha_mal_escrita_no_guarda_nada(seed):
    nuevo = borrador_en_municipio_de(seed)
    implan = fabricas.crear_usuario("implan_izcalli", seed.implan)
    datos = docx_de_la_semilla(fechas={3: ["31 de Diciembre", "2022"]})

    lectura = importar.leer(subido("convenio.docx", datos))
    assert [(f.lugar, f.motivo) for f in lectura.no_leidas] == [
        (
            "Cuadro de recomendaciones (CUARTA b), renglón 4 (No. 3)",
            "La fecha «31 de Diciembre 2022» no se entiende; escríbala como «Diciembre 2022» o «15 de junio de 2023».",
        )
    ]
    assert [a.numero for a in lectura.recomendaciones] == [1, 2, 4, 5, 6]
    with pytest.raises(ValidationError, match="1 renglones que no se pudieron leer"):
        services.convenio_importar(convenio=nuevo, lectura=lectura, usuario=implan)
    assert nada_guardado(nuevo)


def test_un_cuadro_sin_la_columna_de_fechas_se_rechaza():
    datos = docx_de_la_semilla(cambiar={"\tFecha de cumplimiento\n": "\tObservaciones\n"})
    with pytest.raises(ValidationError, match="no tiene la columna «Fecha de cumplimiento»"):
        importar.leer(subido("convenio.docx", datos))
