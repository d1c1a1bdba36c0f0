"""What the security tests tried, recorded for the report (`manage.py informe_seguridad`, in herramientas).

Each test that uses the ``informe`` fixture writes one JSON file under
``test-artifacts/seguridad/`` (one per test, so parallel workers never share a file):
counts of (section, kind, result) and named measurements. `make seguridad-informe` empties
that folder, runs the security tests and prints the table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings

CARPETA = Path(settings.BASE_DIR) / "test-artifacts" / "seguridad"

_BIDI = set("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clase_de_texto(texto: str, limite: int | None = None) -> str:
    """The one kind a hostile text is counted under (the first that applies, in this order)."""
    if len(texto.encode("utf-8", "surrogatepass")) >= 1_000_000:
        return "enorme (≥ 1 MB)"
    if "\x00" in texto:
        return "con NUL"
    if any(0xD800 <= ord(c) <= 0xDFFF for c in texto):
        return "sustitutos sueltos"
    if limite is not None and len(texto.strip()) > limite:
        return "más largo que el límite"
    if "{{" in texto or "{%" in texto:
        return "sintaxis de plantilla"
    if "<" in texto and ">" in texto:
        return "HTML / script"
    if any(c in _BIDI or unicodedata.bidirectional(c) in ("R", "AL") for c in texto):
        return "derecha a izquierda / marcas bidi"
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n\r" for c in texto):
        return "caracteres de control"
    if not texto.strip():
        return "vacío o solo espacios"
    if any(ord(c) > 127 for c in texto):
        return "unicode (acentos, emoji, otros alfabetos)"
    return "ASCII"


class Informe:
    def __init__(self) -> None:
        self.conteos: Counter[tuple[str, str, str]] = Counter()
        self.medidas: dict[str, Any] = {}

    def anotar(self, seccion: str, clase: str, resultado: str, n: int = 1) -> None:
        self.conteos[(seccion, clase, resultado)] += n

    def medir(self, nombre: str, valor: Any) -> None:
        self.medidas[nombre] = valor

    def guardar(self, nombre_prueba: str) -> None:
        if not self.conteos and not self.medidas:
            return
        CARPETA.mkdir(parents=True, exist_ok=True)
        archivo = CARPETA / (re.sub(r"[^\w.-]+", "_", nombre_prueba)[:180] + ".json")
        archivo.write_text(
            json.dumps(
                {
                    "prueba": nombre_prueba,
                    "motor": _motor(),
                    "conteos": [[*k, v] for k, v in sorted(self.conteos.items())],
                    "medidas": self.medidas,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


def _motor() -> str:
    from django.db import connection

    return connection.vendor
