"""The read-only API: lists, filters, pagination, no writes, nothing private, a valid OpenAPI schema."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.models import Aspecto, EstadoAspecto, Municipio
from convenios.tests.fabricas import crear_convenio, crear_municipio
from convenios.tests.reloj import el_dia
from seguimiento.tests.estados import llevar_a
from transparencia import paginacion

pytestmark = pytest.mark.django_db

LISTAS = ["api:evaluacion-list", "api:convenio-list", "api:aspecto-list"]


def _detalles(datos) -> list[str]:
    return [
        reverse("api:evaluacion-detail", args=[datos.vigente.evaluacion_id]),
        reverse("api:convenio-detail", args=[datos.vigente.pk]),
        reverse("api:aspecto-detail", args=[datos.vigente.aspectos.first().pk]),
    ]


@pytest.mark.parametrize("nombre", LISTAS)
def test_listas_anonimas_paginadas(client, datos, nombre):
    respuesta = client.get(reverse(nombre))
    assert respuesta.status_code == 200
    cuerpo = respuesta.json()
    assert set(cuerpo) == {"total", "siguiente", "anterior", "resultados"}
    assert cuerpo["total"] == len(cuerpo["resultados"]) > 0


def test_detalles_anonimos(client, datos):
    for ruta in _detalles(datos):
        assert client.get(ruta).status_code == 200


@pytest.mark.parametrize("metodo", ["post", "put", "patch", "delete"])
def test_ningun_endpoint_escribe(client, datos, metodo):
    rutas = [reverse(nombre) for nombre in LISTAS] + _detalles(datos)
    antes = list(Aspecto.objects.values_list("pk", "estado", "texto"))
    for ruta in rutas:
        respuesta = getattr(client, metodo)(ruta, data={"estado": "atendida"}, content_type="application/json")
        assert respuesta.status_code == 405, ruta
    assert list(Aspecto.objects.values_list("pk", "estado", "texto")) == antes


def test_borradores_no_se_publican(client, datos):
    convenios = client.get(reverse("api:convenio-list")).json()["resultados"]
    assert datos.borrador.pk not in {c["id"] for c in convenios}
    assert client.get(reverse("api:convenio-detail", args=[datos.borrador.pk])).status_code == 404
    aspecto = datos.borrador.aspectos.first()
    assert client.get(reverse("api:aspecto-detail", args=[aspecto.pk])).status_code == 404
    aspectos = client.get(reverse("api:aspecto-list"), {"convenio": datos.borrador.pk}).json()
    assert aspectos["total"] == 0


def test_filtros_de_convenios(client, m, datos):
    otro = crear_municipio("Otro Municipio Público")
    ajeno = crear_convenio(otro, anio=2021, fecha_firma=None, clave="04040404")
    url = reverse("api:convenio-list")

    def ids(**filtros) -> set[int]:
        respuesta = client.get(url, filtros)
        assert respuesta.status_code == 200, respuesta.content
        return {c["id"] for c in respuesta.json()["resultados"]}

    assert ids(municipio=otro.municipio.slug) == {ajeno.pk}
    assert ids(municipio=m.municipio.slug) == {datos.vigente.pk}
    assert ids(anio=2021) == {ajeno.pk}
    assert ids(programa="01070101") == {datos.vigente.pk}
    assert ids(dependencia=m.dependencia.pk) == {datos.vigente.pk}
    assert ids(estado="vigente") == {datos.vigente.pk, ajeno.pk}
    assert ids(estado="cumplido") == set()


@el_dia(datetime.date(2023, 1, 2))  # the 2022 items are overdue
def test_filtros_de_aspectos(client, datos):
    aspecto = datos.vigente.aspectos.get(tipo="recomendacion", numero=2)
    llevar_a(aspecto, EstadoAspecto.ATENDIDA)
    url = reverse("api:aspecto-list")
    atendidos = client.get(url, {"estado": "atendida"}).json()["resultados"]
    assert [a["id"] for a in atendidos] == [aspecto.pk]
    assert atendidos[0]["semaforo"] == "verde"
    hallazgos = client.get(url, {"tipo": "hallazgo", "convenio": datos.vigente.pk}).json()
    assert hallazgos["total"] == 2
    rojos = client.get(url, {"semaforo": "rojo"}).json()
    assert rojos["total"] == 4  # the other 2022 items are overdue


@pytest.mark.parametrize(
    "filtros",
    [
        {"anio": "dos mil"},
        {"anio": "1999"},
        {"dependencia": "0"},
        {"dependencia": "9" * 40},
        {"estado": "borrador"},
        {"municipio": "a\x00b"},
        {"municipio": "<script>"},
        {"programa": "0102"},
        {"estado": ""},
        {"anio": ""},
    ],
)
def test_filtro_invalido_es_400_en_espanol(client, datos, filtros):
    respuesta = client.get(reverse("api:convenio-list"), filtros)
    assert respuesta.status_code == 400
    campo = next(iter(filtros))
    assert campo in respuesta.json()


def test_paginacion(client, m):
    for _ in range(3):
        crear_convenio(m, hallazgos=1, recomendaciones=1)
    url = reverse("api:aspecto-list")
    primera = client.get(url, {"por_pagina": 4}).json()
    assert primera["total"] == 6 and len(primera["resultados"]) == 4
    assert "pagina=2" in primera["siguiente"]
    segunda = client.get(primera["siguiente"]).json()
    assert len(segunda["resultados"]) == 2 and segunda["siguiente"] is None
    assert client.get(url, {"pagina": 99}).status_code == 404
    for tamano in ("100000", "0", "-1", "muchos", ""):
        respuesta = client.get(url, {"por_pagina": tamano})
        assert respuesta.status_code == 400
        assert respuesta.json() == {"por_pagina": ["Debe ser un número entero entre 1 y 500."]}


def test_lista_con_consultas_acotadas(client, m, django_assert_max_num_queries):
    for _ in range(20):
        crear_convenio(m)
    for nombre in LISTAS:
        # 14: the public fingerprint also counts the modificaciones (one query, once every 30 s).
        with django_assert_max_num_queries(14):
            assert client.get(reverse(nombre), {"por_pagina": 500}).status_code == 200


def test_sin_datos_personales_de_usuarios(client, datos, dependencia):
    for ruta in [reverse(n) for n in LISTAS] + _detalles(datos):
        contenido = client.get(ruta).content.decode()
        assert dependencia.email not in contenido
        assert "@" not in contenido  # no e-mail address at all
        for clave in ("username", "usuario", "email", "correo", "subida_por", "responsable"):
            assert f'"{clave}' not in contenido
        assert "Juana" not in contenido  # the evidence's original file name


def test_esquema_openapi_valido_y_completo(client, datos):
    from drf_spectacular.validation import validate_schema

    respuesta = client.get(reverse("api:esquema"), HTTP_ACCEPT="application/json")
    assert respuesta.status_code == 200
    esquema = respuesta.json()
    validate_schema(esquema)
    rutas = set(esquema["paths"])
    assert rutas == {
        "/api/v1/evaluaciones/",
        "/api/v1/evaluaciones/{id}/",
        "/api/v1/convenios/",
        "/api/v1/convenios/{id}/",
        "/api/v1/aspectos/",
        "/api/v1/aspectos/{id}/",
    }
    for operaciones in esquema["paths"].values():
        assert set(operaciones) <= {"get", "parameters"}
    parametros = {p["name"] for p in esquema["paths"]["/api/v1/aspectos/"]["get"]["parameters"]}
    assert {"municipio", "anio", "dependencia", "estado", "programa", "pagina", "por_pagina"} <= parametros


def test_documentacion_swagger_servida_desde_archivos_estaticos(client):
    respuesta = client.get(reverse("api:documentacion"))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in contenido
    assert "cdn" not in contenido.lower()


@pytest.mark.parametrize(
    "ruta",
    [
        "/api/v1/aspectos/abc/",
        "/api/v1/aspectos/1.5/",
        "/api/v1/usuarios/",
        "/api/v1/x",
        # Found by schemathesis: an encoded newline in the address.
        "/api/v1/aspectos/%1D%C2%9A.%C3%B8R%0A%F1%9B%AA%9B/",
    ],
)
def test_direcciones_desconocidas_responden_404_en_json(client, datos, ruta):
    respuesta = client.get(ruta)
    assert respuesta.status_code == 404
    assert respuesta["Content-Type"].startswith("application/json")
    assert "detail" in respuesta.json()


def _consultas(client, ruta: str, parametros: dict) -> list[str]:
    with CaptureQueriesContext(connection) as capturadas:
        assert client.get(ruta, parametros).status_code == 200
    return [consulta["sql"] for consulta in capturadas.captured_queries]


# aspectos: 3, since each item carries its actions in detail (one prefetch for the page).
@pytest.mark.parametrize(
    ("nombre", "esperadas"), [("api:evaluacion-list", 2), ("api:convenio-list", 3), ("api:aspecto-list", 3)]
)
def test_consultas_de_una_lista_no_crecen_con_el_estado(client, m, nombre, esperadas):
    """A page seen for the first time: its identifiers, their rows and (convenios) the counts of its items.

    The same queries at any size and any page. The total is counted once per change of the
    public data and per filter; a page already served is kept whole in the cache (no query).
    """
    ruta = reverse(nombre)
    crear_convenio(m)
    client.get(ruta, {"por_pagina": 3})  # computes the public fingerprint and the total
    assert len(_consultas(client, ruta, {"por_pagina": 2})) == esperadas
    for indice in range(12):
        crear_convenio(crear_municipio(f"Municipio vecino {indice}"), hallazgos=4, recomendaciones=6)
    cache.clear()  # the fingerprint is kept 30 seconds
    client.get(ruta, {"por_pagina": 3})
    assert len(_consultas(client, ruta, {"por_pagina": 2})) == esperadas
    assert len(_consultas(client, ruta, {"por_pagina": 2, "pagina": 6})) == esperadas
    # The page after it, by position (its «siguiente» link).
    siguiente = client.get(ruta, {"por_pagina": 2, "pagina": 6}).json()["siguiente"]
    assert "posicion=" in siguiente and len(_consultas(client, siguiente, {})) == esperadas
    # A filter not seen before: its own total, once.
    filtro = {"por_pagina": 2, "municipio": Municipio.objects.get(nombre="Municipio vecino 3").slug}
    assert len(_consultas(client, ruta, filtro)) == esperadas + 1
    assert len(_consultas(client, ruta, {**filtro, "por_pagina": 3})) == esperadas
    assert len(_consultas(client, ruta, filtro)) == 0


def test_convenios_se_cuentan_despues_de_paginar(client, m):
    """Counts per status come from one query over the page's convenios, never an aggregate over the state."""
    convenios = [crear_convenio(m, hallazgos=1, recomendaciones=indice + 1) for indice in range(4)]
    Aspecto.objects.filter(convenio=convenios[1], tipo="hallazgo").update(estado=EstadoAspecto.ATENDIDA)
    consultas = _consultas(client, reverse("api:convenio-list"), {"por_pagina": 2, "pagina": 1})
    total, ids, pagina, conteos = consultas[-4:]
    assert "GROUP BY" not in total.upper() and "convenios_aspecto" not in total
    assert "LIMIT 2" in ids and "convenios_aspecto" not in ids
    assert "GROUP BY" not in pagina.upper() and "COUNT(" not in pagina.upper()
    ids = [str(c.pk) for c in convenios[:2]]
    assert "GROUP BY" in conteos.upper() and all(i in conteos for i in ids)
    assert not any(str(c.pk) in conteos.split("IN", 1)[-1] for c in convenios[2:])
    cuerpo = client.get(reverse("api:convenio-list"), {"por_pagina": 2}).json()
    assert [(f["id"], f["total_aspectos"], f["atendidos"], f["porcentaje_avance"]) for f in cuerpo["resultados"]] == [
        (convenios[0].pk, 2, 0, 0.0),
        (convenios[1].pk, 3, 1, 33.3),
    ]
    detalle = client.get(reverse("api:convenio-detail", args=[convenios[1].pk])).json()
    assert (detalle["total_aspectos"], detalle["atendidos"], detalle["pendientes"]) == (3, 1, 2)


def test_paginas_en_orden_de_identificador(client, m):
    for _ in range(3):
        crear_convenio(m, hallazgos=1, recomendaciones=2)
    for nombre, modelo in [("api:convenio-list", "convenio"), ("api:aspecto-list", "aspecto")]:
        filas = client.get(reverse(nombre), {"por_pagina": 500}).json()["resultados"]
        if modelo == "convenio":
            assert [f["id"] for f in filas] == sorted(f["id"] for f in filas)
        else:
            claves = [(f["convenio_id"], f["tipo"], f["numero"]) for f in filas]
            assert claves == sorted(claves)  # hallazgos before recomendaciones in each convenio


def _recorrer(client, url: str, parametros: dict) -> list[dict]:
    """Every page by following «siguiente» from the first; each link is checked by going back with «anterior»."""
    paginas = [client.get(url, parametros).json()]
    while paginas[-1]["siguiente"]:
        pagina = client.get(paginas[-1]["siguiente"]).json()
        assert client.get(pagina["anterior"]).json()["resultados"] == paginas[-1]["resultados"]
        paginas.append(pagina)
    return paginas


@pytest.mark.parametrize(
    ("nombre", "clave"),
    [("api:convenio-list", ("id",)), ("api:aspecto-list", ("convenio_id", "tipo", "numero"))],
)
def test_siguiente_recorre_la_lista_por_posicion(client, m, nombre, clave):
    """Following «siguiente» gives every row once, in the list's order, and each link says where it stands."""
    for indice in range(5):
        crear_convenio(m, hallazgos=2, recomendaciones=indice + 1)
    url = reverse(nombre)
    todas = client.get(url, {"por_pagina": 500}).json()["resultados"]
    paginas = _recorrer(client, url, {"por_pagina": 2})
    filas = [fila for pagina in paginas for fila in pagina["resultados"]]
    assert [[f[c] for c in clave] for f in filas] == [[f[c] for c in clave] for f in todas]
    assert len(paginas) == -(-len(todas) // 2) > 2
    assert "posicion=despues%3A" in paginas[0]["siguiente"] and "pagina=2" in paginas[0]["siguiente"]
    assert paginas[0]["anterior"] is None and paginas[-1]["siguiente"] is None
    assert all(p["total"] == len(todas) for p in paginas)
    # A page asked for by number links by position too.
    por_numero = client.get(url, {"por_pagina": 2, "pagina": 2}).json()
    assert por_numero["siguiente"] == paginas[1]["siguiente"]
    assert client.get(por_numero["anterior"]).json()["resultados"] == paginas[0]["resultados"]


def test_pagina_por_posicion_sin_offset_ni_mas_consultas(client, m):
    """A page read from a position runs the queries of the first page, and none skips rows with OFFSET."""
    for _ in range(3):
        crear_convenio(m)
    url = reverse("api:aspecto-list")
    primera = client.get(url, {"por_pagina": 4}).json()
    consultas = _consultas(client, primera["siguiente"], {})
    assert len(consultas) == len(_consultas(client, url, {"por_pagina": 5}))
    assert not any("OFFSET" in sql.upper() for sql in consultas)


@pytest.mark.parametrize(
    ("posicion", "estado"),
    [
        ("despues:1", 400),
        ("1,hallazgo,1", 400),
        ("despues:1,hallazgo", 400),
        ("despues:1,otro,1", 400),
        ("despues:a,hallazgo,1", 400),
        ("", 400),
        ("antes:1,hallazgo,99999999999999999999", 404),  # beyond a 64-bit integer: no row can be there
    ],
)
def test_posicion_no_valida(client, datos, posicion, estado):
    respuesta = client.get(reverse("api:aspecto-list"), {"posicion": posicion})
    assert respuesta.status_code == estado
    if estado == 400:
        assert "posicion" in respuesta.json()


def test_pagina_por_numero_parte_del_ancla_mas_cercana(client, m, monkeypatch):
    """A deep page by number starts at the nearest ancla (every FILAS_POR_ANCLA-th row), never skips more
    index entries than that, and gives the rows the walk by position gives."""
    monkeypatch.setattr(paginacion, "FILAS_POR_ANCLA", 4)
    for indice in range(4):
        crear_convenio(m, hallazgos=2, recomendaciones=indice + 2)
    url = reverse("api:aspecto-list")
    recorridas = [p["resultados"] for p in _recorrer(client, url, {"por_pagina": 3})]
    assert len(recorridas) == 8  # 22 items, 5 anclas
    for numero, esperada in enumerate(recorridas, start=1):
        consultas = _consultas(client, url, {"por_pagina": 3, "pagina": numero})
        assert client.get(url, {"por_pagina": 3, "pagina": numero}).json()["resultados"] == esperada
        saltos = [int(valor) for sql in consultas for valor in re.findall(r"OFFSET (\d+)", sql)]
        assert all(salto < 4 for salto in saltos), (numero, saltos)
    # The anclas are read once per change of the public data: a deep page costs the first page's queries.
    assert len(_consultas(client, url, {"por_pagina": 2, "pagina": 8})) == len(
        _consultas(client, url, {"por_pagina": 2, "pagina": 1})
    )
