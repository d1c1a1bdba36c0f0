"""Issue 13: the Tesorería reaches its verification form from the convenio page, in one click."""

from __future__ import annotations

import pytest
from django.urls import reverse

BOTON = "Registrar verificación de la Tesorería"


def test_la_tesoreria_ve_el_boton_y_llega_al_formulario(client, tesoreria, convenio):
    client.force_login(tesoreria)
    html = client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()
    destino = f"{reverse('supervision:convenio', args=[convenio.pk])}#registrar-verificacion"
    assert f'href="{destino}">{BOTON}</a>' in html
    formulario = client.get(reverse("supervision:convenio", args=[convenio.pk])).content.decode()
    assert 'id="registrar-verificacion"' in formulario
    assert f'action="{reverse("supervision:verificacion", args=[convenio.pk])}"' in formulario


@pytest.mark.parametrize("rol", ["implan", "contraloria", "dependencia"])
def test_los_demas_no_ven_el_boton(client, request, convenio, rol):
    client.force_login(request.getfixturevalue(rol))
    assert BOTON not in client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()


def test_la_tesoreria_de_otro_municipio_no_ve_el_convenio(client, otro_municipio, convenio):
    from convenios.tests.fabricas import crear_usuario

    client.force_login(crear_usuario("tesoreria_otra", otro_municipio.tesoreria))
    assert client.get(reverse("seguimiento:convenio", args=[convenio.pk])).status_code == 404
