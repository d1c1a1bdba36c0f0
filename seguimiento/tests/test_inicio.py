"""Issues 13 and 14: IMPLAN's dashboard, the search, the paginated home pages and the state-level home."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.models import Aspecto, EstadoAspecto
from convenios.tests import fabricas
from convenios.tests.reloj import el_dia
from cuentas.models import Usuario
from documentos.tests.ayudas import emitir_version_para_firma
from seguimiento import services
from seguimiento.models import Accion, Movimiento
from seguimiento.tests.estados import llevar_a

HOY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _el_dia_de_la_prueba():
    """The pages ask for today (``convenios.models.hoy``): the day this module's data is built around."""
    with el_dia(HOY):
        yield


def _convenio_cercano(m, **extra):
    """A convenio of this year whose items are due within 15 days (semáforo amarillo)."""
    return fabricas.crear_convenio(
        m,
        anio=HOY.year,
        fecha_firma=datetime.date(HOY.year, 1, 10),
        fecha_compromiso=min(HOY + datetime.timedelta(days=10), datetime.date(HOY.year, 12, 31)),
        **extra,
    )


def _a_revision(aspecto: Aspecto, usuario: Usuario, enviado: datetime.datetime | None = None) -> None:
    """Sent to review by ``usuario`` (on ``enviado``, when given: ``Movimiento.fecha`` is auto_now_add)."""
    llevar_a(aspecto, EstadoAspecto.EN_REVISION, dependencia=usuario)
    if enviado:
        Movimiento.objects.filter(aspecto=aspecto, accion=Accion.ENVIAR).update(fecha=enviado)


@pytest.fixture
def escenario(m, convenio, dependencia, otra_dependencia, implan):
    """convenio: 5 items of 2022 (overdue), 2 sent to review; cercano (otra dependencia): 3 items due soon, one
    with a prórroga requested."""
    cercano = _convenio_cercano(m, dependencia=m.otra_dependencia, hallazgos=1, recomendaciones=2)
    viejos = list(convenio.aspectos.order_by("tipo", "numero"))
    _a_revision(viejos[0], dependencia, datetime.datetime(2026, 1, 5, 9, 15, tzinfo=datetime.UTC))
    _a_revision(viejos[1], dependencia, datetime.datetime(2025, 11, 3, 17, 40, tzinfo=datetime.UTC))
    aspecto = cercano.aspectos.first()
    services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=otra_dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="Cierre",
    )
    return {"viejo": convenio, "cercano": cercano, "viejos": viejos}


def _conteo(html: str, id_: str) -> int:
    return int(re.search(rf'id="{id_}">(\d+)<', html).group(1))


def test_el_tablero_del_implan_cuenta_vencidos_revision_por_vencer_y_prorrogas(client, implan, escenario):
    client.force_login(implan)
    html = client.get(reverse("seguimiento:inicio")).content.decode()
    vencidos = sum(a.esta_vencido(HOY) for a in Aspecto.objects.all())
    assert _conteo(html, "n-vencidos") == vencidos == 5
    assert _conteo(html, "n-en-revision") == 2
    assert _conteo(html, "n-por-vencer") == 3
    assert _conteo(html, "n-prorrogas") == 1
    antiguedad = (HOY - datetime.date(2025, 11, 3)).days
    assert f"el más antiguo espera {antiguedad} días" in html


def test_cada_conteo_lleva_al_tablero_filtrado_con_el_mismo_numero(client, implan, escenario, m):
    client.force_login(implan)
    html = client.get(reverse("seguimiento:inicio")).content.decode()
    tablero = reverse("supervision:tablero")
    for consulta, esperado in (("vencidos=on", 5), ("estado=en_revision", 2), ("semaforo=amarillo", 3)):
        assert f'href="{tablero}?{consulta}"' in html
        assert client.get(f"{tablero}?{consulta}").context["pagina"].paginator.count == esperado
    # Per dependencia: the overdue ones are the Dependencia's, the due-soon ones the other's.
    por_dependencia = f"{tablero}?dependencia={m.otra_dependencia.pk}&amp;semaforo=amarillo"
    assert por_dependencia in html
    assert client.get(por_dependencia.replace("&amp;", "&")).context["pagina"].paginator.count == 3
    # Per convenio: programa + año + dependencia identify it on the board.
    cercano = escenario["cercano"]
    por_convenio = (
        f"{tablero}?programa={cercano.evaluacion.programa_id}&amp;anio={HOY.year}"
        f"&amp;dependencia={m.otra_dependencia.pk}&amp;semaforo=amarillo"
    )
    assert por_convenio in html
    assert client.get(por_convenio.replace("&amp;", "&")).context["pagina"].paginator.count == 3


def test_la_bandeja_muestra_fecha_y_hora_la_mas_antigua_primero(client, implan, escenario):
    client.force_login(implan)
    html = client.get(reverse("seguimiento:inicio")).content.decode()
    # 17:40 UTC on 3 November 2025 is 11:40 in Mexico City; 9:15 UTC on 5 January 2026 is 3:15.
    primero = html.index("enviado el <time")
    assert html.index("3 de noviembre de 2025, 11:40 h") == html.index("3 de noviembre de 2025", primero)
    assert html.index("3 de noviembre de 2025, 11:40 h") < html.index("5 de enero de 2026, 03:15 h")


def test_la_bandeja_se_pagina(client, implan, m, dependencia):
    for _ in range(5):
        for aspecto in fabricas.crear_convenio(m, hallazgos=2, recomendaciones=3).aspectos.all():
            _a_revision(aspecto, dependencia)
    client.force_login(implan)
    primera = client.get(reverse("seguimiento:inicio"))
    assert len(primera.context["por_revisar"].object_list) == 20
    assert primera.context["por_revisar"].paginator.count == 25
    assert "?revision=2#bandeja" in primera.content.decode()
    segunda = client.get(reverse("seguimiento:inicio"), {"revision": 2})
    assert len(segunda.context["por_revisar"].object_list) == 5


def _consultas(client, url: str) -> int:
    with CaptureQueriesContext(connection) as consultas:
        assert client.get(url).status_code == 200
    return len(consultas)


@pytest.mark.parametrize("rol", ["implan", "contraloria", "dependencia"])
def test_las_consultas_de_la_pagina_de_inicio_no_crecen_con_los_datos(client, request, m, dependencia, rol):
    usuario = request.getfixturevalue(rol)
    client.force_login(usuario)
    fabricas.crear_convenio(m)
    _a_revision(Aspecto.objects.first(), dependencia)
    pocas = _consultas(client, reverse("seguimiento:inicio"))
    for _ in range(30):  # more than one page of convenios, items and reviews
        convenio = fabricas.crear_convenio(m)
        _a_revision(convenio.aspectos.first(), dependencia)
    muchas = _consultas(client, reverse("seguimiento:inicio"))
    assert pocas == muchas
    assert muchas <= 16


def test_el_superusuario_tiene_su_inicio_estatal_por_municipio(client, m, otro_municipio, convenio, dependencia):
    fabricas.crear_convenio(otro_municipio, hallazgos=1, recomendaciones=1)
    admin = Usuario.objects.create_superuser("estatal", "estatal@example.org", "x")
    client.force_login(admin)
    respuesta = client.get(reverse("seguimiento:inicio"))
    html = respuesta.content.decode()
    assert "Municipios del estado" in html
    filas = {municipio.nombre: municipio.conteos for municipio in respuesta.context["pagina"]}
    assert filas[m.municipio.nombre]["n_aspectos"] == 5 and filas[m.municipio.nombre]["vencidos"] == 5
    assert filas[otro_municipio.municipio.nombre]["n_aspectos"] == 2
    assert "Evidencia por revisar" not in html  # not IMPLAN's inbox of the whole state


def test_el_inicio_estatal_es_acotado(client, db):
    admin = Usuario.objects.create_superuser("estatal", "estatal@example.org", "x")
    client.force_login(admin)
    fabricas.crear_convenio(fabricas.crear_municipio("Municipio inicial"), hallazgos=1, recomendaciones=1)
    pocas = _consultas(client, reverse("seguimiento:inicio"))
    for n in range(30):
        fabricas.crear_convenio(fabricas.crear_municipio(f"Municipio {n:02d}"), hallazgos=1, recomendaciones=1)
    # The first view after the change counts the page's 25 municipios in the queries that counted one.
    with CaptureQueriesContext(connection) as muchas:
        respuesta = client.get(reverse("seguimiento:inicio"))
    assert len(respuesta.context["pagina"].object_list) == 25
    assert len(muchas.captured_queries) == pocas


def test_el_inicio_estatal_cuenta_cada_municipio_una_vez_por_cambio(client, m, convenio):
    """A municipio's counts are computed once per version of the follow-up data: seen again, the page runs
    no GROUP BY; after an item changes through the services, the next page shows the new counts."""
    admin = Usuario.objects.create_superuser("estatal", "estatal@example.org", "x")
    client.force_login(admin)
    url = reverse("seguimiento:inicio")

    def conteos() -> dict:
        return {municipio.pk: municipio.conteos for municipio in client.get(url).context["pagina"]}

    with CaptureQueriesContext(connection) as primera:
        assert conteos()[m.municipio.pk]["en_revision"] == 0
    with CaptureQueriesContext(connection) as segunda:
        conteos()
    agrupadas = [c["sql"] for c in primera.captured_queries if "GROUP BY" in c["sql"].upper()]
    assert len(agrupadas) == 1
    assert not any("GROUP BY" in c["sql"].upper() for c in segunda.captured_queries)
    assert len(segunda.captured_queries) == len(primera.captured_queries) - 1

    llevar_a(convenio.aspectos.first(), EstadoAspecto.EN_REVISION)
    assert conteos()[m.municipio.pk]["en_revision"] == 1


def test_buscar_por_clave_nombre_texto_y_folio(client, implan, m, convenio):
    Aspecto.objects.filter(pk=convenio.aspectos.first().pk).update(texto="Publicar el manual de procedimientos")
    documento = emitir_version_para_firma(convenio, implan)
    client.force_login(implan)
    url = reverse("seguimiento:buscar")
    clave = convenio.evaluacion.programa.clave
    assert reverse("seguimiento:convenio", args=[convenio.pk]) in client.get(url, {"q": clave[:5]}).content.decode()
    assert reverse("seguimiento:convenio", args=[convenio.pk]) in client.get(url, {"q": "prueba"}).content.decode()
    por_texto = client.get(url, {"q": "manual de proced"}).content.decode()
    assert reverse("seguimiento:aspecto", args=[convenio.aspectos.first().pk]) in por_texto
    por_folio = client.get(url, {"q": documento.folio[-8:]}).content.decode()
    assert reverse("documentos:descargar", args=[documento.pk]) in por_folio
    assert "Escriba al menos 3 caracteres." in client.get(url, {"q": "ab"}).content.decode()


def test_buscar_no_muestra_lo_ajeno(client, otra_dependencia, implan_otro_municipio, convenio):
    url = reverse("seguimiento:buscar")
    for usuario in (otra_dependencia, implan_otro_municipio):
        client.force_login(usuario)
        html = client.get(url, {"q": "prueba"}).content.decode()
        assert reverse("seguimiento:convenio", args=[convenio.pk]) not in html


def test_el_inicio_de_la_dependencia_se_pagina(client, m, dependencia):
    for _ in range(12):
        fabricas.crear_convenio(m, hallazgos=1, recomendaciones=1)
    client.force_login(dependencia)
    primera = client.get(reverse("seguimiento:inicio"))
    assert len(primera.context["pagina"].object_list) == 10
    assert len(client.get(reverse("seguimiento:inicio"), {"pagina": 2}).context["pagina"].object_list) == 2


def test_estado_de_un_aspecto_atendido_no_cuenta_como_vencido(client, implan, convenio, dependencia):
    aspecto = convenio.aspectos.first()
    llevar_a(aspecto, EstadoAspecto.ATENDIDA, dependencia=dependencia, implan=implan)
    assert Aspecto.objects.get(pk=aspecto.pk).estado == EstadoAspecto.ATENDIDA
    client.force_login(implan)
    assert _conteo(client.get(reverse("seguimiento:inicio")).content.decode(), "n-vencidos") == 4
