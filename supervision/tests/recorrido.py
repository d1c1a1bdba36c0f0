"""Each role's pages on the demo convenio (as `make run` loads it), for the browser tests of layout and
accessibility: one signed-in browser context per role, reused for every page of that role. The roles are
the demo's four users, the state-level administrator (a superuser) and the citizen (``None``)."""

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


def preparar_demo() -> dict[str | None, dict[str, str]]:
    """Loads the demo, moves one item to review (a PDF and a photo as evidence, notices) and returns
    role -> page name -> path."""
    with override_settings(DEBUG=True):
        call_command("cargar_demo", verbosity=0)
    convenio = Convenio.objects.get(evaluacion__programa__clave=CLAVE_DEMO)
    rec1 = Aspecto.objects.get(convenio=convenio, tipo="recomendacion", numero=1)
    defensoria = Usuario.objects.get(username="defensoria")
    implan = Usuario.objects.get(username="implan")
    services.evidencia_subir(
        aspecto=rec1, archivo=ap.subido("PbRM-02a.pdf", ap.pdf()), descripcion="Formato PbRM-02a", usuario=defensoria
    )
    services.evidencia_subir(
        aspecto=rec1,
        archivo=ap.subido("taller.png", ap.imagen("PNG")),
        descripcion="Foto del taller",
        usuario=defensoria,
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
        "defensoria": {
            **comunes,
            "prorroga": reverse("seguimiento:prorroga_solicitar", args=[rec1.pk]),
            "entrega": reverse("seguimiento:entrega", args=[convenio.pk]),
        },
        "implan": {
            **comunes,
            "sesion_programar": reverse("seguimiento:sesion_programar"),
            "modificacion": reverse("seguimiento:convenio_modificar", args=[convenio.pk]),
            "buscar": reverse("seguimiento:buscar") + "?q=derechos",
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
        "estatal": paginas_estatales(),
        None: paginas_publicas(),
    }


def paginas_admin() -> dict[str, str]:
    """IMPLAN's main pages of the admin: the convenio with its items, an item with its actions, a dependencia
    with its titulars, the lists, accounts and second factor."""
    convenio = Convenio.objects.get(evaluacion__programa__clave=CLAVE_DEMO)
    rec1 = Aspecto.objects.get(convenio=convenio, tipo="recomendacion", numero=1)
    return {
        "admin": reverse("admin:index"),
        "admin_convenios": reverse("admin:convenios_convenio_changelist"),
        "admin_convenio": reverse("admin:convenios_convenio_change", args=[convenio.pk]),
        "admin_aspectos": reverse("admin:convenios_aspecto_changelist"),
        "admin_aspecto": reverse("admin:convenios_aspecto_change", args=[rec1.pk]),
        "admin_dependencias": reverse("admin:convenios_dependencia_changelist"),
        "admin_dependencia": reverse("admin:convenios_dependencia_change", args=[convenio.dependencia_evaluada_id]),
        "admin_dependencia_nueva": reverse("admin:convenios_dependencia_add"),
        "admin_evaluacion": reverse("admin:convenios_evaluacion_change", args=[convenio.evaluacion_id]),
        "admin_usuarios": reverse("admin:cuentas_usuario_changelist"),
        "admin_dispositivos": reverse("admin:otp_totp_totpdevice_changelist"),
    }


def paginas_estatales() -> dict[str, str]:
    """The state-level administrator: a superuser with its state-wide home; it creates municipios and their IMPLAN."""
    Usuario.objects.create_superuser("estatal", "estatal@example.org", CONTRASENA_DEMO, first_name="Administración")
    return {
        "inicio": reverse("seguimiento:inicio"),
        "admin": reverse("admin:index"),
        "admin_municipios": reverse("admin:convenios_municipio_changelist"),
        "admin_municipio_nuevo": reverse("admin:convenios_municipio_add"),
        "admin_usuarios": reverse("admin:cuentas_usuario_changelist"),
    }


def paginas_publicas() -> dict[str, str]:
    """What a citizen reads without an account: the portal, the convenio and its documents, open data, the API."""
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
