"""Fixtures for the tests that run the application as separate processes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from operacion.tests.entorno import entorno_produccion, exigir_redis, gunicorn
from operacion.tests.instalacion import instalar_base


@dataclass
class Instancia:
    base: str  # http://127.0.0.1:<port> of gunicorn
    bitacora: Path  # gunicorn's stdout and stderr
    static_root: Path
    media_root: Path


@pytest.fixture
def instancia(tmp_path, base_migrada, estaticos_recolectados) -> Instancia:
    """A production instance as docs/deploy.md sets it up: migrate, collectstatic, gunicorn with 2 workers.

    The migrated database is this test's own copy; the collected static files are shared (read only).
    """
    exigir_redis()
    entorno = entorno_produccion(tmp_path, WEB_CONCURRENCY="2", DJANGO_STATIC_ROOT=str(estaticos_recolectados))
    instalar_base(entorno, base_migrada)
    bitacora = tmp_path / "gunicorn.log"
    with gunicorn(entorno, bitacora) as base:
        yield Instancia(
            base=base,
            bitacora=bitacora,
            static_root=Path(entorno["DJANGO_STATIC_ROOT"]),
            media_root=Path(entorno["DJANGO_MEDIA_ROOT"]),
        )
