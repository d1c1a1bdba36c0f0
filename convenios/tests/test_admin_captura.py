"""Capturing a convenio in the admin as a new IMPLAN officer would (issue: capture that fits real agreements).

Each rule's violation is submitted through the admin form, not only the model: the page
answers 200 with the Spanish message and everything typed still on it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from convenios.models import (
    Accion,
    Aspecto,
    Convenio,
    Evaluacion,
    NivelPrograma,
    ProgramaPresupuestario,
    TipoAspecto,
    TipoEvaluacion,
)
from convenios.tests import fabricas
from seguridad.tests.hostiles import datos_de_pagina_admin

URL_ALTA = reverse("admin:convenios_convenio_add")


@pytest.fixture
def evaluacion_subprograma(m) -> Evaluacion:
    programa = ProgramaPresupuestario.objects.create(
        municipio=m.municipio, clave="0201030101", nombre="Prevención médica para la comunidad"
    )
    return Evaluacion.objects.create(
        municipio=m.municipio,
        anio_pae=2022,
        tipo=TipoEvaluacion.DISENO,
        programa=programa,
        dependencia_evaluada=m.dependencia,
        ejercicio_evaluado=2021,
        presupuesto_programa=Decimal("1250000.00"),
    )


def _inline(datos: dict, tipo: str) -> str:
    """The prefix of the hallazgos or recomendaciones inline (both relate through ``aspectos``)."""
    prefijos = sorted({k.split("-TOTAL_FORMS")[0] for k in datos if k.endswith("-TOTAL_FORMS")})
    return prefijos[0] if tipo == TipoAspecto.HALLAZGO else prefijos[1]


def _convenio_nuevo(client, m, evaluacion, *, fecha_accion: str) -> dict:
    pagina = client.get(URL_ALTA)
    assert pagina.status_code == 200
    datos = datos_de_pagina_admin(pagina)
    datos.update(
        {
            "evaluacion": evaluacion.pk,
            "fecha_firma": "2022-12-10",
            "fecha_limite": "2023-06-30",
            "dias_prorroga_max": "15",
            "implan": m.implan.pk,
            "tesoreria": m.tesoreria.pk,
            "contraloria": m.contraloria.pk,
            "dependencia_evaluada": m.dependencia.pk,
            "firmante_implan": m.titular(m.implan).pk,
            "firmante_tesoreria": m.titular(m.tesoreria).pk,
            "firmante_contraloria": m.titular(m.contraloria).pk,
            "firmante_dependencia_evaluada": m.titular(m.dependencia).pk,
        }
    )
    hallazgos = _inline(datos, TipoAspecto.HALLAZGO)
    recomendaciones = _inline(datos, TipoAspecto.RECOMENDACION)
    datos.update(
        {
            f"{hallazgos}-TOTAL_FORMS": "1",
            f"{hallazgos}-0-numero": "1",
            f"{hallazgos}-0-texto": "Falta el diagnóstico de la población objetivo.",
            f"{hallazgos}-0-fecha_compromiso": "2023-03-31",
            f"{recomendaciones}-TOTAL_FORMS": "1",
            f"{recomendaciones}-0-numero": "1",
            f"{recomendaciones}-0-prioridad": "alta",
            f"{recomendaciones}-0-clasificacion": "institucional",
            f"{recomendaciones}-0-texto": "Elaborar el diagnóstico de la población potencial y objetivo.",
            f"{recomendaciones}-0-accion_texto": "Integrar el diagnóstico en el formato PbRM-01a.",
            f"{recomendaciones}-0-accion_fecha": fecha_accion,
            f"{recomendaciones}-0-accion_area_texto": "Coordinación de Planeación",
            f"{recomendaciones}-0-accion_producto": "Formato PbRM-01a con el diagnóstico",
        }
    )
    return datos


def test_un_subprograma_de_10_digitos_con_plazo_al_siguiente_anio_y_una_accion_fuera_de_plazo(
    client, implan, m, evaluacion_subprograma
):
    client.force_login(implan)
    datos = _convenio_nuevo(client, m, evaluacion_subprograma, fecha_accion="2023-07-15")

    respuesta = client.post(URL_ALTA, datos)

    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "no puede exceder el 30 de junio de 2023, fecha límite del convenio (cláusula QUINTA)" in html
    for escrito in ("Integrar el diagnóstico en el formato PbRM-01a.", "Coordinación de Planeación", "2023-07-15"):
        assert escrito in html
    recomendaciones = respuesta.context["inline_admin_formsets"][1].formset
    assert "accion_fecha" in recomendaciones.forms[0].errors
    assert not Convenio.objects.exists()

    datos[f"{_inline(datos, TipoAspecto.RECOMENDACION)}-0-accion_fecha"] = "2023-06-15"
    respuesta = client.post(URL_ALTA, datos)

    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    convenio = Convenio.objects.get()
    assert convenio.municipio == m.municipio
    assert convenio.fecha_limite == datetime.date(2023, 6, 30)
    recomendacion = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION)
    accion = recomendacion.acciones.get()
    assert (accion.texto, accion.area, accion.fecha_termino) == (
        "Integrar el diagnóstico en el formato PbRM-01a.",
        "Coordinación de Planeación",
        datetime.date(2023, 6, 15),
    )
    assert recomendacion.fecha_compromiso == recomendacion.fecha_vigente == datetime.date(2023, 6, 15)
    assert recomendacion.clasificacion == "institucional"
    assert evaluacion_subprograma.programa.nivel == NivelPrograma.SUBPROGRAMA


@pytest.mark.parametrize(
    ("clave", "nivel"),
    [("01020401", NivelPrograma.PROGRAMA), ("0201030101", NivelPrograma.SUBPROGRAMA), ("020103010101", "proyecto")],
)
def test_claves_de_la_estructura_programatica_del_estado_de_mexico(client, implan, m, clave, nivel):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_add"), {"clave": clave, "nombre": "Programa"}
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    programa = ProgramaPresupuestario.objects.get(clave=clave)
    assert (programa.municipio, programa.nivel) == (m.municipio, nivel)


@pytest.mark.parametrize("clave", ["1020401", "010204011", "E001", "0102040A"])
def test_una_clave_de_7_o_9_digitos_se_rechaza_diciendo_que_largos_valen(client, implan, m, clave):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_add"), {"clave": clave, "nombre": "Programa tecleado"}
    )
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "tiene 8 dígitos (programa, p. ej. 01020401), 10 (subprograma) o 12 (proyecto)" in html
    assert clave in html and "Programa tecleado" in html
    assert not ProgramaPresupuestario.objects.exists()


def test_un_municipio_con_claves_conac(client, implan, m):
    m.municipio.estructura_programatica = "conac"
    m.municipio.save()
    client.force_login(implan)
    url = reverse("admin:convenios_programapresupuestario_add")
    assert client.post(url, {"clave": "E001", "nombre": "Prestación de servicios"}).status_code == 302
    respuesta = client.post(url, {"clave": "01020401", "nombre": "Otro"})
    assert respuesta.status_code == 200
    assert "La clave CONAC es una letra mayúscula y tres dígitos" in respuesta.content.decode()


def test_dos_filas_con_el_mismo_numero_se_senalan_sin_error_del_servidor(client, implan, m, evaluacion_subprograma):
    """A rule the database enforces on save (UNIQUE) comes back beside the form, nothing saved."""
    client.force_login(implan)
    datos = _convenio_nuevo(client, m, evaluacion_subprograma, fecha_accion="2023-06-15")
    hallazgos = _inline(datos, TipoAspecto.HALLAZGO)
    datos.update(
        {
            f"{hallazgos}-TOTAL_FORMS": "2",
            f"{hallazgos}-1-numero": "1",
            f"{hallazgos}-1-texto": "Un segundo hallazgo con el mismo número.",
            f"{hallazgos}-1-fecha_compromiso": "2023-03-31",
        }
    )
    respuesta = client.post(URL_ALTA, datos)
    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "Ya existe un hallazgo o recomendación con ese número en el convenio." in html
    assert "Un segundo hallazgo con el mismo número." in html
    assert not Convenio.objects.exists() and not Aspecto.objects.exists()


def test_un_firmante_que_no_es_titular_de_la_parte(client, implan, m, evaluacion_subprograma):
    client.force_login(implan)
    datos = _convenio_nuevo(client, m, evaluacion_subprograma, fecha_accion="2023-06-15")
    datos["firmante_tesoreria"] = m.titular(m.contraloria).pk
    respuesta = client.post(URL_ALTA, datos)
    assert respuesta.status_code == 200
    assert not Convenio.objects.exists()


def test_las_listas_ofrecen_solo_lo_que_cabe(client, implan, m, otro_municipio):
    client.force_login(implan)
    formulario = client.get(URL_ALTA).context["adminform"].form
    assert "municipio" not in formulario.fields
    assert list(formulario.fields["implan"].queryset) == [m.implan]
    assert list(formulario.fields["tesoreria"].queryset) == [m.tesoreria]
    assert set(formulario.fields["dependencia_evaluada"].queryset) == {m.dependencia, m.otra_dependencia}
    assert list(formulario.fields["firmante_contraloria"].queryset) == [m.titular(m.contraloria)]
    etiqueta = formulario.fields["firmante_contraloria"].label_from_instance(m.titular(m.contraloria))
    assert "Contraloría Municipal" in etiqueta


def test_los_firmantes_son_los_titulares_en_funciones_el_dia_de_la_firma(client, implan, m):
    convenio = fabricas.crear_convenio(m, estado="borrador")
    anterior = m.titular(m.tesoreria)
    anterior.hasta = datetime.date(2022, 9, 30)
    anterior.save()
    nuevo = anterior.dependencia.titulares.create(
        nombre="Nueva Tesorera", cargo="Tesorera Municipal", desde=datetime.date(2022, 10, 1)
    )
    client.force_login(implan)
    formulario = client.get(reverse("admin:convenios_convenio_change", args=[convenio.pk])).context["adminform"].form
    assert list(formulario.fields["firmante_tesoreria"].queryset) == [nuevo]


def test_mas_acciones_en_la_pagina_del_aspecto_y_la_fecha_del_aspecto_es_la_mas_tardia(client, implan, m):
    convenio = fabricas.crear_convenio(m, estado="borrador", fecha_compromiso=datetime.date(2022, 11, 30))
    recomendacion = convenio.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).first()
    client.force_login(implan)
    url = reverse("admin:convenios_aspecto_change", args=[recomendacion.pk])
    datos = datos_de_pagina_admin(client.get(url))
    prefijo = next(k for k in datos if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    datos.update(
        {
            f"{prefijo}-TOTAL_FORMS": "2",
            f"{prefijo}-1-numero": "2",
            f"{prefijo}-1-texto": "Publicar el diagnóstico",
            f"{prefijo}-1-area_responsable": m.otra_dependencia.pk,
            f"{prefijo}-1-fecha_termino": "2022-12-20",
        }
    )
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    recomendacion.refresh_from_db()
    assert recomendacion.acciones.count() == 2
    assert recomendacion.fecha_compromiso == datetime.date(2022, 12, 20)

    datos[f"{prefijo}-1-fecha_termino"] = "2023-01-20"
    datos[f"{prefijo}-1-id"] = str(Accion.objects.get(aspecto=recomendacion, numero=2).pk)
    datos[f"{prefijo}-INITIAL_FORMS"] = "2"
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 200
    assert "no puede exceder el 31 de diciembre de 2022" in respuesta.content.decode()
    assert "2023-01-20" in respuesta.content.decode()
