"""Issue 13, IMPLAN's item page: one decision form, the prórroga above it, evidence previewed and marked."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from convenios.tests.reloj import el_dia
from seguimiento import services
from seguimiento.models import Accion
from seguimiento.tests import archivos_prueba as ap


def _html(client, aspecto) -> str:
    respuesta = client.get(reverse("seguimiento:aspecto", args=[aspecto.pk]))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_una_sola_forma_de_decision_con_un_comentario_y_un_boton(client, implan, en_revision):
    client.force_login(implan)
    html = _html(client, en_revision)
    formulario = re.search(r'<form[^>]*id="form-decision".*?</form>', html, re.S).group(0)
    assert formulario.count("<textarea") == 1
    assert formulario.count('type="submit"') == 1
    assert re.findall(r'name="accion" value="(\w+)"', formulario) == ["validar", "observar", "cancelar"]
    assert html.count("<textarea") == 1  # no other comment box on the page
    assert "Comentario u observaciones" in formulario


@el_dia(datetime.date(2023, 1, 2))  # the test convenio's items are due in 2022
def test_no_atendida_solo_se_ofrece_cuando_procede(client, implan, recomendacion):
    client.force_login(implan)
    formulario = re.search(r'<form[^>]*id="form-decision".*?</form>', _html(client, recomendacion), re.S).group(0)
    # The test convenio's dates are past: a pendiente item is overdue.
    assert re.findall(r'name="accion" value="(\w+)"', formulario) == ["no_atender", "cancelar"]


def test_una_decision_sin_comentario_obligatorio_se_explica_junto_al_campo(client, implan, en_revision):
    client.force_login(implan)
    respuesta = client.post(
        reverse("seguimiento:aspecto_decidir", args=[en_revision.pk]), {"accion": "cancelar", "comentario": "  "}
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Escriba el motivo o las observaciones." in html
    assert re.search(r'name="accion" value="cancelar"[^>]*checked', html)  # the choice is kept


def test_la_dependencia_solo_ve_enviar(client, dependencia, recomendacion, subir):
    subir(recomendacion)
    client.force_login(dependencia)
    html = _html(client, recomendacion)
    assert 'id="form-decision"' not in html
    assert reverse("seguimiento:aspecto_transicion", args=[recomendacion.pk, "enviar"]) in html


def test_la_prorroga_por_decidir_va_antes_que_la_decision(client, implan, dependencia, en_revision):
    services.prorroga_solicitar(
        aspecto=en_revision,
        usuario=dependencia,
        fecha_solicitada=en_revision.fecha_vigente + datetime.timedelta(days=5),
        motivo="Cierre del ejercicio",
    )
    client.force_login(implan)
    html = _html(client, en_revision)
    assert 0 < html.index('id="form-prorroga-') < html.index('id="form-decision"')


def test_la_evidencia_actual_se_distingue_de_la_devuelta(client, implan, dependencia, en_revision, subir):
    services.aspecto_transicionar(
        accion=Accion.OBSERVAR, aspecto=en_revision, usuario=implan, comentario="Falta la firma."
    )
    corregida = subir(en_revision, "corregida.pdf", "Con firma")
    client.force_login(implan)
    html = _html(client, en_revision)
    actual = html.index(f'id="evidencia-{corregida.pk}"')
    devuelta = html.index("evidencia-devuelta")
    assert actual < devuelta  # the current file comes first
    assert "Evidencia actual" in html[actual:devuelta]
    assert "Devuelta con observaciones el" in html[devuelta:]
    assert html.count("Evidencia actual") == 1


def test_la_evidencia_validada_se_marca(client, implan, en_revision):
    services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=en_revision, usuario=implan)
    client.force_login(implan)
    html = _html(client, en_revision)
    assert "Validada el" in html and "Evidencia actual" not in html


def test_vista_previa_de_pdf_e_imagen_en_la_pagina(client, implan, dependencia, recomendacion, subir):
    pdf = subir(recomendacion)
    png = services.evidencia_subir(
        aspecto=recomendacion,
        archivo=ap.subido("foto.png", ap.imagen("PNG")),
        descripcion="Fotografía del taller",
        usuario=dependencia,
    )
    docx = services.evidencia_subir(
        aspecto=recomendacion, archivo=ap.subido("manual.docx", ap.docx()), descripcion="Manual", usuario=dependencia
    )
    client.force_login(implan)
    respuesta = client.get(reverse("seguimiento:aspecto", args=[recomendacion.pk]))
    html = respuesta.content.decode()
    assert f'<iframe class="vista-previa mt-2" src="{reverse("seguimiento:evidencia_ver", args=[pdf.pk])}"' in html
    assert f'src="{reverse("seguimiento:evidencia_ver", args=[png.pk])}" alt="Fotografía del taller"' in html
    assert reverse("seguimiento:evidencia_ver", args=[docx.pk]) not in html
    # The page itself may frame only its own site; nothing else is loosened.
    assert "frame-src 'self'" in respuesta["Content-Security-Policy"]
    assert "script-src 'self'" in respuesta["Content-Security-Policy"]


@pytest.mark.parametrize("usuario", ["implan", "contraloria", "tesoreria", "dependencia"])
def test_el_archivo_se_sirve_en_linea_con_encabezados_restrictivos(client, request, recomendacion, subir, usuario):
    evidencia = subir(recomendacion, texto="Contenido del PDF")
    client.force_login(request.getfixturevalue(usuario))
    respuesta = client.get(reverse("seguimiento:evidencia_ver", args=[evidencia.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].startswith("inline;")
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert respuesta["X-Frame-Options"] == "SAMEORIGIN"
    assert respuesta["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    )
    with evidencia.archivo.open("rb") as archivo:
        assert b"".join(respuesta.streaming_content) == archivo.read()


def test_la_vista_previa_no_se_sirve_a_quien_no_puede_descargar(
    client, otra_dependencia, implan_otro_municipio, recomendacion, subir
):
    evidencia = subir(recomendacion)
    url = reverse("seguimiento:evidencia_ver", args=[evidencia.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for usuario in (otra_dependencia, implan_otro_municipio):
        client.force_login(usuario)
        assert client.get(url).status_code == 404


def test_un_tipo_sin_vista_previa_es_404(client, implan, dependencia, recomendacion):
    docx = services.evidencia_subir(
        aspecto=recomendacion, archivo=ap.subido("manual.docx", ap.docx()), descripcion="Manual", usuario=dependencia
    )
    client.force_login(implan)
    assert client.get(reverse("seguimiento:evidencia_ver", args=[docx.pk])).status_code == 404


def test_la_pagina_con_errores_tambien_permite_la_vista_previa(client, implan, en_revision):
    client.force_login(implan)
    respuesta = client.post(reverse("seguimiento:aspecto_decidir", args=[en_revision.pk]), {"accion": "observar"})
    assert respuesta.status_code == 400
    assert "frame-src 'self'" in respuesta["Content-Security-Policy"]
