from __future__ import annotations

import pytest

from convenios.models import Convenio
from convenios.tests import fabricas
from cuentas.models import Usuario
from documentos.tests.ayudas import atender_todo, en_mexico


@pytest.fixture
def implan_seed(seed: Convenio) -> Usuario:
    return fabricas.crear_usuario("implan_izcalli", seed.implan)


@pytest.fixture
def defensoria(seed: Convenio) -> Usuario:
    return fabricas.crear_usuario("defensoria", seed.dependencia_evaluada)


@pytest.fixture
def seed_atendido(seed: Convenio, implan_seed: Usuario, defensoria: Usuario) -> Convenio:
    """The seed convenio with every item validated by IMPLAN on 15 December 2022."""
    atender_todo(seed, implan=implan_seed, dependencia=defensoria, evidencias=2, fecha=en_mexico(2022, 12, 15))
    return seed


@pytest.fixture
def convenio_atendido(convenio: Convenio, implan: Usuario, dependencia: Usuario) -> Convenio:
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    return convenio
