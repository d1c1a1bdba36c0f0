"""What a person sees when something goes wrong, in a real browser (DEBUG off)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from convenios.tests.fabricas import CONTRASENA

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_pagina_no_encontrada_en_espanol(live_server, pagina: Page, captura):
    respuesta = pagina.goto(f"{live_server.url}/pagina-que-no-existe/")

    assert respuesta.status == 404
    expect(pagina.get_by_role("heading", name="No encontramos la página que busca")).to_be_visible()
    expect(pagina.get_by_role("link", name="Volver al inicio")).to_be_visible()
    captura(pagina, "404")


def test_formulario_vencido_explica_que_hacer_y_no_entra(live_server, pagina: Page, captura, dependencia):
    """The login page stayed open while the CSRF cookie went away (cookies cleared, session closed elsewhere)."""
    pagina.goto(f"{live_server.url}/accounts/login/")
    pagina.context.clear_cookies()
    pagina.get_by_label("Nombre de usuario").fill("dependencia")
    pagina.get_by_label("Contraseña").fill(CONTRASENA)
    pagina.get_by_role("button", name="Entrar").click()

    expect(pagina.get_by_role("heading", name="No pudimos verificar el envío del formulario")).to_be_visible()
    expect(pagina.get_by_text("No se guardó ningún cambio.")).to_be_visible()
    captura(pagina, "csrf")
    expect(pagina.get_by_role("button", name="Cerrar sesión")).to_have_count(0)
