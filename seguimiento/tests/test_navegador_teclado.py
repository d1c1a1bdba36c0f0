"""Issue 13 in a real browser (Playwright driving Debian's Chromium): upload → send → validate with only the
keyboard (Tab, Enter, Space, and typing), through the confirmation step. That the pages fit at 390 and 1366 px
is checked for every page of every role by the accessibility walk (supervision/tests/test_navegador_accesibilidad.py)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from convenios.models import Aspecto, EstadoAspecto
from seguimiento.models import Accion, Movimiento
from seguimiento.tests import archivos_prueba as ap

pytestmark = pytest.mark.navegador

CONTRASENA = "Izcalli.Demo.2022"
MAXIMO_TABS = 120


def _tab_hasta(page: Page, destino: Locator) -> int:
    """Presses Tab until ``destino`` has the focus; returns how many presses it took."""
    expect(destino).to_be_attached()
    for n in range(1, MAXIMO_TABS + 1):
        page.keyboard.press("Tab")
        if destino.evaluate("elemento => elemento === document.activeElement"):
            return n
    raise AssertionError(f"{destino} no recibió el foco con {MAXIMO_TABS} tabuladores")


def _entrar(page: Page, base: str, usuario: str) -> None:
    page.goto(f"{base}/accounts/login/")
    _tab_hasta(page, page.get_by_label("Nombre de usuario"))
    page.keyboard.type(usuario)
    page.keyboard.press("Tab")
    page.keyboard.type(CONTRASENA)
    page.keyboard.press("Enter")
    # Signed in (on a phone the button sits in the folded navbar).
    expect(page.locator("button", has_text="Cerrar sesión")).to_be_attached()


def _salir(page: Page) -> None:
    menu = page.get_by_role("button", name="Menú")
    if menu.is_visible():  # on a phone the navbar is folded: open it with the keyboard first
        _tab_hasta(page, menu)
        page.keyboard.press("Enter")
    _tab_hasta(page, page.get_by_role("button", name="Cerrar sesión"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sesión cerrada")).to_be_visible()


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    return Aspecto.objects.get(tipo="recomendacion", numero=1, convenio__evaluacion__programa__clave="01020401")


def test_subir_enviar_y_validar_solo_con_el_teclado(live_server, pagina: Page, captura, demo, tmp_path):
    archivo = tmp_path / "PbRM-02a Derechos Humanos.pdf"
    archivo.write_bytes(ap.pdf("PbRM-02a con las acciones"))
    base = live_server.url
    page = pagina
    # Playwright asks the browser to intercept file choosers when the first listener is added, without
    # waiting for the answer. Added by expect_file_chooser right before the key press, on a loaded machine
    # the chooser could open before the interception was on and never be reported; from here it is on.
    page.on("filechooser", lambda _selector: None)

    # The Defensoría: its home → Recomendación 1 → choose the file (Space opens the chooser) → describe → upload.
    _entrar(page, base, "defensoria")
    _tab_hasta(page, page.get_by_role("link", name="Recomendación 1", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Recomendación 1", exact=True)).to_be_visible()
    _tab_hasta(page, page.get_by_label("Archivos"))
    with page.expect_file_chooser() as selector:
        page.keyboard.press("Space")
    selector.value.set_files(str(archivo))
    _tab_hasta(page, page.get_by_label("Descripción"))
    page.keyboard.type("Formato PbRM-02a con las acciones sustantivas incorporadas")
    _tab_hasta(page, page.get_by_role("button", name="Subir archivo"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Se guardó «PbRM-02a Derechos Humanos.pdf»")
    # Send to review.
    _tab_hasta(page, page.get_by_role("button", name="Enviar a revisión", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Estado: En revisión")
    captura(page, "defensoria-enviado")
    _salir(page)

    # IMPLAN: the inbox → the item → "Validar" (Space on the radio) → Continuar → the confirmation → Sí, validar.
    _entrar(page, base, "implan")
    _tab_hasta(page, page.get_by_role("link", name=re.compile(r"Recomendación 1 · 01020401")))
    page.keyboard.press("Enter")
    expect(page.locator(".evidencia-actual")).to_contain_text("PbRM-02a Derechos Humanos.pdf")
    _tab_hasta(page, page.get_by_role("radio", name=re.compile("Validar: la evidencia")))
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name=re.compile("Validar: la evidencia"))).to_be_checked()
    _tab_hasta(page, page.get_by_role("button", name="Continuar"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Esta acción no se puede deshacer.")).to_be_visible()
    demo.refresh_from_db()
    assert demo.estado == EstadoAspecto.EN_REVISION  # nothing happened yet
    captura(page, "implan-confirmacion")
    pulsaciones = _tab_hasta(page, page.get_by_role("button", name="Sí, validar (atendida)"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Estado: Atendida")
    captura(page, "implan-validada")

    demo.refresh_from_db()
    assert demo.estado == EstadoAspecto.ATENDIDA
    acciones = Movimiento.objects.filter(aspecto=demo).values_list("accion", flat=True)
    assert list(acciones) == [Accion.EVIDENCIA, Accion.ENVIAR, Accion.VALIDAR]
    assert pulsaciones < MAXIMO_TABS
