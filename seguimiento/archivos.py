"""Checks on an evidence file before anything is stored: name, size and type by content (magic bytes).

The file name and extension the user sends are never trusted: the type comes
from the bytes (``filetype`` for the signature; the ZIP directory for the Office
and OpenDocument formats, which are all ZIP files).
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from operacion.almacenamiento import registrar_tipo

LARGO_MAXIMO_NOMBRE = 255
# An Office file whose directory declares more than this, uncompressed, is refused
# before anything reads it (a "ZIP bomb" disguised as DOCX/XLSX).
DESCOMPRIMIDO_MAXIMO = 500 * 1024 * 1024
RELACION_COMPRESION_MAXIMA = 200

ACEPTADOS = "PDF, JPEG, PNG, DOCX, XLSX, PPTX, ODT u ODS"


@dataclass(frozen=True)
class TipoArchivo:
    extension: str
    tipo_contenido: str


PDF = TipoArchivo("pdf", "application/pdf")
JPEG = TipoArchivo("jpg", "image/jpeg")
PNG = TipoArchivo("png", "image/png")
DOCX = TipoArchivo("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = TipoArchivo("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = TipoArchivo("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = TipoArchivo("odt", "application/vnd.oasis.opendocument.text")
ODS = TipoArchivo("ods", "application/vnd.oasis.opendocument.spreadsheet")

TIPOS = (PDF, JPEG, PNG, DOCX, XLSX, PPTX, ODT, ODS)
# A download is named with the stored type's extension (operacion.almacenamiento.nombre_descarga).
for _tipo in TIPOS:
    registrar_tipo(_tipo.tipo_contenido, _tipo.extension)

_POR_MIME = {t.tipo_contenido: t for t in (PDF, JPEG, PNG)}
# The part that identifies each OOXML document inside its ZIP.
_OOXML = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF = {ODT.tipo_contenido: ODT, ODS.tipo_contenido: ODS}


def validar_nombre(nombre: str | None) -> str:
    """The original name, to be shown and offered on download. Refuses path parts and control characters."""
    nombre = unicodedata.normalize("NFC", (nombre or "").strip())
    if not nombre:
        raise ValidationError(_("El archivo no tiene nombre."), code="nombre_vacio")
    if "/" in nombre or "\\" in nombre or nombre in {".", ".."} or ".." in nombre.split("/"):
        raise ValidationError(
            _("El nombre del archivo no puede contener rutas («/», «\\» o «..»)."), code="nombre_ruta"
        )
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in nombre):
        raise ValidationError(
            _("El nombre del archivo contiene caracteres de control; cámbielo y vuelva a subirlo."),
            code="nombre_control",
        )
    if len(nombre) > LARGO_MAXIMO_NOMBRE:
        raise ValidationError(
            _("El nombre del archivo es demasiado largo (máximo %(n)s caracteres).") % {"n": LARGO_MAXIMO_NOMBRE},
            code="nombre_largo",
        )
    return nombre


def _tipo_zip(archivo: File) -> TipoArchivo | None:
    archivo.seek(0)
    try:
        with zipfile.ZipFile(archivo) as contenedor:
            entradas = contenedor.infolist()
            declarado = sum(e.file_size for e in entradas)
            comprimido = sum(e.compress_size for e in entradas) or 1
            if declarado > DESCOMPRIMIDO_MAXIMO or declarado / comprimido > RELACION_COMPRESION_MAXIMA:
                raise ValidationError(
                    _("El archivo declara un contenido descomprimido desproporcionado; no se acepta."),
                    code="zip_desproporcionado",
                )
            nombres = {e.filename for e in entradas}
            if "mimetype" in nombres:
                tipo_odf = contenedor.read("mimetype")[:100].decode("ascii", "replace").strip()
                return _ODF.get(tipo_odf)
            if "[Content_Types].xml" in nombres:
                for parte, tipo in _OOXML.items():
                    if parte in nombres:
                        return tipo
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        return None
    finally:
        archivo.seek(0)
    return None


def detectar_tipo(archivo: File) -> TipoArchivo:
    archivo.seek(0)
    cabecera = archivo.read(8192)
    archivo.seek(0)
    detectado = filetype.guess(cabecera)
    tipo: TipoArchivo | None = None
    if detectado is not None:
        tipo = _POR_MIME.get(detectado.mime)
        if tipo is None and detectado.extension in {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"}:
            tipo = _tipo_zip(archivo)
    if tipo is None:
        raise ValidationError(
            _("El contenido del archivo no es de un tipo aceptado (%(aceptados)s), sin importar su extensión.")
            % {"aceptados": ACEPTADOS},
            code="tipo_no_aceptado",
        )
    return tipo


def validar_archivo(archivo: File) -> TipoArchivo:
    """Name, size and content of an evidence file; raises ValidationError with a Spanish message."""
    validar_nombre(archivo.name)
    maximo = settings.EVIDENCIA_TAMANO_MAXIMO
    if not archivo.size:
        raise ValidationError(_("El archivo está vacío."), code="vacio")
    if archivo.size > maximo:
        raise ValidationError(
            _("El archivo pesa %(tamano)s; el máximo permitido es %(maximo)s.")
            % {"tamano": filesizeformat(archivo.size), "maximo": filesizeformat(maximo)},
            code="demasiado_grande",
        )
    return detectar_tipo(archivo)


def sha256_de(archivo: File) -> str:
    archivo.seek(0)
    resumen = hashlib.sha256()
    for bloque in archivo.chunks():
        resumen.update(bloque)
    archivo.seek(0)
    return resumen.hexdigest()
