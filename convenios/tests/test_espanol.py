"""Spanish as the users read it: the admin's messages without a wrong article, lower-case months,
django-otp's names in Spanish, and "Evaluación de Diseño Programático"."""

from __future__ import annotations

import datetime
import io

from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse
from pypdf import PdfReader

from convenios.models import Evaluacion, ProgramaPresupuestario, TipoEvaluacion
from convenios.tests.formularios import datos_del_formulario


def test_el_admin_no_pone_el_articulo_equivocado(client, m, implan):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_add"),
        {"municipio": m.municipio.pk, "clave": "01030101", "nombre": "Conducción de las políticas generales"},
    )
    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors
    mensajes = [str(x) for x in get_messages(respuesta.wsgi_request)]
    programa = ProgramaPresupuestario.objects.get(clave="01030101")
    enlace = reverse("admin:convenios_programapresupuestario_change", args=[programa.pk])
    assert mensajes == [f'Se agregó correctamente: programa presupuestario «<a href="{enlace}">{programa}</a>».']


def test_los_meses_y_los_dias_van_en_minuscula():
    plantilla = Template('{{ d|date:"DATE_FORMAT" }} · {{ d|date:"l" }} · {{ d|date:"N" }}')
    assert plantilla.render(Context({"d": datetime.date(2022, 12, 15)})) == "15 de diciembre de 2022 · jueves · dic."


def test_el_segundo_factor_se_nombra_en_espanol_en_el_admin(admin_client):
    contenido = admin_client.get(reverse("admin:index")).content.decode()
    assert "Segundo factor (TOTP)" in contenido and "Dispositivos TOTP" in contenido
    assert "OTP_TOTP" not in contenido and "TOTP devices" not in contenido


def test_el_nombre_de_cada_tipo_de_evaluacion(convenio):
    evaluacion: Evaluacion = convenio.evaluacion
    evaluacion.tipo = TipoEvaluacion.DISENO
    assert evaluacion.nombre_tipo == "Evaluación de Diseño Programático"
    assert str(evaluacion).startswith("Evaluación de Diseño Programático ")
    evaluacion.tipo = TipoEvaluacion.DESEMPENO
    assert evaluacion.nombre_tipo == "Evaluación Específica del Desempeño"


# --- Each slip, on the page where a user read it -----------------------------------------------------------


def _pagina_tras(client, respuesta) -> str:
    """The page the admin sends the user to after saving, with its message."""
    assert respuesta.status_code == 302, (
        getattr(respuesta, "context", {}) and respuesta.context["adminform"].form.errors
    )
    return client.get(respuesta["Location"]).content.decode()


def test_agregar_una_dependencia_no_dice_el_dependencia(client, m, implan):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:convenios_dependencia_add"),
        {
            "municipio": m.municipio.pk,
            "nombre": "Dirección de Desarrollo Urbano Sustentable",
            "tipo": "dependencia",
            "titulares-TOTAL_FORMS": "0",
            "titulares-INITIAL_FORMS": "0",
        },
    )
    pagina = _pagina_tras(client, respuesta)
    assert "Se agregó correctamente: dependencia «" in pagina
    assert "El dependencia" not in pagina and "fue agregado" not in pagina


def test_cambiar_una_evaluacion_no_dice_el_evaluacion(client, convenio, implan):
    client.force_login(implan)
    url = reverse("admin:convenios_evaluacion_change", args=[convenio.evaluacion_id])
    datos = datos_del_formulario(client.get(url))
    datos["instancia_evaluadora"] = "Consultora Evaluadora, S.C."
    pagina = _pagina_tras(client, client.post(url, datos))
    assert "Se guardaron los cambios: evaluación «" in pagina
    assert "El evaluación" not in pagina and "se cambió correctamente" not in pagina


def test_los_botones_del_admin_no_ponen_otro_a_un_nombre_femenino(client, convenio, implan):
    client.force_login(implan)
    pagina = client.get(reverse("admin:convenios_convenio_change", args=[convenio.pk])).content.decode()
    assert "Agregar dependencia" in pagina  # the "+" next to a dependencia's list
    assert "otro dependencia" not in pagina.lower() and "otro/a" not in pagina and "Añadir otro" not in pagina
    lista = client.get(reverse("admin:convenios_convenio_changelist")).content.decode()
    assert "Seleccione un registro de convenio para modificarlo" in lista


def test_las_fechas_del_admin_llevan_el_mes_en_minuscula(admin_client, seed):
    # The seed's convenio was signed on 6 December 2022: the admin's list writes it with Django's DATE_FORMAT.
    pagina = admin_client.get(reverse("admin:convenios_convenio_changelist")).content.decode()
    assert "6 de diciembre de 2022" in pagina
    assert "de Diciembre" not in pagina


def test_el_tipo_de_evaluacion_se_nombra_completo_en_las_paginas(client, convenio, implan):
    Evaluacion.objects.filter(pk=convenio.evaluacion_id).update(tipo=TipoEvaluacion.DISENO)
    client.force_login(implan)
    pagina = client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()
    assert "Evaluación de Diseño Programático · PAE" in pagina
    assert "Evaluación Diseño" not in pagina


def test_el_anexo_1_en_pdf_nombra_completo_el_tipo_de_evaluacion(client, seed):
    Evaluacion.objects.filter(pk=seed.evaluacion_id).update(tipo=TipoEvaluacion.DISENO)
    respuesta = client.get(reverse("transparencia:anexo1_pdf", args=[seed.evaluacion_id]))
    lector = PdfReader(io.BytesIO(respuesta.content))
    texto = " ".join(" ".join(pagina.extract_text().split()) for pagina in lector.pages)
    assert "Programa Anual de Evaluación 2022 · Evaluación de Diseño Programático" in texto
    assert "Evaluación Diseño" not in texto
