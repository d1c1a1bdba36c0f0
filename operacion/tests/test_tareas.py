"""Background tasks: inline without a broker; through a real Celery worker on Redis with one."""

from __future__ import annotations

import datetime
import signal
import subprocess
import time
import uuid
from pathlib import Path
from smtplib import SMTPServerDisconnected

import pytest
import redis
import time_machine
from django.core import mail
from django.db import transaction
from kombu import pools

from config.celery import app as celery_app
from notificaciones import tasks as tareas_de_notificaciones
from notificaciones.services import notificar
from operacion.tests.entorno import (
    BIN,
    RAIZ,
    REDIS_PRUEBAS,
    entorno_produccion,
    esperar,
    exigir_redis,
    manage,
    trabajador,
)
from operacion.tests.smtp import ServidorSMTP
from supervision import tasks as tareas_de_supervision
from supervision.models import Aviso
from supervision.tests.datos import convenio_con_fecha

PLANTILLAS = Path(__file__).parent / "plantillas"


@pytest.fixture
def plantilla_de_prueba(settings) -> str:
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], PLANTILLAS]}]
    return "correo_de_prueba.txt"


def avisar(*destinatarios, plantilla: str) -> None:
    notificar(
        destinatarios=destinatarios,
        asunto="Recordatorio de fecha de cumplimiento",
        plantilla=plantilla,
        contexto={"aspecto": "Recomendación 1", "fecha": "31 de diciembre de 2022"},
        enlace="/",
    )


# --- Without a broker (make run, the test settings): inline, at commit -------------------------


@pytest.mark.parametrize(("broker", "en_linea"), [("", "True"), (REDIS_PRUEBAS, "False")])
def test_sin_broker_configurado_las_tareas_corren_en_linea(tmp_path, broker, en_linea):
    """config/settings/base.py as `make run` loads it (local settings), with and without CELERY_BROKER_URL."""
    entorno = entorno_produccion(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.local", CELERY_BROKER_URL=broker)

    resultado = manage(
        entorno, "shell", "-c", "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    )

    assert resultado.stdout.strip().splitlines()[-1] == en_linea, resultado.stderr


@pytest.mark.django_db
def test_notificar_sin_broker_envia_un_correo_por_destinatario_al_confirmar(
    dependencia, implan, plantilla_de_prueba, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        avisar(dependencia, implan, dependencia, plantilla=plantilla_de_prueba)
        assert mail.outbox == []  # nothing before the commit

    assert sorted(m.to[0] for m in mail.outbox) == ["dependencia@prueba.invalid", "implan@prueba.invalid"]
    assert mail.outbox[0].subject == "[Seguimiento ASM] Recordatorio de fecha de cumplimiento"
    assert "Recomendación 1 tiene fecha de cumplimiento el 31 de diciembre de 2022" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_notificar_no_envia_nada_si_la_transaccion_se_revierte(dependencia, plantilla_de_prueba):
    with pytest.raises(RuntimeError), transaction.atomic():
        avisar(dependencia, plantilla=plantilla_de_prueba)
        raise RuntimeError("el movimiento falló")

    assert mail.outbox == []


@pytest.mark.django_db
def test_sin_broker_un_correo_que_falla_no_se_reintenta_dentro_de_la_peticion(
    dependencia, plantilla_de_prueba, django_capture_on_commit_callbacks, settings, smtp
):
    """Inline, retries would hold the user's request (up to 7 SMTP timeouts): one try, and the error shows."""
    smtp.fallar = 1000
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.puerto

    with pytest.raises(SMTPServerDisconnected), django_capture_on_commit_callbacks(execute=True):
        avisar(dependencia, plantilla=plantilla_de_prueba)

    assert smtp.conexiones == 1


# --- With Redis and a real worker ----------------------------------------------------------------


def _soltar_conexiones() -> None:
    # The producer side caches its connection pool and queue declarations; drop them so the
    # next message goes to the broker and queue configured now.
    pools.reset()
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def cola() -> str:
    """This test's own queue on redis db 5, so parallel test processes don't take each other's tasks."""
    exigir_redis()
    nombre = f"prueba-{uuid.uuid4().hex[:12]}"
    anterior = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=REDIS_PRUEBAS, task_always_eager=False, task_default_queue=nombre)
    _soltar_conexiones()
    yield nombre
    _soltar_conexiones()
    celery_app.conf.update(anterior)
    cliente = redis.Redis.from_url(REDIS_PRUEBAS)
    claves = list(cliente.scan_iter(f"*{nombre}*"))
    if claves:
        cliente.delete(*claves)


@pytest.fixture
def smtp():
    servidor = ServidorSMTP().iniciar()
    yield servidor
    servidor.detener()


def _sin_confirmar_desde_hace(cola: str, segundos: float) -> bool:
    """A task of this queue was delivered and never acknowledged more than `segundos` ago, by Redis's own
    bookkeeping (kombu's ``unacked`` hash and its ``unacked_index`` of delivery times)."""
    cliente = redis.Redis.from_url(REDIS_PRUEBAS)
    limite = time.time() - segundos
    for etiqueta, entregada in cliente.zrange("unacked_index", 0, -1, withscores=True):
        mensaje = cliente.hget("unacked", etiqueta)
        if mensaje and cola.encode() in mensaje and entregada < limite:
            return True
    return False


def entorno_trabajador(tmp_path: Path, smtp: ServidorSMTP, **cambios: str) -> dict[str, str]:
    return entorno_produccion(
        tmp_path,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.puerto),
        DJANGO_EMAIL_TIMEOUT="5",
        **cambios,
    )


@pytest.mark.lento
@pytest.mark.django_db
def test_un_trabajador_real_entrega_el_correo_encolado_por_notificar(
    tmp_path, cola, smtp, dependencia, plantilla_de_prueba, django_capture_on_commit_callbacks
):
    with trabajador(entorno_trabajador(tmp_path, smtp), tmp_path / "worker.log", cola):
        with django_capture_on_commit_callbacks(execute=True):
            avisar(dependencia, plantilla=plantilla_de_prueba)
        assert mail.outbox == []  # queued, not sent by this process

        esperar(lambda: smtp.recibidos, 30, "correo entregado por el worker")

    assert len(smtp.recibidos) == 1
    correo = smtp.recibidos[0]
    assert correo["To"] == "dependencia@prueba.invalid"
    assert correo["Subject"] == "[Seguimiento ASM] Recordatorio de fecha de cumplimiento"
    assert "31 de diciembre de 2022" in correo.get_payload(decode=True).decode()
    assert "Task notificaciones.tasks.enviar_correo" in (tmp_path / "worker.log").read_text()


@pytest.mark.lento
def test_una_tarea_que_falla_se_reintenta_y_termina_entregando(tmp_path, cola, smtp):
    smtp.fallar = 2  # the SMTP server hangs up twice, then answers
    entorno = entorno_trabajador(tmp_path, smtp, TAREAS_REINTENTOS_MAXIMOS="3")

    with trabajador(entorno, tmp_path / "worker.log", cola):
        tareas_de_notificaciones.enviar_correo.delay(
            asunto="Oficio", cuerpo="Cuerpo", destinatario="implan@prueba.invalid"
        )
        esperar(lambda: smtp.recibidos, 30, "entrega después de dos reintentos")

    assert smtp.conexiones == 3
    assert len(smtp.recibidos) == 1
    bitacora = (tmp_path / "worker.log").read_text()
    assert bitacora.count("retry: Retry in") == 2


@pytest.mark.lento
def test_una_tarea_que_siempre_falla_se_abandona_tras_los_reintentos(tmp_path, cola, smtp):
    smtp.fallar = 1000
    entorno = entorno_trabajador(tmp_path, smtp, TAREAS_REINTENTOS_MAXIMOS="2")
    bitacora = tmp_path / "worker.log"

    with trabajador(entorno, bitacora, cola):
        tareas_de_notificaciones.enviar_correo.delay(
            asunto="Oficio", cuerpo="Cuerpo", destinatario="implan@prueba.invalid"
        )
        esperar(lambda: "raised unexpected: SMTPServerDisconnected" in bitacora.read_text(), 30, "fallo final")

    assert smtp.conexiones == 3  # the first try and two retries
    assert smtp.recibidos == []


@pytest.mark.lento
def test_si_el_trabajador_muere_a_media_tarea_otro_la_retoma(tmp_path, cola, smtp):
    """acks_late: a task is acknowledged after it ran, so a killed worker's task goes back to Redis."""
    smtp.colgar = 1  # the first delivery hangs: the worker is busy with it when it dies
    # A hung task blocks the solo pool, so nothing can give the task back while the first worker lives.
    visibilidad = 1
    entorno = entorno_trabajador(tmp_path, smtp, CELERY_VISIBILITY_TIMEOUT=str(visibilidad))

    with trabajador(entorno, tmp_path / "worker-1.log", cola) as primero:
        tareas_de_notificaciones.enviar_correo.delay(
            asunto="Oficio", cuerpo="Cuerpo", destinatario="implan@prueba.invalid"
        )
        esperar(lambda: smtp.conexiones >= 1, 30, "el primer worker tomó la tarea")
        primero.send_signal(signal.SIGKILL)
        primero.wait(timeout=10)
    assert smtp.recibidos == []
    # Redis gives an unacknowledged task back once it is older than the visibility timeout;
    # a worker looks for such tasks when it starts.
    esperar(lambda: _sin_confirmar_desde_hace(cola, visibilidad), 30, "la tarea sin confirmar ya es visible")

    with trabajador(entorno, tmp_path / "worker-2.log", cola):
        esperar(lambda: smtp.recibidos, 60, "el segundo worker entregó la tarea del primero")

    assert smtp.conexiones == 2
    assert len(smtp.recibidos) == 1


# --- Celery beat ------------------------------------------------------------------------------------


def test_beat_programa_los_recordatorios_diarios_con_una_tarea_registrada(settings):
    programa = settings.CELERY_BEAT_SCHEDULE["recordatorios-diarios"]

    assert programa["task"] in celery_app.tasks
    assert programa["task"] == tareas_de_supervision.enviar_recordatorios.name
    assert programa["schedule"].hour == {7}
    assert programa["schedule"].minute == {0}


def test_beat_arranca_con_la_configuracion_de_produccion(tmp_path):
    """`celery -A config beat` as deploy/systemd/seguimiento-asm-beat.service runs it; it sends to Redis."""
    exigir_redis()
    bitacora = tmp_path / "beat.log"
    entorno = entorno_produccion(tmp_path)
    with bitacora.open("w") as salida:
        proceso = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=DEBUG", "--schedule", str(tmp_path / "programa")],
            cwd=RAIZ,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    try:
        esperar(lambda: "Current schedule:" in bitacora.read_text() or proceso.poll() is not None, 60, "beat")
        assert proceso.poll() is None, bitacora.read_text()
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)
    texto = bitacora.read_text()
    assert "@127.0.0.1:6379/5" in texto
    assert "<ScheduleEntry: recordatorios-diarios supervision.tasks.enviar_recordatorios()" in texto


@pytest.mark.django_db
def test_la_tarea_de_recordatorios_corre_el_comando_enviar_recordatorios(
    m, dependencia, django_capture_on_commit_callbacks
):
    """What beat runs each morning is the command: 15 days before the items' date, each item gets its notice
    and the dependencia its e-mail."""
    convenio = convenio_con_fecha(m, datetime.date(2030, 12, 31), hallazgos=1, recomendaciones=1)
    ocho_de_la_manana_en_mexico = datetime.datetime(2030, 12, 16, 14, tzinfo=datetime.UTC)
    with time_machine.travel(ocho_de_la_manana_en_mexico, tick=False), django_capture_on_commit_callbacks(execute=True):
        tareas_de_supervision.enviar_recordatorios.delay()

    assert sorted(Aviso.objects.filter(aspecto__convenio=convenio).values_list("nivel", flat=True)) == ["15", "15"]
    (correo,) = [c for c in mail.outbox if c.to == [dependencia.email]]
    assert "== Faltan 15 días o menos ==" in correo.body
