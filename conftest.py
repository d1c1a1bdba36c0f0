"""Persona fixtures shared by every app's tests (STYLE.md, point 11)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from convenios.models import Convenio
from convenios.tests import fabricas
from cuentas.models import Usuario

FIXTURE_DEMO = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.json"


@pytest.fixture(autouse=True)
def _media_aislada(settings, tmp_path):
    """Each test writes uploads and documents to its own folder on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def m(db) -> fabricas.MunicipioDePrueba:
    return fabricas.crear_municipio()


@pytest.fixture
def convenio(m) -> Convenio:
    return fabricas.crear_convenio(m)


@pytest.fixture
def implan(m) -> Usuario:
    return fabricas.crear_usuario("implan", m.implan)


@pytest.fixture
def contraloria(m) -> Usuario:
    return fabricas.crear_usuario("contraloria", m.contraloria)


@pytest.fixture
def tesoreria(m) -> Usuario:
    return fabricas.crear_usuario("tesoreria", m.tesoreria)


@pytest.fixture
def dependencia(m) -> Usuario:
    return fabricas.crear_usuario("dependencia", m.dependencia)


@pytest.fixture
def otra_dependencia(m) -> Usuario:
    return fabricas.crear_usuario("otra_dependencia", m.otra_dependencia)


@pytest.fixture
def otro_municipio(db) -> fabricas.MunicipioDePrueba:
    return fabricas.crear_municipio("Otro Municipio")


@pytest.fixture
def implan_otro_municipio(otro_municipio) -> Usuario:
    return fabricas.crear_usuario("implan_otro", otro_municipio.implan)


@pytest.fixture
def seed(db) -> Convenio:
    """The real convenio of Cuautitlán Izcalli (2022), as `make run` loads it."""
    call_command("loaddata", str(FIXTURE_DEMO), verbosity=0)
    return Convenio.objects.get(evaluacion__programa__clave="01020401")
