"""Two reviewers act on the same item at once: one wins, the other gets a clear message (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from convenios.models import Aspecto, EstadoAspecto
from convenios.tests.fabricas import crear_usuario
from seguimiento import services
from seguimiento.models import Accion, Movimiento

pytestmark = pytest.mark.postgres


def _en_paralelo(*funciones):  # type: ignore[no-untyped-def]
    barrera = threading.Barrier(len(funciones))
    resultados: list[object] = [None] * len(funciones)

    def correr(i, funcion):  # type: ignore[no-untyped-def]
        try:
            barrera.wait()
            resultados[i] = funcion()
        except Exception as error:  # noqa: BLE001 - the result is what the test asserts
            resultados[i] = error
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr, args=(i, f)) for i, f in enumerate(funciones)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(30)
    return resultados


@pytest.fixture
def solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "los bloqueos de fila (select_for_update) se prueban en PostgreSQL; SQLite serializa las escrituras"
        )


def test_dos_revisiones_simultaneas_una_gana(solo_postgres, transactional_db, m, convenio, dependencia, implan):
    otro_revisor = crear_usuario("implan2", m.implan)
    from seguimiento.tests import archivos_prueba as ap

    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    resultados = _en_paralelo(
        lambda: services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=aspecto, usuario=implan),
        lambda: services.aspecto_transicionar(
            accion=Accion.OBSERVAR, aspecto=aspecto, usuario=otro_revisor, comentario="Falta firma"
        ),
    )
    exitos = [r for r in resultados if isinstance(r, Aspecto)]
    errores = [r for r in resultados if isinstance(r, ValidationError)]
    assert (len(exitos), len(errores)) == (1, 1), resultados
    assert errores[0].code == "estado_invalido"
    assert "quizá otra persona acaba de moverlo" in errores[0].messages[0]
    aspecto.refresh_from_db()
    assert aspecto.estado in (EstadoAspecto.ATENDIDA, EstadoAspecto.OBSERVADA)
    assert Movimiento.objects.filter(aspecto=aspecto, accion__in=[Accion.VALIDAR, Accion.OBSERVAR]).count() == 1


def test_dos_aprobaciones_simultaneas_de_la_misma_prorroga(
    solo_postgres, transactional_db, m, convenio, dependencia, implan
):
    import datetime

    otro_revisor = crear_usuario("implan2", m.implan)
    aspecto = convenio.aspectos.first()
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=5),
        motivo="x",
    )
    resultados = _en_paralelo(
        lambda: services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True),
        lambda: services.prorroga_resolver(prorroga=prorroga, usuario=otro_revisor, aprobar=True),
    )
    assert sum(isinstance(r, ValidationError) for r in resultados) == 1, resultados
    assert Movimiento.objects.filter(aspecto=aspecto, accion=Accion.PRORROGA_APROBAR).count() == 1
