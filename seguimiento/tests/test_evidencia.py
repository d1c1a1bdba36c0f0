"""Evidence upload: real files of each kind, refused kinds, hashes, never overwritten, permission-checked download."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from operacion.tests.almacenamientos import bajar
from seguimiento import services
from seguimiento.models import Evidencia
from seguimiento.tests import archivos_prueba as ap

ACEPTADOS = [
    ("informe.pdf", ap.pdf, "application/pdf"),
    ("foto.jpg", lambda: ap.imagen("JPEG"), "image/jpeg"),
    ("captura.png", lambda: ap.imagen("PNG"), "image/png"),
    ("acta.docx", ap.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("metas.xlsx", ap.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("minuta.odt", ap.odt, "application/vnd.oasis.opendocument.text"),
]


def _archivos_en_disco(settings) -> list[str]:  # type: ignore[no-untyped-def]
    raiz = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, fs in os.walk(raiz) for f in fs] if os.path.exists(raiz) else []


def _subir(client, aspecto, nombre, datos, descripcion="Evidencia del formato"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("seguimiento:evidencia_subir", args=[aspecto.pk]),
        {"archivo": ap.subido(nombre, datos), "descripcion": descripcion, "formato": "02a"},
    )


@pytest.mark.parametrize("nombre,fabricar,tipo", ACEPTADOS)
def test_acepta_cada_tipo_por_su_contenido(client, dependencia, recomendacion, settings, nombre, fabricar, tipo):
    datos = fabricar()
    client.force_login(dependencia)
    respuesta = _subir(client, recomendacion, nombre, datos)
    assert respuesta.status_code == 302
    evidencia = Evidencia.objects.get()
    assert evidencia.tipo_contenido == tipo
    assert evidencia.nombre_original == nombre
    assert evidencia.tamano == len(datos)
    assert evidencia.subida_por == dependencia
    assert evidencia.sha256 == hashlib.sha256(datos).hexdigest()
    with evidencia.archivo.open("rb") as guardado:
        assert guardado.read() == datos
    # Stored under a generated name, not the user's.
    assert nombre not in evidencia.archivo.name
    assert evidencia.archivo.name.startswith(f"evidencias/{recomendacion.convenio_id}/")


@pytest.mark.parametrize(
    "nombre,datos,mensaje",
    [
        ("programa.pdf", ap.exe(), "no es de un tipo aceptado"),
        ("pagina.pdf", ap.HTML, "no es de un tipo aceptado"),
        ("dibujo.png", ap.SVG, "no es de un tipo aceptado"),
        ("vacio.pdf", b"", "El archivo está vacío"),
        ("bomba.docx", ap.zip_bomba(), "desproporcionado"),
        ("texto.txt", "Texto con acentos: evaluación".encode(), "no es de un tipo aceptado"),
    ],
)
def test_rechaza_con_mensaje_y_no_guarda_nada(client, dependencia, recomendacion, settings, nombre, datos, mensaje):
    client.force_login(dependencia)
    respuesta = _subir(client, recomendacion, nombre, datos)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.content.decode()
    assert not Evidencia.objects.exists()
    assert _archivos_en_disco(settings) == []


def test_rechaza_un_archivo_mayor_al_limite(client, dependencia, recomendacion, settings):
    settings.EVIDENCIA_TAMANO_MAXIMO = 1024
    client.force_login(dependencia)
    respuesta = _subir(client, recomendacion, "grande.pdf", ap.pdf("x" * 2000))
    assert respuesta.status_code == 400
    assert "el máximo permitido es 1.0" in respuesta.content.decode()
    assert not Evidencia.objects.exists()


@pytest.mark.parametrize(
    "nombre,codigo",
    [
        ("../../etc/passwd.pdf", "nombre_ruta"),
        ("carpeta\\archivo.pdf", "nombre_ruta"),
        ("informe\x00.pdf", "nombre_control"),
        ("informe\u202egpj.pdf", "nombre_control"),
        ("a" * 300 + ".pdf", "nombre_largo"),
    ],
)
def test_el_servicio_rechaza_nombres_con_rutas_o_control(recomendacion, dependencia, settings, nombre, codigo):
    # A plain File keeps the name as given (an upload through HTTP is sanitised by Django first).
    archivo = File(io.BytesIO(ap.pdf()), name=nombre)
    with pytest.raises(ValidationError) as error:
        services.evidencia_subir(aspecto=recomendacion, archivo=archivo, descripcion="x", usuario=dependencia)
    assert error.value.code == codigo
    assert not Evidencia.objects.exists()
    assert _archivos_en_disco(settings) == []


@pytest.mark.solo_disco
def test_por_http_una_ruta_en_el_nombre_no_sale_de_la_carpeta(client, dependencia, recomendacion, settings):
    client.force_login(dependencia)
    respuesta = _subir(client, recomendacion, "../../../tmp/robado.pdf", ap.pdf())
    assert respuesta.status_code == 302
    evidencia = Evidencia.objects.get()
    assert "/" not in evidencia.nombre_original and ".." not in evidencia.nombre_original
    assert os.path.realpath(evidencia.archivo.path).startswith(os.path.realpath(settings.MEDIA_ROOT))


def test_la_descripcion_es_obligatoria(client, dependencia, recomendacion):
    client.force_login(dependencia)
    respuesta = _subir(client, recomendacion, "a.pdf", ap.pdf(), descripcion="")
    assert respuesta.status_code == 400
    assert not Evidencia.objects.exists()


def test_una_segunda_subida_nunca_reemplaza_la_primera(client, dependencia, recomendacion):
    client.force_login(dependencia)
    primero, segundo = ap.pdf("primera version"), ap.pdf("segunda version")
    _subir(client, recomendacion, "informe.pdf", primero)
    _subir(client, recomendacion, "informe.pdf", segundo)
    evidencias = list(Evidencia.objects.order_by("pk"))
    assert len(evidencias) == 2
    assert evidencias[0].archivo.name != evidencias[1].archivo.name
    with evidencias[0].archivo.open("rb") as f:
        assert f.read() == primero
    assert [e.sha256 for e in evidencias] == [hashlib.sha256(primero).hexdigest(), hashlib.sha256(segundo).hexdigest()]


def test_la_subida_se_escribe_en_disco_temporal(client, dependencia, recomendacion, settings):
    """TemporaryFileUploadHandler: even a small upload streams to a temporary file, not to memory."""
    assert settings.FILE_UPLOAD_HANDLERS == ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    manejador = TemporaryFileUploadHandler()
    manejador.new_file("archivo", "x.pdf", "application/pdf", 10)
    assert isinstance(manejador.file, TemporaryUploadedFile)
    manejador.file.close()


def test_descarga_como_adjunto_con_permiso(
    client, dependencia, contraloria, otra_dependencia, implan_otro_municipio, subir, recomendacion
):
    evidencia = subir(recomendacion, nombre="Informe final, versión 2.pdf")
    url = reverse("seguimiento:evidencia_descargar", args=[evidencia.pk])
    for usuario in (dependencia, contraloria):
        client.force_login(usuario)
        respuesta = client.get(url)
        # On S3 (PRUEBAS_ALMACENAMIENTO=s3) a redirect to a presigned URL; S3 sends the same headers.
        estado, cabeceras, contenido = bajar(respuesta)
        assert estado == 200
        assert cabeceras["Content-Disposition"].startswith("attachment;")
        assert cabeceras["Content-Type"] == "application/pdf"
        assert respuesta["X-Content-Type-Options"] == "nosniff"
        assert hashlib.sha256(contenido).hexdigest() == evidencia.sha256
    for ajeno in (otra_dependencia, implan_otro_municipio):
        client.force_login(ajeno)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_no_se_sube_evidencia_en_revision_ni_por_otro_rol(client, en_revision, implan, contraloria):
    for usuario in (implan, contraloria):
        client.force_login(usuario)
        assert _subir(client, en_revision, "a.pdf", ap.pdf()).status_code == 403
    assert Evidencia.objects.count() == 1
