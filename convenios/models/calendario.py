"""The calendar of the rules: "today" in Mexico City, the end of a year, and the semáforo (DOMAIN.md:
yellow with 15 days or fewer, red when overdue), as SQL expressions the lists and the board share."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import IntegerField, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from convenios.models.vocabulario import EstadoAspecto

DIAS_AVISO_SEMAFORO = 15
"""DOMAIN.md: semáforo amarillo with 15 days or fewer left."""


def hoy(momento: datetime.datetime | None = None) -> datetime.date:
    """Today in America/Mexico_City (settings.TIME_ZONE), the only "today" the rules use.

    ``momento`` (an aware datetime, default now) is the instant whose local date is wanted.
    """
    return timezone.localdate(momento)


def fin_de_anio(fecha: datetime.date) -> datetime.date:
    return datetime.date(fecha.year, 12, 31)


class Semaforo(models.TextChoices):
    VERDE = "verde", _("Verde")
    AMARILLO = "amarillo", _("Amarillo")
    ROJO = "rojo", _("Rojo")


class DiasEntre(models.Func):
    """Whole days from ``desde`` to ``hasta`` (two date expressions), as an integer, in SQL.

    Django's date subtraction yields a duration that SQLite cannot turn back into days,
    so each supported database gets its own expression.
    """

    output_field = IntegerField()
    arity = 2

    def __init__(self, desde: Any, hasta: Any, **extra: Any) -> None:
        super().__init__(hasta, desde, **extra)  # the SQL reads "hasta - desde"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s::date)", arg_joiner="::date - ", **extra)


def condicion_vencido(fecha: datetime.date | None = None) -> Q:
    """Overdue: today (Mexico City) is after the current date and the item is not atendida/cancelada.

    The rule written once, as a ``Q`` so that filters, annotations and aggregates
    (``vencidos``, ``con_semaforo``, ``con_dias_vencido``, the board's counts) share it.
    ``Aspecto.esta_vencido`` is its instance twin.
    """
    return Q(fecha_vigente__lt=fecha or hoy()) & ~Q(estado__in=EstadoAspecto.finales_cumplidos())
