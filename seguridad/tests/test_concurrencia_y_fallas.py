"""Many people on the same convenio at once (PostgreSQL threads), a database error mid-transition,
and the integrity check afterwards: nothing lost, nothing doubled, nothing half done."""

from __future__ import annotations

import threading
import time
from collections import Counter
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse

from convenios.models import Aspecto, EstadoAspecto
from convenios.tests.fabricas import crear_convenio, crear_usuario
from seguimiento import services
from seguimiento.models import Accion, Evidencia, Movimiento
from seguimiento.tests import archivos_prueba as ap
from seguridad.integridad import verificar

pytestmark = pytest.mark.seguridad

RONDAS_DEPENDENCIA = 8  # each: upload one file, then send the item to review
RONDAS_IMPLAN = 12  # each: validate or return an item
TRABAJADORES = 8  # 4 dependencia users + 4 IMPLAN users
CONFLICTOS_ESPERADOS = {"estado_invalido", "sin_evidencia"}


def _correr_a_la_vez(trabajos):  # type: ignore[no-untyped-def]
    barrera = threading.Barrier(len(trabajos))
    errores: list[BaseException] = []

    def correr(trabajo):  # type: ignore[no-untyped-def]
        try:
            barrera.wait()
            trabajo()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errores.append(error)
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr, args=(t,)) for t in trabajos]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(120)
    assert not any(h.is_alive() for h in hilos), "un hilo no terminó: ¿bloqueo mutuo?"
    return errores


@pytest.fixture
def solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "los bloqueos de fila bajo concurrencia real se prueban en PostgreSQL; SQLite serializa las escrituras"
        )


def test_ocho_personas_subiendo_y_revisando_el_mismo_convenio(solo_postgres, transactional_db, m, informe):
    convenio = crear_convenio(m, hallazgos=2, recomendaciones=6)
    aspectos = list(convenio.aspectos.order_by("pk"))
    enlaces = [crear_usuario(f"enlace{i}", m.dependencia) for i in range(4)]
    revisores = [crear_usuario(f"revisor{i}", m.implan) for i in range(4)]
    bitacora: list[tuple[str, int, str]] = []  # (operation, aspecto pk, "ok" or error code)
    candado = threading.Lock()

    def anotar(operacion: str, servicio, **argumentos) -> None:  # type: ignore[no-untyped-def]
        try:
            servicio(**argumentos)
            resultado = "ok"
        except ValidationError as error:
            resultado = error.code or "sin_codigo"
        with candado:
            bitacora.append((operacion, argumentos["aspecto"].pk, resultado))

    def dependencia(i: int):  # type: ignore[no-untyped-def]
        def trabajo() -> None:
            for j in range(RONDAS_DEPENDENCIA):
                aspecto = aspectos[(i * 3 + j) % len(aspectos)]
                archivo = ap.subido(f"enlace{i}-{j}.pdf", ap.pdf(f"enlace {i} ronda {j}"))
                anotar(
                    Accion.EVIDENCIA,
                    services.evidencia_subir,
                    aspecto=aspecto,
                    archivo=archivo,
                    descripcion=f"Ronda {j}",
                    usuario=enlaces[i],
                )
                anotar(Accion.ENVIAR, services.aspecto_enviar, aspecto=aspecto, usuario=enlaces[i])

        return trabajo

    def implan(i: int):  # type: ignore[no-untyped-def]
        def trabajo() -> None:
            for j in range(RONDAS_IMPLAN):
                aspecto = aspectos[(i + j) % len(aspectos)]
                if j % 3 == 0:
                    anotar(
                        Accion.OBSERVAR,
                        partial(services.aspecto_transicionar, accion=Accion.OBSERVAR),
                        aspecto=aspecto,
                        usuario=revisores[i],
                        comentario="Falta firma",
                    )
                else:
                    anotar(
                        Accion.VALIDAR,
                        partial(services.aspecto_transicionar, accion=Accion.VALIDAR),
                        aspecto=aspecto,
                        usuario=revisores[i],
                    )
                time.sleep(0.02)

        return trabajo

    inicio = time.monotonic()
    errores = _correr_a_la_vez([dependencia(i) for i in range(4)] + [implan(i) for i in range(4)])
    duracion = time.monotonic() - inicio
    assert errores == [], errores

    operaciones = len(bitacora)
    assert operaciones == 4 * RONDAS_DEPENDENCIA * 2 + 4 * RONDAS_IMPLAN
    inesperados = [b for b in bitacora if b[2] not in {"ok", *CONFLICTOS_ESPERADOS}]
    assert inesperados == []
    exitos = Counter(op for op, _, resultado in bitacora if resultado == "ok")

    # No lost and no doubled history: one Movimiento per successful operation, per kind.
    en_base = Counter(Movimiento.objects.filter(aspecto__convenio=convenio).values_list("accion", flat=True))
    assert en_base == exitos, (en_base, exitos)
    assert Evidencia.objects.filter(aspecto__convenio=convenio).count() == exitos[Accion.EVIDENCIA]
    # django-simple-history also has exactly one row per state change.
    cambios = sum(exitos[a] for a in (Accion.ENVIAR, Accion.VALIDAR, Accion.OBSERVAR))
    assert Aspecto.history.filter(convenio_id=convenio.pk, history_type="~").count() == cambios

    # No lost update: each item's history is one unbroken chain that ends in its current state.
    for aspecto in aspectos:
        aspecto.refresh_from_db()
        estado = EstadoAspecto.PENDIENTE
        for movimiento in Movimiento.objects.filter(aspecto=aspecto).order_by("pk"):
            assert movimiento.estado_anterior == estado, (aspecto, movimiento)
            estado = movimiento.estado_nuevo
        assert aspecto.estado == estado

    resultado = verificar()
    assert resultado.problemas == [] and resultado.revisados == exitos[Accion.EVIDENCIA]

    informe.medir(
        "concurrencia",
        {
            "trabajadores": TRABAJADORES,
            "operaciones": operaciones,
            "exitos": dict(exitos),
            "rechazos_por_conflicto": operaciones - sum(exitos.values()),
            "perdidas": 0,
            "duplicados": 0,
            "segundos": round(duracion, 2),
            "integridad_archivos": resultado.revisados,
            "integridad_segundos": round(resultado.segundos, 3),
        },
    )


# --- A database error in the middle of a transition ----------------------------------------

FALLA = "FALLA A MEDIA TRANSACCIÓN"  # any Movimiento whose comment contains it is refused


@pytest.fixture
def movimientos_que_fallan(db):
    """Only in this test's database: inserting a Movimiento with this comment fails (after the item was saved)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE seguimiento_movimiento ADD CONSTRAINT prueba_falla CHECK (position(%s in comentario) = 0)",
                [FALLA],
            )
        else:
            cursor.execute(
                "CREATE TRIGGER prueba_falla BEFORE INSERT ON seguimiento_movimiento "
                f"WHEN instr(NEW.comentario, '{FALLA}') > 0 BEGIN SELECT RAISE(ABORT, 'prueba_falla'); END"
            )
    yield
    # The test's transaction is rolled back, and the constraint or trigger with it.


def test_un_error_de_base_de_datos_a_media_transicion_deja_el_aspecto_como_estaba(
    movimientos_que_fallan, convenio, dependencia, implan, django_capture_on_commit_callbacks, mailoutbox
):
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    historial, movimientos = aspecto.history.count(), Movimiento.objects.count()
    with django_capture_on_commit_callbacks() as avisos, pytest.raises(IntegrityError):
        services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=aspecto, usuario=implan, comentario=FALLA)
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.EN_REVISION
    assert (aspecto.history.count(), Movimiento.objects.count()) == (historial, movimientos)
    assert avisos == []  # nobody is e-mailed about a move that did not happen
    # The item is still usable: the next move goes through.
    services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=aspecto, usuario=implan, comentario="Falta la firma")
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.OBSERVADA


def test_por_la_pagina_el_error_no_cambia_nada(movimientos_que_fallan, client, convenio, dependencia, implan):
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    client.force_login(implan)
    client.raise_request_exception = False
    respuesta = client.post(
        reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, "observar"]),
        {"comentario": FALLA, "confirmar": "si"},
    )
    assert respuesta.status_code == 500
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.EN_REVISION
    assert not Movimiento.objects.filter(accion=Accion.OBSERVAR).exists()


def test_si_la_base_falla_al_registrar_una_evidencia_el_archivo_no_se_queda(
    movimientos_que_fallan, convenio, dependencia, settings
):
    import os

    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    with pytest.raises(IntegrityError):  # the Evidencia row is written, then its Movimiento fails
        services.evidencia_subir(
            aspecto=aspecto, archivo=ap.subido("acta.pdf", ap.pdf()), descripcion=FALLA, usuario=dependencia
        )
    assert not Evidencia.objects.exists() and not Movimiento.objects.exists()
    raiz = settings.MEDIA_ROOT
    assert not os.path.exists(raiz) or [f for _, _, fs in os.walk(raiz) for f in fs] == []
