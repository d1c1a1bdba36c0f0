"""What /salud/ checks: each database, the file storage and (when configured) the broker.

Each check answers "ok" or "error" plus the exception's class name: never a message,
which could carry a host name, a user or a key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

Resultado = dict[str, str]


def _comprobar(prueba: Callable[[], None]) -> Resultado:
    try:
        prueba()
    except Exception as error:
        return {"estado": "error", "error": type(error).__name__}
    return {"estado": "ok"}


def _base_de_datos(alias: str) -> Callable[[], None]:
    def prueba() -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return prueba


def _almacenamiento() -> None:
    """Writes, reads back and deletes a probe file: a full disk or a lost bucket shows here."""
    contenido = uuid.uuid4().hex.encode()
    nombre = default_storage.save(f"salud/sonda-{uuid.uuid4().hex}.txt", ContentFile(contenido))
    try:
        with default_storage.open(nombre, "rb") as archivo:
            if archivo.read() != contenido:
                raise OSError("la sonda no se leyó igual")
    finally:
        default_storage.delete(nombre)


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=3) as conexion:
        conexion.ensure_connection(max_retries=1, interval_start=0, timeout=3)


def revisar() -> dict[str, Resultado]:
    componentes = {f"base_de_datos:{alias}": _comprobar(_base_de_datos(alias)) for alias in connections}
    componentes["almacenamiento"] = _comprobar(_almacenamiento)
    if settings.CELERY_BROKER_URL:
        componentes["broker"] = _comprobar(_broker)
    return componentes
