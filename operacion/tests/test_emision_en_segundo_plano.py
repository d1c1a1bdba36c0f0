"""Issuing official documents through a real Celery worker on Redis (db 6), as production runs it.

The worker is `celery -A config worker --pool=solo` with the production settings and its own SQLite
database and media folder under tmp_path, prepared with `manage.py migrate` and the documentos builders
(operacion/tests/preparar_emision.py). The test process only queues; what got archived is read back
from that instance (`manage.py shell`) and from its media folder on disk.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
import redis
from pypdf import PdfReader

from config.celery import app as celery_app
from documentos import tasks as tareas_de_documentos
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.services import documento_emitir
from documentos.tests.ayudas import atender_todo
from operacion.tests.entorno import entorno_produccion, esperar, exigir_redis, manage, trabajador
from operacion.tests.instalacion import instalar_base
from operacion.tests.test_tareas import _soltar_conexiones

REDIS_EMISION = "redis://127.0.0.1:6379/6"
OFICIO = TipoDocumento.OFICIO_CUMPLIMIENTO


@pytest.fixture
def cola() -> str:
    """This test's own queue on redis db 6; the producer here sends to it."""
    exigir_redis()
    nombre = f"emision-{uuid.uuid4().hex[:12]}"
    anterior = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    celery_app.conf.update(broker_url=REDIS_EMISION, task_always_eager=False, task_default_queue=nombre)
    _soltar_conexiones()
    yield nombre
    _soltar_conexiones()
    celery_app.conf.update(anterior)
    cliente = redis.Redis.from_url(REDIS_EMISION)
    # Also the letter's e-mail notices, which the worker queues on the default queue ("celery") of
    # db 6, where no worker listens: only these tests use db 6.
    claves = [*cliente.scan_iter(f"*{nombre}*"), *cliente.scan_iter("*celery*")]
    if claves:
        cliente.delete(*claves)


class Instancia:
    """A production instance (settings, SQLite, media) the worker runs against."""

    def __init__(self, tmp_path: Path, base_migrada: Path, **cambios: str) -> None:
        self.media = tmp_path / "media"
        self.entorno = entorno_produccion(
            tmp_path,
            CELERY_BROKER_URL=REDIS_EMISION,
            # The letter's notices: not to a real SMTP server from a test.
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            **cambios,
        )
        instalar_base(self.entorno, base_migrada)
        # Prepared inline (no broker): the follow-up services' notices must not go to the queue.
        preparado = self.shell(
            "from operacion.tests.preparar_emision import preparar; preparar()", CELERY_BROKER_URL=""
        )
        self.convenio_id, *_ = preparado["convenios"]
        self.usuario_id = preparado["usuario"]

    def shell(self, codigo: str, **cambios: str) -> dict:
        resultado = manage({**self.entorno, **cambios}, "shell", "-c", codigo)
        assert resultado.returncode == 0, resultado.stderr
        return json.loads(resultado.stdout.strip().splitlines()[-1])

    def informe(self) -> dict:
        return self.shell("from operacion.tests.preparar_emision import informe; informe()")

    def emitidos(self) -> bool:
        return bool(self.informe()["documentos"])


def tarea_terminada(bitacora: Path) -> bool:
    """The worker logged a task's success, which it does after the task's transaction committed.

    What got archived is then read once with Instancia.informe(): asking it at every look would start
    a `manage.py shell` (a whole Django process) ten times a second while the worker needs the CPU.
    """
    return " succeeded in " in bitacora.read_text()


def comprobar_archivado(instancia: Instancia) -> dict:
    """One Documento with its PDF on disk, the file's SHA-256 equal to the record's; the convenio cumplido."""
    informe = instancia.informe()
    (documento,) = informe["documentos"]
    ruta = instancia.media / documento["archivo"]
    contenido = ruta.read_bytes()
    assert hashlib.sha256(contenido).hexdigest() == documento["sha256"]
    assert documento["folio"] in " ".join(p.extract_text() for p in PdfReader(ruta).pages).replace("\n", " ")
    assert documento["convenio"] == instancia.convenio_id
    assert informe["estados"] == ["cumplido"]
    # Only the evidence PDFs of the preparation and this one letter: no orphan of a failed try.
    assert sorted((instancia.media / "documentos").rglob("*.pdf")) == [ruta]
    return informe


@pytest.mark.lento
def test_un_trabajador_real_emite_el_oficio_y_lo_archiva(tmp_path, base_migrada, cola):
    instancia = Instancia(tmp_path, base_migrada)
    bitacora = tmp_path / "worker.log"

    with trabajador(instancia.entorno, bitacora, cola):
        tareas_de_documentos.emitir_documento.delay(
            tipo=OFICIO, objeto_id=instancia.convenio_id, usuario_id=instancia.usuario_id
        )
        esperar(lambda: tarea_terminada(bitacora), 90, "oficio emitido por el worker")

    informe = comprobar_archivado(instancia)
    assert informe["documentos"][0]["folio"].endswith("/001")
    assert list(informe["series"].values()) == [1]
    assert "Task documentos.tasks.emitir_documento" in bitacora.read_text()
    assert "succeeded" in bitacora.read_text()


@pytest.mark.lento
def test_un_oficio_encolado_con_el_trabajador_detenido_se_emite_al_volver(tmp_path, base_migrada, cola):
    instancia = Instancia(tmp_path, base_migrada)
    with trabajador(instancia.entorno, tmp_path / "worker-1.log", cola):
        pass  # a worker ran on this queue and was stopped (SIGTERM, as systemctl stop does)

    tareas_de_documentos.emitir_documento.delay(
        tipo=OFICIO, objeto_id=instancia.convenio_id, usuario_id=instancia.usuario_id
    )
    assert redis.Redis.from_url(REDIS_EMISION).llen(cola) == 1  # waiting in Redis, nobody to take it
    assert not instancia.emitidos()

    with trabajador(instancia.entorno, tmp_path / "worker-2.log", cola):
        esperar(lambda: tarea_terminada(tmp_path / "worker-2.log"), 90, "oficio emitido por el worker que volvió")

    comprobar_archivado(instancia)


@pytest.mark.lento
def test_si_el_almacenamiento_falla_se_reintenta_sin_gastar_folio_ni_dejar_archivos(tmp_path, base_migrada, cola):
    """The first save fails (OSError, a full disk): the issue rolls back and the retry takes folio 001."""
    fallas = tmp_path / "fallas.txt"
    instancia = Instancia(
        tmp_path,
        base_migrada,
        DJANGO_SETTINGS_MODULE="operacion.tests.ajustes_almacenamiento_fallido",
        TAREAS_REINTENTOS_MAXIMOS="3",
    )
    bitacora = tmp_path / "worker.log"

    with trabajador({**instancia.entorno, "PRUEBAS_FALLAS_ARCHIVO": str(fallas)}, bitacora, cola):
        tareas_de_documentos.emitir_documento.delay(
            tipo=OFICIO, objeto_id=instancia.convenio_id, usuario_id=instancia.usuario_id
        )
        esperar(lambda: tarea_terminada(bitacora), 90, "oficio emitido tras el reintento")

    assert len(fallas.read_text().splitlines()) == 1  # it did fail once
    texto = bitacora.read_text()
    assert texto.count("retry: Retry in") == 1
    assert "No space left on device" in texto
    informe = comprobar_archivado(instancia)
    assert informe["documentos"][0]["folio"].endswith("/001")  # the failed try gave its number back
    assert list(informe["series"].values()) == [1]


# --- The same guarantee in this process, on SQLite and PostgreSQL ------------------------------------


@pytest.fixture
def convenio_atendido(convenio, implan, dependencia):
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    convenio.refresh_from_db()
    return convenio


@pytest.mark.django_db
def test_un_oficio_que_no_se_pudo_guardar_no_deja_folio_registro_ni_archivo(
    convenio_atendido, implan, settings, tmp_path, monkeypatch
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "operacion.tests.almacenamiento_fallido.FallaAlGuardar"},
    }
    monkeypatch.setenv("PRUEBAS_FALLAS_ARCHIVO", str(tmp_path / "fallas.txt"))

    with pytest.raises(OSError, match="No space left on device"):
        tareas_de_documentos.emitir_documento.delay(tipo=OFICIO, objeto_id=convenio_atendido.pk, usuario_id=implan.pk)

    assert not Documento.objects.exists()
    assert not SerieFolio.objects.filter(ultimo__gt=0).exists()
    assert not (tmp_path / "media" / "documentos").exists()
    convenio_atendido.refresh_from_db()
    assert convenio_atendido.estado == "vigente"

    # The next try (the task's retry) issues it with the first folio of the year.
    documento = Documento.objects.get(
        pk=tareas_de_documentos.emitir_documento.delay(
            tipo=OFICIO, objeto_id=convenio_atendido.pk, usuario_id=implan.pk
        ).get()
    )
    assert documento.folio.endswith("/001")
    assert hashlib.sha256(documento.archivo.read()).hexdigest() == documento.sha256
    assert sorted((tmp_path / "media" / "documentos").rglob("*.pdf")) == [tmp_path / "media" / documento.archivo.name]


@pytest.mark.django_db
def test_emitir_por_id_revisa_permisos_y_estado_como_la_pagina(convenio_atendido, dependencia, implan):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        documento_emitir(tipo=OFICIO, objeto_id=convenio_atendido.pk, usuario_id=dependencia.pk)
    documento_emitir(tipo=OFICIO, objeto_id=convenio_atendido.pk, usuario_id=implan.pk)
    # A task delivered twice (acks_late) finds it issued: no second letter.
    with pytest.raises(ValidationError, match="ya fue emitido"):
        documento_emitir(tipo=OFICIO, objeto_id=convenio_atendido.pk, usuario_id=implan.pk)
    assert Documento.objects.filter(convenio=convenio_atendido).count() == 1
