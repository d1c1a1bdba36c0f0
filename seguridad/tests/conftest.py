from __future__ import annotations

import pytest

from seguridad.tests.informe import Informe


@pytest.fixture
def informe(request):
    """Counts what a security test tried, for `manage.py informe_seguridad` (see seguridad/tests/informe.py)."""
    registro = Informe()
    yield registro
    registro.guardar(request.node.nodeid)
