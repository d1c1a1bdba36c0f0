"""Spanish as the users read it: the admin's messages without a wrong article, lower-case months,
django-otp's names in Spanish, and "Evaluación de Diseño Programático"."""

from __future__ import annotations

import datetime

from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse

from convenios.models import Evaluacion, ProgramaPresupuestario, TipoEvaluacion


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
