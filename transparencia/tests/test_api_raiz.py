"""/api/v1/ is the API's root: JSON for a program, a page of the portal for a browser; never a 404."""

from __future__ import annotations

from django.urls import reverse


def test_la_raiz_de_la_api_lista_sus_conjuntos_en_json(client, db):
    respuesta = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert respuesta.status_code == 200
    assert respuesta.json() == {
        "evaluaciones": "http://testserver/api/v1/evaluaciones/",
        "convenios": "http://testserver/api/v1/convenios/",
        "aspectos": "http://testserver/api/v1/aspectos/",
        "esquema": "http://testserver" + reverse("api:esquema"),
        "documentacion": "http://testserver" + reverse("api:documentacion"),
    }
    assert client.get("/api/v1/").json()["convenios"].endswith("/api/v1/convenios/")  # no Accept: JSON


def test_en_el_navegador_la_raiz_es_una_pagina_del_portal(client, db):
    respuesta = client.get("/api/v1/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("text/html")
    contenido = respuesta.content.decode()
    assert '<html lang="es-MX">' in contenido
    assert 'href="http://testserver/api/v1/aspectos/">Aspectos susceptibles de mejora</a>' in contenido
    assert "<script" not in contenido


def test_lo_que_no_existe_bajo_la_api_sigue_siendo_un_404_en_json(client, db):
    respuesta = client.get("/api/v1/no-existe/")
    assert respuesta.status_code == 404
    assert respuesta.json() == {"detail": "No encontrado."}
