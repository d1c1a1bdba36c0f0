"""Backup and restore of the whole instance: database plus stored files, in one .tar.gz.

Why ``dumpdata`` (JSON with natural keys) and not ``pg_dump``: the same backup restores into
SQLite or PostgreSQL (a municipio that starts on SQLite moves to PostgreSQL with it), the
restore goes through Django's own migrations and constraints, and ``restaurar`` can check
it. It is a logical copy for the sizes a municipio or a state body handles (thousands of
convenios). For point-in-time recovery of a large PostgreSQL, add the database's own tools
(pg_basebackup + WAL archiving) as docs/deploy.md says; they do not replace this file,
which also carries the evidence.

Primary keys are kept as they are (no --natural-primary): a user, a convenio or a document
keeps its number. Only references to content types and permissions, which ``migrate``
recreates with other numbers, go by natural key.

Consistency: the database is read inside one transaction (REPEATABLE READ on PostgreSQL,
one read transaction on SQLite), then the files are copied. Stored files are never
overwritten nor deleted (Evidencia is immutable, names are generated), so every file the
database snapshot points to is still there when the copy reaches it.

Layout of the archive::

    datos.json        dumpdata --natural-foreign (no sessions, no contenttypes), in
                      plain JSON that keeps microseconds (operacion/serializacion.py)
    media/<nombre>    each stored file, under its storage name
    manifiesto.json   SHA-256 and size of datos.json and of every file; written last
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMATO = 1
EXCLUIDOS = ["contenttypes", "auth.permission", "sessions"]
BLOQUE = 1024 * 1024


class RespaldoInvalido(Exception):
    """The archive is damaged, incomplete, or cannot go into this target. The message is for the operator."""


@dataclass
class Resumen:
    archivo: Path
    objetos: int
    archivos: int


def _sha256_de(lector: IO[bytes]) -> tuple[str, int]:
    suma = hashlib.sha256()
    tamano = 0
    while bloque := lector.read(BLOQUE):
        suma.update(bloque)
        tamano += len(bloque)
    return suma.hexdigest(), tamano


class _LectorConSuma(io.RawIOBase):
    """Hashes what tarfile reads, so each file is read once."""

    def __init__(self, origen: IO[bytes]) -> None:
        self.origen = origen
        self.suma = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        datos = self.origen.read(n)
        self.suma.update(datos)
        return datos


def archivos_guardados(storage: Storage, carpeta: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first (works on the filesystem and on S3)."""
    try:
        carpetas, archivos = storage.listdir(carpeta)
    except FileNotFoundError:
        return
    for nombre in sorted(archivos):
        yield posixpath.join(carpeta, nombre) if carpeta else nombre
    for sub in sorted(carpetas):
        yield from archivos_guardados(storage, posixpath.join(carpeta, sub) if carpeta else sub)


@contextlib.contextmanager
def _instantanea(alias: str) -> Iterator[None]:
    """One transaction for every read of the dump: the JSON is one moment of the database."""
    conexion = connections[alias]
    if conexion.in_atomic_block:  # already inside someone's transaction (a test): it is the snapshot
        yield
        return
    with transaction.atomic(using=alias):
        if conexion.vendor == "postgresql":
            with conexion.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def crear_respaldo(*, destino: Path, alias: str = "default", storage: Storage = default_storage) -> Resumen:
    destino.mkdir(parents=True, exist_ok=True)
    marca = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    final = destino / f"respaldo-{marca}.tar.gz"
    parcial = destino / f".{final.name}.parcial"
    with tempfile.TemporaryDirectory() as temporal:
        datos = Path(temporal) / "datos.json"
        with _instantanea(alias):
            call_command(
                "dumpdata",
                format="json-exacto",
                natural_foreign=True,
                exclude=EXCLUIDOS,
                database=alias,
                output=str(datos),
                verbosity=0,
            )
            migraciones = sorted(
                f"{app}.{nombre}" for app, nombre in MigrationRecorder(connections[alias]).applied_migrations()
            )
        objetos = len(json.loads(datos.read_text()))

        manifiesto: dict[str, Any] = {
            "formato": FORMATO,
            "creado": datetime.datetime.now(datetime.UTC).isoformat(),
            "motor": connections[alias].vendor,
            "migraciones": migraciones,
            "datos": {},
            "archivos": {},
        }
        # Owner-only from the first byte: the dump holds password hashes.
        descriptor = os.open(parcial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as salida, tarfile.open(fileobj=salida, mode="w:gz") as tar:
            with datos.open("rb") as lector:
                suma, tamano = _sha256_de(lector)
            tar.add(datos, arcname="datos.json")
            manifiesto["datos"] = {"archivo": "datos.json", "sha256": suma, "tamano": tamano, "objetos": objetos}

            for nombre in archivos_guardados(storage):
                info = tarfile.TarInfo(f"media/{nombre}")
                info.size = storage.size(nombre)
                info.mode = 0o600
                with storage.open(nombre, "rb") as origen:
                    lector_con_suma = _LectorConSuma(origen)
                    tar.addfile(info, lector_con_suma)
                manifiesto["archivos"][nombre] = {"sha256": lector_con_suma.suma.hexdigest(), "tamano": info.size}

            contenido = json.dumps(manifiesto, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifiesto.json")
            info.size = len(contenido)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(contenido))
        os.replace(parcial, final)
    return Resumen(archivo=final, objetos=objetos, archivos=len(manifiesto["archivos"]))


def _leer_manifiesto(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        miembro = tar.getmember("manifiesto.json")
        manifiesto = json.loads(tar.extractfile(miembro).read())
    except (KeyError, ValueError, AttributeError) as error:
        raise RespaldoInvalido("El respaldo no tiene un manifiesto legible (manifiesto.json).") from error
    if manifiesto.get("formato") != FORMATO:
        raise RespaldoInvalido(f"Formato de respaldo desconocido: {manifiesto.get('formato')!r}.")
    return manifiesto


def _verificar(tar: tarfile.TarFile, manifiesto: dict[str, Any]) -> None:
    """Every member hashed against the manifest before anything is written; nothing extra, nothing missing."""
    esperados = {"datos.json": manifiesto["datos"]}
    esperados |= {f"media/{nombre}": datos for nombre, datos in manifiesto["archivos"].items()}
    presentes = set()
    for miembro in tar.getmembers():
        if miembro.name == "manifiesto.json":
            continue
        if miembro.name not in esperados or not miembro.isfile():
            raise RespaldoInvalido(f"El respaldo contiene «{miembro.name}», que el manifiesto no registra.")
        suma, tamano = _sha256_de(tar.extractfile(miembro))
        if suma != esperados[miembro.name]["sha256"] or tamano != esperados[miembro.name]["tamano"]:
            raise RespaldoInvalido(f"«{miembro.name}» no coincide con su SHA-256 en el manifiesto: respaldo dañado.")
        presentes.add(miembro.name)
    faltan = sorted(set(esperados) - presentes)
    if faltan:
        raise RespaldoInvalido(f"Faltan en el respaldo: {', '.join(faltan[:5])}.")


def _destino_vacio(alias: str, storage: Storage) -> None:
    # By name: infrastructure knows no domain app (README, "Arquitectura").
    municipios = apps.get_model("convenios", "Municipio").objects.using(alias)
    if municipios.exists() or get_user_model().objects.using(alias).exists():
        raise RespaldoInvalido(
            "La base de datos destino ya tiene datos. Restaure en una base nueva y vacía (vea docs/deploy.md)."
        )
    ocupado = next((n for n in archivos_guardados(storage) if not n.startswith("salud/")), None)
    if ocupado:
        raise RespaldoInvalido(f"El almacenamiento destino ya tiene archivos (por ejemplo «{ocupado}»). Use uno vacío.")


@contextlib.contextmanager
def _abrir(archivo: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(archivo, mode="r:gz")  # noqa: SIM115 - closed below; this try only words the error
    except (OSError, tarfile.TarError) as error:
        raise RespaldoInvalido(f"No se pudo abrir {archivo} como respaldo .tar.gz: {error}") from error
    with tar:
        yield tar


def restaurar_respaldo(*, archivo: Path, alias: str = "default", storage: Storage = default_storage) -> Resumen:
    """Into a fresh database and an empty storage: verify everything, migrate, load, copy files, verify again."""
    with _abrir(archivo) as tar:
        try:
            manifiesto = _leer_manifiesto(tar)
            _verificar(tar, manifiesto)
        except (tarfile.TarError, EOFError, zlib.error) as error:
            raise RespaldoInvalido(f"El respaldo {archivo} está incompleto o dañado: {error}") from error

        call_command("migrate", database=alias, interactive=False, verbosity=0)
        _destino_vacio(alias, storage)

        with tempfile.TemporaryDirectory() as temporal:
            datos = Path(temporal) / "datos.json"
            datos.write_bytes(tar.extractfile("datos.json").read())
            # loaddata runs in one transaction: a failure leaves the database as it was.
            call_command("loaddata", str(datos), database=alias, verbosity=0)

        for nombre, esperado in manifiesto["archivos"].items():
            guardado = storage.save(nombre, File(tar.extractfile(f"media/{nombre}"), name=nombre))
            if guardado != nombre:
                raise RespaldoInvalido(
                    f"«{nombre}» quedó guardado como «{guardado}»: el almacenamiento no estaba vacío."
                )
            with storage.open(nombre, "rb") as lector:
                if _sha256_de(lector)[0] != esperado["sha256"]:
                    raise RespaldoInvalido(f"«{nombre}» se guardó distinto de como está en el respaldo.")
    return Resumen(archivo=archivo, objetos=manifiesto["datos"]["objetos"], archivos=len(manifiesto["archivos"]))
