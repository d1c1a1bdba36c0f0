"""Public pages, downloads and endpoints are cacheable: a conditional request gets a 304."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from convenios.models import EstadoAspecto
from seguimiento.tests.estados import llevar_a

pytestmark = pytest.mark.django_db


def _rutas(datos) -> list[str]:
    return [
        reverse("transparencia:inicio"),
        reverse("transparencia:convenio", args=[datos.vigente.pk]),
        reverse("transparencia:anexo1", args=[datos.vigente.evaluacion_id]),
        reverse("transparencia:descarga", args=["aspectos", "csv"]),
        reverse("transparencia:descarga_anio", args=[2022, "convenios", "json"]),
        reverse("api:aspecto-list"),
        reverse("api:convenio-detail", args=[datos.vigente.pk]),
    ]


def test_peticion_condicional_con_etag_recibe_304_sin_consultar_la_base(client, datos, django_assert_max_num_queries):
    for ruta in _rutas(datos):
        primera = client.get(ruta)
        assert primera.status_code == 200, ruta
        assert primera["ETag"]
        assert "public" in primera["Cache-Control"] and "max-age=60" in primera["Cache-Control"]
        with django_assert_max_num_queries(0):
            segunda = client.get(ruta, HTTP_IF_NONE_MATCH=primera["ETag"])
        assert segunda.status_code == 304, ruta
        assert segunda.content == b""


def test_peticion_condicional_por_fecha_recibe_304(client, datos):
    ruta = reverse("transparencia:convenio", args=[datos.vigente.pk])
    primera = client.get(ruta)
    assert client.get(ruta, HTTP_IF_MODIFIED_SINCE=primera["Last-Modified"]).status_code == 304


def test_un_cambio_en_los_datos_cambia_el_etag(client, datos):
    ruta = reverse("transparencia:convenio", args=[datos.vigente.pk])
    antes = client.get(ruta)["ETag"]
    aspecto = datos.vigente.aspectos.first()
    llevar_a(aspecto, EstadoAspecto.ATENDIDA)
    cache.clear()  # the fingerprint is kept 30 seconds
    despues = client.get(ruta, HTTP_IF_NONE_MATCH=antes)
    assert despues.status_code == 200
    assert despues["ETag"] != antes


def test_marcar_evidencia_publicable_cambia_el_etag(client, datos):
    ruta = reverse("transparencia:convenio", args=[datos.vigente.pk])
    antes = client.get(ruta)["ETag"]
    type(datos.evidencia_privada).objects.filter(pk=datos.evidencia_privada.pk).update(publicable=True)
    cache.clear()
    despues = client.get(ruta, HTTP_IF_NONE_MATCH=antes)
    assert despues.status_code == 200
    assert reverse("transparencia:evidencia", args=[datos.evidencia_privada.pk]) in despues.content.decode()


def test_etag_antiguo_no_da_304(client, datos):
    ruta = reverse("transparencia:inicio")
    assert client.get(ruta, HTTP_IF_NONE_MATCH='"otra-version"').status_code == 200


def test_la_lista_de_municipios_y_los_totales_se_calculan_una_vez_por_cambio(client, datos):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from convenios.tests import fabricas
    from transparencia.selectors import CLAVE_HUELLA

    fabricas.crear_convenio(fabricas.crear_municipio("Segundo Municipio"))
    inicio = reverse("transparencia:inicio")
    client.get(inicio, {"pagina": 1})
    with CaptureQueriesContext(connection) as otra_direccion:
        segunda = client.get(inicio, {"pagina": 2}).content.decode()

    por_grupo = 'COUNT("convenios_evaluacion"."id") AS "n" FROM "convenios_evaluacion"'
    agrupadas = [q["sql"] for q in otra_direccion.captured_queries if por_grupo in q["sql"]]
    assert agrupadas == []
    assert 'id="titulo-municipios"' in segunda and "Segundo Municipio" in segunda

    fabricas.crear_convenio(fabricas.crear_municipio("Tercer Municipio"))
    cache.delete(CLAVE_HUELLA)  # the fingerprint is kept 30 seconds
    despues = client.get(inicio, {"pagina": 3}).content.decode()
    assert "Tercer Municipio" in despues


def test_el_portal_de_un_municipio_cuesta_lo_mismo_que_el_del_estado(client, m, datos):
    """With one municipio the portal chooses it and offers its dependencias; those choices (and the years) are
    read once per change of the public data, so a new address costs the same queries with one or many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from convenios.tests import fabricas
    from transparencia.selectors import CLAVE_HUELLA

    inicio = reverse("transparencia:inicio")
    client.get(inicio)
    with CaptureQueriesContext(connection) as uno:
        html = client.get(inicio, {"pagina": 1}).content.decode()
    assert f'<option value="{m.dependencia.pk}">' in html
    assert not any(q["sql"].startswith('SELECT "convenios_dependencia"') for q in uno.captured_queries)

    fabricas.crear_convenio(fabricas.crear_municipio("Segundo Municipio"))
    cache.delete(CLAVE_HUELLA)  # the fingerprint is kept 30 seconds
    client.get(inicio)
    with CaptureQueriesContext(connection) as varios:
        html = client.get(inicio, {"pagina": 1}).content.decode()
    assert "Segundo Municipio" in html and "Elija un municipio para ver sus dependencias." in html
    assert len(varios) == len(uno)
