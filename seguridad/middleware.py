from __future__ import annotations

import logging
import os
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.shortcuts import render

logger = logging.getLogger(__name__)


class EncabezadosDeSeguridadMiddleware:
    """Headers Django's SecurityMiddleware does not send: Permissions-Policy.

    (CSP comes from django-csp; nosniff, Referrer-Policy and Cross-Origin-Opener-Policy
    from SecurityMiddleware; X-Frame-Options from XFrameOptionsMiddleware.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        politica = getattr(settings, "PERMISSIONS_POLICY", "")
        if politica:
            response.headers.setdefault("Permissions-Policy", politica)
        return response


class SubidasInterrumpidasMiddleware:
    """An upload cut halfway leaves no temporary file, and the user a Spanish 400 instead of a 500.

    When the connection drops while Django is writing an upload to a temporary file, the
    half-written file is in no list that Django closes (it only closes completed files), so
    it stays on disk until the garbage collector happens to reach it. Here every upload
    handler's file is closed, and so removed, when the request ends, whatever happened.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            _borrar_temporales(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UnreadablePostError):
            logger.warning("Subida interrumpida en %s: %s", request.path, exception)
            return render(request, "seguridad/subida_interrumpida.html", status=400)
        return None


def _borrar_temporales(request: HttpRequest) -> None:
    for manejador in getattr(request, "_upload_handlers", None) or []:
        archivo = getattr(manejador, "file", None)
        if not isinstance(manejador, TemporaryFileUploadHandler) or archivo is None:
            continue
        try:
            ruta = archivo.temporary_file_path()
            archivo.close()  # a NamedTemporaryFile removes itself on close
            if os.path.exists(ruta):
                os.remove(ruta)
        except (OSError, AttributeError):
            logger.exception("No se pudo borrar un archivo temporal de subida")
