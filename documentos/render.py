"""The one rendering module: a Django template under ``templates/documentos/pdf/`` -> HTML -> PDF (WeasyPrint).

Every document goes through ``generar_pdf``. Safety rests on two things:

* Django's autoescape: every text a user typed (a recommendation, a motive, the
  acuerdos of a session) reaches the HTML escaped, so ``<img src="http://…">``
  prints as text and never becomes an element that fetches anything.
* ``maquetador.FetcherSeguro``: even if a template went wrong, WeasyPrint may only read the
  app's own static files (the stylesheet) and the municipios' uploaded logos.
  No network, no other file on disk, no ``data:`` URLs (the QR code is inline
  SVG, which needs no fetch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from documentos.maquetador import FetcherSeguro

# PDF/A-2b ("basic"): the archival variant WeasyPrint 70 supports that fits
# letters with images and no attachments (weasyprint/pdf/pdfa.py VARIANTS).
VARIANTE_ARCHIVO = "pdf/a-2b"


def qr_svg(url: str) -> SafeString:
    """The QR code of ``url`` as inline SVG (no fetch needed). The SVG is segno's, never user text."""
    codigo = segno.make(url, error="m")
    return mark_safe(codigo.svg_inline(omitsize=True, border=0, dark="#000"))


def logo_url(municipio: Any) -> str:
    """``file://`` URL of the municipio's uploaded logo, or "" (the fetcher only allows that folder)."""
    if not municipio.logo:
        return ""
    try:
        return Path(municipio.logo.path).resolve().as_uri()
    except (NotImplementedError, ValueError):
        # A storage without local paths: the letterhead goes without logo rather than fetch from the network.
        return ""


def render_html(plantilla: str, contexto: dict[str, Any], *, borrador: bool) -> str:
    return render_to_string(f"documentos/pdf/{plantilla}.html", {**contexto, "borrador": borrador})


# A signature block's empty box carries id="campo-firma-N" (N from 1): the e.firma's visible stamp goes there.
PREFIJO_CAMPO_FIRMA = "campo-firma-"
PUNTOS_POR_PX = 0.75  # CSS px are 1/96 in, PDF points 1/72 in


@dataclass(frozen=True)
class CampoFirma:
    """Where a signature goes: the empty box of a signature block, in PDF points from the page's bottom-left."""

    numero: int
    pagina: int
    caja: tuple[float, float, float, float]

    @property
    def nombre(self) -> str:
        return f"Firma{self.numero}"


@dataclass
class Resultado:
    pdf: bytes
    html: str
    paginas: int
    fetcher: FetcherSeguro = field(repr=False)
    campos_firma: list[CampoFirma] = field(default_factory=list)


def campos_firma(documento: Any) -> list[CampoFirma]:
    """The boxes of the signature blocks, read from the layout (each ``#campo-firma-N`` element)."""
    campos = []
    for indice, pagina in enumerate(documento.pages):
        alto = pagina.height * PUNTOS_POR_PX
        for caja in pagina._page_box.descendants():
            ancla = caja.style["anchor"]
            if not ancla or not ancla.startswith(PREFIJO_CAMPO_FIRMA):
                continue
            x, y = caja.border_box_x(), caja.border_box_y()
            ancho, alto_caja = caja.border_width(), caja.border_height()
            campos.append(
                CampoFirma(
                    numero=int(ancla.removeprefix(PREFIJO_CAMPO_FIRMA)),
                    pagina=indice,
                    caja=(
                        round(x * PUNTOS_POR_PX, 2),
                        round(alto - (y + alto_caja) * PUNTOS_POR_PX, 2),
                        round((x + ancho) * PUNTOS_POR_PX, 2),
                        round(alto - y * PUNTOS_POR_PX, 2),
                    ),
                )
            )
    return sorted(campos, key=lambda campo: campo.numero)


def generar_pdf(
    plantilla: str,
    contexto: dict[str, Any],
    *,
    borrador: bool,
    fetcher: FetcherSeguro | None = None,
) -> Resultado:
    """Renders ``templates/documentos/pdf/<plantilla>.html``; issued documents (not drafts) are PDF/A.

    When the context has ``fojas=None`` the template states its own page count
    (the convenio: "consta de N fojas"): it is laid out once, counted, and laid
    out again only if the count it printed was wrong.
    """
    from documentos import maquetador  # WeasyPrint, imported by the first document (maquetador's docstring)

    fetcher = fetcher or maquetador.FetcherSeguro()
    contexto = dict(contexto)
    contar = "fojas" in contexto and contexto["fojas"] is None
    if contar:
        contexto["fojas"] = contexto.get("fojas_estimadas") or 1
    html = render_html(plantilla, contexto, borrador=borrador)
    documento = maquetador.maquetar(html, fetcher)
    if contar and len(documento.pages) != contexto["fojas"]:
        contexto["fojas"] = len(documento.pages)
        html = render_html(plantilla, contexto, borrador=borrador)
        documento = maquetador.maquetar(html, fetcher)
    pdf = documento.write_pdf(pdf_variant=None if borrador else VARIANTE_ARCHIVO)
    return Resultado(
        pdf=pdf, html=html, paginas=len(documento.pages), fetcher=fetcher, campos_firma=campos_firma(documento)
    )
