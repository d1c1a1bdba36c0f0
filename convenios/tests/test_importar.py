"""Import of hallazgos and recomendaciones: from the convenio's Word file (built here from the seed's text,
and in another layout) and from the spreadsheet template; broken files; the pages as each role."""

from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from convenios import importar, services
from convenios.models import Accion, Aspecto, Convenio, EstadoConvenio, Evaluacion, TipoAspecto
from convenios.tests import fabricas

TEXTO_SEMILLA = Path(settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.txt")
DOCX_TIPO = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TIPO = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIN_2022 = datetime.date(2022, 12, 31)


# --- Files, built in memory -------------------------------------------------------------


def _filas_del_cuadro(lineas: list[str]) -> list[list[list[str]]]:
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
    filas = _filas_del_cuadro(lineas[inicio:fin])
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


@pytest.fixture
def borrador(m) -> Convenio:
    """An empty borrador signed 10 December 2022 whose deadline is 30 June 2023 (past December)."""
    convenio = fabricas.crear_convenio(
        m, estado=EstadoConvenio.BORRADOR, hallazgos=0, recomendaciones=0, fecha_firma=datetime.date(2022, 12, 10)
    )
    convenio.fecha_limite = datetime.date(2023, 6, 30)
    convenio.save()
    return convenio


def _como_tuplas(convenio: Convenio) -> list[tuple]:
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


def _nada_guardado(convenio: Convenio) -> bool:
    return (
        not Aspecto.objects.filter(convenio=convenio).exists()
        and not Accion.objects.filter(aspecto__convenio=convenio).exists()
    )


# --- The reader and the service ---------------------------------------------------------


def test_el_docx_de_la_semilla_reproduce_sus_5_hallazgos_y_6_recomendaciones(seed):
    nuevo = borrador_en_municipio_de(seed)
    implan = fabricas.crear_usuario("implan_izcalli", seed.implan)

    lectura = importar.leer(subido("convenio.docx", docx_de_la_semilla()))
    assert lectura.formato == importar.DOCX
    assert lectura.no_leidas == []
    assert [a.numero for a in lectura.hallazgos] == [1, 2, 3, 4, 5]
    assert [a.numero for a in lectura.recomendaciones] == [1, 2, 3, 4, 5, 6]
    assert _nada_guardado(nuevo)  # reading saves nothing

    services.convenio_importar(convenio=nuevo, lectura=lectura, usuario=implan)

    importado = _como_tuplas(nuevo)
    assert importado == _como_tuplas(seed)
    assert len(importado) == 11
    assert all(fecha == FIN_2022 for *_, fecha, vigente, _acciones in importado for fecha in (fecha, vigente))
    assert all(len(acciones) == 1 for tipo, *_, acciones in importado if tipo == TipoAspecto.RECOMENDACION)
    # Each row is attributed to who imported it.
    assert {h.history_user for a in nuevo.aspectos.all() for h in a.history.all()} == {implan}


def test_otro_formato_con_area_responsable_y_varias_acciones_por_recomendacion(borrador, implan, m):
    lectura = importar.leer(subido("convenio-otro.docx", docx_otro_formato()))
    assert lectura.no_leidas == []
    assert [(a.numero, a.texto) for a in lectura.hallazgos] == [
        (1, "El diagnóstico del programa no cuantifica la población objetivo."),
        (2, "La MIR no tiene indicadores de calidad."),
    ]

    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)

    r1, r2, r3 = borrador.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero")
    assert r1.texto == "Actualizar el diagnóstico del programa."
    assert [
        (a.numero, a.texto, a.fecha_termino, a.area_responsable, a.area_responsable_texto) for a in r1.acciones.all()
    ] == [
        (1, "Levantar la encuesta de población.", datetime.date(2023, 3, 15), None, "Coordinación de Estadística"),
        (2, "Publicar el diagnóstico actualizado.", datetime.date(2023, 6, 30), m.dependencia, ""),
    ]
    assert [a.producto_esperado for a in r1.acciones.all()] == ["Base de datos de la encuesta", "Diagnóstico publicado"]
    # The item's date is the latest of its actions' (past December: the deadline is 30 June 2023).
    assert r1.fecha_compromiso == r1.fecha_vigente == datetime.date(2023, 6, 30)
    assert [(a.texto, a.fecha_termino, a.area_responsable, a.producto_esperado) for a in r2.acciones.all()] == [
        ("Proponer dos indicadores de calidad.", datetime.date(2023, 4, 30), m.dependencia, "Fichas técnicas"),
        ("Incluirlos en el formato PbRM-01d.", datetime.date(2023, 5, 31), m.dependencia, "Formato PbRM-01d"),
    ]
    assert r2.fecha_compromiso == datetime.date(2023, 5, 31)
    assert [a.texto for a in r3.acciones.all()] == ["Impartir un curso de 20 horas.", "Evaluar el curso."]
    assert r3.fecha_compromiso == datetime.date(2023, 4, 30)
    # Hallazgos without a date of their own take the convenio's deadline (cláusula QUINTA).
    assert set(borrador.aspectos.filter(tipo=TipoAspecto.HALLAZGO).values_list("fecha_compromiso", flat=True)) == {
        datetime.date(2023, 6, 30)
    }


def _xlsx_llenado(filas: list[list[object]], plantilla: bytes | None = None) -> bytes:
    libro = load_workbook(io.BytesIO(plantilla or importar.plantilla_xlsx()))
    hoja = libro[importar.HOJA_PLANTILLA]
    for fila in filas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


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


def test_xlsx_de_la_plantilla(borrador, implan, m):
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    assert lectura.formato == importar.XLSX
    assert lectura.no_leidas == []

    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)

    hallazgo = borrador.aspectos.get(tipo=TipoAspecto.HALLAZGO)
    assert (hallazgo.numero, hallazgo.prioridad, hallazgo.clasificacion, hallazgo.acciones.count()) == (
        1,
        "alta",
        "especifico",
        0,
    )
    r1, r2 = borrador.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero")
    assert (r1.texto, r1.prioridad, r1.clasificacion, r1.fecha_compromiso) == (
        "Elaborar el diagnóstico.",
        "media",
        "institucional",
        datetime.date(2023, 6, 30),
    )
    assert [(a.texto, a.area, a.fecha_termino) for a in r1.acciones.all()] == [
        ("Levantar la encuesta.", "Dirección de Desarrollo Social", datetime.date(2023, 3, 15)),
        ("Publicar el diagnóstico.", "Oficina de Comunicación", datetime.date(2023, 6, 30)),
    ]
    assert r1.acciones.get(numero=1).area_responsable == m.dependencia
    assert r2.acciones.get().area_responsable == m.otra_dependencia
    assert r2.fecha_compromiso == datetime.date(2023, 5, 15)


def test_la_plantilla_tiene_los_encabezados_que_el_lector_espera():
    libro = load_workbook(io.BytesIO(importar.plantilla_xlsx()))
    encabezados = [c.value for c in libro[importar.HOJA_PLANTILLA][1]]
    assert encabezados == [
        "Tipo",
        "Número",
        "Texto del aspecto",
        "Acción",
        "Área responsable",
        "Fecha de término",
        "Producto esperado",
        "Prioridad",
        "Clasificación",
    ]
    # The example lives on the instructions sheet: an untouched template reads as empty.
    with pytest.raises(ValidationError, match="no contiene hallazgos ni recomendaciones"):
        importar.leer(subido("plantilla.xlsx", importar.plantilla_xlsx(), XLSX_TIPO))


def test_filas_del_xlsx_que_no_se_leen_llevan_su_motivo(borrador, implan):
    filas = [
        [
            "Recomendación",
            1,
            "Elaborar el diagnóstico.",
            "Levantar la encuesta.",
            None,
            "Dicembre 2023",
            None,
            None,
            None,
        ],
        ["Compromiso", 2, "Otro texto.", "Una acción.", None, "Marzo 2023", None, None, None],
        ["Recomendación", "dos", "Otro texto.", "Una acción.", None, "Marzo 2023", None, None, None],
        ["Recomendación", 3, "Sin acción.", None, None, "Marzo 2023", None, None, None],
        ["Hallazgo", 1, "Un hallazgo.", None, None, None, None, "Urgente", None],
    ]
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(filas), XLSX_TIPO))
    assert [(f.lugar, f.motivo) for f in lectura.no_leidas] == [
        ("Fila 2", "La fecha «Dicembre 2023» no se entiende; escríbala como «Diciembre 2022» o «15 de junio de 2023»."),
        ("Fila 3", "Tipo: «Compromiso» no es válido; use hallazgo o recomendación."),
        ("Fila 4", "El número «dos» no es un número de aspecto (1, 2, 3…)."),
        ("Fila 5", "La recomendación no tiene acción."),
        ("Fila 6", "Prioridad: «Urgente» no es válido; use alta, media o baja."),
    ]
    with pytest.raises(ValidationError, match="5 renglones que no se pudieron leer"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert _nada_guardado(borrador)


# --- Broken files: a Spanish error, nothing saved ---------------------------------------


@pytest.mark.parametrize(
    "nombre,datos,mensaje",
    [
        ("convenio.docx", b"%PDF-1.4\nno es un documento de Word\n", "no es un documento de Word (.docx) ni una hoja"),
        ("convenio.docx", zip_con({"hola.txt": b"hola"}), "no es un documento de Word (.docx) ni una hoja"),
        ("convenio.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "guárdelo como .docx o .xlsx"),
        ("convenio.docx", docx_sin_clausula(), "No se encontró la cláusula CUARTA"),
        ("convenio.docx", b"", "El archivo está vacío."),
        (
            "bomba.docx",
            zip_con({"[Content_Types].xml": b"<Types/>", **{f"word/p{i}.xml": b"x" for i in range(1001)}}),
            "contenido descomprimido desproporcionado (1002 partes",
        ),
        (
            "roto.docx",
            zip_con({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<no es xml"}),
            "El archivo está dañado: no se puede leer",
        ),
    ],
    ids=["pdf", "zip-cualquiera", "doc-antiguo", "sin-clausula", "vacio", "demasiadas-partes", "xml-roto"],
)
def test_archivos_rotos_dan_un_error_en_espanol(nombre, datos, mensaje):
    with pytest.raises(ValidationError) as error:
        importar.leer(subido(nombre, datos))
    assert mensaje in " ".join(error.value.messages)


def test_una_bomba_zip_se_rechaza_sin_descomprimirla():
    datos = bomba_zip()
    assert len(datos) < 100 * 1024
    with pytest.raises(ValidationError, match="contenido descomprimido desproporcionado") as error:
        importar.leer(subido("bomba.docx", datos))
    assert error.value.code == "zip_desproporcionado"


def test_un_xlsx_con_entidades_que_se_multiplican_se_rechaza():
    """ "Billion laughs": a sheet whose XML expands one entity into gigabytes. expat refuses it."""
    risas = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    original = zipfile.ZipFile(io.BytesIO(importar.plantilla_xlsx()))
    partes = {n: original.read(n) for n in original.namelist()}
    partes["xl/worksheets/sheet1.xml"] = risas
    with pytest.raises(ValidationError, match="El archivo está dañado"):
        importar.leer(subido("risas.xlsx", zip_con(partes), XLSX_TIPO))


def test_un_cuadro_con_una_fecha_mal_escrita_no_guarda_nada(seed):
    nuevo = borrador_en_municipio_de(seed)
    implan = fabricas.crear_usuario("implan_izcalli", seed.implan)
    datos = docx_de_la_semilla(fechas={3: ["31 de Diciembre", "2022"]})

    lectura = importar.leer(subido("convenio.docx", datos))
    assert [(f.lugar, f.motivo) for f in lectura.no_leidas] == [
        (
            "Cuadro de recomendaciones (CUARTA b), renglón 4 (No. 3)",
            "La fecha «31 de Diciembre 2022» no se entiende; escríbala como «Diciembre 2022» o «15 de junio de 2023».",
        )
    ]
    assert [a.numero for a in lectura.recomendaciones] == [1, 2, 4, 5, 6]
    with pytest.raises(ValidationError, match="1 renglones que no se pudieron leer"):
        services.convenio_importar(convenio=nuevo, lectura=lectura, usuario=implan)
    assert _nada_guardado(nuevo)


def test_un_cuadro_sin_la_columna_de_fechas_se_rechaza():
    datos = docx_de_la_semilla(cambiar={"\tFecha de cumplimiento\n": "\tObservaciones\n"})
    with pytest.raises(ValidationError, match="no tiene la columna «Fecha de cumplimiento»"):
        importar.leer(subido("convenio.docx", datos))


def test_una_accion_despues_de_la_fecha_limite_la_rechaza_la_regla_del_modelo(borrador, implan):
    filas = [
        ["Recomendación", 1, "Elaborar el diagnóstico.", "Levantar la encuesta.", None, "Marzo 2023", None, None, None],
        ["Recomendación", 1, None, "Publicar el diagnóstico.", None, "15 de julio de 2023", None, None, None],
    ]
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(filas), XLSX_TIPO))
    assert lectura.no_leidas == []  # readable: the rule is the model's, not the reader's
    problemas = services.lectura_revisar(convenio=borrador, lectura=lectura)
    assert [str(p) for p in problemas] == [
        "Recomendación 1, acción 2: fecha de término: La fecha de término no puede exceder el 30 de junio de 2023, "
        "fecha límite del convenio (cláusula QUINTA).",
        "Recomendación 1: fecha de cumplimiento: La fecha de cumplimiento no puede exceder el 30 de junio de 2023 "
        "(cláusula QUINTA).",
    ]
    with pytest.raises(ValidationError, match="cláusula QUINTA"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert _nada_guardado(borrador)


def test_todo_o_nada_si_falla_el_ultimo_aspecto(borrador, implan):
    """The last item repeats the number of one saved before it: the preview's check (each item against
    the database) cannot see it, the save of that item fails, and the items already saved roll back."""
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    lectura.aspectos.append(dataclasses.replace(lectura.aspectos[-1], texto="Otra recomendación 2"))
    assert services.lectura_revisar(convenio=borrador, lectura=lectura) == []
    with pytest.raises(ValidationError, match="Ya existe un hallazgo o recomendación con ese número"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert _nada_guardado(borrador)


def test_un_area_mas_larga_que_la_columna_se_explica_antes_de_guardar(borrador, implan):
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    lectura.aspectos[-1].acciones[0].area_responsable = "x" * 201
    assert [p.lugar for p in services.lectura_revisar(convenio=borrador, lectura=lectura)] == [
        "Recomendación 2, acción 1"
    ]
    with pytest.raises(ValidationError, match="Recomendación 2, acción 1: área responsable"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert _nada_guardado(borrador)


def test_solo_en_un_borrador_vacio(borrador, convenio, implan):
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    with pytest.raises(ValidationError, match="El convenio ya está «Vigente»"):
        services.convenio_importar(convenio=convenio, lectura=lectura, usuario=implan)
    services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    antes = _como_tuplas(borrador)
    with pytest.raises(ValidationError, match="ya tiene hallazgos o recomendaciones capturados"):
        services.convenio_importar(convenio=borrador, lectura=lectura, usuario=implan)
    assert _como_tuplas(borrador) == antes


def test_solo_el_implan_importa(borrador, contraloria, implan_otro_municipio):
    lectura = importar.leer(subido("aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO))
    for usuario in (contraloria, implan_otro_municipio):
        with pytest.raises(PermissionDenied):
            services.convenio_importar(convenio=borrador, lectura=lectura, usuario=usuario)
    assert _nada_guardado(borrador)


def test_la_lectura_sobrevive_a_la_sesion_tal_cual():
    lectura = importar.leer(subido("convenio.docx", docx_otro_formato()))
    assert importar.Lectura.desde_dict(lectura.como_dict()) == lectura


# --- The pages --------------------------------------------------------------------------


def _subir(client, convenio, nombre, datos, tipo=DOCX_TIPO):
    return client.post(reverse("convenios:importar", args=[convenio.pk]), {"archivo": subido(nombre, datos, tipo)})


def test_como_implan_vista_previa_y_luego_confirmar(client, seed):
    nuevo = borrador_en_municipio_de(seed)
    client.force_login(fabricas.crear_usuario("implan_izcalli", seed.implan))

    pagina = client.get(reverse("seguimiento:convenio", args=[nuevo.pk]))
    assert "Importar hallazgos y recomendaciones" in pagina.content.decode()
    assert client.get(reverse("convenios:importar", args=[nuevo.pk])).status_code == 200

    respuesta = _subir(client, nuevo, "convenio.docx", docx_de_la_semilla())
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("convenios:importar_revisar", args=[nuevo.pk])
    vista = client.get(respuesta["Location"])
    html = vista.content.decode()
    assert vista.status_code == 200
    assert "5 hallazgos, 6 recomendaciones, 6 acciones" in html
    assert "Realizar los formatos PbRM08b y PbRM08c de acuerdo a la recomendación" in html
    assert "Fecha de término: 31 de diciembre de 2022" in html
    assert "Todavía no se ha guardado nada" in html
    assert _nada_guardado(nuevo)

    token = vista.context["form"].initial["token"]
    confirmada = client.post(respuesta["Location"], {"token": token})
    assert confirmada.status_code == 302
    assert confirmada["Location"] == reverse("seguimiento:convenio", args=[nuevo.pk])
    assert _como_tuplas(nuevo) == _como_tuplas(seed)
    pagina = client.get(confirmada["Location"]).content.decode()
    assert "Se importaron 5 hallazgos y 6 recomendaciones, con 6 acciones, de «convenio.docx»." in pagina
    # The reading is gone from the session, and the convenio now has items: no second import.
    assert client.post(respuesta["Location"], {"token": token}).status_code == 302
    assert Aspecto.objects.filter(convenio=nuevo).count() == 11
    assert (
        "ya tiene hallazgos o recomendaciones"
        in client.get(reverse("convenios:importar", args=[nuevo.pk])).content.decode()
    )


def test_una_vista_previa_vieja_no_confirma(client, borrador, implan):
    client.force_login(implan)
    _subir(client, borrador, "convenio-otro.docx", docx_otro_formato())
    vieja = client.get(reverse("convenios:importar_revisar", args=[borrador.pk])).context["form"].initial["token"]
    _subir(client, borrador, "aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO)
    respuesta = client.post(reverse("convenios:importar_revisar", args=[borrador.pk]), {"token": vieja})
    assert respuesta.status_code == 200
    assert "Esta vista previa ya no es la última lectura" in respuesta.content.decode()
    assert _nada_guardado(borrador)


def test_la_pagina_muestra_lo_que_no_se_leyo_y_no_ofrece_confirmar(client, borrador, implan):
    client.force_login(implan)
    filas = [*FILAS_XLSX, ["Recomendación", 3, "Texto.", "Acción.", None, "Dicembre 2023", None, None, None]]
    _subir(client, borrador, "aspectos.xlsx", _xlsx_llenado(filas), XLSX_TIPO)
    respuesta = client.get(reverse("convenios:importar_revisar", args=[borrador.pk]))
    html = respuesta.content.decode()
    assert "Renglones que no se pueden importar (1)" in html
    assert "Fila 6" in html and "La fecha «Dicembre 2023» no se entiende" in html
    assert "Confirmar e importar" not in html
    token = respuesta.context["form"].initial["token"]
    respuesta = client.post(reverse("convenios:importar_revisar", args=[borrador.pk]), {"token": token})
    assert "1 renglones que no se pudieron leer" in respuesta.content.decode()
    assert _nada_guardado(borrador)


@pytest.mark.parametrize(
    "nombre,fabricar,mensaje",
    [
        ("convenio.docx", lambda: b"%PDF-1.4 no es Word", "no es un documento de Word (.docx)"),
        ("convenio.docx", docx_sin_clausula, "No se encontró la cláusula CUARTA"),
        ("grande.docx", lambda: bytes(50 * 1024 * 1024), "el máximo para importar es 10"),
        ("bomba.docx", bomba_zip, "contenido descomprimido desproporcionado"),
    ],
    ids=["no-docx", "sin-clausula", "50-MB", "bomba-zip"],
)
def test_la_subida_de_un_archivo_roto_se_explica_junto_al_campo(client, borrador, implan, nombre, fabricar, mensaje):
    client.force_login(implan)
    respuesta = _subir(client, borrador, nombre, fabricar())
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert respuesta.context["form"].errors["archivo"]
    assert f"convenios.importacion.{borrador.pk}" not in client.session
    assert _nada_guardado(borrador)


def test_la_plantilla_se_descarga(client, borrador, implan):
    client.force_login(implan)
    respuesta = client.get(reverse("convenios:importar_plantilla", args=[borrador.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == XLSX_TIPO
    assert "attachment" in respuesta["Content-Disposition"]
    # Filled and uploaded back, it reads.
    _subir(client, borrador, "aspectos.xlsx", _xlsx_llenado(FILAS_XLSX, respuesta.content), XLSX_TIPO)
    vista = client.get(reverse("convenios:importar_revisar", args=[borrador.pk]))
    assert "1 hallazgos, 2 recomendaciones, 3 acciones" in vista.content.decode()


def test_un_convenio_firmado_no_ofrece_importar(client, convenio, implan):
    client.force_login(implan)
    assert (
        "Importar hallazgos y recomendaciones"
        not in client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()
    )
    pagina = client.get(reverse("convenios:importar", args=[convenio.pk]))
    assert "El convenio ya está «Vigente»" in pagina.content.decode()
    assert _subir(client, convenio, "aspectos.xlsx", _xlsx_llenado(FILAS_XLSX), XLSX_TIPO).status_code == 200
    assert Aspecto.objects.filter(convenio=convenio).count() == 5  # the factory's, untouched


@pytest.mark.parametrize("persona", ["contraloria", "tesoreria", "dependencia", "implan_otro_municipio"])
def test_otro_rol_u_otro_municipio_recibe_404(client, borrador, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for nombre in ("importar", "importar_revisar", "importar_plantilla"):
        url = reverse(f"convenios:{nombre}", args=[borrador.pk])
        assert client.get(url).status_code == 404, url
        if nombre != "importar_plantilla":
            assert client.post(url, {}).status_code == 404, url
    assert _subir(client, borrador, "convenio.docx", docx_otro_formato()).status_code == 404
    assert "Importar hallazgos" not in client.get(reverse("seguimiento:convenio", args=[borrador.pk])).content.decode()
    assert _nada_guardado(borrador)


def test_sin_sesion_lleva_a_entrar(client, borrador):
    respuesta = client.get(reverse("convenios:importar", args=[borrador.pk]))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))


@pytest.mark.navegador
def test_en_el_navegador_el_implan_importa_el_docx_de_la_semilla(live_server, pagina, captura, settings, tmp_path):
    from django.core.management import call_command
    from playwright.sync_api import expect

    settings.DEBUG = True
    call_command("cargar_demo", verbosity=0)
    settings.DEBUG = False
    seed = Convenio.objects.get(evaluacion__programa__clave="01020401")
    nuevo = borrador_en_municipio_de(seed)
    archivo = tmp_path / "Convenio Derechos Humanos 2022.docx"
    archivo.write_bytes(docx_de_la_semilla())
    page, base = pagina, live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nombre de usuario").fill("implan")
    page.get_by_label("Contraseña").fill("Izcalli.Demo.2022")
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{base}{reverse('seguimiento:convenio', args=[nuevo.pk])}")
    page.get_by_role("link", name="Importar hallazgos y recomendaciones").click()
    expect(page.get_by_role("heading", name="Importar hallazgos y recomendaciones")).to_be_visible()
    page.get_by_label("Archivo del convenio o plantilla llenada").set_input_files(str(archivo))
    page.get_by_role("button", name="Leer el archivo").click()
    expect(page.get_by_text("5 hallazgos, 6 recomendaciones, 6 acciones")).to_be_visible()
    expect(page.get_by_text("Fecha de término: 31 de diciembre de 2022").first).to_be_visible()
    captura(page, "vista-previa")
    assert _nada_guardado(nuevo)
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_role("alert")).to_contain_text("Se importaron 5 hallazgos y 6 recomendaciones")
    expect(page.get_by_text("Realizar los formatos PbRM08b y PbRM08c de acuerdo a la recomendación")).to_be_visible()
    captura(page, "importado")
    assert _como_tuplas(nuevo) == _como_tuplas(seed)
