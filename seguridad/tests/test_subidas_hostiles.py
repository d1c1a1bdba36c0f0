"""Hostile uploads: polyglots, ZIP bombs, uploads cut halfway, tricky names, a failing storage."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from pypdf import PdfReader

from seguimiento.models import Evidencia, Movimiento
from seguimiento.tests import archivos_prueba as ap

pytestmark = pytest.mark.seguridad


def archivos_en(carpeta) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(carpeta) for f in fs) if os.path.exists(carpeta) else []


@pytest.fixture
def subir(client, dependencia, convenio, settings, tmp_path):
    """subir(nombre, datos) posts an evidence upload as the dependencia; temporary files go to a watched folder."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "temporales")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    client.force_login(dependencia)
    url = reverse("seguimiento:evidencia_subir", args=[aspecto.pk])

    def _subir(nombre: str, datos: bytes, descripcion: str = "Evidencia"):  # type: ignore[no-untyped-def]
        return client.post(url, {"archivo": SimpleUploadedFile(nombre, datos), "descripcion": descripcion})

    _subir.url = url  # type: ignore[attr-defined]
    _subir.aspecto = aspecto  # type: ignore[attr-defined]
    return _subir


def pdf_que_tambien_es_html() -> bytes:
    """A valid PDF whose second line, a PDF comment, is an HTML page with a script."""
    pdf = ap.pdf("Poliglota")
    primera, resto = pdf.split(b"\n", 1)
    html = b"%<html><body><script>alert(document.cookie)</script></body></html>\n"
    # The cross-reference offsets move by len(html): rebuild them so pypdf reads it strictly.
    datos = primera + b"\n" + html + resto
    return _reindexar(datos)


def _reindexar(datos: bytes) -> bytes:
    import re

    posiciones = [m.start() for m in re.finditer(rb"\d+ 0 obj\n", datos)]
    xref = datos.index(b"xref\n")
    tabla = b"xref\n0 %d\n0000000000 65535 f \n" % (len(posiciones) + 1) + b"".join(
        b"%010d 00000 n \n" % p for p in posiciones
    )
    cola = datos[datos.index(b"trailer") :]
    cola = re.sub(rb"startxref\n\d+", b"startxref\n%d" % xref, cola)
    return datos[:xref] + tabla + cola


def test_un_pdf_que_tambien_es_html_se_acepta_como_pdf_y_se_descarga_como_adjunto(subir, client, settings, informe):
    datos = pdf_que_tambien_es_html()
    assert b"<script>" in datos
    assert "Poliglota" in PdfReader(io.BytesIO(datos), strict=True).pages[0].extract_text()
    assert subir("poliglota.pdf", datos).status_code == 302
    evidencia = Evidencia.objects.get()
    assert evidencia.tipo_contenido == "application/pdf" and evidencia.archivo.name.endswith(".pdf")
    respuesta = client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk]))
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"] == 'attachment; filename="poliglota.pdf"'
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in respuesta["Content-Security-Policy"]
    assert b"".join(respuesta.streaming_content) == datos
    informe.anotar("Archivos", "PDF que también es HTML", "aceptado como PDF, servido como adjunto con nosniff")


def test_un_html_con_pdf_dentro_se_rechaza(subir, settings, informe):
    datos = b"<html><script>alert(1)</script>" + ap.pdf()
    respuesta = subir("pagina.pdf", datos)
    assert respuesta.status_code == 400 and "no es de un tipo aceptado" in respuesta.content.decode()
    assert not Evidencia.objects.exists() and archivos_en(settings.MEDIA_ROOT) == []
    informe.anotar("Archivos", "HTML con un PDF dentro", "rechazado con mensaje en español")


def _bomba(partes: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as contenedor:
        for nombre, contenido in partes.items():
            contenedor.writestr(nombre, contenido)
    return salida.getvalue()


@pytest.mark.parametrize(
    "nombre,partes",
    [
        ("acta.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (30 * 1024 * 1024)}),
        (
            "metas.xlsx",
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<a/>", "xl/x.xml": b"\0" * (30 << 20)},
        ),
        ("minuta.pptx", {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b" " * (30 << 20)}),
    ],
    ids=["docx", "xlsx", "pptx"],
)
def test_una_bomba_zip_disfrazada_de_office_se_rechaza_sin_descomprimirla(subir, settings, informe, nombre, partes):
    datos = _bomba(partes)
    assert len(datos) < 200 * 1024  # 30 MB declared, a few KB sent
    respuesta = subir(nombre, datos)
    assert respuesta.status_code == 400
    assert "contenido descomprimido desproporcionado" in respuesta.content.decode()
    assert not Evidencia.objects.exists() and archivos_en(settings.MEDIA_ROOT) == []
    informe.anotar(
        "Archivos", f"bomba ZIP disfrazada de {nombre.rsplit('.', 1)[1].upper()}", "rechazado con mensaje en español"
    )


# --- An upload that stops halfway ---------------------------------------------------------


class _ConexionQueSeCae(io.BytesIO):
    """The body the client managed to send, then the connection resets."""

    def read(self, n: int = -1) -> bytes:
        trozo = super().read(n)
        if not trozo:
            raise ConnectionResetError(104, "Connection reset by peer")
        return trozo


def _cuerpo(subir) -> bytes:  # type: ignore[no-untyped-def]
    grande = ap.pdf("x" * 200) + b"%" + b"relleno " * 40_000  # ~320 KB: several chunks
    return encode_multipart(
        BOUNDARY, {"archivo": SimpleUploadedFile("grande.pdf", grande), "descripcion": "Subida interrumpida"}
    )


@pytest.mark.parametrize("como", ["cuerpo_cortado", "cliente_desconectado", "conexion_reiniciada"])
def test_una_subida_que_se_corta_no_deja_registro_ni_archivo_ni_temporal(subir, client, settings, informe, como):
    cuerpo = _cuerpo(subir)
    mitad = cuerpo[: len(cuerpo) // 2]
    extra = {}
    if como == "cliente_desconectado":  # Content-Length promised the whole body; only half arrives
        extra = {"wsgi.input": io.BytesIO(mitad), "CONTENT_LENGTH": str(len(cuerpo))}
    elif como == "conexion_reiniciada":
        extra = {"wsgi.input": _ConexionQueSeCae(mitad), "CONTENT_LENGTH": str(len(cuerpo))}
    client.raise_request_exception = False
    respuesta = client.generic("POST", subir.url, mitad, content_type=MULTIPART_CONTENT, **extra)
    assert respuesta.status_code == 400
    if como == "conexion_reiniciada":
        assert "La conexión se interrumpió mientras se recibía el archivo" in respuesta.content.decode()
    assert not Evidencia.objects.exists()
    assert not Movimiento.objects.exists()
    assert archivos_en(settings.MEDIA_ROOT) == []
    assert archivos_en(settings.FILE_UPLOAD_TEMP_DIR) == []
    informe.anotar(
        "Archivos",
        f"subida interrumpida ({como.replace('_', ' ')})",
        f"sin registro ni archivo ({respuesta.status_code})",
    )


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nombre,guardado",
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("informe&#47;..&#47;secreto.pdf", "secreto.pdf"),
        ("informe%00.pdf", "informe%00.pdf"),
        ("informe%2e%2e%2fsecreto.pdf", "informe%2e%2e%2fsecreto.pdf"),
        ("CON.pdf", "CON.pdf"),
        ('comillas "dobles" y ; punto y coma.pdf', 'comillas "dobles" y ; punto y coma.pdf'),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
    ids=["ruta-unix", "ruta-windows", "entidades-html", "pct00", "pct2e", "con", "comillas", "largo"],
)
def test_nombres_hostiles_no_salen_de_la_carpeta_ni_se_usan_en_disco(
    subir, client, settings, informe, nombre, guardado
):
    datos = ap.pdf(nombre[:20])
    respuesta = subir(nombre, datos)
    if guardado is None:
        assert respuesta.status_code == 400 and "no puede contener rutas" in respuesta.content.decode()
        assert not Evidencia.objects.exists()
        informe.anotar("Nombres de archivo", nombre[:30], "rechazado con mensaje en español")
        return
    assert respuesta.status_code == 302
    evidencia = Evidencia.objects.get()
    assert evidencia.nombre_original == guardado
    assert os.path.realpath(evidencia.archivo.path).startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert os.path.basename(evidencia.archivo.name) not in nombre
    descarga = client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk]))
    assert descarga.status_code == 200 and b"".join(descarga.streaming_content) == datos
    assert descarga["Content-Disposition"].startswith("attachment;")
    informe.anotar("Nombres de archivo", nombre[:30], "guardado con nombre generado; original mostrado")


def test_un_nombre_con_nul_o_control_de_verdad_se_rechaza(subir, settings, informe):
    for nombre in ("informe\x00.pdf", "informe\u202efdp.exe", "a\x1b[31m.pdf"):
        respuesta = subir(nombre, ap.pdf())
        assert respuesta.status_code in (302, 400), nombre
        if respuesta.status_code == 302:
            evidencia = Evidencia.objects.latest("pk")
            assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in evidencia.nombre_original)
        informe.anotar("Nombres de archivo", repr(nombre)[:30], f"sin caracteres de control ({respuesta.status_code})")


@pytest.mark.parametrize(
    "nombres",
    [
        ("Informe.pdf", "INFORME.pdf", "informe.PDF"),
        (unicodedata.normalize("NFC", "evaluación.pdf"), unicodedata.normalize("NFD", "evaluación.pdf")),
    ],
    ids=["mayusculas", "nfc-nfd"],
)
def test_nombres_que_solo_difieren_en_mayusculas_o_normalizacion_no_se_pisan(subir, client, informe, nombres):
    contenidos = [ap.pdf(f"version {i}") for i in range(len(nombres))]
    for nombre, datos in zip(nombres, contenidos, strict=True):
        assert subir(nombre, datos).status_code == 302
    evidencias = list(Evidencia.objects.order_by("pk"))
    assert len(evidencias) == len(nombres)
    assert len({e.archivo.name for e in evidencias}) == len(nombres)
    for evidencia, nombre, datos in zip(evidencias, nombres, contenidos, strict=True):
        assert evidencia.nombre_original == unicodedata.normalize("NFC", nombre)
        assert evidencia.sha256 == hashlib.sha256(datos).hexdigest()
        with evidencia.archivo.open("rb") as guardado:
            assert guardado.read() == datos
    informe.anotar(
        "Nombres de archivo",
        f"{len(nombres)} nombres iguales salvo {'mayúsculas' if len(nombres) == 3 else 'NFC/NFD'}",
        "registros distintos, ninguno pisado",
    )


# --- The storage fails during the upload ----------------------------------------------------


@pytest.mark.parametrize(
    "almacenamiento",
    ["AlmacenamientoSinEspacio", "AlmacenamientoQueSeLlena"],
    ids=["sin-espacio", "se-llena-a-la-mitad"],
)
def test_si_el_almacenamiento_falla_el_usuario_lo_sabe_y_no_queda_nada(subir, settings, informe, almacenamiento):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"seguridad.tests.almacenamientos.{almacenamiento}"},
    }
    respuesta = subir("informe.pdf", ap.pdf("x" * 400))
    assert respuesta.status_code == 400
    texto = respuesta.content.decode()
    assert "No se pudo guardar el archivo en el almacenamiento del sistema; no se registró nada." in texto
    assert not Evidencia.objects.exists() and not Movimiento.objects.exists()
    assert archivos_en(settings.MEDIA_ROOT) == []
    assert archivos_en(settings.FILE_UPLOAD_TEMP_DIR) == []
    informe.anotar(
        "Archivos", f"almacenamiento que falla ({almacenamiento})", "mensaje en español, sin registro ni archivo"
    )
