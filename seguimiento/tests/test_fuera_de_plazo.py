"""An item attended after its current date keeps "atendida fuera de plazo (N días)" everywhere it is shown."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from convenios.models import EstadoAspecto
from seguimiento import services

# The seed's kind of date: due 31 December 2022, validated four years later.
VALIDADO_EL = datetime.date(2026, 12, 31)
MARCA = "Atendida fuera de plazo (1461 días)"


@pytest.fixture
def atendida_tarde(en_revision, implan):
    return services.aspecto_transicionar(aspecto=en_revision, usuario=implan, accion="validar", fecha=VALIDADO_EL)


def test_validar_despues_de_la_fecha_vigente_guarda_los_dias_de_retraso(atendida_tarde):
    assert atendida_tarde.estado == EstadoAspecto.ATENDIDA
    assert atendida_tarde.fecha_vigente == datetime.date(2022, 12, 31)
    assert atendida_tarde.dias_fuera_de_plazo == 1461
    # The semáforo stays green (the item is attended); the mark goes beside it.
    assert atendida_tarde.semaforo_en(VALIDADO_EL) == "verde"


def test_validar_a_tiempo_no_marca_nada(en_revision, implan):
    aspecto = services.aspecto_transicionar(
        aspecto=en_revision, usuario=implan, accion="validar", fecha=datetime.date(2022, 12, 31)
    )
    assert aspecto.dias_fuera_de_plazo == 0
    assert aspecto.fuera_de_plazo == ""


def test_la_marca_en_la_pagina_del_aspecto_la_de_supervision_y_el_tablero(client, atendida_tarde, implan, contraloria):
    client.force_login(implan)
    assert MARCA in client.get(reverse("seguimiento:aspecto", args=[atendida_tarde.pk])).content.decode()
    assert MARCA in client.get(reverse("seguimiento:convenio", args=[atendida_tarde.convenio_id])).content.decode()
    client.force_login(contraloria)
    assert MARCA in client.get(reverse("supervision:aspecto", args=[atendida_tarde.pk])).content.decode()
    assert MARCA in client.get(reverse("supervision:tablero"), {"estado": "atendida"}).content.decode()


def test_la_marca_en_la_exportacion_del_tablero(client, atendida_tarde, contraloria):
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero_csv"))
    filas = list(csv.DictReader(io.StringIO(b"".join(respuesta.streaming_content).decode("utf-8-sig"))))
    fila = next(f for f in filas if f["Texto"] == atendida_tarde.texto)
    assert fila["Atendida fuera de plazo (días)"] == "1461"


def test_la_marca_en_la_api_los_datos_abiertos_y_el_portal(client, atendida_tarde):
    api = client.get("/api/v1/aspectos/", {"convenio": atendida_tarde.convenio_id}).json()["resultados"]
    assert next(f for f in api if f["id"] == atendida_tarde.pk)["dias_fuera_de_plazo"] == 1461
    datos = client.get(reverse("transparencia:descarga", kwargs={"conjunto": "aspectos", "formato": "json"}))
    registros = json.loads(b"".join(datos.streaming_content))["datos"]
    assert next(r for r in registros if r["id"] == atendida_tarde.pk)["dias_fuera_de_plazo"] == 1461
    portal = client.get(reverse("transparencia:convenio", args=[atendida_tarde.convenio_id])).content.decode()
    assert MARCA in portal
