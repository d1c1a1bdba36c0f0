"""The board is rendered once per change of what it shows (issue 14, README "Decisiones"): asked again,
it comes from the cache; a change written through the services, another role or another filter renders it
again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from seguimiento import services
from seguimiento.tests import archivos_prueba as ap

FILA = "convenios/_fuera_de_plazo.html"
"""Included once per row: rendered only when the rows are."""


def _tabla(respuesta) -> str:
    html = respuesta.content.decode()
    return html[html.index("<table") : html.index("</table>")]


def _filas_renderizadas(respuesta) -> int:
    return sum(1 for plantilla in respuesta.templates if plantilla.name == FILA)


@pytest.fixture
def tablero(client, contraloria, convenio):
    client.force_login(contraloria)
    return reverse("supervision:tablero")


def test_las_mismas_filas_no_se_renderizan_dos_veces(client, tablero, convenio):
    primera = client.get(tablero)
    segunda = client.get(tablero)

    assert _filas_renderizadas(primera) == convenio.aspectos.count() > 0
    assert _filas_renderizadas(segunda) == 0
    assert _tabla(segunda) == _tabla(primera)


def test_un_cambio_en_una_fila_se_ve_en_seguida(client, tablero, convenio, dependencia):
    antes = _tabla(client.get(tablero))
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("oficio.pdf", ap.pdf("Oficio")), descripcion="Oficio", usuario=dependencia
    )
    services.aspecto_transicionar(aspecto=aspecto, usuario=dependencia, accion="enviar")

    despues = client.get(tablero)

    assert "En revisión" not in antes
    assert 'estado-en_revision">En revisión' in _tabla(despues)
    assert _filas_renderizadas(despues) == convenio.aspectos.count()


def test_cada_rol_y_cada_filtro_tiene_sus_filas(client, tablero, convenio, dependencia):
    de_la_contraloria = client.get(tablero).content.decode()
    filtrado = client.get(tablero, {"estado": "atendida"})
    client.force_login(dependencia)
    de_la_dependencia = client.get(tablero)

    assert "No hay aspectos con estos filtros." in filtrado.content.decode()
    assert '<th scope="col">Contraloría</th>' in de_la_contraloria
    assert _filas_renderizadas(de_la_dependencia) == convenio.aspectos.count()
    assert '<th scope="col">Contraloría</th>' not in de_la_dependencia.content.decode()
