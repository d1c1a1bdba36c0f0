"""Fixtures of the convenios app's tests."""

from __future__ import annotations

import datetime

import pytest

from convenios.models import Convenio, EstadoConvenio
from convenios.tests import fabricas


@pytest.fixture
def borrador(m) -> Convenio:
    """An empty borrador signed 10 December 2022 whose deadline is 30 June 2023 (past December)."""
    convenio = fabricas.crear_convenio(
        m, estado=EstadoConvenio.BORRADOR, hallazgos=0, recomendaciones=0, fecha_firma=datetime.date(2022, 12, 10)
    )
    convenio.fecha_limite = datetime.date(2023, 6, 30)
    convenio.save()
    return convenio
