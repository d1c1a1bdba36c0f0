"""What the installation steps of docs/deploy.md produce, made once per test run and shared.

`manage.py migrate` (a SQLite file) and `manage.py collectstatic` (a STATIC_ROOT with hashed names and
gzip/brotli copies) are the same for every production instance the tests start: their outcome does not
depend on the instance's own settings (bucket, broker, workers). collectstatic compresses every
script and style sheet twice (gzip level 9 and brotli quality 11), about 13 s on this machine, and
migrate takes several seconds; run per test, they were most of the time of the tests that start processes.

Registered for the whole project in the root conftest.py (``pytest_plugins``). Under pytest-xdist the
first worker that needs one of them builds it in the run's shared temporary folder while holding a
file lock; the others wait for it and then use the same result.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from operacion.tests.entorno import entorno_produccion, manage


def una_vez(carpeta_comun: Path, nombre: str, construir: Callable[[Path], None]) -> Path:
    """carpeta_comun/nombre, built by construir(folder) by the first process that asks for it in this run."""
    destino = carpeta_comun / nombre
    listo = carpeta_comun / f"{nombre}.listo"
    with (carpeta_comun / f"{nombre}.cerrojo").open("w") as cerrojo:
        fcntl.flock(cerrojo, fcntl.LOCK_EX)
        try:
            if not listo.exists():
                # A process that failed half-way left its folder: start again from nothing.
                shutil.rmtree(destino, ignore_errors=True)
                destino.mkdir()
                construir(destino)
                listo.touch()
        finally:
            fcntl.flock(cerrojo, fcntl.LOCK_UN)
    return destino


@pytest.fixture(scope="session")
def carpeta_comun(tmp_path_factory, worker_id: str) -> Path:
    """The run's temporary folder, the same for every xdist worker (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def _comando(carpeta: Path, *argumentos: str) -> None:
    resultado = manage(entorno_produccion(carpeta), *argumentos)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr


@pytest.fixture(scope="session")
def base_migrada(carpeta_comun: Path) -> Path:
    """A SQLite file `manage.py migrate --noinput` made with the production settings; copy it, never write it."""
    carpeta = una_vez(carpeta_comun, "base-migrada", lambda c: _comando(c, "migrate", "--noinput"))
    return carpeta / "produccion.sqlite3"


@pytest.fixture(scope="session")
def estaticos_recolectados(carpeta_comun: Path) -> Path:
    """A STATIC_ROOT made by `manage.py collectstatic --noinput` with the production settings; read only."""
    carpeta = una_vez(carpeta_comun, "estaticos", lambda c: _comando(c, "collectstatic", "--noinput"))
    return carpeta / "staticfiles"


def instalar_base(entorno: dict[str, str], base_migrada: Path) -> None:
    """The instance's DATABASE_URL (a SQLite file) starts as a copy of the migrated database."""
    prefijo = "sqlite:///"
    assert entorno["DATABASE_URL"].startswith(prefijo), entorno["DATABASE_URL"]
    shutil.copyfile(base_migrada, entorno["DATABASE_URL"].removeprefix(prefijo))
