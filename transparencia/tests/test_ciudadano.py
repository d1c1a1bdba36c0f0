"""The issue's "done when", in a real browser and without an account: find the Defensoría's 2022
convenio, read its recommendations and their status, download the open data as CSV, and fetch
the same data from the API."""

from __future__ import annotations

import csv
import io
import json
import urllib.request

import pytest

pytestmark = [pytest.mark.navegador]


def test_un_ciudadano_consulta_el_convenio_de_la_defensoria(live_server, pagina, captura, seed):
    pagina.goto(live_server.url + "/transparencia/")
    pagina.get_by_label("Dependencia evaluada").select_option(label="Defensoría Municipal de Derechos Humanos")
    pagina.get_by_label("Año del PAE").select_option("2022")
    pagina.get_by_role("button", name="Buscar").click()
    pagina.wait_for_url("**anio=2022**")
    captura(pagina, "busqueda")
    pagina.get_by_role("link", name="Ver hallazgos, recomendaciones y avance").click()
    pagina.wait_for_url(f"**/transparencia/convenios/{seed.pk}/")
    captura(pagina, "convenio")
    recomendaciones = pagina.locator("section", has=pagina.locator("#titulo-recomendaciones")).locator("article")
    assert recomendaciones.count() == 6
    primera = recomendaciones.first.inner_text()
    assert "Recomendación 1" in primera
    assert "Pendiente" in primera and "Rojo" in primera  # 31/12/2022 has long passed

    pagina.get_by_role("link", name="Datos abiertos").first.click()
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="CSV de aspectos susceptibles de mejora", exact=True).click()
    archivo = descarga.value
    assert archivo.suggested_filename == "aspectos.csv"
    with open(archivo.path(), encoding="utf-8-sig", newline="") as manejador:
        filas = list(csv.DictReader(manejador))
    assert len(filas) == 11
    assert {f["estado"] for f in filas} == {"pendiente"}
    assert sum(f["tipo"] == "recomendacion" for f in filas) == 6

    url = f"{live_server.url}/api/v1/aspectos/?municipio=cuautitlan-izcalli&anio=2022&tipo=recomendacion"
    with urllib.request.urlopen(url, timeout=10) as respuesta:  # the local test server only
        datos = json.load(io.TextIOWrapper(respuesta, encoding="utf-8"))
    assert datos["total"] == 6
    assert [a["texto"] for a in datos["resultados"]] == [f["texto"] for f in filas if f["tipo"] == "recomendacion"]
