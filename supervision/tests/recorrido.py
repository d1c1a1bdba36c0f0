"""Each role's pages on the demo convenio (as `make run` loads it), for the browser tests of layout and
accessibility: one signed-in browser context per role, reused for every page of that role."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from convenios.models import Aspecto, Convenio, hoy
from cuentas.management.commands.cargar_demo import CONTRASENA_DEMO
from cuentas.models import Usuario
from seguimiento import services
from seguimiento.tests import archivos_prueba as ap

CLAVE_DEMO = "01020401"


def preparar_demo() -> dict[str, dict[str, str]]:
    """Loads the demo, moves one item to review (evidence, notices) and returns role -> page name -> path."""
    with override_settings(DEBUG=True):
        call_command("cargar_demo", verbosity=0)
    convenio = Convenio.objects.get(evaluacion__programa__clave=CLAVE_DEMO)
    rec1 = Aspecto.objects.get(convenio=convenio, tipo="recomendacion", numero=1)
    defensoria = Usuario.objects.get(username="defensoria")
    implan = Usuario.objects.get(username="implan")
    services.evidencia_subir(
        aspecto=rec1, archivo=ap.subido("PbRM-02a.pdf", ap.pdf()), descripcion="Formato PbRM-02a", usuario=defensoria
    )
    services.aspecto_enviar(aspecto=rec1, usuario=defensoria)
    sesion = services.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy() + datetime.timedelta(days=7), hora=datetime.time(10)
    )
    convenio_ = reverse("seguimiento:convenio", args=[convenio.pk])
    aspecto = reverse("seguimiento:aspecto", args=[rec1.pk])
    comunes = {
        "inicio": reverse("seguimiento:inicio"),
        "convenio": convenio_,
        "aspecto": aspecto,
        "tablero": reverse("supervision:tablero"),
        "avance": reverse("supervision:avance"),
        "sesiones": reverse("seguimiento:sesiones"),
        "sesion": reverse("seguimiento:sesion", args=[sesion.pk]),
        "notificaciones": reverse("supervision:notificaciones"),
        "documentos": reverse("documentos:convenio_documentos", args=[convenio.pk]),
    }
    return {
        "defensoria": {**comunes, "prorroga": reverse("seguimiento:prorroga_solicitar", args=[rec1.pk])},
        "implan": {
            **comunes,
            "sesion_programar": reverse("seguimiento:sesion_programar"),
            "plazos": reverse("transparencia:plazos"),
            "contrasena": reverse("password_change"),
            "segundo_factor": reverse("cuentas:doble_factor_configurar"),
        },
        "contraloria": {
            **comunes,
            "supervision_convenio": reverse("supervision:convenio", args=[convenio.pk]),
            "supervision_aspecto": reverse("supervision:aspecto", args=[rec1.pk]),
        },
        "tesoreria": comunes,
    }


def entrar(pagina: Page, base: str, usuario: str) -> None:
    pagina.goto(f"{base}{reverse('login')}")
    pagina.get_by_label("Nombre de usuario").fill(usuario)
    pagina.get_by_label("Contraseña").fill(CONTRASENA_DEMO)
    pagina.get_by_role("button", name="Entrar").click()
    expect(pagina.locator(".nombre-usuario")).to_be_attached()


@contextmanager
def como(navegador: Browser, base: str, usuario: str | None, ancho: int, alto: int) -> Iterator[Page]:
    """A browser context of the given size, signed in as `usuario` (anonymous when None)."""
    contexto = navegador.new_context(
        locale="es-MX", timezone_id="America/Mexico_City", viewport={"width": ancho, "height": alto}
    )
    pagina = contexto.new_page()
    pagina.set_default_timeout(15_000)
    try:
        if usuario:
            entrar(pagina, base, usuario)
        yield pagina
    finally:
        contexto.close()
