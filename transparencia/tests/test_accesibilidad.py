"""Accessibility (WCAG 2.1 A/AA rules of axe-core, from npm: the `violaciones_graves` fixture) on the portal's pages
that the walk of every role's pages (supervision/tests/test_navegador_accesibilidad.py, which also checks that they
fit a phone) does not reach: a search with an invalid year, a municipio's page and a convenio with public
evidence, at desktop and phone widths, with no sideways scrolling; and the pages read without JavaScript and by
keyboard."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.navegador]

ANCHOS = {"escritorio": (1280, 900), "telefono": (390, 844)}


@pytest.fixture
def paginas_publicas(seed, datos) -> dict[str, str]:
    return {
        "inicio": reverse("transparencia:inicio"),
        "busqueda": reverse("transparencia:inicio") + "?q=01020401&anio=abc",
        "municipio": reverse("transparencia:municipio", args=[seed.municipio.slug]),
        "convenio": reverse("transparencia:convenio", args=[seed.pk]),
        "convenio_con_evidencia": reverse("transparencia:convenio", args=[datos.vigente.pk]),
    }


NO_RECORRIDAS = ("busqueda", "municipio", "convenio_con_evidencia")


@pytest.mark.parametrize("ancho", list(ANCHOS))
def test_sin_violaciones_graves_de_accesibilidad(
    live_server, pagina, captura, paginas_publicas, violaciones_graves, ancho
):
    pagina.set_viewport_size(dict(zip(("width", "height"), ANCHOS[ancho], strict=True)))
    encontradas, anchas = {}, {}
    for nombre in NO_RECORRIDAS:
        pagina.goto(live_server.url + paginas_publicas[nombre])
        captura(pagina, f"{ancho}-{nombre}")
        if violaciones := violaciones_graves(pagina):
            encontradas[nombre] = violaciones
        if (medida := pagina.evaluate("document.documentElement.scrollWidth")) > ANCHOS[ancho][0]:
            anchas[nombre] = medida
    assert encontradas == {}
    assert anchas == {}  # no sideways scrolling, with this test's data as with the walk's


def test_lectura_sin_javascript_y_con_teclado(live_server, navegador, paginas_publicas):
    contexto = navegador.new_context(java_script_enabled=False, locale="es-MX")
    pagina = contexto.new_page()
    try:
        pagina.goto(live_server.url + paginas_publicas["convenio"])
        assert pagina.locator("h1").inner_text().startswith("Convenio para la mejora del desempeño")
        assert pagina.locator("article.aspecto").count() == 11
        assert pagina.locator("html").get_attribute("lang") == "es-MX"
        # The first Tab lands on the skip link, which takes the focus to the content.
        pagina.keyboard.press("Tab")
        assert pagina.evaluate("document.activeElement.textContent") == "Saltar al contenido"
        pagina.keyboard.press("Enter")
        # Following the link is the browser's work after the key press: waited for, not read at once.
        expect(pagina).to_have_url(re.compile(r"#contenido$"))
        # The search works as a plain form submission.
        pagina.goto(live_server.url + paginas_publicas["inicio"])
        pagina.get_by_label("Programa (clave o nombre)").fill("Derechos Humanos")
        pagina.get_by_role("button", name="Buscar").click()
        pagina.wait_for_url("**q=Derechos+Humanos**")
        assert "1 evaluación" in pagina.locator("[role=status]").inner_text()
    finally:
        contexto.close()
