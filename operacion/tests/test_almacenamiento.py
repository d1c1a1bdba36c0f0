"""The same file tests on the filesystem and on the local S3 server (fixture `almacenamiento`)."""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from convenios.models import Aspecto
from operacion.almacenamiento import respuesta_descarga
from seguimiento.models import Evidencia

CONTENIDO_PDF = b"%PDF-1.4\n% evidencia de prueba \xe2\x80\x94 acentos: \xc3\xa1\xc3\xa9\xc3\xad\n%%EOF\n"
NOMBRE = "Oficio de cumplimiento – Defensoría.pdf"


@pytest.fixture
def evidencia(almacenamiento, convenio, dependencia) -> Evidencia:
    aspecto = Aspecto.objects.filter(convenio=convenio).first()
    evidencia = Evidencia(
        aspecto=aspecto,
        nombre_original=NOMBRE,
        tamano=len(CONTENIDO_PDF),
        tipo_contenido="application/pdf",
        sha256=hashlib.sha256(CONTENIDO_PDF).hexdigest(),
        descripcion="Oficio firmado",
        subida_por=dependencia,
    )
    evidencia.archivo.save("oficio.pdf", ContentFile(CONTENIDO_PDF), save=True)
    return evidencia


def test_guardar_y_leer_por_la_api_de_almacenamiento(almacenamiento):
    nombre = default_storage.save("documentos/oficio.pdf", ContentFile(CONTENIDO_PDF))

    assert almacenamiento.leer(nombre) == CONTENIDO_PDF
    with default_storage.open(nombre, "rb") as archivo:
        assert archivo.read() == CONTENIDO_PDF
    assert default_storage.exists(nombre)


def test_no_sobrescribe_un_archivo_existente(almacenamiento):
    primero = default_storage.save("documentos/oficio.pdf", ContentFile(b"primero"))
    segundo = default_storage.save("documentos/oficio.pdf", ContentFile(b"segundo"))

    assert primero != segundo
    assert almacenamiento.leer(primero) == b"primero"
    assert almacenamiento.leer(segundo) == b"segundo"


@pytest.mark.django_db
def test_la_evidencia_se_guarda_en_el_almacenamiento_configurado(almacenamiento, evidencia):
    evidencia.refresh_from_db()

    assert evidencia.archivo.name.startswith(f"evidencias/{evidencia.aspecto.convenio_id}/")
    assert almacenamiento.leer(evidencia.archivo.name) == CONTENIDO_PDF


def descargar(respuesta) -> tuple[bytes, str, str]:
    """What the browser ends up with: (bytes, Content-Disposition, Content-Type)."""
    if isinstance(respuesta, FileResponse):
        contenido = b"".join(respuesta.streaming_content)
        respuesta.close()
        return contenido, respuesta["Content-Disposition"], respuesta["Content-Type"]
    assert respuesta.status_code == 302
    with urllib.request.urlopen(respuesta["Location"], timeout=10) as final:
        return final.read(), final.headers["Content-Disposition"], final.headers["Content-Type"]


@pytest.mark.django_db
def test_respuesta_descarga_entrega_el_archivo_como_adjunto_con_su_nombre(almacenamiento, evidencia):
    """Filesystem: streamed by Django. S3: a redirect the browser follows to the local S3 server."""
    respuesta = respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)

    contenido, disposicion, tipo = descargar(respuesta)
    assert contenido == CONTENIDO_PDF
    assert disposicion.startswith("attachment;")
    assert "filename*=utf-8''" + urllib.parse.quote(NOMBRE) in disposicion
    assert tipo == "application/pdf"
    assert "private" in respuesta["Cache-Control"]


solo_s3 = pytest.mark.parametrize("almacenamiento", ["s3"], indirect=True)


@solo_s3
@pytest.mark.django_db
def test_en_s3_redirige_a_una_url_firmada_que_vence_en_60_segundos(almacenamiento, evidencia):
    # moto does not enforce the expiry; AWS, MinIO and Ceph do, from X-Amz-Expires.
    respuesta = respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)

    assert respuesta.status_code == 302
    url = urllib.parse.urlsplit(respuesta["Location"])
    parametros = urllib.parse.parse_qs(url.query)
    assert url.netloc == urllib.parse.urlsplit(almacenamiento.servidor.url).netloc
    assert parametros["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in parametros
    assert "no-store" in respuesta["Cache-Control"]


@solo_s3
@pytest.mark.django_db
def test_en_s3_sin_firma_el_objeto_no_se_puede_leer(almacenamiento, evidencia):
    """The bucket is private: the presigned URL is the only way in (a URL without signature is refused)."""
    respuesta = respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)
    sin_firma = respuesta["Location"].split("?")[0]

    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(sin_firma, timeout=10)

    assert error.value.code == 403


@pytest.mark.django_db
def test_un_archivo_que_falta_en_el_almacenamiento_es_un_404(almacenamiento, evidencia):
    default_storage.delete(evidencia.archivo.name)

    with pytest.raises(Http404, match="El archivo no está en el almacenamiento."):
        respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)
