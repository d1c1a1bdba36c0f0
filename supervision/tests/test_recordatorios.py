"""Reminders arrive once: each level once, reruns send nothing, a skipped day catches up, one e-mail per recipient."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from convenios.models import EstadoAspecto, EstadoConvenio
from convenios.tests import fabricas
from notificaciones.models import Notificacion
from seguimiento.tests.estados import llevar_a
from supervision.models import Aviso, ResumenSemanal
from supervision.recordatorios import enviar_recordatorios
from supervision.tests.datos import aprobar_prorroga, convenio_con_fecha

D = datetime.date(2030, 12, 31)  # a Tuesday


def dia(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


def correos_para(direccion: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [direccion]]


@pytest.fixture
def correr(django_capture_on_commit_callbacks):
    """correr(fecha): one run on ``fecha``; returns the e-mails it sent (sent on commit, as in production)."""

    def correr(fecha: datetime.date) -> list[mail.EmailMessage]:
        antes = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            enviar_recordatorios(fecha=fecha)
        return mail.outbox[antes:]

    return correr


@pytest.fixture
def convenio_d(m):
    return convenio_con_fecha(m, D, hallazgos=1, recomendaciones=1)


def test_cada_nivel_se_envia_una_vez_y_repetir_no_envia_nada(convenio_d, dependencia, contraloria, correr):
    esperado = {
        -20: [],
        -15: ["Faltan 15 días o menos"],
        -10: [],
        -5: ["Faltan 5 días o menos"],
        -3: [],
        -1: ["Vence mañana o hoy"],
        0: [],
        1: ["Vencido"],
        2: [],
    }
    for n, niveles in esperado.items():
        enviados = correr(dia(n))
        a_dependencia = [c for c in enviados if c.to == [dependencia.email]]
        assert len(a_dependencia) == len(niveles), f"día {n}"
        for nivel, correo in zip(niveles, a_dependencia, strict=True):
            assert f"== {nivel} ==" in correo.body
            assert "Hallazgo 1" in correo.body and "Recomendación 1" in correo.body
        assert correr(dia(n)) == [], f"la segunda corrida del día {n} envió algo"
    assert Aviso.objects.filter(lote__isnull=True).count() == 0
    assert Aviso.objects.count() == 2 * 4


def test_resumen_semanal_a_la_contraloria_una_vez_por_semana(convenio_d, dependencia, contraloria, correr):
    assert correos_para(contraloria.email) == []
    correr(dia(-2))
    assert correos_para(contraloria.email) == []  # nothing overdue: no digest
    correr(dia(1))  # Wednesday: first overdue day
    resumen = correos_para(contraloria.email)
    assert len(resumen) == 1
    assert "Resumen semanal: 2 aspectos vencidos" in resumen[0].subject
    assert "Dirección de Desarrollo Social: 2" in resumen[0].body
    correr(dia(1))
    correr(dia(4))  # Saturday, same week
    assert len(correos_para(contraloria.email)) == 1
    correr(dia(6))  # Monday of the next week
    assert len(correos_para(contraloria.email)) == 2
    assert ResumenSemanal.objects.count() == 2


def test_un_dia_omitido_se_recupera_sin_repetir_niveles(convenio_d, dependencia, correr):
    primero = correr(dia(-12))  # the run of day -15 never happened
    assert len(primero) == 1 and "== Faltan 15 días o menos ==" in primero[0].body
    segundo = correr(dia(-3))  # nor those of days -5 and -4
    assert len(segundo) == 1
    assert "== Faltan 5 días o menos ==" in segundo[0].body
    assert "Faltan 15 días" not in segundo[0].body
    tercero = correr(dia(3))  # the day-before reminder is moot once the item is overdue
    a_dependencia = [c for c in tercero if c.to == [dependencia.email]]
    assert len(a_dependencia) == 1
    assert "== Vencido ==" in a_dependencia[0].body and "Vence mañana" not in a_dependencia[0].body
    assert correr(dia(3)) == []


def test_un_correo_por_destinatario_con_todos_sus_aspectos(m, dependencia, otra_dependencia, contraloria, correr):
    companera = fabricas.crear_usuario("dds_2", m.dependencia)
    sin_correo = fabricas.crear_usuario("dds_sin_correo", m.dependencia)
    type(sin_correo).objects.filter(pk=sin_correo.pk).update(email="")
    convenio_con_fecha(m, D, hallazgos=2, recomendaciones=0)
    convenio_con_fecha(m, dia(-20), hallazgos=0, recomendaciones=3)
    convenio_con_fecha(m, D, dependencia=m.otra_dependencia, hallazgos=1, recomendaciones=1)
    enviados = correr(dia(1))
    por_destinatario: dict[str, int] = {}
    for correo in enviados:
        assert len(correo.to) == 1
        por_destinatario[correo.to[0]] = por_destinatario.get(correo.to[0], 0) + 1
    assert por_destinatario == {
        dependencia.email: 1,
        companera.email: 1,
        otra_dependencia.email: 1,
        contraloria.email: 1,
    }
    cuerpo = correos_para(dependencia.email)[0].body
    assert cuerpo.count("- Hallazgo ") == 2 and cuerpo.count("- Recomendación ") == 3
    assert "Dirección de Obras Públicas" not in cuerpo
    assert "Resumen semanal: 7 aspectos vencidos" in correos_para(contraloria.email)[0].subject
    # Users without an e-mail address still find it in the app.
    assert Notificacion.objects.filter(usuario=sin_correo).count() == 1


def test_una_prorroga_renueva_los_avisos_para_la_nueva_fecha(m, dependencia, correr):
    convenio = convenio_con_fecha(m, datetime.date(2030, 12, 10), hallazgos=1, recomendaciones=0)
    aspecto = convenio.aspectos.get()
    assert len(correr(datetime.date(2030, 12, 9))) == 1  # 1 day left
    aprobar_prorroga(aspecto, 15)  # now due 25 December
    assert correr(datetime.date(2030, 12, 9)) == []
    nuevo = correr(datetime.date(2030, 12, 10))  # 15 days before the new date
    assert len(nuevo) == 1 and "== Faltan 15 días o menos ==" in nuevo[0].body


def test_atendidas_canceladas_no_atendidas_y_borradores_no_avisan(m, dependencia, correr):
    convenio = convenio_con_fecha(m, D, hallazgos=3, recomendaciones=0)
    a, b, c = convenio.aspectos.order_by("numero")
    llevar_a(a, EstadoAspecto.ATENDIDA)
    llevar_a(b, EstadoAspecto.CANCELADA)
    llevar_a(c, EstadoAspecto.NO_ATENDIDA)
    borrador = convenio_con_fecha(m, D, hallazgos=1, recomendaciones=0)
    type(borrador).objects.filter(pk=borrador.pk).update(estado=EstadoConvenio.BORRADOR)
    assert [c for c in correr(dia(-1)) if c.to == [dependencia.email]] == []


def test_notificaciones_en_la_app(client, convenio_d, dependencia, otra_dependencia, correr):
    correr(dia(-5))
    client.force_login(dependencia)
    respuesta = client.get(reverse("supervision:notificaciones"))
    assert respuesta.status_code == 200
    assert "2 aspectos por vencer" in respuesta.content.decode()
    assert respuesta.context["no_leidas"] == 1
    assert client.get(reverse("supervision:notificaciones_leidas")).status_code == 405
    respuesta = client.post(reverse("supervision:notificaciones_leidas"), follow=True)
    assert "Se marcó 1 notificación como leída." in respuesta.content.decode()
    assert respuesta.context["no_leidas"] == 0
    client.force_login(otra_dependencia)
    assert client.get(reverse("supervision:notificaciones")).context["pagina"].paginator.count == 0


def test_comando_dos_veces_envia_el_resumen_una_vez(seed, capsys, django_capture_on_commit_callbacks):
    from cuentas.models import Usuario

    contraloria = Usuario.objects.create_user(
        "auditora", email="auditora@demo.invalid", dependencia=seed.contraloria, password="x" * 16
    )
    Usuario.objects.create_user(
        "enlace", email="enlace@demo.invalid", dependencia=seed.dependencia_evaluada, password="x" * 16
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enviar_recordatorios", fecha="2023-01-02")
    assert "resúmenes semanales: 1" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enviar_recordatorios", fecha="2023-01-02")
    assert "Avisos: 0 (0 correos a dependencias); resúmenes semanales: 0" in capsys.readouterr().out
    resumen = correos_para(contraloria.email)
    assert len(resumen) == 1
    assert "Resumen semanal: 11 aspectos vencidos" in resumen[0].subject
    assert len(correos_para("enlace@demo.invalid")) == 1


def test_comando_rechaza_una_fecha_mal_escrita(db):
    with pytest.raises(CommandError, match="Use el formato AAAA-MM-DD"):
        call_command("enviar_recordatorios", "--fecha", "31/12/2030")


def _corrida(barrera: threading.Barrier, fecha: datetime.date, errores: list[BaseException]) -> None:
    """One run in its own thread (and so its own database connection), started together with the other."""
    try:
        barrera.wait()
        enviar_recordatorios(fecha=fecha)
    except BaseException as error:  # reported by the test's assertion
        errores.append(error)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dos_corridas_a_la_vez_envian_cada_aviso_una_vez():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL (SQLite serializa las escrituras)")
    m = fabricas.crear_municipio()
    usuarios = [fabricas.crear_usuario(f"dds_{i}", m.dependencia) for i in range(3)]
    fabricas.crear_usuario("cont", m.contraloria)
    for _ in range(20):
        convenio_con_fecha(m, D, hallazgos=5, recomendaciones=6)
    for n in (-15, -5, -1, 1):
        antes = len(mail.outbox)
        barrera = threading.Barrier(2)
        errores: list[BaseException] = []

        hilos = [threading.Thread(target=_corrida, args=(barrera, dia(n), errores)) for _ in range(2)]
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
        assert errores == []
        enviados = mail.outbox[antes:]
        for usuario in usuarios:
            assert len([c for c in enviados if c.to == [usuario.email]]) == 1, f"día {n}"
        assert len([c for c in enviados if c.to == ["cont@prueba.invalid"]]) == (1 if n == 1 else 0)
        cuerpo = next(c for c in enviados if c.to == [usuarios[0].email]).body
        assert cuerpo.count("- Hallazgo ") == 100 and cuerpo.count("- Recomendación ") == 120
    assert Aviso.objects.count() == 220 * 4
    assert Aviso.objects.filter(lote__isnull=True).count() == 0
