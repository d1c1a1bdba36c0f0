"""The hot queries of the portal, the open data and the API are read through indexes (PostgreSQL EXPLAIN).

Every query a request runs is captured and explained with sequential scans and sorts
priced out of reach (``enable_seqscan``/``enable_sort`` off, for this transaction only):
the planner then reads a table in full, or sorts it, only when no index can serve the
query, so a ``Seq Scan`` or a ``Sort`` in the plan is a missing index, whatever the size
of the test data.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.tests.fabricas import crear_convenio, crear_municipio, crear_usuario
from seguimiento.models import Evidencia
from transparencia import paginacion
from transparencia.tests.conftest import crear_evidencia

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TABLAS_QUE_CRECEN = (
    "convenios_aspecto",
    "convenios_convenio",
    "convenios_evaluacion",
    "convenios_dependencia",
    "seguimiento_evidencia",
)


@pytest.fixture
def solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("los planes de consulta (EXPLAIN) se revisan en PostgreSQL, la base de producción")


def _planes(client, ruta: str, parametros: dict | None = None) -> list[tuple[str, str]]:
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = client.get(ruta, parametros or {})
        assert respuesta.status_code == 200, ruta
        if respuesta.streaming:
            b"".join(respuesta.streaming_content)
    planes = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for consulta in capturadas.captured_queries:
            sql = re.sub(r"^DECLARE .*? CURSOR .*? FOR ", "", consulta["sql"], flags=re.S)
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN " + sql)
            planes.append((sql, "\n".join(fila[0] for fila in cursor.fetchall())))
    return planes


def _lecturas_completas(plan: str) -> list[str]:
    return [t for t in TABLAS_QUE_CRECEN if re.search(rf"Seq Scan on {t}\b", plan)]


@pytest.fixture
def estado(solo_postgres, m):
    """Two municipios with their convenios, items and evidence (one file publicable)."""
    vecino = crear_municipio("Municipio Vecino")
    convenios = [crear_convenio(m, clave=f"0102040{i}") for i in range(3)] + [crear_convenio(vecino)]
    usuario = crear_usuario("dep", m.dependencia)
    crear_evidencia(convenios[0].aspectos.first(), usuario, b"%PDF-1.4 publica", publicable=True)
    crear_evidencia(convenios[0].aspectos.first(), usuario, b"%PDF-1.4 privada", publicable=False)
    return convenios


def test_consultas_calientes_usan_indices(client, m, estado, monkeypatch):
    # A small ancla so that a deep page by number reads its anclas (one pass of the index) and starts at one.
    monkeypatch.setattr(paginacion, "FILAS_POR_ANCLA", 4)
    convenio = estado[0]
    por_posicion = {
        nombre: client.get(reverse(nombre), {"por_pagina": 2}).json()["siguiente"]
        for nombre in ("api:convenio-list", "api:aspecto-list")
    }
    paginas = {
        "portal del estado": (reverse("transparencia:inicio"), None),
        "portal del estado, página 2": (reverse("transparencia:inicio"), {"pagina": 2}),
        "datos abiertos (página)": (reverse("transparencia:datos"), None),
        "portal de un municipio": (reverse("transparencia:municipio", args=[m.municipio.slug]), None),
        "portal filtrado por dependencia": (
            reverse("transparencia:municipio", args=[m.municipio.slug]),
            {"dependencia": m.dependencia.pk, "estado": "vigente"},
        ),
        "convenio público": (reverse("transparencia:convenio", args=[convenio.pk]), None),
        "API convenios": (reverse("api:convenio-list"), {"por_pagina": 2}),
        "API convenios, página profunda": (reverse("api:convenio-list"), {"por_pagina": 1, "pagina": 3}),
        "API convenios de un municipio": (reverse("api:convenio-list"), {"municipio": m.municipio.slug}),
        "API aspectos": (reverse("api:aspecto-list"), {"por_pagina": 3, "pagina": 2}),
        "API aspectos, página profunda por número": (reverse("api:aspecto-list"), {"por_pagina": 2, "pagina": 9}),
        "API aspectos de un convenio": (reverse("api:aspecto-list"), {"convenio": convenio.pk}),
        "API convenios, por posición": (por_posicion["api:convenio-list"], None),
        "API aspectos, por posición": (por_posicion["api:aspecto-list"], None),
        "API un convenio": (reverse("api:convenio-detail", args=[convenio.pk]), None),
        "datos abiertos: aspectos": (reverse("transparencia:descarga", args=["aspectos", "csv"]), None),
    }
    problemas = {}
    for nombre, (ruta, parametros) in paginas.items():
        # A page of the API or a download is read in index order; the portal sorts one municipio's
        # own evaluations (read through its index), a few dozen rows, which is no sort of the state.
        # An "Incremental Sort" (items of each convenio, already in convenio order) is no full sort.
        ordenada_por_indice = nombre.startswith(("API", "datos abiertos:"))
        for sql, plan in _planes(client, ruta, parametros):
            if _lecturas_completas(plan) or ordenada_por_indice and re.search(r"(^|->)\s*Sort\s+\(", plan, re.M):
                problemas.setdefault(nombre, []).append(f"{sql}\n{plan}")
    assert not problemas, "\n\n".join(f"{n}:\n" + "\n".join(p) for n, p in problemas.items())


def test_evidencia_publicable_tiene_indice(client, estado):
    """The fingerprint of the public data reads the publicable files through their partial index."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Evidencia.objects.filter(publicable=True).values("pk", "subida_en").explain()
    assert "evidencia_publicable" in plan, plan


def test_portada_del_estado_lee_el_indice_por_anio_y_municipio(client, estado):
    """The state's front page: years one probe each, the list counted by (year, municipio), from one index."""
    planes = _planes(client, reverse("transparencia:inicio"))
    anios = [plan for sql, plan in planes if sql.lstrip().upper().startswith("WITH RECURSIVE")]
    inicio_grupos = 'SELECT "convenios_evaluacion"."anio_pae" AS "anio_pae", "convenios_evaluacion"."municipio_id"'
    grupos = [plan for sql, plan in planes if sql.startswith(inicio_grupos)]
    assert len(anios) == 1 and "Index Only Scan Backward using evaluacion_anio_municipio" in anios[0], planes
    assert len(grupos) == 1 and "evaluacion_anio_municipio" in grupos[0], planes
    assert not re.search(r"Seq Scan on convenios_evaluacion\b", grupos[0] + anios[0])


def test_las_listas_del_admin_del_estado_se_leen_en_el_orden_de_un_indice(client, estado):
    """The state administrator's lists of ~11,000 convenios and ~120,000 items: a page is read in index
    order (``convenio_orden``, ``aspecto_orden_admin``), never sorted after joining the whole state."""
    client.force_login(crear_usuario("estatal", None, is_superuser=True, is_staff=True))
    for lista, tabla, indice in (
        ("admin:convenios_convenio_changelist", "convenios_convenio", "convenio_orden"),
        ("admin:convenios_aspecto_changelist", "convenios_aspecto", "aspecto_orden_admin"),
    ):
        planes = _planes(client, reverse(lista))
        # The page's query: a single page of test data has no LIMIT, its order is the same.
        pagina = [plan for sql, plan in planes if f'FROM "{tabla}" ' in sql and "ORDER BY" in sql]
        assert len(pagina) == 1, planes
        assert indice in pagina[0] and not re.search(r"(^|->)\s*Sort\s+\(", pagina[0], re.M), pagina[0]
