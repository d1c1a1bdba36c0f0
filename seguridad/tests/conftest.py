from __future__ import annotations

import datetime

import pytest
import time_machine

from seguridad.tests.informe import Informe


@pytest.fixture
def informe(request):
    """Counts what a security test tried, for `manage.py informe_seguridad` (see seguridad/tests/informe.py)."""
    registro = Informe()
    yield registro
    registro.guardar(request.node.nodeid)


@pytest.fixture
def reloj_quieto():
    """For the tests that count requests against a limit: the limits count per window of the clock
    (``seguridad.limites.consumir``), and requests that straddle the turn of a minute or an hour are counted in
    two windows. On a loaded machine an API test's first request took 2.5 s, the minute turned and no 429 came.
    The clock stands still in the middle of a minute, as if the requests came at once."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 30, 30, tzinfo=datetime.UTC), tick=False):
        yield
