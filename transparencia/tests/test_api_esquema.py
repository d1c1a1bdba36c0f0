"""Every documented endpoint answers as its OpenAPI schema says, against the running test server.

Schemathesis reads the schema the server publishes and generates requests (valid and
invalid filters, pages, identifiers) for every operation; each response is checked
against the schema (status code, content type, body) by its default checks. Only the
live test server on 127.0.0.1 is contacted.

Schemathesis' own pytest plugin (``schema.parametrize()``) does not run on pytest 9
(it writes a private ``_nodeid``), so the operations are driven with Hypothesis here.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from convenios.models import EstadoAspecto
from convenios.tests.fabricas import crear_convenio
from seguimiento.tests.estados import llevar_a

EJEMPLOS_POR_OPERACION = 30


@pytest.fixture
def esquema_api(live_server, datos, m, settings):
    # The fuzzer is one client sending hundreds of requests a minute: above the API's rate limit
    # (tested in seguridad/tests/test_limites.py), which is not what this test is about.
    settings.LIMITES_DE_TASA = {**settings.LIMITES_DE_TASA, "api": "100000/m"}
    # Some variety for the generated requests to land on: a second year, a fulfilled item.
    otro = crear_convenio(m, anio=2021, fecha_firma=None, clave="05050505")
    aspecto = otro.aspectos.first()
    llevar_a(aspecto, EstadoAspecto.ATENDIDA)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/esquema/?format=json")


def _probar(operacion, modo: GenerationMode, base_url: str) -> None:
    @given(case=operacion.as_strategy(modo))
    @settings(
        max_examples=EJEMPLOS_POR_OPERACION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def caso(case):
        case.call_and_validate(base_url=base_url)

    caso()


@pytest.mark.lento
@pytest.mark.parametrize("modo", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["validas", "invalidas"])
def test_la_api_responde_como_documenta(esquema_api, live_server, modo):
    operaciones = [resultado.ok() for resultado in esquema_api.get_all_operations()]
    assert {o.label for o in operaciones} == {
        f"GET /api/v1/{recurso}/{sufijo}"
        for recurso in ("evaluaciones", "convenios", "aspectos")
        for sufijo in ("", "{id}/")
    }
    for operacion in operaciones:
        try:
            _probar(operacion, modo, live_server.url)
        except Exception as error:
            raise AssertionError(f"{operacion.label}: {error}") from error
