"""How dates and amounts read in Mexican official documents: "6 de diciembre de 2022", "$3,053,600.00".

Written out here instead of relying on the server's locale, which is often not
installed on the machines that run this.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

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
    return _("%(dia)d de %(mes)s de %(anio)d") % {"dia": fecha.day, "mes": MESES[fecha.month - 1], "anio": fecha.year}


def pesos(monto: Decimal | int | float | None) -> str:
    if monto is None:
        return ""
    valor = Decimal(str(monto)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    signo = "-" if valor < 0 else ""
    return f"{signo}${abs(valor):,.2f}"
