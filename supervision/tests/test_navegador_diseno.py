"""The menu on a 390 px phone and at 1366 px: it collapses and opens with Bootstrap's own script, and at
1366 px it fits on one line with the board below it. That every role's page fits on both screens is
checked by the walk of test_navegador_accesibilidad.py, which loads each page once for all its checks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from supervision.tests.recorrido import como, preparar_demo

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


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
