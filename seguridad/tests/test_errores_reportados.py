"""The two server errors of issue 15, asked again as the probe asked them: now a Spanish message and a 405."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.seguridad


def test_verificar_con_un_codigo_con_diagonal_responde_con_un_mensaje(db):
    respuesta = Client(raise_request_exception=True).get("/verificar/", {"codigo": "a/b"})
    assert respuesta.status_code == 200
    # "/" belongs in a folio (IMPLAN/OC/2026/001), so the page looks it up and says none matches.
    assert "No hay ningún documento emitido con ese folio o código." in respuesta.content.decode()
    assert 'value="a/b"' in respuesta.content.decode()  # the typed value is kept


def test_un_codigo_valido_sigue_llevando_a_su_pagina(db):
    respuesta = Client().get("/verificar/", {"codigo": "Ab-_09"})
    assert respuesta.status_code == 302 and respuesta["Location"] == "/verificar/Ab-_09/"


@pytest.mark.parametrize("metodo", ["options", "put", "delete", "patch", "post"])
def test_la_documentacion_de_la_api_solo_responde_get_y_head(db, metodo):
    respuesta = getattr(Client(raise_request_exception=True), metodo)("/api/v1/documentacion/")
    assert respuesta.status_code == 405
    assert Client().get("/api/v1/documentacion/").status_code == 200
    assert Client().head("/api/v1/documentacion/").status_code == 200
