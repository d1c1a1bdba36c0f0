"""Fixtures for the tests that run the application as separate processes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from operacion.tests.entorno import entorno_produccion, exigir_redis, gunicorn, manage


@dataclass
class Instancia:
    base: str  # http://127.0.0.1:<port> of gunicorn
    bitacora: Path  # gunicorn's stdout and stderr
    static_root: Path
    media_root: Path


@pytest.fixture
def instancia(tmp_path) -> Instancia:
    """A production instance as docs/deploy.md sets it up: migrate, collectstatic, gunicorn with 2 workers."""
    exigir_redis()
    entorno = entorno_produccion(tmp_path, WEB_CONCURRENCY="2")
    for comando in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        resultado = manage(entorno, *comando)
        assert resultado.returncode == 0, resultado.stderr
    bitacora = tmp_path / "gunicorn.log"
    with gunicorn(entorno, bitacora) as base:
        yield Instancia(
            base=base,
            bitacora=bitacora,
            static_root=Path(entorno["DJANGO_STATIC_ROOT"]),
            media_root=Path(entorno["DJANGO_MEDIA_ROOT"]),
        )
