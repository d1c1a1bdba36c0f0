"""HTML → PDF for the Anexo 1, with WeasyPrint and no network.

TODO(lead): the documents helper is writing ``documentos/render.py`` (one rendering
module, STYLE.md point 10). It had not landed on ``main`` when this was written, so
this is the minimal call; unify it with that module once both are merged. The Anexo 1
is not a folio'd letter: it is regenerated from current data, not stored.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


def _sin_red() -> Any:
    from weasyprint.urls import URLFetcher

    # Only data: URIs: the template is self-contained, and a PDF must never make the
    # server fetch anything (no network here; no SSRF through a captured URL field).
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def pdf_desde_plantilla(plantilla: str, contexto: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint is heavy and only the PDF views need it.
    from weasyprint import HTML

    html = render_to_string(plantilla, contexto)
    return HTML(string=html, base_url=None, url_fetcher=_sin_red()).write_pdf()
