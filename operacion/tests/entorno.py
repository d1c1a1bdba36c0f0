"""Helpers for tests that start real processes (manage.py, gunicorn, celery) as an operator would."""

from __future__ import annotations

import os
import secrets
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

RAIZ: Path = settings.BASE_DIR
ENTORNO_EJEMPLO = RAIZ / "deploy" / "produccion.env.ejemplo"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
REDIS_PRUEBAS = "redis://127.0.0.1:6379/5"


def leer_entorno(ruta: Path) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile= reads them."""
    valores: dict[str, str] = {}
    for linea in ruta.read_text().splitlines():
        linea = linea.strip()
        if linea and not linea.startswith("#"):
            clave, _, valor = linea.partition("=")
            valores[clave.strip()] = valor.strip()
    return valores


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
