"""Cláusula SÉPTIMA: prórroga de hasta 15 días naturales en total por aspecto; la decide el IMPLAN."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from convenios.models import EstadoAspecto
from seguimiento import services
from seguimiento.models import Accion, EstadoProrroga, Movimiento, Prorroga
from seguimiento.tests.estados import llevar_a

DIA = datetime.timedelta(days=1)


def test_solicitar_y_aprobar_mueve_la_fecha_vigente(
    recomendacion, dependencia, implan, django_capture_on_commit_callbacks
):
    original = recomendacion.fecha_compromiso
    with django_capture_on_commit_callbacks(execute=True):
        prorroga = services.prorroga_solicitar(
            aspecto=recomendacion, usuario=dependencia, fecha_solicitada=original + 10 * DIA, motivo="Cierre contable"
        )
    assert [m.to for m in mail.outbox] == [[implan.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True, comentario="Procede")
    recomendacion.refresh_from_db()
    assert recomendacion.fecha_compromiso == original
    assert recomendacion.fecha_vigente == original + 10 * DIA
    assert recomendacion.fecha_vigente > recomendacion.convenio.fecha_limite
    prorroga.refresh_from_db()
    assert (prorroga.estado, prorroga.resuelta_por) == (EstadoProrroga.APROBADA, implan)
    assert list(Movimiento.objects.filter(aspecto=recomendacion).values_list("accion", flat=True)) == [
        Accion.PRORROGA_SOLICITAR,
        Accion.PRORROGA_APROBAR,
    ]
    assert mail.outbox[-1].to == [dependencia.email]


def test_rechazar_no_mueve_la_fecha_y_exige_motivo(recomendacion, dependencia, implan):
    prorroga = services.prorroga_solicitar(
        aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente + 5 * DIA, motivo="x"
    )
    with pytest.raises(ValidationError):
        services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=False, comentario="")
    services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=False, comentario="Sin justificación")
    recomendacion.refresh_from_db()
    assert recomendacion.fecha_vigente == recomendacion.fecha_compromiso
    with pytest.raises(ValidationError) as error:
        services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True)
    assert error.value.code == "prorroga_resuelta"


def test_mas_de_15_dias_se_rechaza_citando_la_clausula(recomendacion, dependencia):
    with pytest.raises(ValidationError) as error:
        services.prorroga_solicitar(
            aspecto=recomendacion,
            usuario=dependencia,
            fecha_solicitada=recomendacion.fecha_compromiso + 16 * DIA,
            motivo="x",
        )
    assert error.value.code == "prorroga_excede_limite"
    assert "cláusula SÉPTIMA" in error.value.messages[0]
    assert "15 de enero de 2023" in error.value.messages[0]
    assert not Prorroga.objects.exists()


def test_el_total_de_prorrogas_no_pasa_de_15_dias(recomendacion, dependencia, implan):
    primera = services.prorroga_solicitar(
        aspecto=recomendacion,
        usuario=dependencia,
        fecha_solicitada=recomendacion.fecha_compromiso + 10 * DIA,
        motivo="x",
    )
    services.prorroga_resolver(prorroga=primera, usuario=implan, aprobar=True)
    recomendacion.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.prorroga_solicitar(
            aspecto=recomendacion,
            usuario=dependencia,
            fecha_solicitada=recomendacion.fecha_vigente + 6 * DIA,
            motivo="x",
        )
    assert "ya se han concedido 10 días" in error.value.messages[0]
    segunda = services.prorroga_solicitar(
        aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente + 5 * DIA, motivo="x"
    )
    services.prorroga_resolver(prorroga=segunda, usuario=implan, aprobar=True)
    recomendacion.refresh_from_db()
    assert (recomendacion.fecha_vigente - recomendacion.fecha_compromiso).days == 15


def test_quien_solicita_no_puede_aprobar(recomendacion, dependencia, implan):
    """Cláusula SÉPTIMA's request and its decision are two people's acts (convenios.politica, "misma_persona").

    Roles already keep them apart (the state administrator acts as IMPLAN, never as a dependencia);
    the rule still holds if a request ever carries the decider's name.
    """
    prorroga = services.prorroga_solicitar(
        aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente + 3 * DIA, motivo="x"
    )
    prorroga.solicitada_por = implan
    prorroga.save()
    with pytest.raises(ValidationError) as error:
        services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True)
    assert error.value.code == "misma_persona"
    prorroga.refresh_from_db()
    assert prorroga.estado == EstadoProrroga.SOLICITADA


def test_la_dependencia_no_resuelve_y_el_implan_no_solicita(recomendacion, dependencia, implan):
    with pytest.raises(PermissionDenied):
        services.prorroga_solicitar(
            aspecto=recomendacion, usuario=implan, fecha_solicitada=recomendacion.fecha_vigente + DIA, motivo="x"
        )
    prorroga = services.prorroga_solicitar(
        aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente + DIA, motivo="x"
    )
    with pytest.raises(PermissionDenied):
        services.prorroga_resolver(prorroga=prorroga, usuario=dependencia, aprobar=True)


def test_una_sola_solicitud_pendiente(recomendacion, dependencia):
    services.prorroga_solicitar(
        aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente + DIA, motivo="x"
    )
    with pytest.raises(ValidationError) as error:
        services.prorroga_solicitar(
            aspecto=recomendacion,
            usuario=dependencia,
            fecha_solicitada=recomendacion.fecha_vigente + 2 * DIA,
            motivo="y",
        )
    assert error.value.code == "prorroga_pendiente"


def test_no_hay_prorroga_para_lo_atendido(en_revision, implan, dependencia):
    llevar_a(en_revision, EstadoAspecto.ATENDIDA, implan=implan)
    with pytest.raises(ValidationError) as error:
        services.prorroga_solicitar(
            aspecto=en_revision, usuario=dependencia, fecha_solicitada=en_revision.fecha_vigente + DIA, motivo="x"
        )
    assert error.value.code == "estado_invalido"


def test_fecha_anterior_o_igual_rechazada(recomendacion, dependencia):
    with pytest.raises(ValidationError) as error:
        services.prorroga_solicitar(
            aspecto=recomendacion, usuario=dependencia, fecha_solicitada=recomendacion.fecha_vigente, motivo="x"
        )
    assert error.value.code == "fecha_no_posterior"


def test_formulario_de_prorroga_por_http(client, recomendacion, dependencia, implan):
    client.force_login(dependencia)
    url = reverse("seguimiento:prorroga_solicitar", args=[recomendacion.pk])
    assert client.get(url).status_code == 200
    respuesta = client.post(url, {"fecha_solicitada": "2023-01-20", "motivo": "Cierre"})
    assert respuesta.status_code == 400
    assert "cláusula SÉPTIMA" in respuesta.content.decode()
    respuesta = client.post(url, {"fecha_solicitada": "no es fecha", "motivo": "Cierre"})
    assert respuesta.status_code == 400
    respuesta = client.post(url, {"fecha_solicitada": "2023-01-10", "motivo": "Cierre contable"})
    assert respuesta.status_code == 302
    prorroga = Prorroga.objects.get()
    client.force_login(implan)
    respuesta = client.post(
        reverse("seguimiento:prorroga_resolver", args=[prorroga.pk]), {"decision": "aprobar", "comentario": "Procede"}
    )
    assert respuesta.status_code == 302
    recomendacion.refresh_from_db()
    assert recomendacion.fecha_vigente == datetime.date(2023, 1, 10)
