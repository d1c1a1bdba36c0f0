"""WeasyPrint's side of ``documentos.render``: the fetcher that reads only our own files, the fonts, the layout.

Its own module because importing WeasyPrint costs about 0.6 s (Pango, fontTools): ``render`` imports it
when it lays out a document, so every other process (a ``manage.py`` command, a Celery worker, a web
worker that serves no PDF yet) starts without it.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

CARPETA_ESTATICOS = Path(__file__).resolve().parent / "static" / "documentos"
URL_BASE = CARPETA_ESTATICOS.as_uri() + "/"  # where the templates' relative URLs (pdf.css) point
CARPETA_LOGOS = "municipios/logos"  # under MEDIA_ROOT: Municipio.logo's upload_to


class URLRechazada(ValueError):
    """WeasyPrint asked for a resource outside the allowed folders."""


def carpetas_permitidas() -> list[Path]:
    """Read at call time: MEDIA_ROOT differs per test and per deployment."""
    return [CARPETA_ESTATICOS, Path(settings.MEDIA_ROOT).resolve() / CARPETA_LOGOS]


class FetcherSeguro(URLFetcher):
    """Serves only ``file://`` URLs inside ``carpetas_permitidas()``; refuses everything else.

    ``solicitadas`` and ``rechazadas`` record every URL WeasyPrint asked for, so a
    test (or a log) can tell that a document made no outside request.
    """

    def __init__(self, carpetas: Iterable[Path] | None = None) -> None:
        # allowed_protocols is a second lock on the same door: urllib never gets
        # an http(s)/ftp/data URL even if fetch() below were changed.
        super().__init__(timeout=1, allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
        self._carpetas = [Path(c).resolve() for c in carpetas] if carpetas is not None else None
        self.solicitadas: list[str] = []
        self.rechazadas: list[str] = []

    def ruta_permitida(self, url: str) -> Path:
        partes = urlsplit(url)
        if partes.scheme.lower() != "file":
            raise URLRechazada(
                f"Solo se permiten archivos locales del sistema, no {partes.scheme or 'relativas'}: {url}"
            )
        if partes.netloc not in ("", "localhost"):
            raise URLRechazada(f"Archivo en otra máquina: {url}")
        ruta = Path(url2pathname(partes.path))
        try:
            # strict: the file must exist; resolve() also follows symlinks, so a
            # link inside an allowed folder cannot point outside it.
            ruta = ruta.resolve(strict=True)
        except (OSError, RuntimeError) as error:
            raise URLRechazada(f"No existe: {url}") from error
        carpetas = self._carpetas if self._carpetas is not None else carpetas_permitidas()
        if not ruta.is_file() or not any(ruta.is_relative_to(c) for c in carpetas):
            raise URLRechazada(f"Fuera de las carpetas permitidas: {url}")
        return ruta

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        self.solicitadas.append(url)
        try:
            ruta = self.ruta_permitida(url)
        except URLRechazada:
            self.rechazadas.append(url)
            logger.warning("Recurso rechazado al generar un PDF: %s", url)
            raise
        tipo = mimetypes.guess_type(ruta.name)[0] or "application/octet-stream"
        return URLFetcherResponse(ruta.as_uri(), body=ruta.read_bytes(), headers={"Content-Type": tipo})


_por_hilo = threading.local()


def configuracion_fuentes() -> FontConfiguration:
    """One WeasyPrint font configuration per thread, reused for every document.

    A new ``FontConfiguration`` loads the whole fontconfig setup again and never
    gives that native memory back: a process grew 0.2 MiB per PDF (``make
    bench-pdf``). Reused, memory stays flat and each PDF is faster. One per thread
    because Pango's font map is not meant to be shared between threads. We load
    no ``@font-face`` fonts, so nothing from one document stays for the next.
    """
    if not hasattr(_por_hilo, "fuentes"):
        _por_hilo.fuentes = FontConfiguration()
    return _por_hilo.fuentes


def maquetar(html: str, fetcher: FetcherSeguro) -> Any:
    """The laid-out document (``weasyprint.Document``): its pages, boxes and ``write_pdf``."""
    return HTML(string=html, base_url=URL_BASE, url_fetcher=fetcher).render(font_config=configuracion_fuentes())
