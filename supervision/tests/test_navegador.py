"""The Contraloría's walk through the board in a real browser, with the seed convenio (the issue's "done when")."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from convenios.tests.fabricas import CONTRASENA, crear_usuario

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _entrar(pagina, live_server, usuario: str) -> None:
    pagina.goto(f"{live_server.url}/accounts/login/")
    pagina.fill("input[name=username]", usuario)
    pagina.fill("input[name=password]", CONTRASENA)
    pagina.click("button[type=submit]")


def test_la_contraloria_revisa_filtra_exporta_y_grafica(pagina, live_server, seed, captura):
    crear_usuario("auditora", seed.contraloria)
    _entrar(pagina, live_server, "auditora")
    pagina.click("text=Tablero")
    filas = pagina.locator("table.tabla-tablero tbody tr")
    expect(filas).to_have_count(11)
    assert pagina.locator(".conteo-rojo .conteo-numero").inner_text() == "11"
    assert pagina.locator("table.tabla-tablero tbody td .semaforo-rojo").count() == 11
    assert "Recomendación 6" in pagina.content() and "Hallazgo 5" in pagina.content()
    dias = pagina.locator("table.tabla-tablero tbody tr").first.locator("td").nth(5).inner_text()
    assert int(dias) > 1000  # due 31 December 2022
    captura(pagina, "tablero")

    pagina.select_option("select[name=dependencia]", label="Defensoría Municipal de Derechos Humanos")
    pagina.check("input[name=vencidos]")
    pagina.click("text=Aplicar filtros")
    # The click only waits for the new page to start arriving: its rows are counted once it has loaded.
    pagina.wait_for_load_state()
    assert "vencidos=on" in pagina.url and "dependencia=" in pagina.url
    expect(filas).to_have_count(11)
    captura(pagina, "filtrado")

    with pagina.expect_download() as descarga:
        pagina.click("text=Exportar XLSX")
    assert descarga.value.suggested_filename.endswith(".xlsx")
    with open(descarga.value.path(), "rb") as archivo:
        libro = load_workbook(io.BytesIO(archivo.read()), read_only=True)
    hoja = list(libro["Aspectos"].iter_rows(values_only=True))
    assert len(hoja) == 12
    assert {f[1] for f in hoja[1:]} == {"Defensoría Municipal de Derechos Humanos"}
    assert {f[10] for f in hoja[1:]} == {"Rojo"}

    pagina.click("text=Avance y gráficas")
    # The click returns before the new page has loaded: expect() waits for it, a plain count() did not.
    expect(pagina.locator("svg.grafica rect.g-vencidas")).to_have_count(1)  # the Defensoría's bar, all overdue
    expect(pagina.locator("svg.grafica rect.g-rojo")).to_have_count(1)  # December 2022 in the monthly chart
    expect(pagina.locator("svg.grafica").first).to_contain_text("Defensoría Municipal de D")
    captura(pagina, "avance")

    pagina.locator("table.tabla-tablero, table").last.locator("a").first.click()
    expect(pagina.locator("main")).to_contain_text("Verificaciones de la Tesorería")
    captura(pagina, "convenio")


def test_la_contraloria_registra_un_procedimiento_desde_el_aspecto(pagina, live_server, seed, captura):
    crear_usuario("auditora", seed.contraloria)
    _entrar(pagina, live_server, "auditora")
    aspecto = seed.aspectos.get(tipo="recomendacion", numero=1)
    pagina.goto(f"{live_server.url}/tablero/aspecto/{aspecto.pk}/")
    pagina.select_option("select[name=tipo]", "procedimiento")
    pagina.fill("textarea[name=texto]", "Se abre expediente por falta de atención (cláusula SEXTA).")
    pagina.fill("input[name=expediente]", "CM/DR/001/2026")
    pagina.select_option("select[name=estado_procedimiento]", "abierto")
    pagina.click("text=Registrar actuación")
    expect(pagina.locator("body")).to_contain_text("Actuación registrada")
    expect(pagina.locator("body")).to_contain_text("Expediente CM/DR/001/2026: Abierto")
    captura(pagina, "aspecto")
    # The item page itself (seguimiento) shows the Contraloría's block.
    pagina.click("text=Tablero")
    pagina.click("table.tabla-tablero >> text=Recomendación 1")
    # Waits for the item page to load (the click returns before the navigation ends).
    expect(pagina.locator("main")).to_contain_text("Procedimiento · expediente CM/DR/001/2026")
    captura(pagina, "pagina-del-aspecto")
