"""A new IMPLAN officer captures a convenio in the admin, in a real browser (Playwright driving Debian's Chromium).

A 10-digit subprograma, signed on 10 December with a deadline of 30 June of the next
year; its action is first typed with a date after the deadline: the error shows beside
that row with everything still typed, and the convenio saves once corrected.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from convenios.models import Convenio, Dependencia, Evaluacion, TipoAspecto, TipoDependencia

pytestmark = pytest.mark.navegador

CONTRASENA = "Izcalli.Demo.2022"
ACCION = "Integrar el diagnóstico de la población objetivo en el formato PbRM-01a."


def _entrar_al_admin(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("implan")
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    page.goto(f"{base}/admin/")


def test_captura_de_un_convenio_con_una_accion_fuera_de_plazo(live_server, pagina: Page, captura, settings):
    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    base = live_server.url
    page = pagina
    _entrar_al_admin(page, base)

    # The subprograma (10 digits) and its evaluation.
    page.goto(f"{base}/admin/convenios/programapresupuestario/add/")
    page.locator("#id_clave").fill("020103010")
    page.locator("#id_nombre").fill("Prevención médica para la comunidad")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("10 (subprograma)")
    expect(page.locator("#id_nombre")).to_have_value("Prevención médica para la comunidad")
    page.locator("#id_clave").fill("0201030101")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("0201030101")

    dependencia = Dependencia.objects.filter(tipo=TipoDependencia.DEPENDENCIA).first()
    page.goto(f"{base}/admin/convenios/evaluacion/add/")
    page.locator("#id_anio_pae").fill("2022")
    page.locator("#id_tipo").select_option("diseno")
    page.locator("#id_programa").select_option(label="0201030101.- Prevención médica para la comunidad")
    page.locator("#id_dependencia_evaluada").select_option(label=dependencia.nombre)
    page.locator("#id_ejercicio_evaluado").fill("2021")
    page.locator("#id_presupuesto_programa").fill("1250000")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    # The convenio, with one recomendación whose action is typed past the deadline.
    page.goto(f"{base}/admin/convenios/convenio/add/")
    expect(page.locator("#id_municipio")).to_have_count(0)
    evaluacion = Evaluacion.objects.get(programa__clave="0201030101")
    page.locator(".field-evaluacion .select2-selection").click()
    page.locator(".select2-search__field").fill("0201030101")
    page.locator(".select2-results__option", has_text="0201030101").click()
    expect(page.locator("#id_evaluacion")).to_have_value(str(evaluacion.pk))
    page.locator("#id_fecha_firma").fill("2022-12-10")
    page.locator("#id_fecha_limite").fill("2023-06-30")
    for parte in ("implan", "tesoreria", "contraloria"):
        page.locator(f"#id_{parte}").select_option(index=1)
        page.locator(f"#id_firmante_{parte}").select_option(index=1)
    page.locator("#id_dependencia_evaluada").select_option(label=dependencia.nombre)
    page.locator("#id_firmante_dependencia_evaluada").select_option(index=1)
    page.locator(".add-row a", has_text="Recomendación").click()
    fila = (
        page.locator(".inline-related:not(.empty-form)")
        .filter(has=page.locator("textarea[name$='-accion_texto']"))
        .last
    )
    fila.locator("input[name$='-numero']").fill("1")
    fila.locator("textarea[name$='-texto']").first.fill("Elaborar el diagnóstico de la población potencial.")
    fila.locator("textarea[name$='-accion_texto']").fill(ACCION)
    fila.locator("input[name$='-accion_fecha']").fill("2023-07-15")
    fila.locator("input[name$='-accion_area_texto']").fill("Coordinación de Planeación")
    captura(page, "convenio-tecleado")
    page.get_by_role("button", name="Guardar", exact=True).click()

    fila = (
        page.locator(".inline-related:not(.empty-form)")
        .filter(has=page.locator("textarea[name$='-accion_texto']"))
        .last
    )
    expect(fila.locator(".errorlist")).to_contain_text("no puede exceder el 30 de junio de 2023")
    expect(fila.locator("textarea[name$='-accion_texto']")).to_have_value(ACCION)
    expect(fila.locator("input[name$='-accion_area_texto']")).to_have_value("Coordinación de Planeación")
    expect(page.locator("#id_fecha_limite")).to_have_value("2023-06-30")
    expect(page.locator("#id_evaluacion")).to_have_value(str(evaluacion.pk))
    captura(page, "error-junto-a-la-fila")
    assert not Convenio.objects.filter(evaluacion__programa__clave="0201030101").exists()

    fila.locator("input[name$='-accion_fecha']").fill("2023-06-15")
    page.get_by_role("button", name="Guardar", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Se agregó")
    convenio = Convenio.objects.get(evaluacion__programa__clave="0201030101")
    recomendacion = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION)
    assert recomendacion.acciones.get().texto == ACCION
    assert recomendacion.fecha_compromiso == datetime.date(2023, 6, 15)
    assert convenio.fecha_limite == datetime.date(2023, 6, 30)
