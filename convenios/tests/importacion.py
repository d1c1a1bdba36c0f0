"""Files and convenios for the import tests, built in memory: the seed's Word file, another layout, the
spreadsheet template filled in, and broken or hostile archives."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import docx
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from convenios import importar
from convenios.models import Accion, Aspecto, Convenio, EstadoConvenio, Evaluacion

TEXTO_SEMILLA = Path(settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.txt")
DOCX_TIPO = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TIPO = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIN_2022 = datetime.date(2022, 12, 31)


# --- Files, built in memory -------------------------------------------------------------


def filas_del_cuadro(lineas: list[str]) -> list[list[list[str]]]:
    """The seed's CUARTA b) table as the text export writes it: one cell per line starting with a
    tab, a line without a tab continues the cell above (a second paragraph), a blank line ends a row."""
    filas: list[list[list[str]]] = []
    fila: list[list[str]] = []
    for linea in lineas:
        if not linea.strip():
            if fila:
                filas.append(fila)
            fila = []
        elif linea.startswith("\t"):
            fila.append([linea[1:]])
        else:
            fila[-1].append(linea)
    if fila:
        filas.append(fila)
    return filas


def docx_de_la_semilla(*, cambiar: dict[str, str] | None = None, fechas: dict[int, list[str]] | None = None) -> bytes:
    """The seed convenio as a Word file: every paragraph of its text, the hallazgos as the numbered
    paragraphs the text has ("1. De acuerdo…"), and CUARTA b) as a real table. ``cambiar`` edits the
    text first; ``fechas`` replaces the date cell's paragraphs of the given recomendación."""
    texto = TEXTO_SEMILLA.read_text(encoding="utf-8")
    for antes, despues in (cambiar or {}).items():
        assert antes in texto
        texto = texto.replace(antes, despues, 1)
    lineas = texto.splitlines()
    inicio = next(i for i, linea in enumerate(lineas) if linea.startswith("b) De las recomendaciones")) + 1
    fin = next(i for i, linea in enumerate(lineas) if linea.startswith("QUINTA."))
    documento = docx.Document()
    for linea in lineas[:inicio]:
        documento.add_paragraph(linea)
    filas = filas_del_cuadro(lineas[inicio:fin])
    for numero, parrafos in (fechas or {}).items():
        filas[numero][-1] = parrafos
    tabla = documento.add_table(rows=len(filas), cols=4)
    for fila, celdas in zip(tabla.rows, filas, strict=True):
        for celda, parrafos in zip(fila.cells, celdas, strict=True):
            celda.text = parrafos[0]
            for parrafo in parrafos[1:]:
                celda.add_paragraph(parrafo)
    for linea in lineas[fin:]:
        documento.add_paragraph(linea)
    salida = io.BytesIO()
    documento.save(salida)
    return salida.getvalue()


def docx_otro_formato() -> bytes:
    """Another municipio's layout: hallazgos in Word's automatic numbering, and a table with "Área
    responsable" and "Producto esperado" and several actions per recomendación (rows with vertically
    merged cells, rows repeating the No., and one paragraph per action in the same cell)."""
    documento = docx.Document()
    documento.add_paragraph("CLÁUSULAS")
    documento.add_paragraph("TERCERA. Responsables. - Las partes designarán a un responsable.")
    documento.add_paragraph("Cuarta. De los aspectos susceptibles de mejora.")
    documento.add_paragraph("a) Hallazgos identificados en el informe final:")
    documento.add_paragraph("El diagnóstico del programa no cuantifica la población objetivo.", style="List Number")
    documento.add_paragraph("La MIR no tiene indicadores de calidad.", style="List Number")
    documento.add_paragraph("b) Recomendaciones, con sus acciones:")
    encabezados = ["No.", "Recomendación", "Acciones", "Área responsable", "Fecha de cumplimiento", "Producto esperado"]
    filas = [
        [
            "1",
            "Actualizar el diagnóstico del programa.",
            "Levantar la encuesta de población.",
            "Coordinación de Estadística",
            "15 de marzo de 2023",
            "Base de datos de la encuesta",
        ],
        [
            "",
            "",
            "Publicar el diagnóstico actualizado.",
            "Dirección de Desarrollo Social",
            "Junio 2023",
            "Diagnóstico publicado",
        ],
        [
            "2",
            "Incorporar indicadores de calidad en la MIR.",
            "Proponer dos indicadores de calidad.\nIncluirlos en el formato PbRM-01d.",
            "DDS",
            "30 de abril de 2023\n31 de mayo de 2023",
            "Fichas técnicas\nFormato PbRM-01d",
        ],
        [
            "3",
            "Capacitar al personal operativo.",
            "Impartir un curso de 20 horas.",
            "Dirección de Desarrollo Social",
            "Marzo 2023",
            "Lista de asistencia",
        ],
        ["3", "", "Evaluar el curso.", "Dirección de Desarrollo Social", "Abril 2023", "Informe de la evaluación"],
    ]
    tabla = documento.add_table(rows=1 + len(filas), cols=len(encabezados))
    for celda, texto in zip(tabla.rows[0].cells, encabezados, strict=True):
        celda.text = texto
    for fila, valores in zip(tabla.rows[1:], filas, strict=True):
        for celda, texto in zip(fila.cells, valores, strict=True):
            partes = texto.split("\n")
            celda.text = partes[0]
            for parte in partes[1:]:
                celda.add_paragraph(parte)
    # Recomendación 1 spans two rows: its No. and text cells are merged vertically.
    tabla.cell(1, 0).merge(tabla.cell(2, 0))
    tabla.cell(1, 1).merge(tabla.cell(2, 1))
    documento.add_paragraph("Quinta. Cumplimiento. - La dependencia presentará la evidencia.")
    salida = io.BytesIO()
    documento.save(salida)
    return salida.getvalue()


def docx_sin_clausula() -> bytes:
    documento = docx.Document()
    documento.add_paragraph("Minuta de la reunión de trabajo")
    documento.add_paragraph("1. Se revisó el avance del programa.")
    salida = io.BytesIO()
    documento.save(salida)
    return salida.getvalue()


def zip_con(entradas: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as contenedor:
        for nombre, datos in entradas.items():
            contenedor.writestr(nombre, datos)
    return salida.getvalue()


def bomba_zip() -> bytes:
    """A .docx-looking ZIP whose document part inflates 20 MB of zeros from ~20 KB."""
    return zip_con({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(20 * 1024 * 1024)})


def subido(nombre: str, datos: bytes, tipo: str = DOCX_TIPO) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, datos, content_type=tipo)


# --- Convenios --------------------------------------------------------------------------


def borrador_en_municipio_de(seed: Convenio) -> Convenio:
    """A new, empty borrador convenio of the seed's municipio and parties (the seed's own items stay)."""
    evaluacion = Evaluacion.objects.create(
        municipio=seed.municipio,
        anio_pae=2022,
        tipo=seed.evaluacion.tipo,
        programa=seed.evaluacion.programa,
        dependencia_evaluada=seed.dependencia_evaluada,
        ejercicio_evaluado=2021,
        presupuesto_programa=seed.evaluacion.presupuesto_programa,
    )
    return Convenio.objects.create(
        municipio=seed.municipio,
        evaluacion=evaluacion,
        fecha_limite=FIN_2022,
        estado=EstadoConvenio.BORRADOR,
        implan=seed.implan,
        tesoreria=seed.tesoreria,
        contraloria=seed.contraloria,
        dependencia_evaluada=seed.dependencia_evaluada,
    )


def como_tuplas(convenio: Convenio) -> list[tuple]:
    return [
        (
            a.tipo,
            a.numero,
            a.texto,
            a.fecha_compromiso,
            a.fecha_vigente,
            [(c.numero, c.texto, c.fecha_termino, c.area, c.producto_esperado) for c in a.acciones.all()],
        )
        for a in Aspecto.objects.filter(convenio=convenio).order_by("-tipo", "numero").prefetch_related("acciones")
    ]


def nada_guardado(convenio: Convenio) -> bool:
    return (
        not Aspecto.objects.filter(convenio=convenio).exists()
        and not Accion.objects.filter(aspecto__convenio=convenio).exists()
    )


def xlsx_llenado(filas: list[list[object]], plantilla: bytes | None = None) -> bytes:
    libro = load_workbook(io.BytesIO(plantilla or importar.plantilla_xlsx()))
    hoja = libro[importar.HOJA_PLANTILLA]
    for fila in filas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def subir(client, convenio, nombre, datos, tipo=DOCX_TIPO):
    return client.post(reverse("convenios:importar", args=[convenio.pk]), {"archivo": subido(nombre, datos, tipo)})


FILAS_XLSX = [
    ["Hallazgo", 1, "No hay diagnóstico de la población objetivo.", None, None, None, None, "Alta", "Específico"],
    [
        "Recomendación",
        1,
        "Elaborar el diagnóstico.",
        "Levantar la encuesta.",
        "DDS",
        datetime.datetime(2023, 3, 15),
        "Base de datos",
        "Media",
        "Institucional",
    ],
    [
        "Recomendación",
        1,
        None,
        "Publicar el diagnóstico.",
        "Oficina de Comunicación",
        "Junio 2023",
        "Diagnóstico publicado",
        None,
        None,
    ],
    [
        "recomendacion",
        2,
        "Capacitar al personal.",
        "Impartir el curso.",
        "Dirección de Obras Públicas",
        "15 de mayo de 2023",
        "Lista de asistencia",
        "baja",
        None,
    ],
]
