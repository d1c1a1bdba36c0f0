"""The ZIP container of a .docx or .xlsx, checked before python-docx or openpyxl open it.

What is not one of them is refused, and so are "ZIP bombs": too many members, too much declared
uncompressed data, an implausible compression ratio. zipfile never inflates a member past the size
its directory declares (it stops and fails the CRC check), so the declared sizes bound the work.
"""

from __future__ import annotations

import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

TAMANO_MAXIMO = 10 * 1024 * 1024
"""A convenio's Word file is a few hundred KB; 10 MB leaves room for logos and scanned annexes."""
MIEMBROS_MAXIMOS = 1_000
DESCOMPRIMIDO_MAXIMO = 100 * 1024 * 1024
RELACION_COMPRESION_MAXIMA = 200

DOCX = "docx"
XLSX = "xlsx"

_PARTE_DOCX = "word/document.xml"
_PARTE_XLSX = "xl/workbook.xml"


def abrir(datos: IO[bytes], tamano: int) -> str:
    """Which kind of file it is (``DOCX`` or ``XLSX``), or a Spanish ``ValidationError`` before
    anything inflates it."""
    if not tamano:
        raise ValidationError(_("El archivo está vacío."), code="vacio")
    if tamano > TAMANO_MAXIMO:
        raise ValidationError(
            _("El archivo pesa %(tamano)s; el máximo para importar es %(maximo)s.")
            % {"tamano": filesizeformat(tamano), "maximo": filesizeformat(TAMANO_MAXIMO)},
            code="demasiado_grande",
        )
    datos.seek(0)
    cabecera = datos.read(8)
    datos.seek(0)
    if cabecera.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _(
                "El archivo es de una versión antigua de Office (.doc o .xls) o está protegido con contraseña; "
                "ábralo, quite la contraseña y guárdelo como .docx o .xlsx."
            ),
            code="formato_antiguo",
        )
    no_es = ValidationError(
        _("El archivo no es un documento de Word (.docx) ni una hoja de cálculo (.xlsx), sin importar su extensión."),
        code="tipo_no_aceptado",
    )
    if not cabecera.startswith(b"PK\x03\x04"):
        raise no_es
    try:
        contenedor = zipfile.ZipFile(datos)
        entradas = contenedor.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise no_es from error
    declarado = sum(e.file_size for e in entradas)
    comprimido = sum(e.compress_size for e in entradas) or 1
    if (
        len(entradas) > MIEMBROS_MAXIMOS
        or declarado > DESCOMPRIMIDO_MAXIMO
        or declarado / comprimido > RELACION_COMPRESION_MAXIMA
    ):
        contenedor.close()
        raise ValidationError(
            _(
                "El archivo declara un contenido descomprimido desproporcionado (%(miembros)s partes, "
                "%(tamano)s); no se abre."
            )
            % {"miembros": len(entradas), "tamano": filesizeformat(declarado)},
            code="zip_desproporcionado",
        )
    contenedor.close()
    nombres = {e.filename for e in entradas}
    if "[Content_Types].xml" in nombres and _PARTE_DOCX in nombres:
        return DOCX
    if "[Content_Types].xml" in nombres and _PARTE_XLSX in nombres:
        return XLSX
    raise no_es
