"""Validators of uploaded files by content, for model fields outside the evidence workflow.

``validators=[validar_pdf]`` on a ``FileField``: the admin, a form or ``full_clean`` refuse
what is not a PDF by its bytes, whatever its name says.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

# ISO 32000-1, 7.5.2: a PDF file begins with "%PDF-" and its version.
CABECERA_PDF = b"%PDF-"


def validar_pdf(archivo: File) -> None:
    archivo.seek(0)
    cabecera = archivo.read(len(CABECERA_PDF))
    archivo.seek(0)
    if cabecera != CABECERA_PDF:
        raise ValidationError(
            _("El archivo no es un PDF (se revisa su contenido, no su extensión). Suba el informe en PDF."),
            code="no_es_pdf",
        )
