"""Walks every URL of the oversight app (board, progress, actuaciones, verificaciones, notifications) as every
role. Adding a URL without adding its row here fails ``test_la_matriz_cubre_todas_las_urls``."""

from __future__ import annotations

import pytest

from convenios.tests.matriz import ROLES, nombres_de, personas, recorrer_matriz
from notificaciones.models import Notificacion
from supervision import urls

# url name -> method -> expected status per role, in the order of ROLES. Anonymous: to the login page.
# A form POSTed empty by its role is shown again with its errors (200).
#                anon implan contr tesor  dep  otra otroMun raiz
LECTURA = {"GET": (302, 200, 200, 200, 200, 200, 200, 200), "POST": (302, *(405,) * 7)}
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "tablero": LECTURA,
    "tablero_csv": LECTURA,
    "tablero_xlsx": LECTURA,
    "avance": LECTURA,
    "convenio": {"GET": (302, 200, 200, 200, 200, 404, 404, 200), "POST": (302, *(405,) * 7)},
    "aspecto": {"GET": (302, 200, 200, 200, 200, 404, 404, 200), "POST": (302, *(405,) * 7)},
    "actuacion_convenio": {"GET": (302, *(405,) * 7), "POST": (302, 403, 200, 403, 403, 404, 404, 403)},
    "actuacion_aspecto": {"GET": (302, *(405,) * 7), "POST": (302, 403, 200, 403, 403, 404, 404, 403)},
    "verificacion": {"GET": (302, *(405,) * 7), "POST": (302, 403, 403, 200, 403, 404, 404, 403)},
    "notificaciones": LECTURA,
    "notificaciones_leidas": {"GET": (302, *(405,) * 7), "POST": (302, *(302,) * 7)},
    # IMPLAN's own notification opens its link; anyone else's is not found.
    "notificacion_abrir": {"GET": (302, 302, 404, 404, 404, 404, 404, 404), "POST": (302, *(405,) * 7)},
}


def test_la_matriz_cubre_todas_las_urls():
    assert nombres_de(urls) == set(MATRIZ)


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(request, convenio, rol):
    usuarios = personas(request)
    aspecto = convenio.aspectos.first()
    notificacion = Notificacion.objects.create(usuario=usuarios["implan"], asunto="Aviso", cuerpo="Texto")
    argumentos = {
        **{nombre: {} for nombre in ("tablero", "tablero_csv", "tablero_xlsx", "avance", "notificaciones")},
        "notificaciones_leidas": {},
        "convenio": {"pk": convenio.pk},
        "actuacion_convenio": {"pk": convenio.pk},
        "verificacion": {"pk": convenio.pk},
        "aspecto": {"pk": aspecto.pk},
        "actuacion_aspecto": {"pk": aspecto.pk},
        "notificacion_abrir": {"pk": notificacion.pk},
    }
    obtenidos, esperados = recorrer_matriz(
        espacio="supervision", matriz=MATRIZ, argumentos=argumentos, roles=ROLES, rol=rol, usuario=usuarios[rol]
    )
    assert obtenidos == esperados
