"""Test helpers: read PDFs back, put a convenio's items in a given state the way the workflow leaves them."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from io import BytesIO

from pypdf import PdfReader

from convenios.models import Convenio, EstadoAspecto, EstadoConvenio
from cuentas.models import Usuario
from seguimiento import services as seguimiento
from seguimiento.models import Accion, Movimiento
from seguimiento.tests import archivos_prueba
from seguimiento.tests.estados import llevar_a

MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")
MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def en_mexico(anio: int, mes: int, dia: int, hora: int = 12) -> datetime.datetime:
    return datetime.datetime(anio, mes, dia, hora, 0, tzinfo=MEXICO)


def normalizar(texto: str) -> str:
    return re.sub(r"\s+", " ", texto).strip()


def paginas_pdf(pdf: bytes) -> list[str]:
    return [normalizar(pagina.extract_text()) for pagina in PdfReader(BytesIO(pdf)).pages]


def texto_pdf(pdf: bytes) -> str:
    return " ".join(paginas_pdf(pdf))


def fecha_en_espanol(fecha: datetime.date) -> str:
    """Written here, independently of convenios.formatos, so a test does not check the code with itself."""
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}"


def fechar(convenio: Convenio, accion: str, fecha: datetime.datetime) -> None:
    """Dates the moves of a kind as if they had happened on ``fecha`` (``Movimiento.fecha`` is auto_now_add)."""
    Movimiento.objects.filter(aspecto__convenio=convenio, accion=accion).update(fecha=fecha)


def atender_todo(
    convenio: Convenio,
    *,
    implan: Usuario,
    dependencia: Usuario,
    fecha: datetime.datetime | None = None,
    evidencias: int = 1,
) -> None:
    """Through the follow-up services, as the users would: for every pending item the dependencia uploads
    evidence and sends it to review, and IMPLAN validates it (on ``fecha`` when given)."""
    for aspecto in convenio.aspectos.filter(estado=EstadoAspecto.PENDIENTE):
        for n in range(evidencias):
            nombre = f"{aspecto.tipo}-{aspecto.numero}-{n}.pdf"
            seguimiento.evidencia_subir(
                aspecto=aspecto,
                archivo=archivos_prueba.subido(nombre, archivos_prueba.pdf(nombre)),
                descripcion=f"Formato {nombre}",
                usuario=dependencia,
            )
        llevar_a(aspecto, EstadoAspecto.ATENDIDA, dependencia=dependencia, implan=implan)
    if fecha is not None:
        fechar(convenio, Accion.VALIDAR, fecha)


def emitir_version_para_firma(convenio: Convenio, usuario: Usuario):  # type: ignore[no-untyped-def]
    """Issues the convenio's version for signing, which exists only while the convenio is a borrador, for the
    tests that need some issued document of a convenio in another state: borrador for the issue, then its
    state back (by queryset: the record's state, not a workflow move)."""
    from documentos.services import convenio_documento_emitir

    estado = Convenio.objects.filter(pk=convenio.pk).values_list("estado", flat=True).get()
    Convenio.objects.filter(pk=convenio.pk).update(estado=EstadoConvenio.BORRADOR)
    convenio.refresh_from_db()
    documento = convenio_documento_emitir(convenio=convenio, usuario=usuario)
    Convenio.objects.filter(pk=convenio.pk).update(estado=estado)
    convenio.refresh_from_db()
    return documento


def en_borrador(convenio: Convenio) -> Convenio:
    """The convenio as a borrador, before its version for signing is issued through a page."""
    Convenio.objects.filter(pk=convenio.pk).update(estado=EstadoConvenio.BORRADOR)
    convenio.refresh_from_db()
    return convenio


def capturar_anexo1(convenio: Convenio, **cambios: object) -> None:
    """IMPLAN's capture of every item of its evaluation's Anexo 1 (admin, «Anexos 1 CONAC»), so it may be issued."""
    from transparencia.models import Anexo1

    Anexo1.objects.create(
        evaluacion=convenio.evaluacion,
        objetivo_general="Evaluar el desempeño del programa en el ejercicio fiscal evaluado.",
        objetivos_especificos="Reportar sus resultados.\nAnalizar el avance de sus indicadores.",
        instrumento_cuestionarios=True,
        instrumento_entrevistas=True,
        metodologia="Análisis de gabinete y entrevistas con los servidores públicos de la unidad responsable.",
        fortalezas="Matriz de Indicadores para Resultados alineada al Plan de Desarrollo Municipal.",
        oportunidades="Coordinación con otras instancias para capacitación.",
        debilidades="La línea base de los indicadores coincide con la meta anual.",
        amenazas="Reducción del presupuesto asignado.",
        conclusiones="El programa cumple su propósito; debe documentar la programación de sus metas.",
        coordinador="Mtra. Laura Sánchez Ortega",
        cargo_coordinador="Coordinadora de la evaluación",
        colaboradores="Lic. Pedro Ramírez Luna",
        correo_coordinador="evaluaciones@evaluadora.example.org",
        telefono_coordinador="55 5555 0100",
        tipo_contratacion="adjudicacion_directa",
        unidad_contratante="Tesorería Municipal",
        fuente_financiamiento="Recursos propios",
        url_evaluacion="https://municipio.example.org/evaluaciones/2022/",
        **cambios,
    )
