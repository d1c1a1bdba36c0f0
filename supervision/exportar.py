"""The board's exports: CSV streamed row by row, XLSX written to a temporary file and streamed from disk.

Neither holds the whole list in memory: rows come from the database in chunks
(``QuerySet.iterator``) and go out as they come.

Every cell passes through ``seguridad.exportacion.celda_segura`` (OWASP, CSV Injection): a
dependencia, program or item text like ``=HYPERLINK("…")`` reaches the Contraloría's
spreadsheet as text, never as a formula. In the XLSX each text cell is also typed as a
string explicitly, because openpyxl would otherwise store any text that starts with ``=``
as a formula.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from convenios.models import EstadoAspecto, Semaforo, TipoAspecto
from seguridad.exportacion import celda_segura

TAMANO_BLOQUE = 2000
ENCABEZADOS = (
    _("Año del PAE"),
    _("Dependencia"),
    _("Clave del programa"),
    _("Programa"),
    _("Tipo"),
    _("Número"),
    _("Texto"),
    _("Fecha de cumplimiento original"),
    _("Fecha de cumplimiento vigente"),
    _("Estado"),
    _("Semáforo"),
    _("Días de atraso"),
    _("Última actuación de la Contraloría"),
    _("Acciones"),
    _("Atendida fuera de plazo (días)"),
)
_ETIQUETAS = {
    **dict(TipoAspecto.choices),
    **dict(EstadoAspecto.choices),
    **{valor: str(nombre) for valor, nombre in Semaforo.choices},
}


def filas_legibles(filas: QuerySet) -> Iterator[tuple[Any, ...]]:
    """Rows from ``selectors.columnas_exportacion``: choice values as their Spanish labels, every cell made safe."""
    for (
        anio,
        dep,
        clave,
        programa,
        tipo,
        numero,
        texto,
        f_orig,
        f_vig,
        estado,
        semaforo,
        dias,
        actuacion,
        dias_fuera,
        acciones,
    ) in filas.iterator(chunk_size=TAMANO_BLOQUE):
        yield tuple(
            celda_segura(valor)
            for valor in (
                anio,
                dep,
                clave,
                programa,
                str(_ETIQUETAS.get(tipo, tipo)),
                numero,
                texto,
                f_orig,
                f_vig,
                str(_ETIQUETAS.get(estado, estado)),
                str(_ETIQUETAS.get(semaforo, semaforo)),
                dias,
                actuacion,
                acciones,
                dias_fuera or "",
            )
        )


class _Eco:
    """A file-like whose ``write`` hands the line back, so ``csv.writer`` can feed a generator."""

    def write(self, valor: str) -> str:
        return valor


def _lineas_csv(filas: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    escritor = csv.writer(_Eco())
    yield "\ufeff"  # BOM: Excel in Spanish opens UTF-8 with the accents right
    yield escritor.writerow([str(e) for e in ENCABEZADOS])
    for fila in filas:
        yield escritor.writerow(["" if v is None else v for v in fila])


def respuesta_csv(filas: QuerySet, nombre: str) -> StreamingHttpResponse:
    respuesta = StreamingHttpResponse(_lineas_csv(filas_legibles(filas)), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.csv"'
    return respuesta


def _celda(hoja: WriteOnlyWorksheet, valor: Any) -> Any:
    """A text value as a cell typed string (openpyxl would store a text starting with ``=`` as a formula)."""
    if not isinstance(valor, str):
        return valor
    celda = WriteOnlyCell(hoja, value=valor)
    celda.data_type = "s"
    return celda


def respuesta_xlsx(filas: QuerySet, nombre: str) -> FileResponse:
    # write_only keeps a constant memory footprint: rows are serialised as they are appended.
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Aspectos")
    hoja.append([str(e) for e in ENCABEZADOS])
    for fila in filas_legibles(filas):
        hoja.append([_celda(hoja, valor) for valor in fila])
    # Removed from disk when FileResponse closes it after sending: no context manager on purpose.
    archivo = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    libro.save(archivo)
    archivo.seek(0)
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=f"{nombre}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
