"""Storages that fail like a full disk or a broken mount, for the upload failure tests (set in STORAGES)."""

from __future__ import annotations

import errno
from typing import Any

from django.core.files.storage import FileSystemStorage


class AlmacenamientoSinEspacio(FileSystemStorage):
    """Refuses every write, as a full disk does before the first byte."""

    def _save(self, name: str, content: Any) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")


class _ContenidoQueSeCorta:
    """Hands the storage the first chunk of the file, then fails as a disk that fills up mid-way."""

    def __init__(self, contenido: Any) -> None:
        self._contenido = contenido

    def chunks(self, chunk_size: int | None = None):  # type: ignore[no-untyped-def]
        for numero, trozo in enumerate(self._contenido.chunks(64)):
            if numero == 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            yield trozo

    def __getattr__(self, nombre: str) -> Any:
        if nombre == "temporary_file_path":  # no shortcut: the bytes go through chunks()
            raise AttributeError(nombre)
        return getattr(self._contenido, nombre)


class AlmacenamientoQueSeLlena(FileSystemStorage):
    """Writes part of the file to disk and then fails: the half-written file is left for the caller."""

    def _save(self, name: str, content: Any) -> str:
        return super()._save(name, _ContenidoQueSeCorta(content))
