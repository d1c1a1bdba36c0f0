"""Issue 13: none of IMPLAN's decisions on an item happens on one click; the confirmation page's POST does it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from convenios.models import EstadoAspecto
from convenios.tests.reloj import el_dia
from seguimiento.models import Accion, Movimiento

DECISIONES = [
    (Accion.VALIDAR, EstadoAspecto.ATENDIDA, "en_revision"),
    (Accion.OBSERVAR, EstadoAspecto.OBSERVADA, "en_revision"),
    (Accion.NO_ATENDER, EstadoAspecto.NO_ATENDIDA, "recomendacion"),
    (Accion.CANCELAR, EstadoAspecto.CANCELADA, "recomendacion"),
]


@pytest.mark.parametrize("ruta", ["transicion", "decidir"])
@pytest.mark.parametrize(("accion", "destino", "fixture"), DECISIONES)
@el_dia(datetime.date(2023, 1, 2))  # the test convenio's items (due 2022) are overdue: no_atender applies
def test_sin_confirmar_no_pasa_nada_y_con_confirmar_si(client, implan, request, ruta, accion, destino, fixture):
    aspecto = request.getfixturevalue(fixture)
    antes = aspecto.estado
    movimientos = Movimiento.objects.count()
    if ruta == "transicion":
        url = reverse("seguimiento:aspecto_transicion", args=[aspecto.pk, accion])
        datos = {"comentario": "Motivo escrito por el IMPLAN."}
    else:
        url = reverse("seguimiento:aspecto_decidir", args=[aspecto.pk])
        datos = {"accion": accion, "comentario": "Motivo escrito por el IMPLAN."}
    client.force_login(implan)

    pagina = client.post(url, datos)

    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Esta acción no se puede deshacer." in html
    assert "Motivo escrito por el IMPLAN." in html  # the comment shown as it will be recorded
    assert f'action="{url}"' in html
    assert 'name="confirmar" value="si"' in html
    assert f'href="{reverse("seguimiento:aspecto", args=[aspecto.pk])}"' in html  # "Volver sin cambios"
    aspecto.refresh_from_db()
    assert aspecto.estado == antes
    assert Movimiento.objects.count() == movimientos

    confirmada = client.post(url, {**datos, "confirmar": "si"})

    assert confirmada.status_code == 302
    aspecto.refresh_from_db()
    assert aspecto.estado == destino
    assert Movimiento.objects.filter(aspecto=aspecto, accion=accion).get().comentario == "Motivo escrito por el IMPLAN."


def test_la_pagina_de_confirmacion_repite_los_campos_enviados(client, implan, en_revision):
    client.force_login(implan)
    url = reverse("seguimiento:aspecto_decidir", args=[en_revision.pk])
    html = client.post(url, {"accion": "observar", "comentario": 'Falta "firma" <b>'}).content.decode()
    assert '<input type="hidden" name="accion" value="observar">' in html
    assert '<input type="hidden" name="comentario" value="Falta &quot;firma&quot; &lt;b&gt;">' in html
    formulario = html[html.index(f'action="{url}"') :]
    formulario = formulario[: formulario.index("</form>")]
    assert formulario.count('name="csrfmiddlewaretoken"') == 1  # a fresh token, not a repeated one


def test_un_valor_de_confirmacion_distinto_no_confirma(client, implan, en_revision):
    client.force_login(implan)
    url = reverse("seguimiento:aspecto_transicion", args=[en_revision.pk, "validar"])
    assert client.post(url, {"confirmar": "1"}).status_code == 200
    en_revision.refresh_from_db()
    assert en_revision.estado == EstadoAspecto.EN_REVISION


def test_un_comentario_que_falta_se_dice_antes_de_confirmar(client, implan, en_revision):
    client.force_login(implan)
    url = reverse("seguimiento:aspecto_decidir", args=[en_revision.pk])
    respuesta = client.post(url, {"accion": "observar", "comentario": ""})
    assert respuesta.status_code == 400
    assert "Escriba el motivo o las observaciones." in respuesta.content.decode()
    assert "Esta acción no se puede deshacer." not in respuesta.content.decode()


def test_enviar_a_revision_no_pide_confirmacion(client, dependencia, recomendacion, subir):
    subir(recomendacion)
    client.force_login(dependencia)
    respuesta = client.post(reverse("seguimiento:aspecto_transicion", args=[recomendacion.pk, "enviar"]))
    assert respuesta.status_code == 302
    recomendacion.refresh_from_db()
    assert recomendacion.estado == EstadoAspecto.EN_REVISION


def test_una_decision_que_ya_no_procede_se_informa_tras_confirmar(client, implan, en_revision):
    from seguimiento import services

    client.force_login(implan)
    url = reverse("seguimiento:aspecto_transicion", args=[en_revision.pk, "validar"])
    services.aspecto_transicionar(
        accion=Accion.VALIDAR, aspecto=en_revision, usuario=implan
    )  # someone else validated it meanwhile
    respuesta = client.post(url, {"confirmar": "si"}, follow=True)
    assert "ya está «Atendida»" in respuesta.content.decode()
    assert Movimiento.objects.filter(aspecto=en_revision, accion=Accion.VALIDAR).count() == 1
