"""Handing a stored file to a user who may see it: the caller checks permission first.

    def evidencia_descargar(request, pk):
        evidencia = get_evidencia_for_user(request.user, pk)   # 404 when not visible
        return respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)

On the filesystem the file is streamed by the Django process (nginx never serves media).
On S3 the user is redirected to a presigned URL that expires after
``DJANGO_S3_URL_EXPIRA`` seconds (60 by default), so the bytes don't pass through gunicorn.

The name offered to the browser ends with the extension of the *stored* type, never the
user's: a PDF uploaded as ``report.html`` downloads as ``report.pdf``, so no program opens it
as a page. Bidi and control characters are dropped (``informe\u202efdp.exe`` would show as
``informeexe.pdf``). The apps that store files register their types (``registrar_tipo``):
this module imports no domain app.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

FALTA = "El archivo no está en el almacenamiento."

_EXTENSIONES: dict[str, str] = {"application/pdf": "pdf"}
# A final ".abc" of up to 10 letters or digits is the user's extension, replaced by the stored type's.
_EXTENSION_FINAL = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_INVISIBLES = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}
LARGO_MAXIMO = 200


def registrar_tipo(tipo_contenido: str, extension: str) -> None:
    """The extension a download of ``tipo_contenido`` gets (seguimiento registers the evidence types)."""
    _EXTENSIONES[tipo_contenido] = extension


def nombre_descarga(nombre: str, tipo_contenido: str) -> str:
    """``nombre`` without control/bidi characters nor path parts, ending with the stored type's extension."""
    limpio = "".join(
        c for c in unicodedata.normalize("NFC", nombre or "") if unicodedata.category(c) not in _INVISIBLES
    )
    limpio = re.sub(r"[/\\]+", "_", limpio).strip().strip(".")
    base = _EXTENSION_FINAL.sub("", limpio).strip().rstrip(".")[:LARGO_MAXIMO] or "archivo"
    return f"{base}.{_EXTENSIONES.get(tipo_contenido, 'bin')}"


def es_s3(storage: Storage) -> bool:
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage)


def respuesta_descarga(archivo: FieldFile, nombre: str, tipo_contenido: str) -> HttpResponse:
    """A download of ``archivo`` saved as ``nombre`` (made safe): a stream, or a redirect to a short-lived URL on S3.

    A file missing from the storage is a 404 with a Spanish message, on both.
    """
    nombre = nombre_descarga(nombre, tipo_contenido)
    if es_s3(archivo.storage):
        # One HEAD request: a presigned URL to a missing object would send the user to S3's XML error.
        if not archivo.storage.exists(archivo.name):
            raise Http404(FALTA)
        url = archivo.storage.url(
            archivo.name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, nombre),
                "ResponseContentType": tipo_contenido,
            },
        )
        response: HttpResponse = HttpResponseRedirect(url)
        # The URL is a credential for a minute: no cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
        return response
    try:
        archivo.open("rb")
    except FileNotFoundError as error:
        raise Http404(FALTA) from error
    response = FileResponse(archivo, as_attachment=True, filename=nombre, content_type=tipo_contenido)
    patch_cache_control(response, private=True, no_cache=True)
    return response


# The preview runs in an <iframe>/<img> of our own page: the file may be framed by its own site only,
# runs no script, loads nothing else, and is never sniffed into another type.
CSP_EN_LINEA = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def respuesta_en_linea(archivo: FieldFile, nombre: str, tipo_contenido: str) -> HttpResponse:
    """The file shown in the browser (``Content-Disposition: inline``), for a preview inside our pages.

    Always streamed by Django, also on S3: a redirect to the bucket would be another origin, which the
    page's ``frame-src 'self'`` refuses. A missing file is a 404 with a Spanish message.
    """
    try:
        archivo.open("rb")
    except FileNotFoundError as error:
        raise Http404(FALTA) from error
    response = FileResponse(archivo, as_attachment=False, filename=nombre, content_type=tipo_contenido)
    response["Content-Security-Policy"] = CSP_EN_LINEA
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    patch_cache_control(response, private=True, no_cache=True)
    return response
