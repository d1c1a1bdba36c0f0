"""How dates and amounts read in Mexican official documents: "6 de diciembre de 2022", "$3,053,600.00".

Written out here instead of relying on the server's locale, which is often not
installed on the machines that run this.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def fecha_larga(fecha: datetime.date | None) -> str:
    if fecha is None:
        return ""
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}"


def pesos(monto: Decimal | int | float | None) -> str:
    if monto is None:
        return ""
    valor = Decimal(str(monto)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    signo = "-" if valor < 0 else ""
    return f"{signo}${abs(valor):,.2f}"


def acciones_en_texto(acciones: list) -> str:
    """An item's actions in one cell (exports, open data): the text alone when there is one,
    as the signed table reads; a numbered list with each end date when there are several."""
    if len(acciones) == 1:
        return acciones[0].texto
    return "; ".join(f"{a.numero}. {a.texto} ({fecha_larga(a.fecha_termino)})" for a in acciones)
