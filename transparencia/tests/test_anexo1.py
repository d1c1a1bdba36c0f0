"""CONAC Anexo 1: the page and the PDF from the evaluation's data, and IMPLAN's 30-day countdown."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from convenios.models import Evaluacion, hoy
from convenios.tests.fabricas import crear_usuario
from transparencia.models import Anexo1, plazo_publicacion

pytestmark = pytest.mark.django_db


def test_anexo1_del_convenio_semilla_muestra_programa_tipo_anio_y_recomendaciones(client, seed):
    evaluacion = seed.evaluacion
    respuesta = client.get(reverse("transparencia:anexo1", args=[evaluacion.pk]))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "01020401.- Derechos Humanos" in contenido
    assert "Evaluación Específica del Desempeño del programa presupuestario 01020401.- Derechos Humanos" in contenido
    assert "Programa Anual de Evaluación 2022" in contenido
    recomendaciones = list(seed.aspectos.filter(tipo="recomendacion"))
    assert len(recomendaciones) == 6
    for recomendacion in recomendaciones:
        assert recomendacion.texto[:80] in contenido
    assert "3.2 Recomendaciones de acuerdo a su relevancia" in contenido
    # 1.4 defaults to IMPLAN's titular; 5.6.2 to the evaluated dependencia's.
    assert "Alfredo Oropeza Méndez" in contenido
    assert "Gonzalo Levi Obregón Salinas" in contenido
    # What IMPLAN has not captured is named once, by item number, and each such row shows a dash.
    assert contenido.count("Pendiente de captura por el IMPLAN") == 1
    assert "Pendiente de captura por el IMPLAN: los apartados 1.2, 1.3, 1.5, 1.6, 1.7, 2.2.1," in contenido
    assert "1.4," not in contenido.split("Pendiente de captura por el IMPLAN")[1].split("</p>")[0]


def test_anexo1_pdf_del_convenio_semilla(client, seed):
    respuesta = client.get(reverse("transparencia:anexo1_pdf", args=[seed.evaluacion_id]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"] == 'inline; filename="anexo1-01020401-pae2022.pdf"'
    lector = PdfReader(io.BytesIO(respuesta.content))
    texto = " ".join(" ".join(pagina.extract_text().split()) for pagina in lector.pages)
    assert "Formato para la difusión de los resultados de las evaluaciones" in texto
    assert "01020401.- Derechos Humanos" in texto
    assert "Programa Anual de Evaluación 2022" in texto
    assert "Específica del Desempeño" in texto
    assert "3.2 Recomendaciones de acuerdo a su relevancia" in texto
    assert "Elaborar material de propaganda" in texto
    assert f"de {len(lector.pages)}" in texto  # "Página n de N" in the footer


def test_campos_capturados_por_implan_aparecen(client, m, convenio):
    Anexo1.objects.create(
        evaluacion=convenio.evaluacion,
        objetivo_general="Valorar el desempeño del programa en 2021.",
        instrumento_entrevistas=True,
        metodologia="Análisis de gabinete.",
        conclusiones="El programa cumple parcialmente.",
        tipo_contratacion="adjudicacion_directa",
        fuente_financiamiento="Recursos fiscales municipales",
        url_formato="https://municipio.gob.mx/anexo1.pdf",
    )
    contenido = client.get(reverse("transparencia:anexo1", args=[convenio.evaluacion_id])).content.decode()
    for texto in (
        "Valorar el desempeño del programa en 2021.",
        "Entrevistas: sí",
        "Cuestionarios: no",
        "Análisis de gabinete.",
        "El programa cumple parcialmente.",
        "Adjudicación directa",
        "Recursos fiscales municipales",
        "https://municipio.gob.mx/anexo1.pdf",
        "$150,000.00",
    ):
        assert texto in contenido


def test_anexo1_sin_convenio_firmado_no_publica_recomendaciones(client, datos):
    contenido = client.get(reverse("transparencia:anexo1", args=[datos.borrador.evaluacion_id])).content.decode()
    assert "Sin recomendaciones publicadas" in contenido
    assert "SECRETO" not in contenido


def test_anexo1_inexistente_es_404(client, db):
    assert client.get(reverse("transparencia:anexo1", args=[424242])).status_code == 404
    assert client.get(reverse("transparencia:anexo1_pdf", args=[424242])).status_code == 404


@pytest.mark.parametrize(
    ("dias_desde_termino", "clave", "texto"),
    [
        (0, "en_plazo", "Quedan 30 días"),
        (25, "por_vencer", "Quedan 5 días"),
        (29, "por_vencer", "Queda 1 día"),
        (30, "por_vencer", "Vence hoy"),
        (31, "vencido", "Plazo vencido hace 1 día"),
        (45, "vencido", "Plazo vencido hace 15 días"),
    ],
)
def test_cuenta_regresiva_de_30_dias(convenio, dias_desde_termino, clave, texto):
    evaluacion = convenio.evaluacion
    fecha = evaluacion.fecha_termino + datetime.timedelta(days=dias_desde_termino)
    plazo = plazo_publicacion(evaluacion, None, fecha)
    assert plazo.clave == clave
    assert plazo.texto.startswith(texto)
    assert plazo.limite == datetime.date(2022, 9, 30)  # 31 de agosto + 30 días naturales


def test_publicado_o_sin_fecha_de_termino(convenio):
    evaluacion = convenio.evaluacion
    anexo = Anexo1(evaluacion=evaluacion, fecha_publicacion=datetime.date(2022, 9, 15))
    assert plazo_publicacion(evaluacion, anexo).clave == "publicado"
    evaluacion.fecha_termino = None
    assert plazo_publicacion(evaluacion, None).clave == "sin_fecha"


def test_pagina_de_plazos_solo_para_implan(
    client, m, implan, contraloria, dependencia, implan_otro_municipio, convenio
):
    url = reverse("transparencia:plazos")
    assert client.get(url).status_code == 302
    for usuario in (contraloria, dependencia):
        client.force_login(usuario)
        assert client.get(url).status_code == 404
    client.force_login(implan_otro_municipio)
    assert "Programa de prueba" not in client.get(url).content.decode()
    client.force_login(implan)
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    # The seed-like evaluation ended on 31 August 2022: long past its limit.
    assert "⚠ Plazo vencido hace" in contenido
    assert reverse("admin:transparencia_anexo1_add") + f"?evaluacion={convenio.evaluacion_id}" in contenido


def test_plazos_ordena_vencidos_primero(client, m, implan, convenio):
    reciente = Evaluacion.objects.create(
        municipio=m.municipio,
        anio_pae=hoy().year,
        tipo="procesos",
        programa=convenio.evaluacion.programa,
        dependencia_evaluada=m.dependencia,
        ejercicio_evaluado=hoy().year - 1,
        presupuesto_programa=1,
        fecha_termino=hoy(),
    )
    client.force_login(implan)
    filas = client.get(reverse("transparencia:plazos")).context["filas"]
    assert [f[0].pk for f in filas] == [convenio.evaluacion_id, reciente.pk]
    assert filas[1][2].texto.startswith("Quedan 30 días")


def test_admin_del_anexo1_muestra_la_cuenta_y_avisa_si_vencio(client, m, implan, convenio):
    anexo = Anexo1.objects.create(evaluacion=convenio.evaluacion)
    client.force_login(implan)
    lista = client.get(reverse("admin:transparencia_anexo1_changelist"))
    assert lista.status_code == 200
    assert "plazo plazo-vencido" in lista.content.decode()
    cambio = client.get(reverse("admin:transparencia_anexo1_change", args=[anexo.pk]))
    assert cambio.status_code == 200
    contenido = cambio.content.decode()
    assert "Aviso: Plazo vencido hace" in contenido
    assert "1.5 objetivo general de la evaluación" in contenido.lower()


def test_admin_captura_el_anexo1_y_se_publica(client, m, implan, convenio):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:transparencia_anexo1_add"),
        {
            "evaluacion": convenio.evaluacion_id,
            "objetivo_general": "Objetivo capturado en el admin",
            "poder_publico": "ejecutivo",
            "ambito": "local",
            "fecha_publicacion": "2022-09-20",
        },
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    anexo = Anexo1.objects.get(evaluacion=convenio.evaluacion)
    assert anexo.history.first().history_user == implan
    contenido = client.get(reverse("transparencia:anexo1", args=[convenio.evaluacion_id])).content.decode()
    assert "Objetivo capturado en el admin" in contenido


def test_admin_no_ofrece_evaluaciones_de_otro_municipio(client, m, implan, convenio, otro_municipio):
    from convenios.tests.fabricas import crear_convenio

    ajeno = crear_convenio(otro_municipio)
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:transparencia_anexo1_add"),
        {"evaluacion": ajeno.evaluacion_id, "poder_publico": "ejecutivo", "ambito": "local"},
    )
    assert respuesta.status_code == 200
    assert "Seleccione una opción válida" in respuesta.content.decode()
    assert not Anexo1.objects.exists()


def test_otros_roles_no_entran_al_admin_del_anexo1(client, m, contraloria):
    client.force_login(contraloria)
    assert client.get(reverse("admin:transparencia_anexo1_changelist")).status_code == 302


def test_evidencia_que_implan_marca_publicable_en_el_admin_aparece_en_el_portal(client, m, datos):
    """The flag is edited in the follow-up admin (seguimiento.admin); the portal follows it."""
    implan = crear_usuario("implan_evidencias", m.implan)
    client.force_login(implan)
    evidencia = datos.evidencia_privada
    url = reverse("admin:seguimiento_evidencia_changelist") + f"?q={evidencia.sha256}"
    assert client.get(url).context["cl"].result_count == 1
    respuesta = client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(evidencia.pk),
            "form-0-publicable": "on",
            "_save": "Guardar",
        },
    )
    assert respuesta.status_code == 302
    evidencia.refresh_from_db()
    assert evidencia.publicable
    client.logout()
    portal = client.get(reverse("transparencia:convenio", args=[datos.vigente.pk])).content.decode()
    assert reverse("transparencia:evidencia", args=[evidencia.pk]) in portal
    assert client.get(reverse("transparencia:evidencia", args=[evidencia.pk])).status_code == 200


def test_enlace_a_plazos_solo_en_la_barra_del_implan(client, implan, dependencia):
    client.force_login(implan)
    assert reverse("transparencia:plazos") in client.get(reverse("seguimiento:inicio")).content.decode()
    client.force_login(dependencia)
    assert reverse("transparencia:plazos") not in client.get(reverse("seguimiento:inicio")).content.decode()
