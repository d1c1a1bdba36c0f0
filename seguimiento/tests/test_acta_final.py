"""An issued acta is final: its sesión becomes read-only and a correction is a new acta that supersedes it,
both kept. Only IMPLAN of the session's municipio writes it; in a joint session each dependencia sees its own."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from convenios.models import TipoAspecto, hoy
from convenios.tests.fabricas import crear_convenio
from documentos.models import Documento, TipoDocumento
from documentos.services import acta_sesion_emitir
from documentos.tests.ayudas import texto_pdf
from seguimiento import services
from seguimiento.models import Sesion


def _registrar(sesion, usuario, m, acuerdos="1. Entregar el formato 02a.", aspectos=()):
    return services.sesion_registrar(
        sesion=sesion,
        usuario=usuario,
        asistencias=[{"dependencia": m.implan, "nombre": "Ana Pérez Ruiz", "cargo": "Jefa de Evaluación"}],
        aspectos_revisados=list(aspectos),
        acuerdos=acuerdos,
    )


@pytest.fixture
def sesion(convenio, implan):
    return services.sesion_programar(usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10))


@pytest.fixture
def con_acta(sesion, implan, m):
    _registrar(sesion, implan, m)
    acta_sesion_emitir(sesion=sesion, usuario=implan)
    return sesion


def test_con_el_acta_emitida_la_sesion_es_de_solo_lectura(client, con_acta, implan, m):
    with pytest.raises(ValidationError) as error:
        _registrar(con_acta, implan, m, acuerdos="Otro acuerdo")
    assert error.value.code == "acta_emitida"
    con_acta.refresh_from_db()
    assert con_acta.acuerdos == "1. Entregar el formato 02a."

    client.force_login(implan)
    respuesta = client.get(reverse("seguimiento:sesion_registrar", args=[con_acta.pk]), follow=True)
    pagina = respuesta.content.decode()
    assert "El acta de esta sesión ya se emitió: la sesión es de solo lectura." in pagina
    assert "Corregir el acta" in pagina


def test_la_correccion_es_una_nueva_acta_que_sustituye_y_ambas_se_conservan(client, con_acta, implan, m):
    original = con_acta.documentos.get(tipo=TipoDocumento.ACTA_SESION)
    client.force_login(implan)
    respuesta = client.post(reverse("seguimiento:sesion_corregir", args=[con_acta.pk]))
    correccion = Sesion.objects.get(corrige=con_acta)
    assert respuesta.url == reverse("seguimiento:sesion_registrar", args=[correccion.pk])
    assert correccion.acuerdos == "1. Entregar el formato 02a." and correccion.asistencias.count() == 1

    _registrar(correccion, implan, m, acuerdos="1. Entregar el formato 02a y el 01a.")
    nueva = acta_sesion_emitir(sesion=correccion, usuario=implan)
    with nueva.archivo.open("rb") as archivo:
        texto = texto_pdf(archivo.read())
    assert f"Esta acta corrige y sustituye al acta con folio {original.folio}" in texto
    assert Documento.objects.filter(tipo=TipoDocumento.ACTA_SESION).count() == 2
    pagina = client.get(reverse("seguimiento:sesion", args=[con_acta.pk])).content.decode()
    assert "El acta de esta sesión fue corregida" in pagina
    # The same acta is corrected once; a further correction corrects the correction.
    with pytest.raises(ValidationError):
        services.sesion_corregir(sesion=con_acta, usuario=implan)


def test_sin_acta_no_hay_correccion(sesion, implan):
    with pytest.raises(ValidationError) as error:
        services.sesion_corregir(sesion=sesion, usuario=implan)
    assert error.value.code == "sin_acta_o_ya_corregida"


def test_el_implan_de_otro_municipio_no_escribe_la_sesion(sesion, implan_otro_municipio, otro_municipio):
    with pytest.raises(PermissionDenied):
        _registrar(sesion, implan_otro_municipio, otro_municipio)
    sesion.refresh_from_db()
    assert sesion.acuerdos == ""


def test_en_una_sesion_conjunta_cada_dependencia_ve_lo_suyo(client, m, convenio, implan, dependencia):
    ajeno = crear_convenio(m, dependencia=m.otra_dependencia)
    sesion = services.sesion_programar(usuario=implan, convenios=[convenio, ajeno], fecha=hoy(), hora=datetime.time(10))
    propio = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    del_otro = ajeno.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    _registrar(sesion, implan, m, aspectos=[propio, del_otro])
    client.force_login(dependencia)
    respuesta = client.get(reverse("seguimiento:sesion", args=[sesion.pk]))
    assert list(respuesta.context["revisados"]) == [propio]
    assert [c.pk for c in respuesta.context["convenios"]] == [convenio.pk]
    assert reverse("seguimiento:aspecto", args=[del_otro.pk]) not in respuesta.content.decode()
    assert "Sesión conjunta con otras dependencias" in respuesta.content.decode()
