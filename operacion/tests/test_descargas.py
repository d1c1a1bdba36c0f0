"""Downloads of issued letters and evidence through the views, on the filesystem and on the local S3 server.

On S3 the view checks permission and redirects to a presigned URL valid 60 seconds; the bytes come from
the bucket. On the disk the view streams them. Either way a user who may not see the file gets a 404.
"""

from __future__ import annotations

import hashlib
import urllib.parse

import pytest
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from documentos import tasks as tareas_de_documentos
from documentos.models import Documento, TipoDocumento
from documentos.tests.ayudas import atender_todo, texto_pdf
from operacion.tests.almacenamientos import bajar

pytestmark = pytest.mark.django_db


def firma(respuesta) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(respuesta["Location"]).query)


@pytest.fixture
def oficio(almacenamiento, convenio, implan, dependencia) -> Documento:
    """An oficio de cumplimiento issued by IMPLAN through the task (inline here: no broker)."""
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    pk = tareas_de_documentos.emitir_documento.delay(
        tipo=TipoDocumento.OFICIO_CUMPLIMIENTO, objeto_id=convenio.pk, usuario_id=implan.pk
    ).get()
    return Documento.objects.get(pk=pk)


def test_el_oficio_emitido_queda_archivado_en_el_almacenamiento_configurado(almacenamiento, oficio):
    guardado = almacenamiento.leer(oficio.archivo.name)  # from the bucket with our own boto3 client, or the disk

    assert hashlib.sha256(guardado).hexdigest() == oficio.sha256
    assert len(guardado) == oficio.tamano
    assert oficio.folio in texto_pdf(guardado)


def test_el_oficio_se_descarga_con_permiso_y_en_s3_por_url_firmada(
    client, almacenamiento, oficio, implan, dependencia, implan_otro_municipio
):
    url = reverse("documentos:descargar", args=[oficio.pk])
    for usuario in (implan, dependencia):
        client.force_login(usuario)
        respuesta = client.get(url)

        if almacenamiento.tipo == "s3":
            assert respuesta.status_code == 302
            assert respuesta["Location"].startswith(almacenamiento.servidor.url + "/")
            assert firma(respuesta)["X-Amz-Expires"] == ["60"]
            assert "no-store" in respuesta["Cache-Control"]
        else:
            assert respuesta.status_code == 200
        estado, cabeceras, contenido = bajar(respuesta)
        assert estado == 200
        assert hashlib.sha256(contenido).hexdigest() == oficio.sha256
        assert cabeceras["Content-Type"] == "application/pdf"
        assert cabeceras["Content-Disposition"] == f'attachment; filename="{oficio.nombre_descarga}"'

    client.force_login(implan_otro_municipio)
    ajeno = client.get(url)
    assert ajeno.status_code == 404
    assert "Location" not in ajeno  # no presigned URL for whom may not see it
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_la_evidencia_se_descarga_por_url_firmada_y_queda_en_la_bitacora(
    client, almacenamiento, oficio, dependencia, otra_dependencia
):
    evidencia = oficio.convenio.aspectos.first().evidencias.first()
    url = reverse("seguimiento:evidencia_descargar", args=[evidencia.pk])
    client.force_login(dependencia)

    respuesta = client.get(url)

    assert respuesta.status_code == (302 if almacenamiento.tipo == "s3" else 200)
    _, _, contenido = bajar(respuesta)
    assert hashlib.sha256(contenido).hexdigest() == evidencia.sha256
    assert (
        RegistroAuditoria.objects.filter(
            tipo=TipoEvento.DESCARGA_EVIDENCIA, usuario=dependencia, objeto_id=str(evidencia.pk)
        ).count()
        == 1
    )

    client.force_login(otra_dependencia)
    assert client.get(url).status_code == 404
    assert not RegistroAuditoria.objects.filter(tipo=TipoEvento.DESCARGA_EVIDENCIA, usuario=otra_dependencia).exists()


def test_un_oficio_que_falta_en_el_almacenamiento_es_un_404_en_espanol(client, almacenamiento, oficio, implan):
    oficio.archivo.storage.delete(oficio.archivo.name)
    client.force_login(implan)

    respuesta = client.get(reverse("documentos:descargar", args=[oficio.pk]))

    assert respuesta.status_code == 404
    assert "Location" not in respuesta
