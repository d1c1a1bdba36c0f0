"""Cláusula TERCERA: sesiones at IMPLAN, attendance per party, items reviewed, agreements; parties notified."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from convenios.models import hoy
from convenios.tests.fabricas import crear_convenio, crear_usuario
from seguimiento import services
from seguimiento.models import Accion, Movimiento, Sesion


@pytest.fixture
def manana() -> datetime.date:
    return hoy() + datetime.timedelta(days=1)


def test_programar_por_omision_en_el_domicilio_del_implan_y_avisar(
    client, convenio, implan, dependencia, contraloria, tesoreria, manana, django_capture_on_commit_callbacks
):
    client.force_login(implan)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(
            reverse("seguimiento:sesion_programar"),
            {"convenios": [convenio.pk], "fecha": manana.isoformat(), "hora": "10:30", "lugar": ""},
        )
    assert respuesta.status_code == 302
    sesion = Sesion.objects.get()
    assert sesion.lugar == convenio.implan.domicilio
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (implan, dependencia, contraloria, tesoreria)
    )
    assert "Sesión de seguimiento" in mail.outbox[0].subject


def test_registrar_asistencia_revisados_y_acuerdos(client, convenio, implan, manana):
    sesion = services.sesion_programar(usuario=implan, convenios=[convenio], fecha=manana, hora=datetime.time(10))
    aspecto = convenio.aspectos.first()
    client.force_login(implan)
    url = reverse("seguimiento:sesion_registrar", args=[sesion.pk])
    assert client.get(url).status_code == 200
    datos = {
        f"nombre_{convenio.implan_id}": "Lic. Ana Pérez",
        f"cargo_{convenio.implan_id}": "Jefa de evaluación",
        f"nombre_{convenio.dependencia_evaluada_id}": "Ing. Luis Gómez",
        "aspectos_revisados": [aspecto.pk],
        "acuerdos": "La dependencia entregará el PbRM-02a corregido.",
    }
    assert client.post(url, datos).status_code == 302
    sesion.refresh_from_db()
    assert {(a.dependencia_id, a.nombre) for a in sesion.asistencias.all()} == {
        (convenio.implan_id, "Lic. Ana Pérez"),
        (convenio.dependencia_evaluada_id, "Ing. Luis Gómez"),
    }
    assert list(sesion.aspectos_revisados.all()) == [aspecto]
    assert Movimiento.objects.filter(aspecto=aspecto, accion=Accion.SESION).count() == 1
    # Saving again does not duplicate the history entry.
    assert client.post(url, datos).status_code == 302
    assert Movimiento.objects.filter(aspecto=aspecto, accion=Accion.SESION).count() == 1
    pagina = client.get(reverse("seguimiento:sesion", args=[sesion.pk])).content.decode()
    assert "Ing. Luis Gómez" in pagina and "PbRM-02a corregido" in pagina


def test_solo_el_implan_programa(convenio, dependencia, contraloria, manana):
    for usuario in (dependencia, contraloria):
        with pytest.raises(PermissionDenied):
            services.sesion_programar(usuario=usuario, convenios=[convenio], fecha=manana, hora=datetime.time(10))


def test_no_en_fecha_pasada_ni_sin_convenios(convenio, implan):
    with pytest.raises(ValidationError):
        services.sesion_programar(
            usuario=implan, convenios=[convenio], fecha=hoy() - datetime.timedelta(days=1), hora=datetime.time(10)
        )
    with pytest.raises(ValidationError):
        services.sesion_programar(usuario=implan, convenios=[], fecha=hoy(), hora=datetime.time(10))


def test_no_convoca_convenios_de_otro_municipio(convenio, implan, otro_municipio, manana):
    ajeno = crear_convenio(otro_municipio)
    with pytest.raises(PermissionDenied):
        services.sesion_programar(usuario=implan, convenios=[ajeno], fecha=manana, hora=datetime.time(10))


def test_la_dependencia_ve_solo_sesiones_de_sus_convenios(client, m, convenio, implan, manana):
    otro = crear_convenio(m, dependencia=m.otra_dependencia)
    sesion = services.sesion_programar(usuario=implan, convenios=[otro], fecha=manana, hora=datetime.time(9))
    usuario = crear_usuario("enlace", m.dependencia)
    client.force_login(usuario)
    assert client.get(reverse("seguimiento:sesion", args=[sesion.pk])).status_code == 404
    assert sesion not in client.get(reverse("seguimiento:sesiones")).context["sesiones"]
