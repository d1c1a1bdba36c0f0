"""Checks of uploaded files by content, for model fields outside the evidence workflow.

``validators=[validar_pdf]`` on a ``FileField``: the admin, a form or ``full_clean`` refuse
what is not a PDF by its bytes, whatever its name says. ``ImagenLimitada`` in place of an
``ImageField``: a size and pixel limit, and decompression bombs refused.
"""

from __future__ import annotations

import warnings
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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


# --- Images (the municipio's logo) ------------------------------------------------------
# A logo goes into every PDF of its municipio: a 12,000 × 12,000 PNG of 445 kB made each one
# take 6–10 s and 1.3 GB of memory. The pixel count is read from the header (Image.open does
# not decode), so a decompression bomb is refused before anything expands it.


def revisar_imagen(archivo: File) -> None:
    """Size, pixel count and decompression bombs; raises ValidationError with a Spanish message."""
    maximo = settings.IMAGEN_TAMANO_MAXIMO
    if archivo.size is not None and archivo.size > maximo:
        raise ValidationError(
            _("La imagen pesa %(tamano)s; el máximo es %(maximo)s.")
            % {"tamano": filesizeformat(archivo.size), "maximo": filesizeformat(maximo)},
            code="imagen_pesada",
        )
    pixeles_maximos = settings.IMAGEN_PIXELES_MAXIMOS
    archivo.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(archivo) as imagen:
                ancho, alto = imagen.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("La imagen se expandiría a demasiados píxeles al abrirla (una «bomba de descompresión»); no se acepta."),
            code="bomba_de_descompresion",
        ) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("El archivo no es una imagen que se pueda leer (PNG o JPEG)."), code="no_es_imagen"
        ) from error
    finally:
        archivo.seek(0)
    if ancho * alto > pixeles_maximos:
        raise ValidationError(
            _("La imagen mide %(ancho)s × %(alto)s píxeles (%(pixeles)s); el máximo es %(maximo)s píxeles.")
            % {
                "ancho": f"{ancho:,}",
                "alto": f"{alto:,}",
                "pixeles": f"{ancho * alto:,}",
                "maximo": f"{pixeles_maximos:,}",
            },
            code="demasiados_pixeles",
        )


class CampoImagenLimitada(forms.ImageField):
    """The form field: our checks run before Django's own reading of the image, which would decode it."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and hasattr(data, "read"):
            revisar_imagen(data)
        return super().to_python(data)


class ImagenLimitada(models.ImageField):
    """An ``ImageField`` limited by ``IMAGEN_TAMANO_MAXIMO`` and ``IMAGEN_PIXELES_MAXIMOS`` in forms, the admin and ``full_clean``."""

    default_validators = [*models.ImageField.default_validators, revisar_imagen]

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": CampoImagenLimitada, **kwargs})
