"""Issue 12's "Done when", in Chromium as the demo's IMPLAN officer: a borrador is signed through its page (the
button says why it cannot yet, then a confirmation), and the signed convenio changes only by a modificación
whose before and after then show on the convenio page; the dependencia sees no such buttons."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from convenios.models import Convenio, EstadoConvenio
from seguimiento.tests import archivos_prueba

pytestmark = pytest.mark.navegador

CONTRASENA = "Izcalli.Demo.2022"


def _entrar(page: Page, base: str, usuario: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def test_firmar_y_modificar_como_implan(live_server, pagina: Page, captura, settings, tmp_path):
    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    convenio = Convenio.objects.get()
    # The seed as it was before its signature was registered.
    Convenio.objects.filter(pk=convenio.pk).update(estado=EstadoConvenio.BORRADOR, documento_firmado="")
    pdf = tmp_path / "convenio-firmado.pdf"
    pdf.write_bytes(archivos_prueba.pdf("Convenio firmado"))
    base = live_server.url
    page = pagina
    _entrar(page, base, "implan")

    page.goto(f"{base}/convenios/{convenio.pk}/")
    page.get_by_role("link", name="Registrar la firma").click()
    expect(page.get_by_role("button", name="Registrar la firma")).to_be_disabled()
    expect(page.locator("#razon-firmar")).to_contain_text("el convenio firmado (escaneado)")
    page.get_by_label("Convenio firmado (PDF escaneado o con e.firma)").set_input_files(str(pdf))
    page.get_by_role("button", name="Guardar los datos").click()
    expect(page.get_by_role("button", name="Registrar la firma")).to_be_enabled()
    page.get_by_role("button", name="Registrar la firma").click()
    expect(page.get_by_text("Esta acción no se puede deshacer.")).to_be_visible()
    captura(page, "firma-confirmacion")
    page.get_by_role("button", name="Sí, registrar la firma").click()
    expect(page.locator("dl")).to_contain_text("Vigente")

    page.get_by_role("link", name="Registrar una modificación (cláusula NOVENA)").click()
    page.get_by_label("Fecha del convenio modificatorio").fill("2023-01-20")
    page.get_by_label("Motivo").fill("Las partes amplían el plazo por el cambio de administración.")
    page.get_by_label("Convenio modificatorio firmado (PDF)").set_input_files(str(pdf))
    page.locator("summary", has_text="Convenio").first.click()
    page.get_by_label("Convenio · fecha límite de cumplimiento").fill("2023-06-30")
    page.get_by_role("button", name="Registrar la modificación").click()
    modificaciones = page.get_by_role("region", name="Modificaciones del convenio (cláusula NOVENA)")
    expect(modificaciones).to_contain_text("31 de diciembre de 2022")
    expect(modificaciones).to_contain_text("30 de junio de 2023")
    captura(page, "convenio-modificado")

    page.get_by_role("button", name="Cerrar sesión").click()
    _entrar(page, base, "defensoria")
    page.goto(f"{base}/convenios/{convenio.pk}/")
    expect(page.get_by_role("heading", name="Actos del convenio")).to_have_count(0)
    expect(modificaciones).to_contain_text("30 de junio de 2023")
