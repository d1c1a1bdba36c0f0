"""The import service's rules: all or nothing, the model's rules before saving, only an empty borrador, only
IMPLAN; the reading kept in the session as it was read."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from convenios import importar, services
from convenios.tests.importacion import (
    FILAS_XLSX,
    XLSX_TIPO,
    como_tuplas,
    docx_otro_formato,
    nada_guardado,
    subido,
    xlsx_llenado,
)


def test_una_accion_despues_de_la_fecha_limite_la_rechaza_la_regla_del_modelo(borrador, implan):
    filas = [
        ["Recomendación", 1, "Elaborar el diagnóstico.", "Levantar la encuesta.", None, "Marzo 2023", None, None, None],
        ["Recomendación", 1, None, "Publicar el diagnóstico.", None, "15 de julio de 2023", None, None, None],
    ]
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(filas), XLSX_TIPO))
    assert lectura.no_leidas == []  # readable: the rule is the model's, not the reader's
    problemas = services.lectura_revisar(convenio=borrador, lectura=lectura)
    assert [str(p) for p in problemas] == [
        "Recomendación 1, acción 2: fecha de término: La fecha de término no puede exceder el 30 de junio de 2023, "
        "fecha límite del convenio (cláusula QUINTA).",
        "Recomendación 1: fecha de cumplimiento: La fecha de cumplimiento no puede exceder el 30 de junio de 2023 "
        "(cláusula QUINTA).",
    ]
    with pytest.raises(ValidationError, match="cláusula QUINTA"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert nada_guardado(borrador)


def test_todo_o_nada_si_falla_el_ultimo_aspecto(borrador, implan):
    """The last item repeats the number of one saved before it: the preview's check (each item against
    the database) cannot see it, the save of that item fails, and the items already saved roll back."""
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    lectura.aspectos.append(dataclasses.replace(lectura.aspectos[-1], texto="Otra recomendación 2"))
    assert services.lectura_revisar(convenio=borrador, lectura=lectura) == []
    with pytest.raises(ValidationError, match="Ya existe un hallazgo o recomendación con ese número"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert nada_guardado(borrador)


def test_un_area_mas_larga_que_la_columna_se_explica_antes_de_guardar(borrador, implan):
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    lectura.aspectos[-1].acciones[0].area_responsable = "x" * 201
    assert [p.lugar for p in services.lectura_revisar(convenio=borrador, lectura=lectura)] == [
        "Recomendación 2, acción 1"
    ]
    with pytest.raises(ValidationError, match="Recomendación 2, acción 1: área responsable"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert nada_guardado(borrador)


def test_solo_en_un_borrador_vacio(borrador, convenio, implan):
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    with pytest.raises(ValidationError, match="El convenio ya está «Vigente»"):
        services.convenio_importar(convenio=convenio, lectura=lectura, usuario=implan)
    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    antes = como_tuplas(borrador)
    with pytest.raises(ValidationError, match="ya tiene hallazgos o recomendaciones capturados"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert como_tuplas(borrador) == antes


def test_solo_el_implan_importa(borrador, contraloria, implan_otro_municipio):
    lectura = importar.leer(subido("aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    for usuario in (contraloria, implan_otro_municipio):
        with pytest.raises(PermissionDenied):
            services.convenio_importar(convenio=borrador, lectura=lectura, usuario=usuario)
    assert nada_guardado(borrador)


def test_la_lectura_sobrevive_a_la_sesion_tal_cual():
    lectura = importar.leer(subido("convenio.docx", docx_otro_formato()))
    assert importar.Lectura.desde_dict(lectura.como_dict()) == lectura
