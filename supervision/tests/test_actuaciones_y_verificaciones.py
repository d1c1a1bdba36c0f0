"""The Contraloría's actuaciones and the Tesorería's verificaciones: who may record them, what is kept, who sees it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from convenios.models import EstadoAspecto
from convenios.tests.reloj import el_dia
from documentos.services import vista_contraloria_emitir
from seguimiento.tests.estados import llevar_a
from supervision.models import ActuacionContraloria, TipoVerificacion, VerificacionTesoreria
from supervision.tests.datos import convenio_con_fecha

HOY = datetime.date(2026, 6, 15)
AYER = HOY - datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _el_dia_de_la_prueba():
    """The pages ask for today (``convenios.models.hoy``): the day this module's data is built around."""
    with el_dia(HOY):
        yield


@pytest.fixture
def vencido(m):
    """A convenio of last year whose two items are overdue."""
    return convenio_con_fecha(m, datetime.date(HOY.year - 1, 9, 30))


@pytest.fixture
def a_tiempo(m):
    return convenio_con_fecha(m, datetime.date(HOY.year, 12, 31))


PROCEDIMIENTO = {
    "tipo": "procedimiento",
    "texto": "Se inicia procedimiento de investigación por incumplimiento (cláusula SEXTA).",
    "expediente": "CM/DR/045/2026",
    "fecha": AYER.isoformat(),
    "estado_procedimiento": "abierto",
}
VERIFICACION = {
    "tipo": TipoVerificacion.RECURSOS_EJERCIDOS,
    "resultado": "conforme",
    "nota": "El presupuesto ejercido coincide con la cuenta pública.",
    "fecha": AYER.isoformat(),
}


def test_la_contraloria_registra_un_procedimiento_sobre_un_aspecto_vencido(
    client, contraloria, implan, vencido, django_capture_on_commit_callbacks
):
    aspecto = vencido.aspectos.first()
    client.force_login(contraloria)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("supervision:actuacion_aspecto", args=[aspecto.pk]), PROCEDIMIENTO)
    assert respuesta.status_code == 302
    actuacion = ActuacionContraloria.objects.get()
    assert (actuacion.aspecto, actuacion.convenio, actuacion.autor) == (aspecto, vencido, contraloria)
    assert actuacion.expediente == "CM/DR/045/2026"
    assert [c.to for c in mail.outbox] == [[implan.email]]
    # IMPLAN sees it on the item's page and on the board.
    client.force_login(implan)
    pagina = client.get(reverse("supervision:aspecto", args=[aspecto.pk])).content.decode()
    assert "expediente CM/DR/045/2026" in pagina
    assert "Expediente CM/DR/045/2026: Abierto" in pagina
    tablero = client.get(reverse("supervision:tablero")).content.decode()
    assert "Procedimiento" in tablero


def test_observacion_sobre_el_convenio_descarta_datos_de_procedimiento(client, contraloria, implan, vencido):
    client.force_login(contraloria)
    datos = {**PROCEDIMIENTO, "tipo": "observacion", "texto": "Sin avance desde la firma."}
    respuesta = client.post(reverse("supervision:actuacion_convenio", args=[vencido.pk]), datos, follow=True)
    assert "Actuación registrada" in respuesta.content.decode()
    actuacion = ActuacionContraloria.objects.get()
    assert (actuacion.aspecto, actuacion.expediente, actuacion.estado_procedimiento) == (None, "", "")
    client.force_login(implan)
    assert (
        "Sin avance desde la firma." in client.get(reverse("supervision:convenio", args=[vencido.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"expediente": "  "}, "Indique el número de expediente."),
        ({"estado_procedimiento": ""}, "Indique el estado del procedimiento."),
        ({"texto": ""}, "texto:required"),
        ({"texto": "x" * 5001}, "tiene 5001"),
        ({"fecha": "mañana"}, "Introduzca una fecha válida."),
        ({"fecha": (HOY + datetime.timedelta(days=1)).isoformat()}, "La fecha no puede ser posterior a hoy."),
        ({"tipo": "sancion"}, "Seleccione una opción válida."),
    ],
)
def test_datos_invalidos_se_rechazan_en_espanol_sin_guardar(client, contraloria, vencido, cambios, mensaje):
    client.force_login(contraloria)
    respuesta = client.post(reverse("supervision:actuacion_convenio", args=[vencido.pk]), {**PROCEDIMIENTO, **cambios})
    assert respuesta.status_code == 200
    if mensaje.endswith(":required"):  # Django's wording (the installed catalogs disagree); its code is stable
        campo = mensaje.split(":")[0]
        assert respuesta.context["form_actuacion"].has_error(campo, code="required")
    else:
        assert mensaje in respuesta.content.decode()
    assert ActuacionContraloria.objects.count() == 0


def test_no_se_registra_sobre_un_aspecto_que_no_esta_vencido(client, contraloria, a_tiempo, vencido):
    client.force_login(contraloria)
    respuesta = client.post(
        reverse("supervision:actuacion_aspecto", args=[a_tiempo.aspectos.first().pk]), PROCEDIMIENTO
    )
    assert "Solo se registran actuaciones sobre aspectos vencidos o no atendidos." in respuesta.content.decode()
    atendido = llevar_a(vencido.aspectos.first(), EstadoAspecto.ATENDIDA)
    respuesta = client.post(reverse("supervision:actuacion_aspecto", args=[atendido.pk]), PROCEDIMIENTO)
    assert "Solo se registran actuaciones" in respuesta.content.decode()
    assert ActuacionContraloria.objects.count() == 0


def test_doble_envio_registra_dos_filas_sin_perder_nada(client, contraloria, vencido):
    # A double click records twice (both are kept; nothing is overwritten). The second is visible as such.
    client.force_login(contraloria)
    url = reverse("supervision:actuacion_convenio", args=[vencido.pk])
    client.post(url, PROCEDIMIENTO)
    client.post(url, PROCEDIMIENTO)
    assert ActuacionContraloria.objects.count() == 2


@pytest.mark.parametrize("persona", ["implan", "tesoreria", "dependencia"])
def test_otros_roles_no_registran_actuaciones(client, request, persona, vencido):
    client.force_login(request.getfixturevalue(persona))
    aspecto = vencido.aspectos.first()
    assert client.post(reverse("supervision:actuacion_convenio", args=[vencido.pk]), PROCEDIMIENTO).status_code == 403
    assert client.post(reverse("supervision:actuacion_aspecto", args=[aspecto.pk]), PROCEDIMIENTO).status_code == 403
    assert ActuacionContraloria.objects.count() == 0


def test_otro_municipio_recibe_404_y_get_recibe_405(client, implan_otro_municipio, contraloria, vencido):
    client.force_login(implan_otro_municipio)
    for nombre in ("actuacion_convenio", "verificacion", "convenio"):
        metodo = client.get if nombre == "convenio" else client.post
        assert metodo(reverse(f"supervision:{nombre}", args=[vencido.pk]), PROCEDIMIENTO).status_code == 404
    assert client.get(reverse("supervision:aspecto", args=[vencido.aspectos.first().pk])).status_code == 404
    client.force_login(contraloria)
    assert client.get(reverse("supervision:actuacion_convenio", args=[vencido.pk])).status_code == 405


def test_dependencia_no_ve_convenios_de_otra(client, otra_dependencia, vencido):
    client.force_login(otra_dependencia)
    assert client.get(reverse("supervision:convenio", args=[vencido.pk])).status_code == 404


def test_la_tesoreria_registra_sus_dos_verificaciones_y_la_ultima_cuenta(
    client, tesoreria, implan, contraloria, a_tiempo, django_capture_on_commit_callbacks
):
    client.force_login(tesoreria)
    url = reverse("supervision:verificacion", args=[a_tiempo.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, VERIFICACION).status_code == 302
    client.post(url, {**VERIFICACION, "resultado": "no_conforme", "nota": "Faltan comprobantes.", "fecha": HOY})
    client.post(
        url,
        {**VERIFICACION, "tipo": TipoVerificacion.PRESUPUESTO_SIGUIENTE, "resultado": "parcial", "nota": "En parte."},
    )
    assert VerificacionTesoreria.objects.filter(autor=tesoreria).count() == 3
    assert sorted(c.to[0] for c in mail.outbox) == sorted([implan.email, contraloria.email])
    for lector in (implan, contraloria):
        client.force_login(lector)
        respuesta = client.get(reverse("supervision:convenio", args=[a_tiempo.pk]))
        vigentes = dict(respuesta.context["verificaciones"])
        assert vigentes[TipoVerificacion.RECURSOS_EJERCIDOS.label].nota == "Faltan comprobantes."
        assert vigentes[TipoVerificacion.PRESUPUESTO_SIGUIENTE.label].get_resultado_display() == "Parcialmente conforme"
        assert respuesta.context["form_verificacion"] is None


@pytest.mark.parametrize("persona", ["implan", "contraloria", "dependencia"])
def test_solo_la_tesoreria_verifica(client, request, persona, a_tiempo):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("supervision:verificacion", args=[a_tiempo.pk]), VERIFICACION).status_code == 403
    assert VerificacionTesoreria.objects.count() == 0


def test_verificacion_invalida_se_explica(client, tesoreria, a_tiempo):
    client.force_login(tesoreria)
    respuesta = client.post(
        reverse("supervision:verificacion", args=[a_tiempo.pk]), {**VERIFICACION, "resultado": "", "nota": ""}
    )
    assert respuesta.status_code == 200
    form = respuesta.context["form_verificacion"]
    assert form.has_error("resultado", code="required") and form.has_error("nota", code="required")
    assert 'class="invalid-feedback"' in respuesta.content.decode() or "is-invalid" in respuesta.content.decode()
    assert VerificacionTesoreria.objects.count() == 0


def test_aspecto_no_atendido_muestra_vista_dada_cuando_se_dio(client, implan, vencido):
    aspecto = llevar_a(vencido.aspectos.first(), EstadoAspecto.NO_ATENDIDA)
    client.force_login(implan)
    assert "Vista dada" not in client.get(reverse("supervision:aspecto", args=[aspecto.pk])).content.decode()
    vista_contraloria_emitir(convenio=vencido, usuario=implan)
    assert "Vista dada" in client.get(reverse("supervision:aspecto", args=[aspecto.pk])).content.decode()
    assert "Vista dada" in client.get(reverse("supervision:tablero")).content.decode()


def test_avance_por_convenio_dependencia_y_anio(client, contraloria, vencido, a_tiempo, m):
    llevar_a(a_tiempo.aspectos.first(), EstadoAspecto.ATENDIDA)
    llevar_a(vencido.aspectos.first(), EstadoAspecto.CANCELADA)
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:avance"))
    assert respuesta.status_code == 200
    avance = {c.pk: c.avance for c in respuesta.context["por_convenio"]}
    assert avance == {a_tiempo.pk: 50.0, vencido.pk: 0.0}
    (fila,) = respuesta.context["por_dependencia"]
    assert (fila["atendidas"], fila["vencidas"], fila["pendientes"], fila["canceladas"]) == (1, 1, 1, 1)
    assert fila["avance"] == pytest.approx(33.3)
    por_anio = {f["anio"]: f["avance"] for f in respuesta.context["por_anio"]}
    assert por_anio == {HOY.year: 50.0, HOY.year - 1: 0.0}
    contenido = respuesta.content.decode()
    assert "<svg" in contenido and 'class="g-vencidas"' in contenido
    assert "<caption>Números de la gráfica por dependencia</caption>" in contenido


def test_la_dependencia_no_ve_las_actuaciones_de_la_contraloria(client, contraloria, dependencia, vencido):
    aspecto = vencido.aspectos.first()
    client.force_login(contraloria)
    client.post(reverse("supervision:actuacion_aspecto", args=[aspecto.pk]), PROCEDIMIENTO)
    assert ActuacionContraloria.objects.count() == 1
    client.force_login(dependencia)
    for url in (
        reverse("supervision:aspecto", args=[aspecto.pk]),
        reverse("supervision:convenio", args=[vencido.pk]),
        reverse("supervision:tablero"),
        reverse("seguimiento:aspecto", args=[aspecto.pk]),
    ):
        respuesta = client.get(url)
        assert respuesta.status_code == 200
        assert "CM/DR/045/2026" not in respuesta.content.decode(), url
        assert "Procedimiento" not in respuesta.content.decode(), url
    filas = b"".join(client.get(reverse("supervision:tablero_csv")).streaming_content).decode("utf-8-sig")
    assert AYER.isoformat() not in filas
