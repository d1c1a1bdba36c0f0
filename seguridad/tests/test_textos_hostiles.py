"""Any text in any field is stored and shown back literally, or refused with a Spanish message: never a 500,
never executed (hypothesis drives the inputs; each run is bounded to keep the suite fast)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convenios.models import Aspecto, EstadoAspecto, hoy
from seguimiento import services
from seguimiento.forms import ComentarioForm, ProrrogaResolucionForm, ProrrogaSolicitudForm, SesionForm
from seguimiento.models import Accion, Movimiento, Prorroga, Sesion
from seguimiento.tests import archivos_prueba as ap
from seguridad.tests.hostiles import datos_de_pagina_admin, leer_pagina, normalizar, texto_hostil
from seguridad.tests.informe import clase_de_texto

pytestmark = pytest.mark.seguridad

CON_FIXTURES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
GUARDADO = "guardado y mostrado literal"
RECHAZADO = "rechazado con mensaje en español"

MENSAJES_ESPANOL = [
    r"Caracteres nulos no están permitidos\.",
    r"Asegúrese de que este valor tenga como máximo [\d,.]+ caracteres \(tiene [\d,.]+\)\.",
    r"Este campo es (obligatorio|requerido)\.",
    r"Escriba el motivo o las observaciones\.",
    r"Explique el motivo.*",
    r"Describa qué acredita el archivo\.",
    r"«.+» contiene caracteres nulos, que no se aceptan; quítelos y vuelva a intentarlo\.",
    r"«.+» contiene caracteres que no son texto válido\.",
    r"«.+» admite como máximo [\d,]+ caracteres \(tiene [\d,]+\)\.",
    r"Una recomendación debe indicar sus acciones \(cláusula CUARTA b\)\.",
]


def en_espanol(mensajes: list[str]) -> bool:
    return bool(mensajes) and all(any(re.fullmatch(p, m, re.S) for p in MENSAJES_ESPANOL) for m in mensajes)


def mensajes_de(respuesta) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in respuesta.context["messages"]] if respuesta.context else []


def muestra_literal(html: str, texto: str, activos_antes: int) -> None:
    visible, activos = leer_pagina(html)
    assert normalizar(texto) in visible
    assert activos == activos_antes, "el texto agregó scripts o manejadores de eventos a la página"


# --- The kind each text is counted under in the report (seguridad/tests/informe.py) ------------


@pytest.mark.parametrize(
    "texto,clase",
    [
        ("a\x00b", "con NUL"),
        ("<b>{{ x }}</b>", "sintaxis de plantilla"),
        ("<script>alert(1)</script>", "HTML / script"),
        ("\u202eabc", "derecha a izquierda / marcas bidi"),
        ("x" * 1_000_000, "enorme (≥ 1 MB)"),
        ("   ", "vacío o solo espacios"),
        ("evaluación", "unicode (acentos, emoji, otros alfabetos)"),
        ("hola", "ASCII"),
    ],
)
def test_cada_texto_cuenta_en_un_solo_tipo(texto, clase):
    assert clase_de_texto(texto) == clase


# --- The forms alone (no database): valid means the value comes back as typed ---------------


@pytest.mark.parametrize(
    "fabricar,campo,limite",
    [
        (lambda d: ComentarioForm(d, obligatorio=True), "comentario", 5000),
        (lambda d: ProrrogaSolicitudForm(d), "motivo", 5000),
        (lambda d: ProrrogaResolucionForm(d), "comentario", 5000),
        (lambda d: SesionForm(d, convenios=Aspecto.objects.none()), "lugar", 300),
    ],
    ids=["comentario", "motivo", "resolucion", "lugar"],
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texto=st.one_of(texto_hostil, st.text(min_size=4990, max_size=5100)))
def test_los_formularios_devuelven_el_texto_o_un_error_en_espanol(fabricar, campo, limite, texto, informe):
    form = fabricar({campo: texto})
    form.is_valid()
    if campo in form.errors:
        assert en_espanol(form.errors[campo]), form.errors[campo]
        assert "\x00" in texto or len(texto.strip()) > limite or not texto.strip()
        informe.anotar(f"Formulario, campo «{campo}»", clase_de_texto(texto, limite), RECHAZADO)
    else:
        assert form.cleaned_data[campo] == texto.strip()
        informe.anotar(f"Formulario, campo «{campo}»", clase_de_texto(texto, limite), "aceptado tal cual")


# --- Through the pages: stored, shown escaped, history complete -----------------------------


@pytest.fixture
def escena(convenio, dependencia, implan):
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="Base", usuario=dependencia
    )
    de_dependencia, de_implan = Client(), Client()
    de_dependencia.force_login(dependencia)
    de_implan.force_login(implan)
    pagina = reverse("seguimiento:aspecto", args=[aspecto.pk])
    _, activos = leer_pagina(de_implan.get(pagina).content.decode())
    return aspecto, de_dependencia, de_implan, pagina, activos


@CON_FIXTURES
@given(texto=texto_hostil)
def test_comentarios_de_una_transicion(escena, implan, informe, texto):
    aspecto, de_dependencia, de_implan, pagina, activos = escena
    aspecto.refresh_from_db()
    if aspecto.estado == EstadoAspecto.EN_REVISION:
        services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=aspecto, usuario=implan, comentario="x")
    antes = Movimiento.objects.count()
    enviar = de_dependencia.post(
        reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, "enviar"]), {"comentario": texto}, follow=True
    )
    assert enviar.status_code == 200
    aspecto.refresh_from_db()
    if aspecto.estado != EstadoAspecto.EN_REVISION:
        assert en_espanol(mensajes_de(enviar)) and Movimiento.objects.count() == antes
        informe.anotar("Comentario al enviar a revisión (página)", clase_de_texto(texto, 5000), RECHAZADO)
        return
    assert Movimiento.objects.latest("pk").comentario == texto.strip()
    observar = de_implan.post(
        reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, "observar"]),
        {"comentario": texto, "confirmar": "si"},
        follow=True,
    )
    aspecto.refresh_from_db()
    if texto.strip():
        assert aspecto.estado == EstadoAspecto.OBSERVADA
        assert Movimiento.objects.latest("pk").comentario == texto.strip()
        muestra_literal(observar.content.decode(), texto, activos)
    else:
        assert aspecto.estado == EstadoAspecto.EN_REVISION and en_espanol(mensajes_de(observar))
    informe.anotar("Comentario al enviar a revisión (página)", clase_de_texto(texto, 5000), GUARDADO)


@CON_FIXTURES
@given(texto=texto_hostil)
def test_motivo_de_una_prorroga(escena, implan, informe, texto):
    aspecto, de_dependencia, de_implan, pagina, activos = escena
    for pendiente in Prorroga.objects.filter(aspecto=aspecto, estado="solicitada"):
        services.prorroga_resolver(prorroga=pendiente, usuario=implan, aprobar=False, comentario="x")
    aspecto.refresh_from_db()
    respuesta = de_dependencia.post(
        reverse("seguimiento:prorroga_solicitar", args=[aspecto.pk]),
        {"fecha_solicitada": (aspecto.fecha_vigente + datetime.timedelta(days=1)).isoformat(), "motivo": texto},
    )
    clase = clase_de_texto(texto, 5000)
    if respuesta.status_code == 400:
        form = respuesta.context["form"]
        assert en_espanol([m for errores in form.errors.values() for m in errores]), form.errors
        assert not Prorroga.objects.filter(aspecto=aspecto, estado="solicitada").exists()
        informe.anotar("Motivo de una prórroga (página)", clase, RECHAZADO)
        return
    assert respuesta.status_code == 302
    assert Prorroga.objects.get(aspecto=aspecto, estado="solicitada").motivo == texto.strip()
    muestra_literal(de_implan.get(pagina).content.decode(), texto, activos)
    informe.anotar("Motivo de una prórroga (página)", clase, GUARDADO)


@CON_FIXTURES
@given(texto=texto_hostil)
def test_descripcion_de_una_evidencia(escena, informe, texto):
    aspecto, de_dependencia, de_implan, pagina, activos = escena
    antes = aspecto.evidencias.count()
    respuesta = de_dependencia.post(
        reverse("seguimiento:evidencia_subir", args=[aspecto.pk]),
        {"archivo": ap.subido("informe.pdf", ap.pdf()), "descripcion": texto, "formato": "02a"},
    )
    clase = clase_de_texto(texto, 500)
    if respuesta.status_code == 400:
        form = respuesta.context["form_evidencia"]
        assert en_espanol([m for errores in form.errors.values() for m in errores]), form.errors
        assert aspecto.evidencias.count() == antes
        informe.anotar("Descripción de una evidencia (página)", clase, RECHAZADO)
        return
    assert respuesta.status_code == 302
    assert aspecto.evidencias.latest("pk").descripcion == texto.strip()
    muestra_literal(de_implan.get(pagina).content.decode(), texto, activos)
    informe.anotar("Descripción de una evidencia (página)", clase, GUARDADO)


@CON_FIXTURES
@given(lugar=texto_hostil, acuerdos=texto_hostil)
def test_lugar_y_acuerdos_de_una_sesion(convenio, implan, informe, lugar, acuerdos):
    cliente = Client()
    cliente.force_login(implan)
    antes = Sesion.objects.count()
    respuesta = cliente.post(
        reverse("seguimiento:sesion_programar"),
        {
            "convenios": [convenio.pk],
            "fecha": (hoy() + datetime.timedelta(days=3)).isoformat(),
            "hora": "10:00",
            "lugar": lugar,
        },
    )
    if respuesta.status_code == 400:
        assert en_espanol(respuesta.context["form"].errors["lugar"])
        assert Sesion.objects.count() == antes
        informe.anotar("Lugar de una sesión (página)", clase_de_texto(lugar, 300), RECHAZADO)
        return
    sesion = Sesion.objects.latest("pk")
    assert respuesta.status_code == 302 and sesion.lugar == (lugar.strip() or convenio.implan.domicilio)
    pagina = reverse("seguimiento:sesion", args=[sesion.pk])
    _, activos = leer_pagina(cliente.get(pagina).content.decode())
    muestra_literal(cliente.get(pagina).content.decode(), sesion.lugar, activos)
    informe.anotar("Lugar de una sesión (página)", clase_de_texto(lugar, 300), GUARDADO)

    registro = cliente.post(reverse("seguimiento:sesion_registrar", args=[sesion.pk]), {"acuerdos": acuerdos})
    sesion.refresh_from_db()
    if registro.status_code == 400:
        assert en_espanol(registro.context["form"].errors["acuerdos"]) and sesion.acuerdos == ""
        informe.anotar("Acuerdos de una sesión (página)", clase_de_texto(acuerdos, 20000), RECHAZADO)
        return
    assert registro.status_code == 302 and sesion.acuerdos == acuerdos.strip()
    muestra_literal(cliente.get(pagina).content.decode(), acuerdos, activos)
    informe.anotar("Acuerdos de una sesión (página)", clase_de_texto(acuerdos, 20000), GUARDADO)


@CON_FIXTURES
@given(texto=texto_hostil, acciones=texto_hostil)
def test_textos_de_un_aspecto_en_la_administracion(convenio, implan, informe, texto, acciones):
    # Texts are captured while the convenio is a borrador (a signed one is frozen).
    type(convenio).objects.filter(pk=convenio.pk).update(estado="borrador")
    cliente = Client()
    cliente.force_login(implan)
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=2)
    accion = aspecto.acciones.get()
    url = reverse("admin:convenios_aspecto_change", args=[aspecto.pk])
    pagina = cliente.get(url)
    _, activos = leer_pagina(pagina.content.decode())
    anterior = (aspecto.texto, accion.texto)
    datos = {**datos_de_pagina_admin(pagina), "texto": texto, "acciones-0-texto": acciones}
    respuesta = cliente.post(url, datos)
    aspecto.refresh_from_db()
    accion.refresh_from_db()
    clase = clase_de_texto(texto + acciones)
    if respuesta.status_code == 200:  # the admin shows the form again with its errors
        formularios = [respuesta.context["adminform"].form, *respuesta.context["inline_admin_formsets"][0].formset]
        errores = [m for f in formularios for lista in f.errors.values() for m in lista]
        assert en_espanol(errores), errores
        assert (aspecto.texto, accion.texto) == anterior
        informe.anotar("Texto y acciones de un aspecto (administración)", clase, RECHAZADO)
        return
    assert respuesta.status_code == 302
    assert (aspecto.texto, accion.texto) == (texto.strip(), acciones.strip())
    html = cliente.get(url).content.decode()
    muestra_literal(html, texto, activos)
    muestra_literal(html, acciones, activos)
    informe.anotar("Texto y acciones de un aspecto (administración)", clase, GUARDADO)


# --- The services called directly (a command, another app): the same answer ----------------

sustitutos = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)


@CON_FIXTURES
@given(
    texto=st.one_of(texto_hostil, sustitutos.map(lambda s: f"antes {s} después"), st.just("a\x00b")),
    servicio=st.sampled_from(["evidencia", "enviar", "prorroga", "sesion"]),
)
def test_los_servicios_guardan_el_texto_o_lo_rechazan_con_mensaje(
    convenio, dependencia, implan, informe, texto, servicio
):
    aspecto = convenio.aspectos.get(tipo="hallazgo", numero=1)
    for pendiente in Prorroga.objects.filter(aspecto=aspecto, estado="solicitada"):
        services.prorroga_resolver(prorroga=pendiente, usuario=implan, aprobar=False, comentario="x")
    aspecto.refresh_from_db()
    if aspecto.estado == EstadoAspecto.EN_REVISION:
        services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=aspecto, usuario=implan, comentario="x")
    if not aspecto.evidencias.exists():
        services.evidencia_subir(
            aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
        )
    llamadas = {
        "evidencia": lambda: (
            services.evidencia_subir(
                aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion=texto, usuario=dependencia
            ).descripcion
        ),
        "enviar": lambda: (
            services.aspecto_enviar(aspecto=aspecto, usuario=dependencia, comentario=texto)
            .movimientos.latest("pk")
            .comentario
        ),
        "prorroga": lambda: (
            services.prorroga_solicitar(
                aspecto=aspecto,
                usuario=dependencia,
                fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=1),
                motivo=texto,
            ).motivo
        ),
        "sesion": lambda: (
            Sesion.objects.get(
                pk=services.sesion_programar(
                    usuario=implan,
                    convenios=[convenio],
                    fecha=hoy() + datetime.timedelta(days=1),
                    hora=datetime.time(9),
                    lugar=texto,
                ).pk
            ).lugar
        ),
    }
    seccion = f"Servicio llamado directamente ({servicio})"
    try:
        guardado = llamadas[servicio]()
    except ValidationError as error:
        assert en_espanol(error.messages), error.messages
        informe.anotar(seccion, clase_de_texto(texto, 300 if servicio == "sesion" else 500), RECHAZADO)
        return
    assert guardado == (texto.strip() or (convenio.implan.domicilio if servicio == "sesion" else ""))
    informe.anotar(seccion, clase_de_texto(texto, 300 if servicio == "sesion" else 500), "guardado literal")


# --- Huge inputs -------------------------------------------------------------------------

UN_MEGA = "Ñ<b>{{ x }}</b>" * 66_667  # 1,000,005 characters, 1,066,672 bytes in UTF-8


@pytest.mark.parametrize("campo", ["comentario", "motivo", "descripcion", "acuerdos"])
def test_un_texto_de_un_mega_se_rechaza_con_mensaje(escena, implan, informe, campo):
    aspecto, de_dependencia, de_implan, pagina, activos = escena
    if campo == "comentario":
        respuesta = de_implan.post(
            reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, "cancelar"]),
            {"comentario": UN_MEGA},
            follow=True,
        )
        mensajes = mensajes_de(respuesta)
    elif campo == "motivo":
        respuesta = de_dependencia.post(
            reverse("seguimiento:prorroga_solicitar", args=[aspecto.pk]),
            {"fecha_solicitada": (aspecto.fecha_vigente + datetime.timedelta(days=1)).isoformat(), "motivo": UN_MEGA},
        )
        mensajes = respuesta.context["form"].errors["motivo"]
    elif campo == "descripcion":
        respuesta = de_dependencia.post(
            reverse("seguimiento:evidencia_subir", args=[aspecto.pk]),
            {"archivo": ap.subido("a.pdf", ap.pdf()), "descripcion": UN_MEGA},
        )
        mensajes = respuesta.context["form_evidencia"].errors["descripcion"]
    else:
        sesion = services.sesion_programar(
            usuario=implan,
            convenios=[aspecto.convenio],
            fecha=hoy() + datetime.timedelta(days=1),
            hora=datetime.time(9),
        )
        respuesta = de_implan.post(reverse("seguimiento:sesion_registrar", args=[sesion.pk]), {"acuerdos": UN_MEGA})
        mensajes = respuesta.context["form"].errors["acuerdos"]
    assert en_espanol(list(mensajes)), mensajes
    assert re.search(r"\(tiene 1[,.]?000[,.]?005\)", " ".join(mensajes)), mensajes
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.PENDIENTE
    assert not Movimiento.objects.filter(comentario__startswith="Ñ<b>").exists()
    informe.anotar(f"Texto de 1 MB ({campo}, página)", clase_de_texto(UN_MEGA), RECHAZADO)


def test_un_cuerpo_mayor_al_limite_de_django_es_400_no_500(escena, informe):
    aspecto, de_dependencia, de_implan, pagina, activos = escena
    de_implan.raise_request_exception = False
    respuesta = de_implan.post(
        reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, "cancelar"]), {"comentario": "x" * 3_000_000}
    )
    assert respuesta.status_code == 400
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.PENDIENTE
    informe.anotar("Cuerpo de 3 MB (mayor que DATA_UPLOAD_MAX_MEMORY_SIZE)", "enorme (≥ 1 MB)", "rechazado (400)")
