"""The dependencia reports an action's avance with a note; IMPLAN sees it on the item page."""

from __future__ import annotations

from django.urls import reverse

from convenios.models import TipoAspecto
from seguimiento.models import Accion as Movimientos
from seguimiento.models import Movimiento


def _accion(convenio):
    return convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1).acciones.get()


def test_la_dependencia_reporta_avance_y_el_implan_lo_ve(client, convenio, dependencia, implan):
    accion = _accion(convenio)
    client.force_login(dependencia)
    pagina = client.get(reverse("seguimiento:aspecto", args=[accion.aspecto_id])).content.decode()
    assert reverse("seguimiento:accion_avance", args=[accion.pk]) in pagina
    respuesta = client.post(
        reverse("seguimiento:accion_avance", args=[accion.pk]), {"avance": "60", "nota": "Formato 02a en revisión."}
    )
    assert respuesta.status_code == 302
    accion.refresh_from_db()
    assert (accion.avance, accion.nota_avance) == (60, "Formato 02a en revisión.")
    assert Movimiento.objects.filter(aspecto=accion.aspecto, accion=Movimientos.AVANCE, usuario=dependencia).exists()
    client.force_login(implan)
    pagina = client.get(reverse("seguimiento:aspecto", args=[accion.aspecto_id])).content.decode()
    assert "Avance: 60 %" in pagina and "Formato 02a en revisión." in pagina
    assert reverse("seguimiento:accion_avance", args=[accion.pk]) not in pagina


def test_un_avance_fuera_de_rango_o_de_otro_rol_no_se_guarda(client, convenio, dependencia, implan, otra_dependencia):
    accion = _accion(convenio)
    url = reverse("seguimiento:accion_avance", args=[accion.pk])
    client.force_login(dependencia)
    for valor in ("101", "-1", "x", ""):
        assert client.post(url, {"avance": valor}).status_code == 302
    client.force_login(implan)
    assert client.post(url, {"avance": "50"}).status_code == 403
    client.force_login(otra_dependencia)
    assert client.post(url, {"avance": "50"}).status_code == 404
    accion.refresh_from_db()
    assert accion.avance == 0
