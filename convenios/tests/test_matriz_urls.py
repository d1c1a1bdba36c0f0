"""Walks every URL of the agreement app (the import of hallazgos and recomendaciones) as every role.
Adding a URL without adding its row here fails ``test_la_matriz_cubre_todas_las_urls``."""

from __future__ import annotations

import pytest

from convenios import urls
from convenios.tests.matriz import ROLES, nombres_de, personas, recorrer_matriz

# url name -> method -> expected status per role, in the order of ROLES. Only IMPLAN (or the state-level
# administrator) imports: to anyone else the page does not exist (404). The convenio is vigente: the page says
# why it no longer imports (200), and with nothing read yet the review sends back to the upload (302).
#                anon implan contr tesor  dep  otra otroMun raiz
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "importar": {"GET": (302, 200, 404, 404, 404, 404, 404, 200), "POST": (302, 200, 404, 404, 404, 404, 404, 200)},
    "importar_revisar": {
        "GET": (302, 302, 404, 404, 404, 404, 404, 302),
        "POST": (302, 302, 404, 404, 404, 404, 404, 302),
    },
    "importar_plantilla": {"GET": (302, 200, 404, 404, 404, 404, 404, 200), "POST": (405,) * 8},
}


def test_la_matriz_cubre_todas_las_urls():
    assert nombres_de(urls) == set(MATRIZ)


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(request, convenio, rol):
    usuarios = personas(request)
    argumentos = {nombre: {"pk": convenio.pk} for nombre in MATRIZ}
    obtenidos, esperados = recorrer_matriz(
        espacio="convenios", matriz=MATRIZ, argumentos=argumentos, roles=ROLES, rol=rol, usuario=usuarios[rol]
    )
    assert obtenidos == esperados
