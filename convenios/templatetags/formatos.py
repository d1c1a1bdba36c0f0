from __future__ import annotations

import datetime
from decimal import Decimal

from django import template

from convenios import formatos

register = template.Library()


@register.filter
def fecha_larga(fecha: datetime.date | datetime.datetime | None) -> str:
    if isinstance(fecha, datetime.datetime):
        from django.utils import timezone

        fecha = timezone.localtime(fecha).date()
    return formatos.fecha_larga(fecha)


@register.filter
def pesos(monto: Decimal | int | float | None) -> str:
    return formatos.pesos(monto)
