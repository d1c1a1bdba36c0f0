"""ASM that come back cycle after cycle, and CONEVAL's classification, where the Contraloría looks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convenios.models import ClasificacionAspecto, TipoAspecto
from convenios.tests import fabricas


@pytest.fixture
def repetido(m):
    anterior = fabricas.crear_convenio(m, anio=2021, clave="01020401")
    actual = fabricas.crear_convenio(m, anio=2022, clave="01020402")
    evaluacion = actual.evaluacion
    evaluacion.programa = anterior.evaluacion.programa
    evaluacion.evaluacion_anterior = anterior.evaluacion
    evaluacion.save()
    aspecto = actual.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=2)
    aspecto.repite_a = anterior.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=2)
    aspecto.clasificacion = ClasificacionAspecto.INTERINSTITUCIONAL
    aspecto.prioridad = "alta"
    # Captured while the convenio is a borrador (a signed one is frozen), then signed.
    type(actual).objects.filter(pk=actual.pk).update(estado="borrador")
    aspecto.save()
    type(actual).objects.filter(pk=actual.pk).update(estado="vigente")
    return actual, aspecto


def test_el_aspecto_repetido_debe_ser_del_convenio_de_la_evaluacion_anterior(m, repetido):
    actual, aspecto = repetido
    ajeno = fabricas.crear_convenio(m, anio=2020)
    aspecto.repite_a = ajeno.aspectos.first()
    with pytest.raises(ValidationError) as error:
        aspecto.full_clean()
    assert "repite_a" in error.value.error_dict


def test_la_evaluacion_anterior_es_del_mismo_programa_y_de_un_pae_anterior(m, repetido):
    actual, _aspecto = repetido
    evaluacion = actual.evaluacion.evaluacion_anterior
    evaluacion.evaluacion_anterior = actual.evaluacion
    with pytest.raises(ValidationError) as error:
        evaluacion.full_clean()
    assert "PAE anterior a 2021" in str(error.value)


def test_la_pagina_del_convenio_y_el_tablero_dicen_repetido_de_pae_2021(client, implan, contraloria, repetido):
    actual, aspecto = repetido
    client.force_login(implan)
    assert "repetido de PAE 2021" in client.get(reverse("seguimiento:convenio", args=[actual.pk])).content.decode()
    client.force_login(contraloria)
    tablero = client.get(reverse("supervision:tablero"), {"repetidos": "on"})
    assert [a.pk for a in tablero.context["pagina"]] == [aspecto.pk]
    assert "repetido de PAE 2021" in tablero.content.decode()


def test_el_tablero_filtra_por_clasificacion_y_prioridad(client, contraloria, repetido):
    _actual, aspecto = repetido
    client.force_login(contraloria)
    filtrado = client.get(reverse("supervision:tablero"), {"clasificacion": "interinstitucional", "prioridad": "alta"})
    assert [a.pk for a in filtrado.context["pagina"]] == [aspecto.pk]


def test_la_api_filtra_por_clasificacion_y_dice_el_pae_repetido(client, repetido):
    actual, aspecto = repetido
    respuesta = client.get("/api/v1/aspectos/", {"clasificacion": "interinstitucional"})
    assert respuesta.status_code == 200
    filas = respuesta.json()["resultados"]
    assert [f["id"] for f in filas] == [aspecto.pk]
    assert filas[0]["repetido_de_pae"] == 2021
    assert filas[0]["acciones_detalle"][0]["fecha_termino"] == str(datetime.date(2022, 12, 31))
