"""The state-level administrator (a superuser) in the admin works one municipio at a time (issue 14): a
page about a municipio's record offers that municipio's choices, a list offers the filters of the
dependencias and programs once a municipio is chosen, and neither grows with the rest of the state."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from convenios.admin.alcance import mismo_municipio_por_el_camino
from convenios.models import Aspecto, Convenio, Evaluacion, ProgramaPresupuestario
from convenios.tests import fabricas


@pytest.fixture
def estatal(db) -> Client:
    cliente = Client()
    cliente.force_login(fabricas.crear_usuario("estatal", None, is_superuser=True, is_staff=True))
    return cliente


def _opciones(html: str) -> list[str]:
    """The options of every dropdown but the municipio's own (a superuser picks among the state's)."""
    sin_municipio = re.sub(r'<select name="municipio".*?</select>', "", html, flags=re.S)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", sin_municipio)


def _valores(html: str, campo: str) -> set[int]:
    bloque = re.search(rf'<select name="{campo}".*?</select>', html, flags=re.S).group(0)
    return {int(v) for v in re.findall(r'<option value="(\d+)"', bloque)}


def test_la_pagina_de_un_convenio_ofrece_solo_las_dependencias_de_su_municipio(estatal, m, convenio):
    otro = fabricas.crear_municipio("Otro")
    fabricas.crear_convenio(otro)

    html = estatal.get(reverse("admin:convenios_convenio_change", args=[convenio.pk])).content.decode()

    assert _valores(html, "dependencia_evaluada") == {m.dependencia.pk, m.otra_dependencia.pk}
    assert _valores(html, "firmante_implan") == {m.titular(m.implan).pk}
    assert _valores(html, "implan") == {m.implan.pk}


def test_las_opciones_de_un_convenio_no_crecen_con_el_estado(estatal, m, convenio):
    url = reverse("admin:convenios_convenio_change", args=[convenio.pk])
    con_uno = _opciones(estatal.get(url).content.decode())
    for n in range(4):
        fabricas.crear_convenio(fabricas.crear_municipio(f"Otro {n}"))

    con_cinco = _opciones(estatal.get(url).content.decode())

    assert len(con_cinco) == len(con_uno) > 0


def test_un_aspecto_repite_solo_uno_de_la_evaluacion_anterior(estatal, m, convenio):
    anterior = fabricas.crear_convenio(m, clave="01020499")
    Evaluacion.objects.filter(pk=convenio.evaluacion_id).update(evaluacion_anterior=anterior.evaluacion)
    for n in range(3):
        fabricas.crear_convenio(fabricas.crear_municipio(f"Otro {n}"))
    aspecto = convenio.aspectos.order_by("pk").first()

    respuesta = estatal.get(reverse("admin:convenios_aspecto_change", args=[aspecto.pk]))

    html = respuesta.content.decode()
    bloque = re.search(r'<select name="repite_a".*?</select>', html, flags=re.S).group(0)
    ofrecidos = {int(v) for v in re.findall(r'<option value="(\d+)"', bloque)}
    assert ofrecidos == set(Aspecto.objects.filter(convenio=anterior).values_list("pk", flat=True))


def test_al_agregar_un_convenio_las_listas_esperan_al_municipio(estatal, m):
    otro = fabricas.crear_municipio("Otro")
    url = reverse("admin:convenios_convenio_add")

    sin_elegir = estatal.get(url).content.decode()
    elegido = estatal.get(url, {"municipio": otro.municipio.pk}).content.decode()

    assert "Elija el municipio y guarde" in sin_elegir
    assert _opciones(sin_elegir) == []
    assert _valores(elegido, "dependencia_evaluada") == {otro.dependencia.pk, otro.otra_dependencia.pk}
    assert _valores(elegido, "implan") == {otro.implan.pk}


def test_al_guardar_sin_partes_se_conserva_el_municipio_y_se_ofrecen_sus_dependencias(estatal, m):
    respuesta = estatal.post(
        reverse("admin:convenios_convenio_add"),
        {"municipio": m.municipio.pk, "hallazgos-TOTAL_FORMS": "0", "hallazgos-INITIAL_FORMS": "0"},
    )

    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert re.search(rf'<option value="{m.municipio.pk}" selected>', html)
    assert _valores(html, "implan") == {m.implan.pk}


def test_los_filtros_de_dependencia_y_programa_aparecen_al_elegir_el_municipio(estatal, m, convenio):
    fabricas.crear_convenio(m, dependencia=m.otra_dependencia, clave="01020402")
    otro = fabricas.crear_municipio("Otro")
    fabricas.crear_convenio(otro, clave="09090909")
    lista = reverse("admin:convenios_convenio_changelist")

    sin_elegir = estatal.get(lista).content.decode()
    elegido = estatal.get(lista, {"municipio__id__exact": m.municipio.pk}).content.decode()

    assert "dependencia_evaluada__id__exact" not in sin_elegir
    assert f"municipio__id__exact={otro.municipio.pk}" in sin_elegir
    assert f"dependencia_evaluada__id__exact={m.dependencia.pk}" in elegido
    assert f"dependencia_evaluada__id__exact={otro.dependencia.pk}" not in elegido
    assert "09090909" not in elegido


def test_la_lista_de_convenios_cuenta_los_aspectos_de_su_pagina(estatal, m, convenio):
    respuesta = estatal.get(reverse("admin:convenios_convenio_changelist"))

    fila = respuesta.context["cl"].result_list[0]
    assert fila.pk == convenio.pk
    assert fila.n_aspectos == convenio.aspectos.count() > 0
    assert fila.n_pendiente == convenio.aspectos.filter(estado="pendiente").count()


def test_buscar_por_clave_dentro_de_un_municipio_halla_solo_los_suyos(estatal, client, m, implan):
    """The same program key in two municipios: searched inside one, by its IMPLAN or by the state
    administrator who filtered by it, only that municipio's convenio; unfiltered, the state's two."""
    suyo = fabricas.crear_convenio(m, clave="01020402")
    fabricas.crear_convenio(m, clave="01030101")
    otro = fabricas.crear_municipio("Otro")
    ajeno = fabricas.crear_convenio(otro, clave="01020402")
    lista = reverse("admin:convenios_convenio_changelist")
    client.force_login(implan)

    del_implan = client.get(lista, {"q": "01020402"}).context["cl"].result_list
    filtrado = estatal.get(lista, {"q": "0102", "municipio__id__exact": m.municipio.pk}).context["cl"].result_list
    del_estado = estatal.get(lista, {"q": "01020402"}).context["cl"].result_list

    assert [c.pk for c in del_implan] == [suyo.pk]
    assert [c.pk for c in filtrado] == [suyo.pk]
    assert {c.pk for c in del_estado} == {suyo.pk, ajeno.pk}


def test_el_filtro_de_programa_ofrece_los_programas_con_convenio_del_municipio(estatal, client, m, implan):
    fabricas.crear_convenio(m, clave="01030101")
    fabricas.crear_convenio(m, clave="01020402")
    fabricas.crear_convenio(fabricas.crear_municipio("Otro"), clave="09090909")
    ProgramaPresupuestario.objects.create(municipio=m.municipio, clave="01050101", nombre="Sin evaluar")
    lista = reverse("admin:convenios_convenio_changelist")
    client.force_login(implan)

    for respuesta in (client.get(lista), estatal.get(lista, {"municipio__id__exact": m.municipio.pk})):
        filtro = next(
            f for f in respuesta.context["cl"].filter_specs if getattr(f, "field_path", "") == "evaluacion__programa"
        )
        assert [nombre for _pk, nombre in filtro.lookup_choices] == [
            "01020402.- Programa de prueba",
            "01030101.- Programa de prueba",
        ]


def test_una_busqueda_dice_el_municipio_de_cada_registro_en_su_camino():
    assert mismo_municipio_por_el_camino(Convenio, ["evaluacion__programa__clave"], 7) == {
        "evaluacion__municipio_id": 7,
        "evaluacion__programa__municipio_id": 7,
    }
    # Not through a reverse relation (a row with many actions): that would change what the search finds.
    assert mismo_municipio_por_el_camino(
        Aspecto, ["texto", "acciones__texto", "convenio__evaluacion__programa__clave"], 7
    ) == {
        "convenio__municipio_id": 7,
        "convenio__evaluacion__municipio_id": 7,
        "convenio__evaluacion__programa__municipio_id": 7,
    }
