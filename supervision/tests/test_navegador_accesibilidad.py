"""WCAG 2.1 A/AA (axe-core) on every page of every role, the admin's main pages and the public pages,
on a phone and at 1366 px: no serious or critical violation. And the errors are announced: a failed
login and a rejected upload show a summary with role="alert" that takes the focus."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from convenios.models import Aspecto, Convenio
from supervision.tests.recorrido import CLAVE_DEMO, como, preparar_demo

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _paginas_admin() -> dict[str, str]:
    convenio = Convenio.objects.get(evaluacion__programa__clave=CLAVE_DEMO)
    return {
        "admin": reverse("admin:index"),
        "admin_convenios": reverse("admin:convenios_convenio_changelist"),
        "admin_convenio": reverse("admin:convenios_convenio_change", args=[convenio.pk]),
        "admin_aspectos": reverse("admin:convenios_aspecto_changelist"),
        "admin_dependencias": reverse("admin:convenios_dependencia_changelist"),
        "admin_dependencia_nueva": reverse("admin:convenios_dependencia_add"),
        "admin_usuarios": reverse("admin:cuentas_usuario_changelist"),
        "admin_dispositivos": reverse("admin:otp_totp_totpdevice_changelist"),
    }


def _paginas_publicas() -> dict[str, str]:
    convenio = Convenio.objects.get(evaluacion__programa__clave=CLAVE_DEMO)
    return {
        "entrar": reverse("login"),
        "portal": reverse("transparencia:inicio"),
        "portal_convenio": reverse("transparencia:convenio", args=[convenio.pk]),
        "portal_anexo1": reverse("transparencia:anexo1", args=[convenio.evaluacion_id]),
        "portal_datos": reverse("transparencia:datos"),
        "portal_diccionario": reverse("transparencia:diccionario"),
        "api_documentacion": reverse("api:documentacion"),
        "api_raiz": reverse("api:api-root"),
        "verificar": reverse("documentos:verificar_inicio"),
    }


@pytest.mark.parametrize("ancho,alto", [(1366, 900), (390, 844)], ids=["escritorio", "telefono"])
def test_ninguna_pagina_tiene_violaciones_graves(live_server, navegador, violaciones_graves, ancho, alto):
    paginas: dict[str | None, dict[str, str]] = preparar_demo()
    paginas["implan"].update(_paginas_admin())
    paginas[None] = _paginas_publicas()
    encontradas = {}
    for usuario, rutas in paginas.items():
        with como(navegador, live_server.url, usuario, ancho, alto) as pagina:
            for nombre, ruta in rutas.items():
                respuesta = pagina.goto(live_server.url + ruta)
                assert respuesta.status == 200, (usuario, ruta, respuesta.status)
                if violaciones := violaciones_graves(pagina):
                    encontradas[(usuario, nombre)] = violaciones
    assert encontradas == {}


def _resumen_enfocado(pagina):
    resumen = pagina.locator(".resumen-errores")
    expect(resumen).to_have_attribute("role", "alert")
    assert pagina.evaluate("document.activeElement.classList.contains('resumen-errores')")
    return resumen


def test_un_acceso_fallido_y_un_archivo_rechazado_se_anuncian(live_server, navegador, tmp_path, violaciones_graves):
    preparar_demo()
    with como(navegador, live_server.url, None, 390, 844) as pagina:
        pagina.goto(live_server.url + reverse("login"))
        pagina.get_by_label("Nombre de usuario").fill("defensoria")
        pagina.get_by_label("Contraseña").fill("no es la contraseña")
        pagina.get_by_role("button", name="Entrar").click()
        expect(_resumen_enfocado(pagina)).to_contain_text("nombre de usuario y contraseña correctos")
        assert pagina.get_by_label("Nombre de usuario").input_value() == "defensoria"
        assert violaciones_graves(pagina) == []

    aspecto = Aspecto.objects.get(convenio__evaluacion__programa__clave=CLAVE_DEMO, tipo="hallazgo", numero=2)
    ejecutable = tmp_path / "programa.exe"
    ejecutable.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    with como(navegador, live_server.url, "defensoria", 1366, 900) as pagina:
        pagina.goto(live_server.url + reverse("seguimiento:aspecto", args=[aspecto.pk]))
        pagina.get_by_label("Archivo").set_input_files(str(ejecutable))
        pagina.get_by_label("Descripción").fill("Un archivo que no es evidencia")
        pagina.get_by_role("button", name="Subir archivo").click()
        resumen = _resumen_enfocado(pagina)
        expect(resumen).to_contain_text("Archivo")
        # Its link takes the keyboard to the field with the error.
        resumen.get_by_role("link", name="Archivo").click()
        assert pagina.evaluate("document.activeElement.type") == "file"
        assert violaciones_graves(pagina) == []


def test_el_foco_del_teclado_se_ve_en_el_menu_y_en_la_pagina(live_server, navegador):
    preparar_demo()
    with como(navegador, live_server.url, "implan", 1366, 900) as pagina:
        pagina.keyboard.press("Tab")  # the skip link
        pagina.keyboard.press("Tab")  # the brand, on the dark bar
        anillo = pagina.evaluate(
            "() => { const e = getComputedStyle(document.activeElement);"
            " return [document.activeElement.className, e.outlineStyle, e.outlineWidth, e.outlineColor]; }"
        )
        assert anillo == ["navbar-brand", "solid", "3px", "rgb(255, 217, 102)"]  # 9.2:1 on #5b1f2a
        pagina.locator("main a").first.focus()
        color = pagina.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
        assert color == "rgb(10, 61, 143)"  # 10:1 on the page's #f7f7f5
