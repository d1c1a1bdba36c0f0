"""Every URL of the documentos app as every role; issuing and downloading as a user would."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import URLPattern, reverse

from convenios.models import EstadoConvenio, hoy
from convenios.tests.matriz import recorrer_matriz
from documentos import urls
from documentos.models import Documento, TipoDocumento
from documentos.services import acta_sesion_emitir
from documentos.tests.ayudas import atender_todo, emitir_version_para_firma, en_borrador, paginas_pdf, texto_pdf
from seguimiento import services as seguimiento

ROLES = ["anonimo", "implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia", "implan_otro"]

# url name -> method -> expected status per role, in the order of ROLES.
#               anon implan contr tesor  dep  otra  otroMun
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "convenio_documentos": {"GET": (302, 200, 200, 200, 200, 404, 404), "POST": (405,) * 7},
    "convenio_borrador": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (405,) * 7},
    # IMPLAN first gets the confirmation page (200): a folio is never spent on one click.
    "convenio_emitir": {"GET": (405,) * 7, "POST": (302, 200, 403, 403, 403, 404, 404)},
    "prorroga_borrador": {"GET": (302, 200, 403, 403, 403, 404, 404)},
    "prorroga_emitir": {"GET": (405,) * 7, "POST": (302, 200, 403, 403, 403, 404, 404)},
    "sesion_borrador": {"GET": (302, 200, 403, 403, 403, 404, 404)},
    "sesion_emitir": {"GET": (405,) * 7, "POST": (302, 200, 403, 403, 403, 404, 404)},
    # e.firma: the form (GET) and a POST without files (the form again, with its errors).
    "convenio_firmar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 200, 403, 403, 403, 404, 404)},
    "prorroga_firmar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 200, 403, 403, 403, 404, 404)},
    "sesion_firmar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 200, 403, 403, 403, 404, 404)},
    # The issued convenio awaits its four e.firmas: every party that sees it may sign (with its own certificate).
    "documento_firmar": {"GET": (302, 200, 200, 200, 200, 404, 404), "POST": (302, 200, 200, 200, 200, 404, 404)},
    "descargar": {"GET": (302, 200, 200, 200, 200, 404, 404), "POST": (405,) * 7},
    "verificar_inicio": {"GET": (200,) * 7, "POST": (405,) * 7},
    "verificar": {"GET": (200,) * 7},
    # IMPLAN first gets the confirmation page (200).
    "convenio_incumplimiento": {"GET": (405,) * 7, "POST": (302, 200, 403, 403, 403, 404, 404)},
}


def test_la_matriz_cubre_todas_las_urls():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(MATRIZ)


@pytest.fixture
def escenario(m, convenio, implan, contraloria, tesoreria, dependencia, otra_dependencia, implan_otro_municipio):
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    prorroga = seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="x",
    )
    sesion = seguimiento.sesion_programar(usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10))
    documento = emitir_version_para_firma(convenio, implan)
    usuarios = {
        "anonimo": None,
        "implan": implan,
        "contraloria": contraloria,
        "tesoreria": tesoreria,
        "dependencia": dependencia,
        "otra_dependencia": otra_dependencia,
        "implan_otro": implan_otro_municipio,
    }
    argumentos = {
        "convenio_documentos": {"pk": convenio.pk},
        "convenio_borrador": {"pk": convenio.pk, "tipo": TipoDocumento.OFICIO_CUMPLIMIENTO},
        "convenio_emitir": {"pk": convenio.pk, "tipo": TipoDocumento.OFICIO_CUMPLIMIENTO},
        "convenio_incumplimiento": {"pk": convenio.pk},
        "prorroga_borrador": {"pk": prorroga.pk},
        "prorroga_emitir": {"pk": prorroga.pk},
        "sesion_borrador": {"pk": sesion.pk},
        "sesion_emitir": {"pk": sesion.pk},
        "convenio_firmar": {"pk": convenio.pk, "tipo": TipoDocumento.OFICIO_CUMPLIMIENTO},
        "prorroga_firmar": {"pk": prorroga.pk},
        "sesion_firmar": {"pk": sesion.pk},
        "documento_firmar": {"pk": documento.pk},
        "descargar": {"pk": documento.pk},
        "verificar_inicio": {},
        "verificar": {"codigo": documento.codigo_verificacion},
    }
    return usuarios, argumentos


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(escenario, rol):
    usuarios, argumentos = escenario
    obtenidos, esperados = recorrer_matriz(
        espacio="documentos", matriz=MATRIZ, argumentos=argumentos, roles=ROLES, rol=rol, usuario=usuarios[rol]
    )
    assert obtenidos == esperados
    # Nothing the other roles did issued a document: only IMPLAN's POSTs may.
    if rol != "implan":
        assert Documento.objects.count() == 1


def test_csrf_en_emitir(escenario):
    usuarios, argumentos = escenario
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuarios["implan"])
    url = reverse(
        "documentos:convenio_emitir", kwargs={"pk": argumentos["convenio_documentos"]["pk"], "tipo": "convenio"}
    )
    assert client.post(url, {}).status_code == 403


def test_un_tipo_desconocido_es_404(client, convenio, implan):
    client.force_login(implan)
    for nombre in ("convenio_borrador", "convenio_emitir"):
        url = reverse(f"documentos:{nombre}", kwargs={"pk": convenio.pk, "tipo": "acta_sesion"})
        respuesta = client.get(url) if nombre.endswith("borrador") else client.post(url)
        assert respuesta.status_code == 404


def test_el_implan_emite_el_oficio_al_confirmar_y_lo_descarga(client, convenio_atendido, implan):
    client.force_login(implan)
    pagina = reverse("seguimiento:convenio", args=[convenio_atendido.pk])

    respuesta = client.post(
        reverse("documentos:convenio_emitir", args=[convenio_atendido.pk, TipoDocumento.OFICIO_CUMPLIMIENTO]),
        {"siguiente": pagina, "confirmar": "si"},
    )

    assert respuesta.status_code == 302 and respuesta["Location"] == pagina
    documento = Documento.objects.get()
    folio = f"IMPLAN/OC/{hoy().year}/001"
    assert documento.folio == folio
    assert [str(m) for m in get_messages(respuesta.wsgi_request)] == [
        f"Se emitió el documento «Oficio de cumplimiento» con el folio {folio}."
    ]
    convenio_atendido.refresh_from_db()
    assert convenio_atendido.estado == EstadoConvenio.CUMPLIDO

    descarga = client.get(reverse("documentos:descargar", args=[documento.pk]))
    assert descarga.status_code == 200
    assert descarga["Content-Type"] == "application/pdf"
    assert descarga["Content-Disposition"] == f'attachment; filename="IMPLAN-OC-{hoy().year}-001.pdf"'
    contenido = b"".join(descarga.streaming_content)
    with documento.archivo.open("rb") as archivo:
        assert contenido == archivo.read()
    assert folio in texto_pdf(contenido)


def test_emitir_sin_todo_atendido_explica_que_falta_y_no_emite(client, convenio, implan):
    client.force_login(implan)

    respuesta = client.post(
        reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.OFICIO_CUMPLIMIENTO]),
        {"confirmar": "si"},
        follow=True,
    )

    assert respuesta.status_code == 200
    mensajes = [str(m) for m in respuesta.context["messages"]]
    assert len(mensajes) == 1
    assert "(cláusula QUINTA); falta: Hallazgo 1 (pendiente); Hallazgo 2 (pendiente)" in mensajes[0]
    assert not Documento.objects.exists()


def test_siguiente_externo_se_ignora(client, convenio, implan):
    en_borrador(convenio)
    client.force_login(implan)
    respuesta = client.post(
        reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO]),
        {"siguiente": "https://sitio-ajeno.example/robar", "confirmar": "si"},
    )
    assert respuesta["Location"] == reverse("documentos:convenio_documentos", args=[convenio.pk])


def test_doble_envio_da_un_solo_documento(client, convenio, implan):
    en_borrador(convenio)
    client.force_login(implan)
    url = reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO])

    client.post(url, {"confirmar": "si"})
    segunda = client.post(url, {"confirmar": "si"}, follow=True)

    assert Documento.objects.count() == 1
    assert "ya fue emitido con el folio" in [str(m) for m in segunda.context["messages"]][-1]


def test_la_vista_previa_es_un_borrador_en_linea(client, convenio, implan):
    client.force_login(implan)

    respuesta = client.get(reverse("documentos:convenio_borrador", args=[convenio.pk, TipoDocumento.CONVENIO]))

    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].startswith("inline;")
    assert respuesta["Cache-Control"] == "no-store"
    assert all("BORRADOR" in pagina for pagina in paginas_pdf(respuesta.content))
    assert not Documento.objects.exists()


def test_la_dependencia_descarga_solo_lo_suyo_incluida_el_acta_de_su_sesion(
    client, m, convenio, implan, dependencia, otra_dependencia
):
    from convenios.tests.fabricas import crear_convenio

    ajeno = crear_convenio(m, dependencia=m.otra_dependencia)
    propio = emitir_version_para_firma(convenio, implan)
    del_otro = emitir_version_para_firma(ajeno, implan)
    sesion = seguimiento.sesion_programar(usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10))
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[{"dependencia": m.dependencia, "nombre": "Enlace", "cargo": ""}],
        aspectos_revisados=[],
        acuerdos="",
    )
    acta = acta_sesion_emitir(sesion=sesion, usuario=implan)

    client.force_login(dependencia)
    assert client.get(reverse("documentos:descargar", args=[propio.pk])).status_code == 200
    assert client.get(reverse("documentos:descargar", args=[acta.pk])).status_code == 200
    assert client.get(reverse("documentos:descargar", args=[del_otro.pk])).status_code == 404

    client.force_login(otra_dependencia)
    assert client.get(reverse("documentos:descargar", args=[del_otro.pk])).status_code == 200
    assert client.get(reverse("documentos:descargar", args=[propio.pk])).status_code == 404
    assert client.get(reverse("documentos:descargar", args=[acta.pk])).status_code == 404


def test_la_lista_de_documentos_no_crece_en_consultas(
    client, m, convenio, implan, dependencia, django_assert_max_num_queries
):
    emitir_version_para_firma(convenio, implan)
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    from documentos.services import oficio_cumplimiento_emitir

    oficio_cumplimiento_emitir(convenio=convenio, usuario=implan)
    client.force_login(implan)
    url = reverse("documentos:convenio_documentos", args=[convenio.pk])

    # One more than the documents' own: whether the evaluation's Anexo 1 is captured (it may be issued now).
    with django_assert_max_num_queries(9):
        respuesta = client.get(url)

    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert f"IMPLAN/OC/{hoy().year}/001" in contenido and "IMPLAN/CV/2022/001" in contenido
    assert "Emitido · IMPLAN/OC/" in contenido
    assert 'value="' + url + '"' in contenido  # the issue forms come back here


def test_la_dependencia_ve_la_lista_pero_no_los_botones(client, convenio, implan, dependencia):
    emitir_version_para_firma(convenio, implan)
    client.force_login(dependencia)

    contenido = client.get(reverse("documentos:convenio_documentos", args=[convenio.pk])).content.decode()

    assert "Descargar PDF" in contenido
    assert "Emitir con folio" not in contenido
    assert "Vista previa" not in contenido


def test_la_etiqueta_documentos_oficiales_sirve_en_cualquier_pagina(rf, convenio, implan):
    en_borrador(convenio)
    from django.template import Context, Template

    solicitud = rf.get("/")
    solicitud.user = implan
    html = Template("{% load documentos %}{% documentos_oficiales convenio %}").render(
        Context({"convenio": convenio, "request": solicitud})
    )
    assert "Emitir con folio" in html
    assert reverse("documentos:convenio_borrador", args=[convenio.pk, "convenio"]) in html
