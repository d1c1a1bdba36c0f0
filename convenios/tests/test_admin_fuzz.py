"""No admin form answers 500 for any input: hypothesis fills every field of every capture form.

The test client re-raises a view's exception, so a server error fails the example. Each
form starts from what its page would post back (inlines included) and has some of its
fields replaced by the wrong type, the empty value, the huge value, a hostile text or
another municipio's identifier.
"""

from __future__ import annotations

import datetime
import string

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convenios.tests import fabricas
from seguridad.tests.hostiles import datos_de_pagina_admin

pytestmark = [pytest.mark.seguridad, pytest.mark.lento]

AJUSTES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

valores = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.text(alphabet=string.digits, min_size=1, max_size=14),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(datetime.date.isoformat),
    st.sampled_from(["2023-02-30", "31/12/2022", "Diciembre 2022", "0", "-1", "999999", "on", "\x00", "=1+1"]),
    st.text(min_size=300, max_size=400),
)


def _campos(pagina, *, cada_fila: bool = True) -> list[str]:
    """Every field the page posts, empty ones included (an add page has no values yet). Not the fields of
    an inline's template row (``__prefix__``, copied by the page's script when a row is added): the server
    reads no field of it, so a value there tests nothing (they were a third of the fields).

    ``cada_fila=False``: of each inline, only its first saved row and its first new row. Every other row is
    the same form with other data, and its fields go the same way through the same code: of the convenio's
    70 fields, 38 are distinct."""
    formularios = [pagina.context["adminform"].form]
    for inline in pagina.context["inline_admin_formsets"]:
        formset = inline.formset
        formularios += formset.forms if cada_fila else formset.initial_forms[:1] + formset.extra_forms[:1]
    return sorted({f.add_prefix(nombre) for f in formularios for nombre in f.fields})


def _probar(client, url: str, datos_base: dict, claves: list[str], cambios: dict) -> None:
    datos = dict(datos_base)
    for indice, valor in cambios.items():
        datos[claves[indice % len(claves)]] = valor
    respuesta = client.post(url, datos)
    assert respuesta.status_code in (200, 302), respuesta.status_code


@pytest.fixture
def escenario(client, implan, m, otro_municipio):
    convenio = fabricas.crear_convenio(m, estado="borrador")
    fabricas.crear_convenio(otro_municipio, estado="borrador")
    client.force_login(implan)
    return convenio


def _cambios() -> st.SearchStrategy[dict[int, str]]:
    return st.dictionaries(st.integers(min_value=0, max_value=200), valores, min_size=1, max_size=6)


URLS = [
    ("admin:convenios_convenio_add", None),
    ("admin:convenios_convenio_change", "convenio"),
    ("admin:convenios_aspecto_change", "aspecto"),
    ("admin:convenios_dependencia_change", "dependencia"),
    ("admin:convenios_dependencia_add", None),
    ("admin:convenios_evaluacion_change", "evaluacion"),
    ("admin:convenios_evaluacion_add", None),
    ("admin:convenios_programapresupuestario_add", None),
    ("admin:convenios_programapresupuestario_change", "programa"),
    ("admin:convenios_municipio_change", "municipio"),
]


@pytest.mark.parametrize(("nombre", "objeto"), URLS)
def test_ningun_formulario_del_admin_responde_500(client, escenario, nombre, objeto):
    convenio = escenario
    objetos = {
        "convenio": convenio,
        "aspecto": convenio.aspectos.filter(tipo="recomendacion").first(),
        "dependencia": convenio.dependencia_evaluada,
        "evaluacion": convenio.evaluacion,
        "programa": convenio.evaluacion.programa,
        "municipio": convenio.municipio,
    }
    url = reverse(nombre, args=[objetos[objeto].pk]) if objeto else reverse(nombre)
    pagina = client.get(url)
    assert pagina.status_code == 200
    datos_base = datos_de_pagina_admin(pagina)
    claves = _campos(pagina)

    @AJUSTES
    @given(cambios=_cambios())
    def probar(cambios: dict[int, str]) -> None:
        _probar(client, url, datos_base, claves, cambios)

    probar()


@pytest.mark.parametrize(("nombre", "objeto"), URLS)
@pytest.mark.parametrize("valor", [":", "9" * 30, ""])
def test_cada_campo_con_un_valor_que_no_es_lo_que_espera(client, escenario, nombre, objeto, valor):
    """Deterministic companion of the fuzz: one field at a time, each distinct field once (an autocomplete given
    ":" used to raise)."""
    convenio = escenario
    objetos = {
        "convenio": convenio,
        "aspecto": convenio.aspectos.filter(tipo="recomendacion").first(),
        "dependencia": convenio.dependencia_evaluada,
        "evaluacion": convenio.evaluacion,
        "programa": convenio.evaluacion.programa,
        "municipio": convenio.municipio,
    }
    url = reverse(nombre, args=[objetos[objeto].pk]) if objeto else reverse(nombre)
    pagina = client.get(url)
    datos_base = datos_de_pagina_admin(pagina)
    for campo in _campos(pagina, cada_fila=False):
        respuesta = client.post(url, {**datos_base, campo: valor})
        assert respuesta.status_code in (200, 302), (campo, respuesta.status_code)
