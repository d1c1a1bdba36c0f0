"""Which numbered items of the CONAC Anexo 1 are still empty: the page and the PDF say it once, in one note,
and show a dash in each such row instead of repeating the same sentence twenty times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Fields IMPLAN captures in `transparencia.Anexo1`, by the item number of the format.
CAPTURADOS: tuple[tuple[str, str], ...] = (
    ("1.5", "objetivo_general"),
    ("1.6", "objetivos_especificos"),
    ("1.7", "metodologia"),
    ("2.2.1", "fortalezas"),
    ("2.2.2", "oportunidades"),
    ("2.2.3", "debilidades"),
    ("2.2.4", "amenazas"),
    ("3.1", "conclusiones"),
    ("4.1", "coordinador"),
    ("4.2", "cargo_coordinador"),
    ("4.4", "colaboradores"),
    ("4.5", "correo_coordinador"),
    ("4.6", "telefono_coordinador"),
    ("6.1", "tipo_contratacion"),
    ("6.2", "unidad_contratante"),
    ("6.4", "fuente_financiamiento"),
)


def apartados_pendientes(datos: dict[str, Any]) -> list[str]:
    """The item numbers with nothing to show, in the format's order, given the Anexo 1 context."""
    anexo = datos.get("anexo")
    evaluacion = datos["evaluacion"]

    def capturado(campo: str) -> bool:
        return bool(anexo is not None and getattr(anexo, campo))

    # Items with a value the system knows when IMPLAN has not captured one (see _anexo1.html).
    con_respaldo: dict[str, Callable[[], bool]] = {
        "1.4": lambda: capturado("responsable_seguimiento") or bool(datos.get("titular_implan")),
        "2.1": lambda: capturado("hallazgos_relevantes") or bool(datos.get("hallazgos")),
        "4.3": lambda: bool(evaluacion.instancia_evaluadora),
        "7.1": lambda: capturado("url_evaluacion") or bool(datos.get("url_informe")),
    }
    faltan = [numero for numero, hay in con_respaldo.items() if not hay()]
    faltan += [numero for numero, campo in CAPTURADOS if not capturado(campo)]
    return sorted(faltan, key=lambda numero: tuple(int(parte) for parte in numero.split(".")))
