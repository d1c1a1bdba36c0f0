"""Re-hashes every stored file that has a recorded SHA-256 and compares it with the record.

Which files: every app lists them in its AppConfig, so a new kind of file (issued documents)
is checked by adding one line, without touching this module::

    class DocumentosConfig(AppConfig):
        archivos_verificables = [ArchivoVerificable("Documento", archivo="pdf", hash="sha256", carpeta="documentos")]

``carpeta`` is the storage folder where only that model's files live: a file there that no
record names is an orphan (an upload whose transaction failed, or something put there by hand).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone

BLOQUE = 1024 * 1024  # files are read in 1 MiB blocks, never whole


@dataclass(frozen=True)
class ArchivoVerificable:
    modelo: str
    archivo: str
    hash: str
    carpeta: str = ""


@dataclass
class Problema:
    tipo: str  # "alterado", "falta", "huerfano"
    ruta: str
    detalle: str


@dataclass
class Resultado:
    revisados: int = 0
    bytes_leidos: int = 0
    segundos: float = 0.0
    problemas: list[Problema] = field(default_factory=list)

    def de_tipo(self, tipo: str) -> list[Problema]:
        return [p for p in self.problemas if p.tipo == tipo]


def registrados() -> Iterator[tuple[type[models.Model], ArchivoVerificable]]:
    for config in apps.get_app_configs():
        for entrada in getattr(config, "archivos_verificables", ()):
            yield config.get_model(entrada.modelo), entrada


def _sha256(almacenamiento, nombre: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    resumen, leidos = hashlib.sha256(), 0
    with almacenamiento.open(nombre, "rb") as archivo:
        while bloque := archivo.read(BLOQUE):
            resumen.update(bloque)
            leidos += len(bloque)
    return resumen.hexdigest(), leidos


def _archivos_bajo(almacenamiento, carpeta: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    try:
        subcarpetas, archivos = almacenamiento.listdir(carpeta)
    except FileNotFoundError:
        return
    for nombre in archivos:
        yield f"{carpeta}/{nombre}"
    for sub in subcarpetas:
        yield from _archivos_bajo(almacenamiento, f"{carpeta}/{sub}")


def verificar(
    *, margen_huerfanos: datetime.timedelta = datetime.timedelta(0), aviso: Callable[[Problema], None] | None = None
) -> Resultado:
    """``margen_huerfanos``: files younger than this are not called orphans (an upload may be committing)."""
    inicio = time.monotonic()
    resultado = Resultado()

    def anotar(problema: Problema) -> None:
        resultado.problemas.append(problema)
        if aviso:
            aviso(problema)

    for modelo, entrada in registrados():
        almacenamiento = modelo._meta.get_field(entrada.archivo).storage
        etiqueta = modelo._meta.label
        conocidos: set[str] = set()
        filas = modelo._default_manager.order_by("pk").values_list("pk", entrada.archivo, entrada.hash)
        for pk, nombre, esperado in filas.iterator(chunk_size=1000):
            conocidos.add(nombre)
            resultado.revisados += 1
            try:
                real, leidos = _sha256(almacenamiento, nombre)
            except (FileNotFoundError, IsADirectoryError, ValueError):
                anotar(
                    Problema(
                        "falta", nombre or "(sin archivo)", f"{etiqueta} #{pk}: el archivo no está en el almacenamiento"
                    )
                )
                continue
            resultado.bytes_leidos += leidos
            if real != esperado:
                anotar(
                    Problema(
                        "alterado",
                        nombre,
                        f"{etiqueta} #{pk}: SHA-256 registrado {esperado[:16]}…, el archivo tiene {real[:16]}…",
                    )
                )
        if entrada.carpeta:
            limite = timezone.now() - margen_huerfanos
            for ruta in _archivos_bajo(almacenamiento, entrada.carpeta):
                if ruta in conocidos:
                    continue
                if margen_huerfanos and almacenamiento.get_modified_time(ruta) > limite:
                    continue
                anotar(Problema("huerfano", ruta, f"ningún registro de {etiqueta} nombra este archivo"))
    resultado.segundos = time.monotonic() - inicio
    return resultado
