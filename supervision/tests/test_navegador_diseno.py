"""Each role's pages on a 390 px phone and at 1366 px: no sideways scrolling of the page, the content
starts in the first 40 % of the first screen, the menu collapses and opens with Bootstrap's own script."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supervision.tests.recorrido import como, preparar_demo

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

TAMANOS = {"telefono": (390, 844), "escritorio": (1366, 900)}


def _medir(pagina) -> dict[str, float]:
    return pagina.evaluate(
        """() => ({
            ancho: document.documentElement.scrollWidth,
            ventana: window.innerWidth,
            inicio: document.querySelector('main h1, main h2, main').getBoundingClientRect().top,
            alto: window.innerHeight,
        })"""
    )


def test_cada_pagina_de_cada_rol_cabe_sin_desplazamiento_lateral(live_server, navegador, captura):
    paginas = preparar_demo()
    fallas = {}
    for tamano, (ancho, alto) in TAMANOS.items():
        for usuario, rutas in paginas.items():
            with como(navegador, live_server.url, usuario, ancho, alto) as pagina:
                for nombre, ruta in rutas.items():
                    respuesta = pagina.goto(live_server.url + ruta)
                    assert respuesta.status == 200, (usuario, ruta, respuesta.status)
                    medida = _medir(pagina)
                    captura(pagina, f"{tamano}-{usuario or 'anonimo'}-{nombre}")
                    if medida["ancho"] > medida["ventana"] or medida["inicio"] > 0.4 * medida["alto"]:
                        fallas[(tamano, usuario, nombre)] = medida
    assert fallas == {}


def test_en_el_telefono_el_menu_se_pliega_y_se_abre(live_server, navegador, captura):
    preparar_demo()
    with como(navegador, live_server.url, "implan", 390, 844) as pagina:
        menu = pagina.locator("#menu-principal")
        expect(menu.get_by_role("link", name="Tablero")).to_be_hidden()
        boton = pagina.get_by_role("button", name="Menú")
        expect(boton).to_have_attribute("aria-expanded", "false")
        boton.click()
        expect(menu.get_by_role("link", name="Tablero")).to_be_visible()
        expect(boton).to_have_attribute("aria-expanded", "true")
        expect(menu.get_by_role("button", name="Cerrar sesión")).to_be_in_viewport()
        expect(pagina.locator(".collapsing")).to_have_count(0)
        captura(pagina, "menu-abierto")
        menu.get_by_role("link", name="Tablero").click()
        expect(pagina.get_by_role("heading", name="Tablero de seguimiento")).to_be_visible()
        # On a phone the board's rows are cards: the semáforo and the state are on screen, labelled.
        fila = pagina.locator("table.tabla-tablero tbody tr").first
        for celda in (fila.locator("td").nth(0), fila.locator("td").nth(6)):
            expect(celda).to_be_visible()
            caja = celda.bounding_box()
            assert caja["x"] >= 0 and caja["x"] + caja["width"] <= 390
        expect(fila.locator("td").nth(0)).to_have_attribute("data-etiqueta", "Semáforo")


def test_en_1366_el_menu_y_el_tablero_caben_sin_desplazamiento(live_server, navegador):
    preparar_demo()
    with como(navegador, live_server.url, "implan", 1366, 900) as pagina:
        nombre = pagina.locator(".nombre-usuario")
        expect(nombre).to_be_visible()
        alto = nombre.evaluate("e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)")
        assert alto < 2
        alto_menu = pagina.locator("nav.navbar").evaluate("e => e.getBoundingClientRect().height")
        assert alto_menu < 70  # one line of links
        pagina.goto(live_server.url + reverse("supervision:tablero"))
        tabla = pagina.locator(".table-responsive:has(table.tabla-tablero)")
        assert tabla.evaluate("e => e.scrollWidth <= e.clientWidth")
