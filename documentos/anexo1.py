"""What the CONAC Anexo 1 of an evaluation says: its data, and which numbered items are still empty.

One source for the portal's page, its on-the-fly PDF and the Anexo 1 IMPLAN issues and signs. The items not
captured are named once, in one note, with a dash in each such row instead of the same sentence twenty times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoConvenio,
    Evaluacion,
    Prioridad,
    TipoAspecto,
    TipoDependencia,
    hoy,
)

# Fields IMPLAN captures in `transparencia.Anexo1`, by the item number of the format.
CAPTURADOS: tuple[tuple[str, str], ...] = (
    ("1.5", "objetivo_general"),
    ("1.6", "objetivos_especificos"),
    ("1.7", "metodologia"),
    ("2.2.1", "fortalezas"),
    ("2.2.2", "oportunidades"),
    ("2.2.3", "debilidades"),
    ("2.2.4", "amenazas"),
    ("3.1", "conclusiones"),
    ("4.1", "coordinador"),
    ("4.2", "cargo_coordinador"),
    ("4.4", "colaboradores"),
    ("4.5", "correo_coordinador"),
    ("4.6", "telefono_coordinador"),
    ("6.1", "tipo_contratacion"),
    ("6.2", "unidad_contratante"),
    ("6.4", "fuente_financiamiento"),
)

# Where an item not captured in the Anexo 1 itself is filled, for the message that names what is missing.
ORIGEN: dict[str, str] = {
    "1.2": "fecha de inicio, en la evaluación",
    "1.3": "fecha de término, en la evaluación",
    "1.4": "responsable del seguimiento, o el titular del IMPLAN",
    "2.1": "hallazgos más relevantes, o los del convenio",
    "4.3": "instancia evaluadora, en la evaluación",
    "6.3": "costo, en la evaluación",
    "7.1": "dirección de la evaluación en internet, o su informe final en la evaluación",
}

ORDEN_PRIORIDAD = {Prioridad.ALTA: 0, Prioridad.MEDIA: 1, Prioridad.BAJA: 2}


def datos_anexo1(evaluacion: Evaluacion, absoluta: Callable[[str], str]) -> dict[str, Any]:
    """Everything the Anexo 1 shows: IMPLAN's captured fields plus what the system knows, with the addresses
    of section 7 made absolute by ``absoluta`` (the request's host on the portal, SITIO_URL in an issued one).

    The captured fields live in ``transparencia.Anexo1``; that app sits above this one (it serves these
    documents), so they are read through the evaluation's relation instead of importing its model."""
    anexo = getattr(evaluacion, "anexo1", None)
    # Only a signed convenio's items are public (cláusula OCTAVA); a borrador's are not published yet.
    convenios = list(
        Convenio.objects.filter(evaluacion=evaluacion, estado__in=EstadoConvenio.firmados()).order_by(
            "fecha_firma", "pk"
        )
    )
    aspectos = list(Aspecto.objects.filter(convenio__in=convenios).order_by("convenio_id", "tipo", "numero"))
    fecha_referencia = evaluacion.fecha_termino or hoy()
    implan = Dependencia.objects.filter(municipio=evaluacion.municipio_id, tipo=TipoDependencia.IMPLAN).first()
    datos: dict[str, Any] = {
        "evaluacion": evaluacion,
        "anexo": anexo,
        "convenios": convenios,
        "hallazgos": [a for a in aspectos if a.tipo == TipoAspecto.HALLAZGO],
        # 3.2 asks for the recommendations "de acuerdo a su relevancia": by priority, then number.
        "recomendaciones": sorted(
            (a for a in aspectos if a.tipo == TipoAspecto.RECOMENDACION),
            key=lambda a: (ORDEN_PRIORIDAD.get(a.prioridad, 3), a.convenio_id, a.numero),
        ),
        "nombre_evaluacion": (anexo.nombre_evaluacion if anexo and anexo.nombre_evaluacion else None)
        or f"{evaluacion.nombre_tipo} del programa presupuestario {evaluacion.programa}",
        "implan": implan,
        "titular_implan": implan.titular_en(fecha_referencia) if implan else None,
        "titular_dependencia": evaluacion.dependencia_evaluada.titular_en(fecha_referencia),
        # Section 7's default answers: this portal's own pages.
        "url_formato": absoluta(reverse("transparencia:anexo1", args=[evaluacion.pk])),
        "url_informe": absoluta(reverse("transparencia:informe_final", args=[evaluacion.pk]))
        if evaluacion.informe_final
        else "",
    }
    datos["pendientes"] = apartados_pendientes(datos)
    return datos


def apartados_pendientes(datos: dict[str, Any]) -> list[str]:
    """The item numbers with nothing to show, in the format's order, given the Anexo 1 context."""
    anexo = datos.get("anexo")
    evaluacion = datos["evaluacion"]

    def capturado(campo: str) -> bool:
        return bool(anexo is not None and getattr(anexo, campo))

    # Items from the evaluation's record, or with a value the system knows when IMPLAN has not captured one
    # (see _anexo1.html).
    con_respaldo: dict[str, Callable[[], bool]] = {
        "1.2": lambda: evaluacion.fecha_inicio is not None,
        "1.3": lambda: evaluacion.fecha_termino is not None,
        "1.4": lambda: capturado("responsable_seguimiento") or bool(datos.get("titular_implan")),
        "2.1": lambda: capturado("hallazgos_relevantes") or bool(datos.get("hallazgos")),
        "4.3": lambda: bool(evaluacion.instancia_evaluadora),
        "6.3": lambda: evaluacion.costo_evaluacion is not None,
        "7.1": lambda: capturado("url_evaluacion") or bool(datos.get("url_informe")),
    }
    faltan = [numero for numero, hay in con_respaldo.items() if not hay()]
    faltan += [numero for numero, campo in CAPTURADOS if not capturado(campo)]
    return sorted(faltan, key=lambda numero: tuple(int(parte) for parte in numero.split(".")))


def describir_pendientes(pendientes: list[str]) -> str:
    """«1.5, 4.3 (instancia evaluadora, en la evaluación)»: what is missing and, where it is not the Anexo 1's own
    capture, where it is filled."""
    return ", ".join(f"{numero} ({ORIGEN[numero]})" if numero in ORIGEN else numero for numero in pendientes)
