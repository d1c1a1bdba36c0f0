"""Sessions: staff idle 30 minutes (on a stated clock), logout everywhere on password change."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.tests.fabricas import CONTRASENA

NUEVA = "Una contraseña nueva y larga 2026"


def test_el_personal_de_consulta_amplia_tiene_sesion_de_30_minutos_por_inactividad(
    client, implan, contraloria, tesoreria, dependencia, entrar, settings
):
    assert datetime.timedelta(minutes=30) == settings.SESION_INACTIVA_PERSONAL
    for usuario in (implan, contraloria, tesoreria):
        c = Client()
        entrar(c, usuario.username)
        c.get(reverse("seguimiento:inicio"))
        assert c.session.get_expiry_age() == 30 * 60, usuario
        assert c.cookies["sessionid"]["max-age"] == 30 * 60
    c = Client()
    entrar(c, dependencia.username)
    assert c.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_la_sesion_del_personal_vence_por_inactividad_y_la_actividad_la_mantiene(implan, dependencia, entrar):
    personal, enlace = Client(), Client()
    inicio = reverse("seguimiento:inicio")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False) as reloj:
        entrar(personal, "implan")
        entrar(enlace, "dependencia")
        for _ in range(4):  # active for 80 minutes, never 30 idle: still signed in
            assert personal.get(inicio).status_code == 200
            reloj.shift(datetime.timedelta(minutes=20))
        reloj.shift(datetime.timedelta(minutes=11))  # now 31 minutes since the last request
        respuesta = personal.get(inicio)
        assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
        # The dependencia's session counts from the login (8 hours), not from the last request.
        assert enlace.get(inicio).status_code == 200
        reloj.shift(datetime.timedelta(hours=7))
        assert enlace.get(inicio).status_code == 302


def test_cambiar_la_contrasena_cierra_las_demas_sesiones(implan, entrar):
    computadora, telefono = Client(), Client()
    entrar(computadora, "implan", ip="10.1.1.1")
    entrar(telefono, "implan", ip="10.1.1.2")
    inicio = reverse("seguimiento:inicio")
    assert computadora.get(inicio).status_code == 200 and telefono.get(inicio).status_code == 200
    respuesta = computadora.post(
        reverse("password_change"),
        {"old_password": CONTRASENA, "new_password1": NUEVA, "new_password2": NUEVA},
        REMOTE_ADDR="10.1.1.1",
    )
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("password_change_done")
    assert computadora.get(inicio).status_code == 200  # the session that changed it stays
    respuesta = telefono.get(inicio)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.CAMBIO_CONTRASENA)
    assert (registro.usuario, registro.ip) == (implan, "10.1.1.1")
    # And the old password no longer works.
    assert entrar(Client(), "implan", CONTRASENA).status_code == 200
    assert entrar(Client(), "implan", NUEVA).status_code == 302


@pytest.mark.parametrize(
    "nueva,mensaje",
    [
        ("Corta.2026", "Debe contener por lo menos 12 caracteres"),
        ("123456789012345", "completamente numérica"),
        ("password1234", "Esta contraseña es muy común"),
    ],
)
def test_las_contrasenas_debiles_se_rechazan_en_espanol(client, implan, nueva, mensaje):
    client.force_login(implan)
    respuesta = client.post(
        reverse("password_change"), {"old_password": CONTRASENA, "new_password1": nueva, "new_password2": nueva}
    )
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert not RegistroAuditoria.objects.filter(tipo=TipoEvento.CAMBIO_CONTRASENA).exists()


def test_un_administrador_cambia_la_contrasena_de_otro_y_queda_registrado(client, implan, dependencia, entrar):
    sesion_del_usuario = Client()
    entrar(sesion_del_usuario, "dependencia")
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:auth_user_password_change", args=[dependencia.pk]),
        {"password1": NUEVA, "password2": NUEVA, "usable_password": "true"},
    )
    assert respuesta.status_code == 302
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.CAMBIO_CONTRASENA)
    assert registro.usuario == dependencia and "por implan" in registro.detalle
    assert sesion_del_usuario.get(reverse("seguimiento:inicio")).status_code == 302
