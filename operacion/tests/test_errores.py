"""Error pages in Spanish with DEBUG off (the test settings have DEBUG = False)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("operacion.tests.urls_errores")]


def test_las_pruebas_corren_sin_debug(settings):
    assert settings.DEBUG is False


def test_404_en_espanol(client):
    respuesta = client.get("/no-existe/")

    assert respuesta.status_code == 404
    assert "No encontramos la página que busca" in respuesta.content.decode()
    assert "Not Found" not in respuesta.content.decode()


def test_403_en_espanol(client, dependencia):
    client.force_login(dependencia)

    respuesta = client.get("/prueba/403/")

    assert respuesta.status_code == 403
    assert "No tiene permiso para realizar esta acción" in respuesta.content.decode()


def test_400_en_espanol_por_operacion_sospechosa(client):
    respuesta = client.get("/prueba/400/")

    assert respuesta.status_code == 400
    assert "La solicitud no es válida" in respuesta.content.decode()


def test_400_en_espanol_por_host_no_permitido(client):
    respuesta = client.get("/accounts/login/", HTTP_HOST="sitio-ajeno.example")

    assert respuesta.status_code == 400
    assert "La solicitud no es válida" in respuesta.content.decode()


def test_500_en_espanol_sin_detalles_del_error():
    cliente = Client(raise_request_exception=False)

    respuesta = cliente.get("/prueba/500/")

    assert respuesta.status_code == 500
    contenido = respuesta.content.decode()
    assert "Ocurrió un error en el servidor" in contenido
    assert "falla de prueba" not in contenido
    assert "RuntimeError" not in contenido


def test_fallo_csrf_en_espanol_y_sin_cambios(dependencia):
    cliente = Client(enforce_csrf_checks=True)

    respuesta = cliente.post("/accounts/login/", {"username": "dependencia", "password": "contraseña-de-prueba-larga"})

    assert respuesta.status_code == 403
    contenido = respuesta.content.decode()
    assert "No pudimos verificar el envío del formulario" in contenido
    assert "CSRF verification failed" not in contenido
    assert "_auth_user_id" not in cliente.session


def test_bitacora_una_linea_por_peticion_con_usuario_ruta_estado_y_duracion(client, dependencia, caplog):
    client.force_login(dependencia)

    with caplog.at_level(logging.INFO, logger="operacion.peticiones"):
        client.get("/no-existe/?token=secreto")

    lineas = [r.getMessage() for r in caplog.records if r.name == "operacion.peticiones"]
    assert len(lineas) == 1
    metodo, ruta, estado, duracion, usuario = lineas[0].split(" ")
    assert (metodo, ruta, estado, usuario) == ("GET", "/no-existe/", "404", "usuario=dependencia")
    assert duracion.endswith("ms") and float(duracion.removesuffix("ms")) >= 0
    assert "secreto" not in lineas[0]


def test_bitacora_registra_el_500_y_al_anonimo(caplog):
    cliente = Client(raise_request_exception=False)

    with caplog.at_level(logging.INFO, logger="operacion.peticiones"):
        cliente.get("/prueba/500/")

    lineas = [r.getMessage() for r in caplog.records if r.name == "operacion.peticiones"]
    assert len(lineas) == 1
    assert lineas[0].startswith("GET /prueba/500/ 500 ")
    assert lineas[0].endswith("usuario=-")
