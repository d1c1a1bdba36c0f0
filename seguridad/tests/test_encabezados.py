"""Security headers on every response, and a strict CSP that our pages and the admin really live with."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from convenios.tests.fabricas import CONTRASENA
from documentos.tests.ayudas import emitir_version_para_firma
from seguimiento.tests import archivos_prueba as ap


def _directivas(politica: str) -> dict[str, list[str]]:
    return {partes[0]: partes[1:] for partes in (d.split() for d in politica.split(";") if d.strip())}


@pytest.mark.parametrize("ruta", ["/accounts/login/", "/", "/admin/login/"])
def test_cada_respuesta_lleva_los_encabezados_de_seguridad(client, db, ruta):
    respuesta = client.get(ruta)
    csp = _directivas(respuesta["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:"] and csp["font-src"] == ["'self'"]
    assert "unsafe-inline" not in respuesta["Content-Security-Policy"]
    assert "unsafe-eval" not in respuesta["Content-Security-Policy"]
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert respuesta["Referrer-Policy"] == "same-origin"
    assert respuesta["X-Frame-Options"] == "DENY"
    assert respuesta["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in respuesta["Permissions-Policy"]


def test_produccion_exige_cookies_seguras_y_hsts():
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "asm.municipio.gob.mx",
        "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/10",
        "DJANGO_PROXIES_DE_CONFIANZA": "1",
        "DJANGO_SITIO_URL": "https://asm.municipio.gob.mx",
    }
    codigo = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 2592000, s.SESSION_COOKIE_SAMESITE, s.DEBUG)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo], cwd=django_settings.BASE_DIR, env=entorno, capture_output=True, text=True
    )
    assert salida.returncode == 0, salida.stderr
    assert salida.stdout.split() == ["True", "True", "True", "True", "True", "Lax", "False"]


# --- In a real browser: no CSP violation on our pages nor in the admin ---------------------


def _vigilar(page: Page) -> list[str]:
    violaciones: list[str] = []

    def en_consola(mensaje) -> None:  # type: ignore[no-untyped-def]
        texto = mensaje.text
        if "Content Security Policy" in texto or "Refused to" in texto:
            violaciones.append(texto)

    page.on("console", en_consola)
    page.on("pageerror", lambda error: violaciones.append(f"error de JavaScript: {error}"))
    # Also the DOM event, which covers violations the console may word differently.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violaciones


def _sin_violaciones(page: Page, violaciones: list[str], donde: str) -> None:
    page.wait_for_load_state("load")
    eventos = page.evaluate("window.__csp || []")
    assert violaciones == [] and eventos == [], f"{donde}: {violaciones} {eventos}"


def _entrar(page: Page, base: str, usuario: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CONTRASENA)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()


@pytest.mark.navegador
def test_sin_violaciones_de_csp_en_nuestras_paginas_y_el_admin(
    live_server, pagina: Page, captura, convenio, dependencia, implan
):
    from seguimiento import services

    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("acta.pdf", ap.pdf()), descripcion="Acta", usuario=dependencia
    )
    base = live_server.url
    page = pagina
    violaciones = _vigilar(page)

    page.goto(f"{base}/accounts/login/")
    _sin_violaciones(page, violaciones, "inicio de sesión")
    _entrar(page, base, "dependencia")
    _sin_violaciones(page, violaciones, "inicio de la dependencia")
    page.goto(f"{base}{reverse('seguimiento:aspecto', args=[aspecto.pk])}")
    expect(page.get_by_label("Formato que evidencia")).to_be_visible()  # a form-select: Bootstrap's data: icon
    _sin_violaciones(page, violaciones, "página del aspecto")
    captura(page, "aspecto-con-csp")
    page.goto(f"{base}{reverse('seguimiento:prorroga_solicitar', args=[aspecto.pk])}")
    _sin_violaciones(page, violaciones, "solicitud de prórroga")
    page.goto(f"{base}{reverse('cuentas:doble_factor_configurar')}")
    expect(page.locator("svg.segno")).to_be_visible()
    _sin_violaciones(page, violaciones, "configuración del segundo factor")
    captura(page, "segundo-factor")
    page.get_by_role("button", name="Cerrar sesión").click()

    _entrar(page, base, "implan")
    for nombre, ruta in [
        ("admin", reverse("admin:index")),
        ("lista de convenios", reverse("admin:convenios_convenio_changelist")),
        ("convenio en el admin", reverse("admin:convenios_convenio_change", args=[convenio.pk])),
        ("historial del aspecto", reverse("admin:convenios_aspecto_history", args=[aspecto.pk])),
        ("bitácora", reverse("admin:auditoria_registroauditoria_changelist")),
        ("usuarios", reverse("admin:cuentas_usuario_changelist")),
        ("sesión nueva", reverse("seguimiento:sesion_programar")),
    ]:
        page.goto(f"{base}{ruta}")
        _sin_violaciones(page, violaciones, nombre)
    captura(page, "admin-con-csp")


@pytest.mark.navegador
def test_sin_violaciones_de_csp_en_tablero_documentos_verificacion_portal_y_api(
    live_server, pagina: Page, captura, convenio, implan
):

    documento = emitir_version_para_firma(convenio, implan)
    base = live_server.url
    page = pagina
    violaciones = _vigilar(page)

    _entrar(page, base, "implan")
    for nombre, ruta in [
        ("tablero", reverse("supervision:tablero")),
        ("avance (gráficas)", reverse("supervision:avance")),
        ("documentos del convenio", reverse("documentos:convenio_documentos", args=[convenio.pk])),
        ("convenio en el tablero", reverse("supervision:convenio", args=[convenio.pk])),
    ]:
        page.goto(f"{base}{ruta}")
        _sin_violaciones(page, violaciones, nombre)
        captura(page, f"csp-{nombre.split()[0]}")
    page.get_by_role("button", name="Cerrar sesión").click()

    # Public pages, without a session.
    for nombre, ruta in [
        ("verificación", reverse("documentos:verificar_inicio")),
        ("verificación de un documento", reverse("documentos:verificar", args=[documento.codigo_verificacion])),
        ("portal de transparencia", reverse("transparencia:inicio")),
        ("convenio publicado", reverse("transparencia:convenio", args=[convenio.pk])),
        ("datos abiertos", reverse("transparencia:datos")),
    ]:
        page.goto(f"{base}{ruta}")
        _sin_violaciones(page, violaciones, nombre)
    captura(page, "csp-portal")

    page.goto(f"{base}{reverse('api:documentacion')}")
    expect(page.get_by_text("/api/v1/convenios/").first).to_be_visible()  # Swagger UI ran and read the schema
    _sin_violaciones(page, violaciones, "documentación de la API")
    captura(page, "csp-api")
