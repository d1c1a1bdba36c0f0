"""The fingerprint of the rows a page shows: a rendered fragment is kept under it, so it is rendered
again only when what it shows changes (the public pages do the same with the portal's fingerprint).

The fingerprint is built from everything the query loaded into each row (its fields, its annotations
and the related rows ``select_related`` brought), not from a list of the columns a template happens
to use: a column added to the template cannot be left out of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Model


def _valores(objeto: Model, vistos: set[int]) -> list[Any]:
    if id(objeto) in vistos:
        return []
    vistos.add(id(objeto))
    valores: list[Any] = [type(objeto).__name__]
    for nombre, valor in sorted(objeto.__dict__.items()):
        if nombre != "_state" and not nombre.startswith("_prefetched"):
            valores.append((nombre, valor))
    for nombre, relacionado in sorted(objeto._state.fields_cache.items()):
        valores.append((nombre, _valores(relacionado, vistos) if relacionado is not None else None))
    return valores


def huella_de_filas(filas: Iterable[Model], *contexto: Any) -> str:
    """A digest of ``filas`` as loaded, and of whatever else the fragment depends on (``contexto``)."""
    vistos: set[int] = set()
    texto = repr([_valores(fila, vistos) for fila in filas]) + repr(contexto)
    return hashlib.sha256(texto.encode()).hexdigest()
