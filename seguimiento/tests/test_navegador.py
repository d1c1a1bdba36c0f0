"""The whole story on the seed convenio, in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from convenios.models import Aspecto, EstadoAspecto
from seguimiento.models import Accion, Movimiento
from seguimiento.tests import archivos_prueba as ap

pytestmark = pytest.mark.navegador

CONTRASENA = "Izcalli.Demo.2022"


def _entrar(page: Page, base: str, usuario: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


def _salir(page: Page) -> None:
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("heading", name="Sesión cerrada")).to_be_visible()


def _subir(page: Page, ruta: str, descripcion: str) -> None:
    page.get_by_label("Archivo").set_input_files(ruta)
    page.get_by_label("Descripción").fill(descripcion)
    page.get_by_label("Formato que evidencia").select_option("02a")
    page.get_by_role("button", name="Subir archivo").click()


def test_la_historia_completa_de_la_recomendacion_1(live_server, pagina: Page, captura, settings, tmp_path):
    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    rec1 = Aspecto.objects.get(tipo="recomendacion", numero=1, convenio__evaluacion__programa__clave="01020401")
    primero = tmp_path / "PbRM-02a Derechos Humanos.pdf"
    primero.write_bytes(ap.pdf("PbRM-02a primera version"))
    corregido = tmp_path / "PbRM-02a corregido.pdf"
    corregido.write_bytes(ap.pdf("PbRM-02a con firma"))
    base = live_server.url
    page = pagina

    # 1. The Defensoría finds recomendación 1, uploads a PDF and sends it to review.
    _entrar(page, base, "defensoria")
    expect(page.get_by_role("heading", name=re.compile("Convenios de Defensoría Municipal"))).to_be_visible()
    captura(page, "defensoria-inicio")
    page.get_by_role("link", name="Recomendación 1", exact=True).click()
    expect(page.get_by_role("heading", name="Recomendación 1", exact=True)).to_be_visible()
    _subir(page, str(primero), "Formato PbRM-02a con las acciones sustantivas incorporadas")
    expect(page.get_by_role("alert")).to_contain_text("Se guardó «PbRM-02a Derechos Humanos.pdf»")
    captura(page, "defensoria-evidencia-subida")
    page.get_by_role("button", name="Enviar a revisión", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Estado: En revisión")
    _salir(page)

    # 2. IMPLAN sees it waiting and returns it with an observation.
    _entrar(page, base, "implan")
    expect(page.get_by_role("heading", name=re.compile("Evidencia por revisar"))).to_be_visible()
    captura(page, "implan-bandeja")
    page.get_by_role("link", name=re.compile(r"Recomendación 1 · 01020401")).click()
    expect(page.locator("iframe.vista-previa")).to_be_visible()  # the PDF, previewed in the page
    page.get_by_label("Devolver con observaciones").check()
    page.get_by_label("Comentario u observaciones").fill("Falta la firma del titular en el formato 02a.")
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("button", name="Sí, devolver con observaciones").click()
    expect(page.get_by_role("alert")).to_contain_text("Estado: Observada")
    captura(page, "implan-observada")
    _salir(page)

    # 3. The Defensoría uploads a corrected file and sends it again.
    _entrar(page, base, "defensoria")
    page.goto(f"{base}/aspectos/{rec1.pk}/")
    expect(page.get_by_text("Falta la firma del titular en el formato 02a.")).to_be_visible()
    _subir(page, str(corregido), "Formato PbRM-02a firmado por el titular")
    page.get_by_role("button", name="Enviar a revisión", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Estado: En revisión")
    _salir(page)

    # 4. IMPLAN validates it.
    _entrar(page, base, "implan")
    page.goto(f"{base}/aspectos/{rec1.pk}/")
    expect(page.locator(".evidencia-actual")).to_contain_text("PbRM-02a corregido.pdf")
    expect(page.locator(".evidencia-devuelta")).to_contain_text("PbRM-02a Derechos Humanos.pdf")
    captura(page, "implan-evidencia-actual-y-devuelta")
    page.get_by_label(re.compile("Validar: la evidencia")).check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_text("Esta acción no se puede deshacer.")).to_be_visible()
    captura(page, "implan-confirmar-validacion")
    page.get_by_role("button", name="Sí, validar (atendida)").click()
    expect(page.get_by_role("alert")).to_contain_text("Estado: Atendida")
    historial = page.locator("#historial").locator("xpath=..")
    for paso in ["Envió a revisión", "Devolvió con observaciones", "Validó"]:
        expect(historial).to_contain_text(paso)
    captura(page, "implan-validada-historial")
    _salir(page)

    # 5. The Contraloría sees the result and has nothing to press.
    _entrar(page, base, "contraloria")
    page.goto(f"{base}/aspectos/{rec1.pk}/")
    expect(page.locator(".badge.estado-atendida")).to_have_text("Atendida")
    expect(page.locator("#contenido form")).to_have_count(0)
    captura(page, "contraloria-solo-lectura")

    rec1.refresh_from_db()
    assert rec1.estado == EstadoAspecto.ATENDIDA
    assert list(
        Movimiento.objects.filter(aspecto=rec1).exclude(accion=Accion.EVIDENCIA).values_list("accion", flat=True)
    ) == [Accion.ENVIAR, Accion.OBSERVAR, Accion.ENVIAR, Accion.VALIDAR]
    assert rec1.evidencias.count() == 2
