"""The spreadsheet template IMPLAN downloads (one row per action) and its reader."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from convenios.importar.lectura import (
    ACCION,
    AREA,
    CLASIFICACION,
    FECHA,
    NUMERO,
    PRIORIDAD,
    PRODUCTO,
    TEXTO,
    TIPO,
    AccionLeida,
    AspectoLeido,
    FilaNoLeida,
    Lectura,
    de_opciones,
    leer_fecha,
    limpio,
    numero_de_aspecto,
    rol_de_encabezado,
)
from convenios.models import ClasificacionAspecto, Prioridad, TipoAspecto

FILAS_MAXIMAS = 5_000
"""Rows read from a spreadsheet: a convenio has tens of actions, not thousands."""


@dataclass(frozen=True)
class Columna:
    rol: str
    encabezado: Any
    ancho: int
    ayuda: Any


COLUMNAS_PLANTILLA: tuple[Columna, ...] = (
    Columna(TIPO, gettext_lazy("Tipo"), 16, gettext_lazy("Hallazgo o Recomendación.")),
    Columna(
        NUMERO,
        gettext_lazy("Número"),
        10,
        gettext_lazy("El número del hallazgo o de la recomendación en la cláusula CUARTA."),
    ),
    Columna(
        TEXTO,
        gettext_lazy("Texto del aspecto"),
        60,
        gettext_lazy("Como lo redacta el convenio; repítalo (o déjelo vacío) en cada acción."),
    ),
    Columna(
        ACCION, gettext_lazy("Acción"), 50, gettext_lazy("Una acción por fila; un hallazgo puede no tener acciones.")
    ),
    Columna(
        AREA,
        gettext_lazy("Área responsable"),
        30,
        gettext_lazy("Una dependencia del municipio (nombre o siglas) o el nombre del área."),
    ),
    Columna(
        FECHA,
        gettext_lazy("Fecha de término"),
        18,
        gettext_lazy("Una fecha de Excel, «Diciembre 2022» o «15 de junio de 2023»."),
    ),
    Columna(
        PRODUCTO,
        gettext_lazy("Producto esperado"),
        40,
        gettext_lazy("La evidencia que se entregará, p. ej. «formato PbRM-02a»."),
    ),
    Columna(PRIORIDAD, gettext_lazy("Prioridad"), 12, gettext_lazy("Alta, media o baja (opcional).")),
    Columna(
        CLASIFICACION,
        gettext_lazy("Clasificación"),
        20,
        gettext_lazy("Específico, institucional, interinstitucional o intergubernamental (opcional)."),
    ),
)
HOJA_PLANTILLA = "Aspectos"


def plantilla_xlsx() -> bytes:
    """The spreadsheet IMPLAN downloads, fills with one row per action and uploads back."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = HOJA_PLANTILLA
    hoja.append([str(c.encabezado) for c in COLUMNAS_PLANTILLA])
    for j, columna in enumerate(COLUMNAS_PLANTILLA, start=1):
        celda = hoja.cell(row=1, column=j)
        celda.font = Font(bold=True)
        celda.alignment = Alignment(wrap_text=True, vertical="top")
        hoja.column_dimensions[celda.column_letter].width = columna.ancho
    hoja.freeze_panes = "A2"
    letra = {c.rol: hoja.cell(row=1, column=j).column_letter for j, c in enumerate(COLUMNAS_PLANTILLA, start=1)}
    listas = {
        TIPO: [str(t.label) for t in TipoAspecto],
        PRIORIDAD: [str(p.label) for p in Prioridad],
        CLASIFICACION: [str(c.label) for c in ClasificacionAspecto],
    }
    for rol, opciones in listas.items():
        validacion = DataValidation(type="list", formula1='"' + ",".join(opciones) + '"', allow_blank=True)
        validacion.error = _("Elija un valor de la lista.")
        hoja.add_data_validation(validacion)
        validacion.add(f"{letra[rol]}2:{letra[rol]}{FILAS_MAXIMAS}")
    fechas = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    fechas.error = _("Escriba una fecha.")
    hoja.add_data_validation(fechas)
    fechas.add(f"{letra[FECHA]}2:{letra[FECHA]}{FILAS_MAXIMAS}")

    ayuda = libro.create_sheet(_("Instrucciones"))
    ayuda.column_dimensions["A"].width = 22
    ayuda.column_dimensions["B"].width = 90
    ayuda.append([_("Cómo llenar la hoja «%(hoja)s»") % {"hoja": HOJA_PLANTILLA}])
    ayuda["A1"].font = Font(bold=True)
    ayuda.append(
        [
            _(
                "Una fila por acción. Un hallazgo o una recomendación con varias acciones ocupa varias filas "
                "con el mismo tipo y número. La fecha de cumplimiento del aspecto será la más tardía de sus "
                "acciones; ninguna puede pasar de la fecha límite del convenio (cláusula QUINTA)."
            )
        ]
    )
    ayuda.append([])
    for columna in COLUMNAS_PLANTILLA:
        ayuda.append([str(columna.encabezado), str(columna.ayuda)])
    ayuda.append([])
    ayuda.append([_("Ejemplo (no se importa desde esta hoja)")])
    ayuda.append(
        [
            str(TipoAspecto.RECOMENDACION.label),
            "1",
            "Identificar, conocer e incorporar en las actividades programadas la legislación vigente…",
            "Incorporar acciones sustantivas en el formato 02a del Presupuesto basado en Resultados.",
            "Defensoría Municipal de Derechos Humanos",
            "Diciembre 2022",
            "Formato PbRM-02a",
            str(Prioridad.ALTA.label),
            str(ClasificacionAspecto.ESPECIFICO.label),
        ]
    )
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _filas_xlsx(archivo: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    libro = load_workbook(archivo, read_only=True, data_only=True)
    try:
        hoja = libro[HOJA_PLANTILLA] if HOJA_PLANTILLA in libro.sheetnames else libro.worksheets[0]
        yield from enumerate(hoja.iter_rows(values_only=True), start=1)
    finally:
        libro.close()


def leer_xlsx(archivo: IO[bytes], lectura: Lectura) -> None:
    filas = _filas_xlsx(archivo)
    try:
        _leer_filas(filas, lectura)
    finally:
        filas.close()  # closes the workbook also when the header is refused


def _leer_filas(filas: Iterator[tuple[int, tuple[Any, ...]]], lectura: Lectura) -> None:
    columnas: dict[str, int] = {}
    for _n, encabezado in filas:
        for j, celda in enumerate(encabezado):
            rol = rol_de_encabezado(str(celda or ""))
            if rol and rol not in columnas:
                columnas[rol] = j
        break
    faltan = [c for c in COLUMNAS_PLANTILLA if c.rol in (TIPO, NUMERO, TEXTO, ACCION, FECHA) and c.rol not in columnas]
    if faltan:
        raise ValidationError(
            _(
                "La hoja no tiene la columna %(columnas)s en su primera fila. Descargue la plantilla y use sus "
                "encabezados."
            )
            % {"columnas": ", ".join(f"«{c.encabezado}»" for c in faltan)},
            code="hoja_sin_columnas",
        )
    por_clave: dict[tuple[str, int], AspectoLeido] = {}
    for n, fila in filas:
        if all(v is None or not str(v).strip() for v in fila):
            continue
        if n > FILAS_MAXIMAS + 1:
            lectura.no_leidas.append(
                FilaNoLeida(
                    lugar=_("Fila %(n)s") % {"n": n},
                    motivo=_("La hoja tiene más de %(max)s filas; no se leyó el resto.") % {"max": FILAS_MAXIMAS},
                )
            )
            break

        def valor(rol: str, fila: tuple[Any, ...] = fila) -> Any:
            j = columnas.get(rol)
            return fila[j] if j is not None and j < len(fila) else None

        lugar = _("Fila %(n)s") % {"n": n}
        try:
            tipo = de_opciones(valor(TIPO), TipoAspecto, _("Tipo"))
            if not tipo:
                raise ValidationError(_("Falta el tipo (hallazgo o recomendación)."), code="sin_tipo")
            numero = numero_de_aspecto(valor(NUMERO))
            texto = limpio(str(valor(TEXTO) or ""))
            accion = limpio(str(valor(ACCION) or ""))
            fecha_valor = valor(FECHA)
            fecha = leer_fecha(fecha_valor) if fecha_valor not in (None, "") else None
            prioridad = de_opciones(valor(PRIORIDAD), Prioridad, _("Prioridad"))
            clasificacion = de_opciones(valor(CLASIFICACION), ClasificacionAspecto, _("Clasificación"))
            aspecto = por_clave.get((tipo, numero))
            if aspecto is None:
                if not texto:
                    raise ValidationError(_("Falta el texto del aspecto."), code="sin_texto")
                aspecto = AspectoLeido(
                    tipo=tipo, numero=numero, texto=texto, prioridad=prioridad, clasificacion=clasificacion
                )
            elif texto and texto != aspecto.texto:
                raise ValidationError(
                    _("%(etiqueta)s ya tiene otro texto en una fila anterior.") % {"etiqueta": aspecto.etiqueta},
                    code="texto_distinto",
                )
            if accion:
                if fecha is None:
                    raise ValidationError(_("La acción no tiene fecha de término."), code="sin_fecha")
                aspecto.acciones.append(
                    AccionLeida(
                        numero=len(aspecto.acciones) + 1,
                        texto=accion,
                        fecha_termino=fecha,
                        area_responsable=limpio(str(valor(AREA) or "")),
                        producto_esperado=limpio(str(valor(PRODUCTO) or "")),
                    )
                )
            elif tipo == TipoAspecto.RECOMENDACION:
                raise ValidationError(_("La recomendación no tiene acción."), code="sin_acciones")
            elif fecha is not None:
                aspecto.fecha_propia = fecha
        except ValidationError as error:
            lectura.no_leidas.append(FilaNoLeida(lugar=lugar, motivo=" ".join(error.messages)))
            continue
        if (tipo, numero) not in por_clave:
            por_clave[(tipo, numero)] = aspecto
    lectura.aspectos = sorted(por_clave.values(), key=lambda a: (a.tipo != TipoAspecto.HALLAZGO, a.numero))
