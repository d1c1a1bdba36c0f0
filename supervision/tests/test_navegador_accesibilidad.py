"""Every page of every role, the admin's main pages and the public pages, on a phone and at 1366 px: no
serious or critical WCAG 2.1 A/AA violation (axe-core), no sideways scrolling of the page and the content
in the first 40 % of the first screen, and no two form controls with the same accessible name. And the
errors are announced: a failed login and a rejected upload show a summary with role="alert" that takes
the focus."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from convenios.models import Aspecto
from supervision.tests.recorrido import CLAVE_DEMO, como, paginas_admin, preparar_demo

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

TAMANOS = {"escritorio": {"width": 1366, "height": 900}, "telefono": {"width": 390, "height": 844}}


def _medir(pagina) -> dict[str, float | list[str]]:
    """The page's width against the window's, where its content starts, and the elements of the content that
    reach past the window's right edge (a wide table may, inside its own scrolling box). Measured once the
    page's fonts are in: the load event does not wait for them, and they change the measures."""
    return pagina.evaluate(
        """async () => {
            await document.fonts.ready;
            const borde = document.documentElement.clientWidth + 1;
            return {
                ancho: document.documentElement.scrollWidth,
                ventana: window.innerWidth,
                inicio: document.querySelector('main h1, main h2, main').getBoundingClientRect().top,
                alto: window.innerHeight,
                salidos: [...document.querySelectorAll('#contenido *')]
                    .filter(e => e.getBoundingClientRect().right > borde && !e.closest('.table-responsive'))
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + [...e.classList].join('.') : '')),
            };
        }"""
    )


def test_cada_pagina_de_cada_rol_cabe_sin_violaciones_graves_ni_nombres_repetidos(
    live_server, navegador, violaciones_graves, captura
):
    """One walk, each page loaded once and checked at each size (the window resized, as a person turning a
    tablet would: the same HTML laid out again, the page's script told of the change). Loading the pages,
    signing in as each role and loading the demo cost about as much as the checks themselves. At each size:
    - every page: no serious or critical violation;
    - every page but IMPLAN's admin pages: no sideways scrolling, nothing of the content past the window's
      edge (but inside a table's own scrolling box), the content starts in the first 40 % of the screen, and
      a full-page capture of it;
    - at 1366 px, every page: each form control's accessible name is its own."""
    paginas = preparar_demo()
    del_admin = paginas_admin()
    paginas["implan"].update(del_admin)
    violaciones, fuera_de_la_pantalla, repetidos = {}, {}, {}
    for usuario, rutas in paginas.items():
        with como(navegador, live_server.url, usuario, *TAMANOS["escritorio"].values()) as pagina:
            for nombre, ruta in rutas.items():
                pagina.set_viewport_size(TAMANOS["escritorio"])
                respuesta = pagina.goto(live_server.url + ruta)
                assert respuesta.status == 200, (usuario, ruta, respuesta.status)
                if nombre == "api_documentacion":
                    # Swagger UI draws the API's operations after the load: named and checked once drawn.
                    expect(pagina.locator(".opblock .copy-to-clipboard button").last).to_have_attribute(
                        "aria-label", "Copiar la ruta GET /api/v1/evaluaciones/{id}/"
                    )
                for tamano, ventana in TAMANOS.items():
                    pagina.set_viewport_size(ventana)
                    clave = (tamano, usuario, nombre)
                    # Measured as the page stands when it is laid out, before a capture and axe take their time.
                    medida = None if usuario == "implan" and nombre in del_admin else _medir(pagina)
                    if tamano == "escritorio" and (encontrados := nombres_repetidos(pagina)):
                        repetidos[clave] = encontrados
                    if medida is not None:
                        captura(pagina, f"{tamano}-{usuario or 'anonimo'}-{nombre}")
                        if (
                            medida["ancho"] > medida["ventana"]
                            or medida["inicio"] > 0.4 * medida["alto"]
                            or medida["salidos"]
                        ):
                            fuera_de_la_pantalla[clave] = medida
                    if encontradas := violaciones_graves(pagina):
                        violaciones[clave] = encontradas
    assert violaciones == {}
    assert fuera_de_la_pantalla == {}
    assert repetidos == {}


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


# The roles of what a user fills in, ticks or presses.
ROLES_DE_CONTROL = {
    "button",
    "checkbox",
    "combobox",
    "listbox",
    "menuitemcheckbox",
    "menuitemradio",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
}


def nombres_repetidos(pagina) -> dict[tuple[str, str], int]:
    """(role, accessible name) of the form controls that share their name with another on the page, as
    Chromium computes them for screen readers (the accessibility tree of the DevTools protocol). Two boxes
    both named «Comentario (obligatorio)», or eleven «Número:» in the admin's rows: a screen reader cannot
    tell which is which."""
    sesion = pagina.context.new_cdp_session(pagina)
    try:
        nodos = sesion.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        sesion.detach()
    cuenta: dict[tuple[str, str], int] = {}
    for nodo in nodos:
        rol = nodo.get("role", {}).get("value")
        if nodo.get("ignored") or rol not in ROLES_DE_CONTROL:
            continue
        clave = (rol, (nodo.get("name") or {}).get("value", "").strip())
        cuenta[clave] = cuenta.get(clave, 0) + 1
    return {clave: n for clave, n in cuenta.items() if n > 1}


def test_el_revisor_de_nombres_encuentra_dos_controles_con_el_mismo(live_server, navegador):
    with como(navegador, live_server.url, None, 1366, 900) as pagina:
        pagina.set_content(
            "<main><label>Comentario (obligatorio) <textarea></textarea></label>"
            "<label>Comentario (obligatorio) <textarea></textarea></label>"
            "<button>Validar</button><button>Devolver</button></main>"
        )
        assert nombres_repetidos(pagina) == {("textbox", "Comentario (obligatorio)"): 2}


def test_axe_sigue_revisando_el_titulo_de_un_marco(live_server, navegador, violaciones_graves):
    """axe runs without going into frames (``violaciones_graves``): the frame element itself is still checked."""
    with como(navegador, live_server.url, None, 1366, 900) as pagina:
        pagina.set_content(
            '<html lang="es"><head><title>Marco</title></head><body><main><iframe></iframe></main></body></html>'
        )
        assert [v["regla"] for v in violaciones_graves(pagina)] == ["frame-title"]
