"""Helpers for tests that start real processes (manage.py, gunicorn, celery) as an operator would."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

RAIZ: Path = settings.BASE_DIR
ENTORNO_EJEMPLO = RAIZ / "deploy" / "produccion.env.ejemplo"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
REDIS_PRUEBAS = "redis://127.0.0.1:6379/5"


def leer_entorno(ruta: Path) -> dict[str, str]:
    """The parser of deploy/con_entorno.py, which docs/deploy.md uses to run manage.py."""
    especificacion = importlib.util.spec_from_file_location("con_entorno", RAIZ / "deploy" / "con_entorno.py")
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo.leer(ruta)


def entorno_produccion(tmp_path: Path, **cambios: str) -> dict[str, str]:
    """The sample production environment with a fresh secret key and every path under tmp_path."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "GUNICORN_", "WEB_CONCURRENCY"))
    }
    entorno = {**base, **leer_entorno(ENTORNO_EJEMPLO)}
    entorno.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="asm.municipio.gob.mx,127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'produccion.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_RESPALDOS_DIR=str(tmp_path / "respaldos"),
        CELERY_BROKER_URL=REDIS_PRUEBAS,
        # The tests' Redis database, not the example's: rate-limit keys never meet the broker's.
        DJANGO_CACHE_URL=REDIS_PRUEBAS,
        PYTHONUNBUFFERED="1",
    )
    entorno.update(cambios)
    return entorno


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_disponible() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def esperar_http(url: str, segundos: float = 30) -> None:
    limite = time.monotonic() + segundos
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if time.monotonic() > limite:
                raise
            time.sleep(0.2)


def exigir_redis() -> None:
    """Redis on 127.0.0.1:6379 is part of CI (.ci/run starts it); elsewhere its absence is a visible skip."""
    import pytest

    if redis_disponible():
        return
    if os.environ.get("CI"):
        pytest.fail("Redis no responde en 127.0.0.1:6379; .ci/run debe iniciarlo")
    pytest.skip("Redis no responde en 127.0.0.1:6379: redis-server --daemonize yes")


def manage(entorno: dict[str, str], *argumentos: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "manage.py", *argumentos], cwd=RAIZ, env=entorno, capture_output=True, text=True, timeout=300
    )


@contextlib.contextmanager
def gunicorn(entorno: dict[str, str], bitacora: Path) -> Iterator[str]:
    """gunicorn -c config/gunicorn.conf.py on a free port; yields its base URL, stops it afterwards."""
    puerto = puerto_libre()
    entorno = {**entorno, "GUNICORN_BIND": f"127.0.0.1:{puerto}"}
    with bitacora.open("w") as salida:
        proceso = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"],
            cwd=RAIZ,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{puerto}"
        esperar_http(base + "/salud/")
        yield base
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


def pedir(url: str, **cabeceras: str) -> tuple[int, dict[str, str], bytes]:
    """GET as nginx would forward it to gunicorn, without following redirects."""

    class SinRedireccion(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    abridor = urllib.request.build_opener(SinRedireccion)
    peticion = urllib.request.Request(url, headers={"Host": "asm.municipio.gob.mx", **cabeceras})
    try:
        with abridor.open(peticion, timeout=10) as respuesta:
            return respuesta.status, dict(respuesta.headers), respuesta.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def esperar(condicion, segundos: float = 30, descripcion: str = "") -> None:
    limite = time.monotonic() + segundos
    while not condicion():
        if time.monotonic() > limite:
            raise TimeoutError(f"no ocurrió en {segundos} s: {descripcion}")
        time.sleep(0.1)


@contextlib.contextmanager
def trabajador(entorno: dict[str, str], bitacora: Path, cola: str) -> Iterator[subprocess.Popen]:
    """`celery -A config worker --pool=solo` on one queue, as the systemd unit of docs/deploy.md runs it."""
    with bitacora.open("w") as salida:
        proceso = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                cola,
                "-n",
                f"{cola}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=RAIZ,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    try:
        esperar(lambda: " ready." in bitacora.read_text() or proceso.poll() is not None, 60, "worker listo")
        assert proceso.poll() is None, bitacora.read_text()
        yield proceso
    finally:
        if proceso.poll() is None:
            proceso.terminate()
            proceso.wait(timeout=30)
