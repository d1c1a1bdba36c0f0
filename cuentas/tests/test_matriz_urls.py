"""Walks every URL of the accounts app (the second factor) as every role.
Adding a URL without adding its row here fails ``test_la_matriz_cubre_todas_las_urls``."""

from __future__ import annotations

import pytest

from convenios.tests.matriz import ROLES, nombres_de, personas, recorrer_matriz
from cuentas import urls

# url name -> method -> expected status per role, in the order of ROLES. Without a confirmed device there is
# no code to ask for: the verification page sends on (302); the set-up page shows its QR (200), and an empty
# code is shown again with its error (200).
#                anon implan contr tesor  dep  otra otroMun raiz
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "doble_factor_verificar": {"GET": (302,) * 8, "POST": (302,) * 8},
    "doble_factor_configurar": {"GET": (302, *(200,) * 7), "POST": (302, *(200,) * 7)},
}


def test_la_matriz_cubre_todas_las_urls():
    assert nombres_de(urls) == set(MATRIZ)


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(request, m, rol):
    usuarios = personas(request)
    obtenidos, esperados = recorrer_matriz(
        espacio="cuentas",
        matriz=MATRIZ,
        argumentos=dict.fromkeys(MATRIZ, {}),
        roles=ROLES,
        rol=rol,
        usuario=usuarios[rol],
    )
    assert obtenidos == esperados
