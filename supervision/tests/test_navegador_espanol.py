"""Spanish in the browser. Dates read in Spanish whatever the browser's language. Chromium draws a date field in its own language
(here, as on any browser set to English, "mm/dd/yyyy" and AM/PM): under each date and time field the page
says the chosen value in Spanish, as the field's description. The admin's calendar takes its month and day
names, and its counter of selected rows its words, from the server's catalogue (with our corrections)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from convenios.formatos import MESES
from convenios.models import hoy
from supervision.tests.recorrido import como, preparar_demo

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_la_fecha_y_la_hora_elegidas_se_leen_en_espanol(live_server, navegador):
    rutas = preparar_demo()
    with como(navegador, live_server.url, "defensoria", 390, 844) as pagina:
        pagina.goto(live_server.url + rutas["defensoria"]["prorroga"])
        campo = pagina.get_by_label("Nueva fecha de cumplimiento")
        campo.fill("2026-12-15")
        expect(campo).to_have_accessible_description("martes, 15 de diciembre de 2026")
        lectura = pagina.locator(".valor-en-palabras")
        expect(lectura).to_have_attribute("aria-live", "polite")
        campo.fill("")
        expect(lectura).to_have_text("")
    with como(navegador, live_server.url, "implan", 1366, 900) as pagina:
        pagina.goto(live_server.url + reverse("seguimiento:sesion_programar"))
        pagina.get_by_label("Fecha").fill("2027-01-01")
        pagina.get_by_label("Hora").fill("16:30")
        expect(pagina.get_by_label("Fecha")).to_have_accessible_description("viernes, 1 de enero de 2027")
        expect(pagina.get_by_label("Hora")).to_have_accessible_description("16:30")


def test_el_calendario_del_admin_nombra_meses_y_dias_en_espanol(live_server, navegador):
    preparar_demo()
    with como(navegador, live_server.url, "implan", 1366, 900) as pagina:
        pagina.goto(live_server.url + reverse("admin:convenios_evaluacion_add"))
        pagina.locator("a[id^=calendarlink]").first.click()
        calendario = pagina.locator(".calendarbox").first
        expect(calendario).to_be_visible()
        este_mes = hoy().replace(day=1)
        caption = calendario.locator("caption").text_content()
        assert caption.strip().lower() == f"{MESES[este_mes.month - 1]} {este_mes.year}"
        assert calendario.locator("th").all_text_contents()[:7] == ["L", "M", "M", "J", "V", "S", "D"]
        expect(calendario.locator(".calendar-shortcuts")).to_have_text("Ayer | Hoy | Mañana")
        # The previous month's button goes back: its name comes from the same catalogue.
        calendario.locator(".calendarnav-previous").click()
        anterior = este_mes - datetime.timedelta(days=1)
        caption = calendario.locator("caption").text_content()
        assert caption.strip().lower() == f"{MESES[anterior.month - 1]} {anterior.year}"


def test_el_contador_de_filas_elegidas_del_admin_no_dice_seleccionados_as(live_server, navegador):
    preparar_demo()
    # The state-level administrator's lists carry actions (delete); IMPLAN's do not.
    with como(navegador, live_server.url, "estatal", 1366, 900) as pagina:
        pagina.goto(live_server.url + reverse("admin:convenios_aspecto_changelist"))
        contador = pagina.locator(".action-counter")
        total = pagina.locator("#result_list tbody tr").count()
        expect(contador).to_have_text(f"Seleccionados: 0 de {total}")
        pagina.locator("#result_list tbody input.action-select").first.check()
        expect(contador).to_have_text(f"Seleccionados: 1 de {total}")
