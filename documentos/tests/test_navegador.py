"""As a new user would: IMPLAN issues the seed convenio's oficio, downloads it, and the QR code on the paper
leads anyone to the verification page, where the file checks out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from convenios.models import Convenio, hoy
from cuentas.models import Usuario
from documentos.models import Documento
from documentos.tests.ayudas import atender_todo, texto_pdf

pytestmark = pytest.mark.navegador

CONTRASENA = "Izcalli.Demo.2022"


def _leer_qr(pdf: Path, carpeta: Path) -> list[str]:
    """Prints the last page as a 100 dpi image (as a phone camera would see paper) and reads its QR codes."""
    ultima = str(len(PdfReader(pdf).pages))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "-f", ultima, str(pdf), str(carpeta / "ultima")], check=True
    )
    return [codigo.text for codigo in zxingcpp.read_barcodes(Image.open(carpeta / "ultima.png"))]


def test_el_implan_emite_el_oficio_y_cualquiera_lo_verifica_con_el_qr(
    live_server, pagina: Page, captura, settings, tmp_path
):
    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    settings.SITIO_URL = live_server.url
    seed = Convenio.objects.get(evaluacion__programa__clave="01020401")
    atender_todo(
        seed, implan=Usuario.objects.get(username="implan"), dependencia=Usuario.objects.get(username="defensoria")
    )
    page = pagina
    base = live_server.url
    folio = f"IMPLAN/OC/{hoy().year}/001"

    # 1. IMPLAN opens the convenio's documents and issues the oficio de cumplimiento.
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("implan")
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{base}/documentos/convenio/{seed.pk}/")
    fila = page.locator(".list-group-item", has_text="Oficio de cumplimiento")
    expect(fila.get_by_role("link", name="Vista previa (borrador)")).to_be_visible()
    captura(page, "implan-antes-de-emitir")
    fila.get_by_role("button", name="Emitir con folio").click()
    # Nothing is issued yet: the confirmation page says what will happen.
    expect(page.get_by_role("heading", name="Emitir con folio: Oficio de cumplimiento")).to_be_visible()
    expect(page.get_by_text("Esta acción no se puede deshacer.")).to_be_visible()
    assert not Documento.objects.exists()
    captura(page, "implan-confirmar-emision")
    page.get_by_role("button", name="Sí, emitir con folio").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Se emitió el documento «Oficio de cumplimiento» con el folio {folio}."
    )
    expect(page.locator(".list-group-item", has_text="Oficio de cumplimiento")).to_contain_text(f"Emitido · {folio}")
    captura(page, "implan-oficio-emitido")

    # 2. The PDF downloads with its folio as the file name.
    with page.expect_download() as descarga:
        page.get_by_role("row", name=f"Oficio de cumplimiento {folio}").get_by_role(
            "link", name="Descargar PDF"
        ).click()
    pdf = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(pdf)
    assert pdf.name == f"IMPLAN-OC-{hoy().year}-001.pdf"
    assert folio in texto_pdf(pdf.read_bytes())

    # 3. Someone who got the printed letter scans the QR code: it leads to the public page (no login).
    page.get_by_role("button", name="Cerrar sesión").click()
    direcciones = _leer_qr(pdf, tmp_path)
    assert len(direcciones) == 1 and direcciones[0].startswith(f"{base}/verificar/")
    page.goto(direcciones[0])
    expect(page.get_by_role("heading", name="Verificación de documento oficial")).to_be_visible()
    expect(page.get_by_text(folio, exact=True)).to_be_visible()

    # 4. They upload the file they received: it is the archived one, byte for byte.
    page.get_by_label("Archivo PDF a comprobar").set_input_files(str(pdf))
    page.get_by_role("button", name="Comprobar", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("El archivo es auténtico")
    captura(page, "verificacion-autentico")

    # 5. A tampered copy does not pass.
    alterado = tmp_path / "alterado.pdf"
    datos = bytearray(pdf.read_bytes())
    datos[-100] ^= 1
    alterado.write_bytes(bytes(datos))
    page.get_by_label("Archivo PDF a comprobar").set_input_files(str(alterado))
    page.get_by_role("button", name="Comprobar", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("NO coincide")
    captura(page, "verificacion-alterado")


def test_el_titular_del_implan_emite_y_firma_el_oficio_con_su_efirma(
    live_server, pagina: Page, captura, settings, tmp_path
):
    from convenios.models import Titular
    from documentos.tests import efirma as ef

    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    settings.SITIO_URL = live_server.url
    raices = tmp_path / "raices"
    raices.mkdir()
    ef.autoridad().guardar_en(raices)
    settings.FIRMA_RAICES = raices
    seed = Convenio.objects.get(evaluacion__programa__clave="01020401")
    atender_todo(
        seed, implan=Usuario.objects.get(username="implan"), dependencia=Usuario.objects.get(username="defensoria")
    )
    Titular.objects.filter(pk=seed.implan.titular_en(hoy()).pk).update(rfc="OOMA800101AB1")
    e = ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc="OOMA800101AB1")
    # The signatory's own files, on their own computer.
    cer, key = tmp_path / "oropeza.cer", tmp_path / "oropeza.key"
    cer.write_bytes(e.cer)
    key.write_bytes(e.key)
    page = pagina
    base = live_server.url
    folio = f"IMPLAN/OC/{hoy().year}/001"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("implan")
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{base}/documentos/convenio/{seed.pk}/")
    fila = page.locator(".list-group-item", has_text="Oficio de cumplimiento")
    fila.get_by_text("Emitir y firmar con e.firma").click()
    fila.get_by_label("Certificado (.cer)").set_input_files(str(cer))
    fila.get_by_label("Llave privada (.key)").set_input_files(str(key))
    fila.get_by_label("Contraseña de la llave privada").fill("no es la contraseña")
    fila.get_by_role("button", name="Firmar con e.firma").click()
    # A wrong password: the same form, the error next to the field, nothing issued.
    expect(page.locator(".invalid-feedback")).to_contain_text("La contraseña de la llave privada no es correcta.")
    captura(page, "efirma-contrasena-equivocada")
    page.get_by_label("Certificado (.cer)").set_input_files(str(cer))
    page.get_by_label("Llave privada (.key)").set_input_files(str(key))
    page.get_by_label("Contraseña de la llave privada").fill(e.password)
    page.get_by_role("button", name="Firmar con e.firma").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Se firmó con e.firma el documento «Oficio de cumplimiento» con el folio {folio}."
    )
    expect(page.get_by_role("row", name=f"Oficio de cumplimiento {folio}")).to_contain_text(
        "Firmado · ALFREDO OROPEZA MENDEZ · RFC OOMA800101AB1"
    )
    captura(page, "efirma-oficio-firmado")

    # Anyone checks the signature on the public page.
    documento = seed.documentos.get(folio=folio)
    page.goto(f"{base}/verificar/?codigo={folio}")
    expect(page.locator("table.firmas-verificadas")).to_contain_text("ALFREDO OROPEZA MENDEZ")
    expect(page.locator("table.firmas-verificadas")).to_contain_text("Sin cambios desde que se firmó")
    expect(page.locator("table.firmas-verificadas")).to_contain_text("autoridad certificadora reconocida")
    assert page.url.endswith(f"/verificar/{documento.codigo_verificacion}/")
    captura(page, "efirma-verificacion-publica")
