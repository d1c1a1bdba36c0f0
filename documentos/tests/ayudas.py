"""Test helpers: read PDFs back, put a convenio's items in a given state the way the workflow leaves them."""

from __future__ import annotations

import datetime
import hashlib
import re
import zoneinfo
from io import BytesIO

from django.core.files.base import ContentFile
from pypdf import PdfReader

from convenios.models import Aspecto, Convenio, EstadoAspecto
from cuentas.models import Usuario
from seguimiento.models import Accion, Evidencia, Movimiento

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


def subir_evidencia(aspecto: Aspecto, usuario: Usuario, nombre: str = "evidencia.pdf") -> Evidencia:
    contenido = b"%PDF-1.4\n% evidencia de prueba " + nombre.encode() + b"\n%%EOF\n"
    return Evidencia.objects.create(
        aspecto=aspecto,
        archivo=ContentFile(contenido, name=nombre),
        nombre_original=nombre,
        tamano=len(contenido),
        tipo_contenido="application/pdf",
        sha256=hashlib.sha256(contenido).hexdigest(),
        descripcion=f"Evidencia {nombre}",
        subida_por=usuario,
    )


def mover(
    aspecto: Aspecto,
    usuario: Usuario,
    *,
    estado: str,
    accion: str,
    fecha: datetime.datetime,
    comentario: str = "",
) -> Movimiento:
    anterior = aspecto.estado
    aspecto.estado = estado
    aspecto.save()
    movimiento = Movimiento.objects.create(
        aspecto=aspecto,
        usuario=usuario,
        accion=accion,
        estado_anterior=anterior,
        estado_nuevo=estado,
        comentario=comentario,
    )
    # `fecha` is auto_now_add: set the moment the test needs afterwards.
    Movimiento.objects.filter(pk=movimiento.pk).update(fecha=fecha)
    return movimiento


def atender_todo(
    convenio: Convenio,
    *,
    implan: Usuario,
    dependencia: Usuario,
    fecha: datetime.datetime | None = None,
    evidencias: int = 1,
) -> None:
    """Every item: evidence uploaded, sent to review, validated by IMPLAN on ``fecha``."""
    fecha = fecha or datetime.datetime(2022, 12, 15, 12, 0, tzinfo=MEXICO)
    for aspecto in convenio.aspectos.all():
        for n in range(evidencias):
            subir_evidencia(aspecto, dependencia, f"{aspecto.tipo}-{aspecto.numero}-{n}.pdf")
        mover(aspecto, dependencia, estado=EstadoAspecto.EN_REVISION, accion=Accion.ENVIAR, fecha=fecha)
        mover(aspecto, implan, estado=EstadoAspecto.ATENDIDA, accion=Accion.VALIDAR, fecha=fecha)
