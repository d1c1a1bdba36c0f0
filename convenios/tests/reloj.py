"""The day a test happens on: the pages and services ask ``convenios.models.hoy()``, which reads the clock.

A test whose data is built around a day (due in ten days, overdue since last year) states that day and moves
the clock to it, so it passes the same on any date it runs.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

MEXICO = ZoneInfo("America/Mexico_City")


def el_dia(fecha: datetime.date, hora: int = 12) -> time_machine.travel:
    """Moves the clock to ``hora`` o'clock of ``fecha`` in Mexico City (the clock keeps ticking from there)."""
    return time_machine.travel(datetime.datetime(fecha.year, fecha.month, fecha.day, hora, tzinfo=MEXICO))
