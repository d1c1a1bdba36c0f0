"""Real files of every accepted kind, and of the kinds that must be refused, made in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image


def pdf(texto: str = "Evidencia") -> bytes:
    """A minimal but valid one-page PDF (pypdf reads it back)."""
    contenido = f"BT /F1 18 Tf 72 720 Td ({texto}) Tj ET".encode("latin-1")
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(contenido) + contenido + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    salida = io.BytesIO()
    salida.write(b"%PDF-1.4\n")
    posiciones = []
    for numero, cuerpo in enumerate(objetos, start=1):
        posiciones.append(salida.tell())
        salida.write(b"%d 0 obj\n" % numero + cuerpo + b"\nendobj\n")
    inicio_xref = salida.tell()
    salida.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objetos) + 1))
    for posicion in posiciones:
        salida.write(b"%010d 00000 n \n" % posicion)
    salida.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objetos) + 1, inicio_xref))
    return salida.getvalue()


def imagen(formato: str) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (40, 30), (91, 31, 42)).save(salida, format=formato)
    return salida.getvalue()


def _zip(entradas: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as contenedor:
        for nombre, datos in entradas.items():
            contenedor.writestr(nombre, datos)
    return salida.getvalue()


def docx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document><w:body><w:p><w:r><w:t>Acta</w:t></w:r></w:p></w:body></w:document>",
        }
    )


def xlsx() -> bytes:
    libro = Workbook()
    libro.active["A1"] = "Avance de metas PbRM-08b"
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def odt() -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as contenedor:
        contenedor.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        contenedor.writestr("content.xml", "<office:document-content/>")
    return salida.getvalue()


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'
)


def zip_bomba() -> bytes:
    """A DOCX whose directory declares far more uncompressed bytes than it carries."""
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as contenedor:
        contenedor.writestr("[Content_Types].xml", b"<Types/>")
        contenedor.writestr("word/document.xml", b"0" * (20 * 1024 * 1024))
    return salida.getvalue()


def subido(nombre: str, datos: bytes, tipo: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, datos, content_type=tipo)
