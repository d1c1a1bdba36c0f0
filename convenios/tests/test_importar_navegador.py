"""The import in a browser: IMPLAN uploads the seed's Word file, previews it and confirms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convenios.models import Convenio
from convenios.tests.importacion import (
    borrador_en_municipio_de,
    como_tuplas,
    docx_de_la_semilla,
    nada_guardado,
)


@pytest.mark.navegador
def test_en_el_navegador_el_implan_importa_el_docx_de_la_semilla(live_server, pagina, captura, settings, tmp_path):
    from django.core.management import call_command
    from playwright.sync_api import expect

    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    seed = Convenio.objects.get(evaluacion__programa__clave="01020401")
    nuevo = borrador_en_municipio_de(seed)
    archivo = tmp_path / "Convenio Derechos Humanos 2022.docx"
    archivo.write_bytes(docx_de_la_semilla())
    page, base = pagina, live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("implan")
    page.get_by_label("Contraseña").fill("Izcalli.Demo.2022")
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{base}{reverse('seguimiento:convenio', args=[nuevo.pk])}")
    page.get_by_role("link", name="Importar hallazgos y recomendaciones").click()
    expect(page.get_by_role("heading", name="Importar hallazgos y recomendaciones")).to_be_visible()
    page.get_by_label("Archivo del convenio o plantilla llenada").set_input_files(str(archivo))
    page.get_by_role("button", name="Leer el archivo").click()
    expect(page.get_by_text("5 hallazgos, 6 recomendaciones, 6 acciones")).to_be_visible()
    expect(page.get_by_text("Fecha de término: 31 de diciembre de 2022").first).to_be_visible()
    captura(page, "vista-previa")
    assert nada_guardado(nuevo)
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_role("alert")).to_contain_text("Se importaron 5 hallazgos y 6 recomendaciones")
    expect(page.get_by_text("Realizar los formatos PbRM08b y PbRM08c de acuerdo a la recomendación")).to_be_visible()
    captura(page, "importado")
    assert como_tuplas(nuevo) == como_tuplas(seed)
