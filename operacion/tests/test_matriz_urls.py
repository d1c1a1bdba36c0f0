"""Walks every URL of the infrastructure app (health check, favicon) as every role: public, the same for all.
Adding a URL without adding its row here fails ``test_la_matriz_cubre_todas_las_urls``."""

from __future__ import annotations

import pytest

from convenios.tests.matriz import ROLES, nombres_de, personas, recorrer_matriz
from operacion import urls

# url name -> method -> expected status per role, in the order of ROLES.
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "salud": {"GET": (200,) * 8, "POST": (405,) * 8},
    # The favicon is the static file's address (a permanent redirect).
    "favicon": {"GET": (301,) * 8, "POST": (405,) * 8},
}


def test_la_matriz_cubre_todas_las_urls():
    assert nombres_de(urls) == set(MATRIZ)


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(request, m, rol):
    usuarios = personas(request)
    obtenidos, esperados = recorrer_matriz(
        espacio="operacion",
        matriz=MATRIZ,
        argumentos=dict.fromkeys(MATRIZ, {}),
        roles=ROLES,
        rol=rol,
        usuario=usuarios[rol],
    )
    assert obtenidos == esperados
