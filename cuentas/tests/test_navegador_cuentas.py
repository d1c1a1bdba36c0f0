"""In a real browser: the lockout page after five wrong passwords, and a login with the second factor."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from convenios.tests.fabricas import CONTRASENA

pytestmark = pytest.mark.navegador


def _intentar(page: Page, base: str, usuario: str, contrasena: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(contrasena)
    page.get_by_role("button", name="Entrar").click()


def test_cinco_contrasenas_equivocadas_muestran_el_bloqueo(live_server, pagina: Page, captura, dependencia):
    for _ in range(5):
        _intentar(pagina, live_server.url, "dependencia", "no-es-la-contraseña")
    expect(pagina.get_by_role("heading", name="Acceso bloqueado temporalmente")).to_be_visible()
    expect(pagina.get_by_role("alert")).to_contain_text("durante 15 minutos")
    captura(pagina, "bloqueo")
    _intentar(pagina, live_server.url, "dependencia", CONTRASENA)
    expect(pagina.get_by_role("heading", name="Acceso bloqueado temporalmente")).to_be_visible()


def test_entrar_con_segundo_factor(live_server, pagina: Page, captura, contraloria):
    dispositivo = TOTPDevice.objects.create(user=contraloria, name="Teléfono", confirmed=True)
    _intentar(pagina, live_server.url, "contraloria", CONTRASENA)
    expect(pagina.get_by_role("heading", name="Código de verificación")).to_be_visible()
    captura(pagina, "codigo")
    totp = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, dispositivo.digits, dispositivo.drift)
    totp.time = time.time()
    pagina.get_by_label("Código de 6 dígitos").fill(f"{totp.token():06d}")
    pagina.get_by_role("button", name="Verificar").click()
    expect(pagina.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(pagina).to_have_url(f"{live_server.url}/")
