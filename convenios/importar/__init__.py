"""Reads a convenio's hallazgos and recomendaciones from its Word file or from the spreadsheet template.

Two sources, one result (``Lectura``): the items with their actions and dates, and every row that
could not be read with the reason, in Spanish. Nothing here touches the database: IMPLAN sees the
result and confirms, and only then ``convenios.services.convenio_importar`` saves it. The model
rules (cláusula QUINTA: no date after the convenio's deadline) are not repeated here; the service
asks the models (``lectura_revisar``).

- Word (.docx), as the seed was written: cláusula CUARTA a) is a numbered list of hallazgos (typed
  numbers "1. …" or Word's automatic numbering) and CUARTA b) a table No. / Recomendación /
  Acciones / Fecha de cumplimiento. Other layouts of that table are read by their headers: an
  "Área responsable" or "Producto esperado" column, several actions per recommendation (several
  rows with the same No., vertically merged cells, or one paragraph per action in the cell).
- Spreadsheet (.xlsx), in the template ``plantilla_xlsx()`` offers: one row per action.

A .docx or .xlsx is a ZIP archive: ``contenedor`` checks it (type by content, size, ZIP bombs)
before python-docx (``word``) or openpyxl (``hoja``) opens it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from convenios.importar import contenedor, hoja, word
from convenios.importar.contenedor import DOCX, TAMANO_MAXIMO, XLSX
from convenios.importar.hoja import HOJA_PLANTILLA, plantilla_xlsx
from convenios.importar.lectura import AccionLeida, AspectoLeido, FilaNoLeida, Lectura, leer_fecha

__all__ = [
    "DOCX",
    "HOJA_PLANTILLA",
    "TAMANO_MAXIMO",
    "XLSX",
    "AccionLeida",
    "AspectoLeido",
    "FilaNoLeida",
    "Lectura",
    "leer",
    "leer_fecha",
    "plantilla_xlsx",
]


def leer(archivo: Any) -> Lectura:
    """Reads an uploaded file (anything with ``name``, ``size``, ``seek`` and ``read``).

    Raises ``ValidationError`` (Spanish) when the whole file cannot be read: too large, not a
    .docx/.xlsx, a ZIP bomb, no cláusula CUARTA, a table without its columns. A row that cannot
    be read does not stop the reading: it goes to ``Lectura.no_leidas`` with its reason.
    """
    nombre = str(getattr(archivo, "name", "") or "")
    formato = contenedor.abrir(archivo, int(getattr(archivo, "size", 0) or 0))
    lectura = Lectura(formato=formato, nombre_archivo=nombre.rsplit("/", 1)[-1][:255])
    try:
        if formato == DOCX:
            word.leer_docx(archivo, lectura)
        else:
            hoja.leer_xlsx(archivo, lectura)
    except ValidationError:
        raise
    except Exception as error:  # a malformed part inside a valid ZIP: lxml, KeyError, zlib…
        raise ValidationError(
            _("El archivo está dañado: no se puede leer como documento de Word ni como hoja de cálculo."),
            code="archivo_danado",
        ) from error
    finally:
        archivo.seek(0)
    if not lectura.aspectos and not lectura.no_leidas:
        raise ValidationError(_("El archivo no contiene hallazgos ni recomendaciones."), code="sin_aspectos")
    return lectura
