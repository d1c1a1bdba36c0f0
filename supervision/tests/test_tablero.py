"""The board: filters, sorting, counts, exports of exactly the filtered rows, isolation, bounded queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from convenios.models import Aspecto, EstadoAspecto
from convenios.tests import fabricas
from convenios.tests.reloj import el_dia
from seguimiento.tests.estados import llevar_a
from supervision.tests.datos import aprobar_prorroga, convenio_con_fecha

HOY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _el_dia_de_la_prueba():
    """The pages ask for today (``convenios.models.hoy``): the day this module's data is built around."""
    with el_dia(HOY):
        yield


def _dias(n: int) -> datetime.date:
    return HOY + datetime.timedelta(days=n)


@pytest.fixture
def escenario(m):
    """Hand-built: the Desarrollo Social (DDS) has 3 overdue items of last year, Obras (DOP) 2 yellow and 1 green."""
    anterior = datetime.date(HOY.year - 1, 6, 30)
    dds = convenio_con_fecha(m, anterior, hallazgos=1, recomendaciones=2)  # 3 rojo, 2 years of data
    dds_aspectos = list(dds.aspectos.order_by("tipo", "numero"))
    llevar_a(dds_aspectos[0], EstadoAspecto.ATENDIDA)  # verde, not overdue
    # DOP: a convenio of this year whose dates are in the near future.
    cercana = min(_dias(10), datetime.date(HOY.year, 12, 31))
    dop = fabricas.crear_convenio(
        m,
        dependencia=m.otra_dependencia,
        anio=HOY.year,
        fecha_firma=datetime.date(HOY.year, 1, 10),
        fecha_compromiso=cercana,
        hallazgos=2,
        recomendaciones=1,
    )
    lejana = dop.aspectos.get(tipo="recomendacion")
    return {"dds": dds, "dop": dop, "dds_aspectos": dds_aspectos, "lejana": lejana, "cercana": cercana}


def _pks(respuesta) -> list[int]:
    return [a.pk for a in respuesta.context["pagina"].object_list]


def test_la_contraloria_ve_todo_el_municipio_con_conteos_por_semaforo(client, contraloria, escenario):
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero"))
    assert respuesta.status_code == 200
    conteos = respuesta.context["conteos"]
    assert conteos == {"total": 6, "verde": 1, "amarillo": 3, "rojo": 2, "vencidos": 2}
    assert len(_pks(respuesta)) == 6
    contenido = respuesta.content.decode()
    assert "Días de atraso" in contenido


def test_filtro_por_dependencia_y_solo_vencidos(client, contraloria, escenario, m):
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero"), {"dependencia": m.otra_dependencia.pk})
    assert set(_pks(respuesta)) == set(escenario["dop"].aspectos.values_list("pk", flat=True))
    respuesta = client.get(reverse("supervision:tablero"), {"vencidos": "on"})
    assert set(_pks(respuesta)) == {a.pk for a in escenario["dds_aspectos"][1:]}
    assert respuesta.context["conteos"]["total"] == 2


def test_filtros_por_anio_programa_estado_y_semaforo(client, contraloria, escenario):
    client.force_login(contraloria)
    url = reverse("supervision:tablero")
    dds, dop = escenario["dds"], escenario["dop"]
    assert set(_pks(client.get(url, {"anio": HOY.year - 1}))) == set(dds.aspectos.values_list("pk", flat=True))
    assert set(_pks(client.get(url, {"programa": dop.evaluacion.programa_id}))) == set(
        dop.aspectos.values_list("pk", flat=True)
    )
    assert _pks(client.get(url, {"estado": "atendida"})) == [escenario["dds_aspectos"][0].pk]
    assert set(_pks(client.get(url, {"semaforo": "amarillo"}))) == set(dop.aspectos.values_list("pk", flat=True))
    # The counts ignore the semáforo filter (they are its choices) but follow the others.
    respuesta = client.get(url, {"semaforo": "rojo", "anio": HOY.year - 1})
    assert respuesta.context["conteos"] == {"total": 3, "verde": 1, "amarillo": 0, "rojo": 2, "vencidos": 2}


def test_filtros_invalidos_se_informan_y_no_se_aplican(client, contraloria, escenario, otro_municipio):
    client.force_login(contraloria)
    ajena = otro_municipio.dependencia.pk
    respuesta = client.get(reverse("supervision:tablero"), {"dependencia": ajena, "anio": "dos mil", "vencidos": "on"})
    assert respuesta.status_code == 200
    assert "Esa dependencia no está entre las que puede ver." in respuesta.content.decode()
    assert "No se aplicaron algunos filtros" in respuesta.content.decode()
    assert respuesta.context["conteos"]["total"] == 2  # the valid filter (vencidos) still applies


def test_orden_por_dias_de_atraso_fecha_y_dependencia(client, contraloria, escenario, m):
    vieja = escenario["dds_aspectos"][2]
    aprobar_prorroga(escenario["dds_aspectos"][1], 5)  # 5 days less overdue than its sibling
    client.force_login(contraloria)
    url = reverse("supervision:tablero")
    por_dias = client.get(url, {"orden": "dias"}).context["pagina"].object_list
    assert [a.n_dias_vencido for a in por_dias][:2] == sorted([a.n_dias_vencido for a in por_dias], reverse=True)[:2]
    assert por_dias[0].pk == vieja.pk
    assert por_dias[0].n_dias_vencido == por_dias[1].n_dias_vencido + 5
    fechas = [a.fecha_vigente for a in client.get(url, {"orden": "fecha"}).context["pagina"].object_list]
    assert fechas == sorted(fechas)
    nombres = [
        a.convenio.dependencia_evaluada.nombre
        for a in client.get(url, {"orden": "dependencia"}).context["pagina"].object_list
    ]
    assert nombres == sorted(nombres)
    assert nombres[0] == m.dependencia.nombre  # "Dirección de Desarrollo Social" < "Dirección de Obras Públicas"


def test_paginacion_conserva_los_filtros(client, contraloria, m):
    convenio_con_fecha(m, datetime.date(HOY.year - 1, 3, 31), hallazgos=30, recomendaciones=30)
    client.force_login(contraloria)
    url = reverse("supervision:tablero")
    primera = client.get(url, {"vencidos": "on", "orden": "fecha"})
    assert len(_pks(primera)) == 50
    assert 'href="?vencidos=on&amp;orden=fecha&amp;pagina=2"' in primera.content.decode()
    segunda = client.get(url, {"vencidos": "on", "orden": "fecha", "pagina": 2})
    assert len(_pks(segunda)) == 10
    assert not set(_pks(primera)) & set(_pks(segunda))
    assert client.get(url, {"pagina": "x"}).status_code == 200  # a bad page number shows the first page


def test_cada_fila_enlaza_al_aspecto(client, contraloria, escenario):
    client.force_login(contraloria)
    contenido = client.get(reverse("supervision:tablero")).content.decode()
    for aspecto in Aspecto.objects.all():
        assert f'href="{reverse("seguimiento:aspecto", args=[aspecto.pk])}"' in contenido


def _csv(respuesta) -> list[list[str]]:
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texto)))


def test_exportar_csv_contiene_exactamente_las_filas_filtradas(client, contraloria, escenario, m):
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero_csv"), {"dependencia": m.dependencia.pk, "vencidos": "on"})
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("text/csv")
    assert respuesta.streaming
    filas = _csv(respuesta)
    assert filas[0][0] == "Año del PAE"
    esperadas = {(a.get_tipo_display(), str(a.numero)) for a in escenario["dds_aspectos"][1:]}
    assert {(f[4], f[5]) for f in filas[1:]} == esperadas
    assert all(f[1] == "Dirección de Desarrollo Social" and f[10] == "Rojo" for f in filas[1:])
    dias = escenario["dds_aspectos"][1].dias_vencido(HOY)
    assert {f[11] for f in filas[1:]} == {str(dias)}


def test_exportar_xlsx_contiene_exactamente_las_filas_filtradas(client, contraloria, escenario):
    client.force_login(contraloria)
    respuesta = client.get(reverse("supervision:tablero_xlsx"), {"semaforo": "amarillo"})
    assert respuesta.status_code == 200
    assert respuesta["Content-Disposition"].startswith('attachment; filename="tablero-asm-')
    libro = load_workbook(io.BytesIO(b"".join(respuesta.streaming_content)), read_only=True)
    filas = list(libro["Aspectos"].iter_rows(values_only=True))
    assert filas[0][1] == "Dependencia"
    assert len(filas) == 1 + 3
    assert {f[1] for f in filas[1:]} == {"Dirección de Obras Públicas"}
    assert {f[8] for f in filas[1:]} == {datetime.datetime.combine(escenario["cercana"], datetime.time())}


def test_una_dependencia_solo_ve_y_exporta_lo_suyo(client, dependencia, escenario, m):
    client.force_login(dependencia)
    url = reverse("supervision:tablero")
    propios = set(escenario["dds"].aspectos.values_list("pk", flat=True))
    assert set(_pks(client.get(url))) == propios
    # Asking for another dependencia's items by filter yields an error, not its rows.
    respuesta = client.get(url, {"dependencia": m.otra_dependencia.pk})
    assert set(_pks(respuesta)) == propios
    assert respuesta.context["conteos"]["total"] == 3
    assert [d.pk for d in respuesta.context["form"].fields["dependencia"].queryset] == [m.dependencia.pk]
    filas = _csv(client.get(reverse("supervision:tablero_csv"), {"dependencia": m.otra_dependencia.pk}))
    assert len(filas) == 1 + 3
    assert {f[1] for f in filas[1:]} == {"Dirección de Desarrollo Social"}
    libro = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("supervision:tablero_xlsx")).streaming_content)), read_only=True
    )
    assert {f[1] for f in list(libro["Aspectos"].iter_rows(values_only=True))[1:]} == {"Dirección de Desarrollo Social"}


def test_otro_municipio_no_ve_nada(client, implan_otro_municipio, escenario):
    client.force_login(implan_otro_municipio)
    respuesta = client.get(reverse("supervision:tablero"))
    assert respuesta.context["conteos"]["total"] == 0
    assert len(_csv(client.get(reverse("supervision:tablero_csv")))) == 1


def test_tesoreria_e_implan_ven_el_tablero(client, tesoreria, implan, escenario):
    for usuario in (tesoreria, implan):
        client.force_login(usuario)
        assert client.get(reverse("supervision:tablero")).context["conteos"]["total"] == 6


def test_usuario_sin_dependencia_no_entra_y_anonimo_va_al_login(client, db):
    assert client.get(reverse("supervision:tablero")).status_code == 302
    usuario = fabricas.crear_usuario("suelto", None)
    client.force_login(usuario)
    assert client.get(reverse("supervision:tablero")).status_code == 403
    assert client.post(reverse("supervision:tablero")).status_code == 405


def _consultas(client, url: str, datos: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as contexto:
        respuesta = client.get(url, datos or {})
        if getattr(respuesta, "streaming", False):
            b"".join(respuesta.streaming_content)
    assert respuesta.status_code == 200
    return len(contexto.captured_queries)


@pytest.mark.parametrize(
    ("nombre", "datos"),
    [
        ("supervision:tablero", {}),
        ("supervision:tablero", {"vencidos": "on", "orden": "dependencia"}),
        ("supervision:tablero_csv", {}),
        ("supervision:tablero_xlsx", {}),
        ("supervision:avance", {}),
    ],
)
def test_las_consultas_no_crecen_con_los_datos(client, contraloria, m, nombre, datos, django_assert_max_num_queries):
    client.force_login(contraloria)
    url = reverse(nombre)
    convenio_con_fecha(m, datetime.date(HOY.year - 1, 5, 31))
    pocas = _consultas(client, url, datos)
    for i in range(6):
        c = convenio_con_fecha(
            m,
            datetime.date(HOY.year - 1 - i % 2, 6, 30),
            dependencia=m.otra_dependencia,
            hallazgos=5,
            recomendaciones=6,
        )
        llevar_a(c.aspectos.first(), EstadoAspecto.ATENDIDA)
    assert Aspecto.objects.count() == 2 + 6 * 11
    assert _consultas(client, url, datos) == pocas
    with django_assert_max_num_queries(12):
        client.get(url, datos)
