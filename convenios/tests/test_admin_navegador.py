"""In Chromium: the evaluación field of a convenio is an autocomplete that finds, by program key, only the
officer's own municipio's evaluations, under the strict CSP."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from convenios.tests import fabricas
from seguridad.tests.test_encabezados import _entrar, _sin_violaciones, _vigilar


@pytest.mark.navegador
def test_el_autocompletado_de_la_evaluacion_solo_encuentra_las_del_municipio(
    live_server, pagina: Page, captura, m, implan, otro_municipio
):
    propio = fabricas.crear_convenio(m, clave="01020401")
    ajeno = fabricas.crear_convenio(otro_municipio, clave="01020402")
    page = pagina
    violaciones = _vigilar(page)
    _entrar(page, live_server.url, "implan")

    page.goto(f"{live_server.url}{reverse('admin:convenios_convenio_add')}")
    page.locator(".field-evaluacion .select2-selection").click()
    page.locator(".select2-search__field").fill("010204")
    opciones = page.locator(".select2-results__option")
    expect(opciones).to_have_count(1)
    expect(opciones.first).to_contain_text(str(propio.evaluacion.programa))
    captura(page, "autocompletado-evaluacion")
    opciones.first.click()

    expect(page.locator("#id_evaluacion")).to_have_value(str(propio.evaluacion.pk))
    assert str(ajeno.evaluacion.programa.clave) not in page.content()
    _sin_violaciones(page, violaciones, "autocompletado de la evaluación")
