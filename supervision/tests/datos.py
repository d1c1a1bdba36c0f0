"""Convenios for the oversight tests: items due on a given day, and the date an approved prórroga leaves.

An item is put in a state through the services: ``seguimiento.tests.estados.llevar_a``."""

from __future__ import annotations

import datetime

from convenios.models import Aspecto, Convenio
from convenios.tests import fabricas


def convenio_con_fecha(
    m: fabricas.MunicipioDePrueba,
    fecha: datetime.date,
    *,
    dependencia=None,  # type: ignore[no-untyped-def]
    hallazgos: int = 1,
    recomendaciones: int = 1,
    anio: int | None = None,
) -> Convenio:
    """A signed convenio whose items are all due on ``fecha`` (signed in January of that year)."""
    anio = anio or fecha.year
    return fabricas.crear_convenio(
        m,
        dependencia=dependencia,
        anio=anio,
        fecha_firma=datetime.date(fecha.year, 1, 15),
        fecha_compromiso=fecha,
        hallazgos=hallazgos,
        recomendaciones=recomendaciones,
    )


def aprobar_prorroga(aspecto: Aspecto, dias: int) -> Aspecto:
    """What an approved prórroga leaves behind: the current date moved (cláusula SÉPTIMA)."""
    aspecto.fecha_vigente = aspecto.fecha_compromiso + datetime.timedelta(days=dias)
    aspecto.save()
    return aspecto
