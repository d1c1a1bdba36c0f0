"""The overdue rule at its boundaries, in SQL (querysets) and in Python (instance twins), which must agree."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from convenios.models import Aspecto, EstadoAspecto, Semaforo, hoy
from seguimiento.tests.estados import llevar_a
from supervision.tests.datos import aprobar_prorroga, convenio_con_fecha

DIA = datetime.date(2026, 10, 15)
UN_DIA = datetime.timedelta(days=1)


@pytest.fixture
def aspecto(m) -> Aspecto:
    return convenio_con_fecha(m, DIA, hallazgos=1, recomendaciones=0).aspectos.get()


def _estado_en(aspecto: Aspecto, fecha: datetime.date) -> tuple[bool, int, str]:
    """(vencido, días, semáforo) from the database, checked against the instance twins."""
    anotado = Aspecto.objects.con_semaforo(fecha).con_dias_vencido(fecha).get(pk=aspecto.pk)
    vencido = Aspecto.objects.vencidos(fecha).filter(pk=aspecto.pk).exists()
    assert vencido == aspecto.esta_vencido(fecha)
    assert anotado.n_dias_vencido == aspecto.dias_vencido(fecha)
    assert anotado.semaforo == aspecto.semaforo_en(fecha)
    return vencido, anotado.n_dias_vencido, anotado.semaforo


def test_el_dia_de_la_fecha_no_esta_vencido(aspecto):
    assert _estado_en(aspecto, DIA) == (False, 0, Semaforo.AMARILLO)


def test_el_dia_siguiente_esta_vencido_por_un_dia(aspecto):
    assert _estado_en(aspecto, DIA + UN_DIA) == (True, 1, Semaforo.ROJO)


def test_dias_de_atraso_cuentan_dias_naturales(aspecto):
    assert _estado_en(aspecto, DIA + datetime.timedelta(days=100)) == (True, 100, Semaforo.ROJO)
    # Across a year and a leap day: 2028 is a leap year.
    assert _estado_en(aspecto, datetime.date(2028, 10, 15)) == (True, 731, Semaforo.ROJO)


def test_semaforo_amarillo_desde_15_dias_antes(aspecto):
    assert _estado_en(aspecto, DIA - datetime.timedelta(days=16))[2] == Semaforo.VERDE
    assert _estado_en(aspecto, DIA - datetime.timedelta(days=15))[2] == Semaforo.AMARILLO


@pytest.mark.parametrize(
    ("utc", "vencido"),
    [
        # 23:59 on the due date in Mexico City is 05:59 UTC the next day: not yet overdue.
        (datetime.datetime(2026, 10, 16, 5, 59, tzinfo=datetime.UTC), False),
        # One minute after midnight in Mexico City: overdue, although UTC had changed date hours before.
        (datetime.datetime(2026, 10, 16, 6, 1, tzinfo=datetime.UTC), True),
    ],
)
def test_medianoche_en_la_ciudad_de_mexico(aspecto, utc, vencido):
    fecha = hoy(utc)
    assert fecha == utc.astimezone(ZoneInfo("America/Mexico_City")).date()
    assert _estado_en(aspecto, fecha)[0] is vencido


def test_una_prorroga_mueve_la_fecha_vigente(aspecto):
    assert _estado_en(aspecto, DIA + UN_DIA)[0] is True
    aprobar_prorroga(aspecto, 10)
    assert _estado_en(aspecto, DIA + UN_DIA) == (False, 0, Semaforo.AMARILLO)
    assert _estado_en(aspecto, DIA + datetime.timedelta(days=10))[0] is False
    assert _estado_en(aspecto, DIA + datetime.timedelta(days=11)) == (True, 1, Semaforo.ROJO)


@pytest.mark.parametrize(
    ("estado", "vencido", "semaforo"),
    [
        (EstadoAspecto.ATENDIDA, False, Semaforo.VERDE),
        (EstadoAspecto.CANCELADA, False, Semaforo.VERDE),
        (EstadoAspecto.EN_REVISION, True, Semaforo.ROJO),
        (EstadoAspecto.OBSERVADA, True, Semaforo.ROJO),
        (EstadoAspecto.NO_ATENDIDA, True, Semaforo.ROJO),
    ],
)
def test_atendidas_y_canceladas_nunca_vencen(aspecto, estado, vencido, semaforo):
    llevar_a(aspecto, estado)
    resultado = _estado_en(aspecto, DIA + datetime.timedelta(days=30))
    assert resultado[0] is vencido
    assert resultado[2] == semaforo
    assert resultado[1] == (30 if vencido else 0)
