"""What each document says: the template context built from the data, the same for a draft and for the issued PDF.

Reads only. The wording (legal references, clause numbers) is in the templates
under ``templates/documentos/pdf/``; here are the facts they cite.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from convenios.models import Aspecto, Convenio, Dependencia, EstadoAspecto, Municipio, TipoAspecto, TipoDependencia
from documentos.render import logo_url, qr_svg
from seguimiento.models import Accion, Evidencia, Movimiento, Prorroga, Sesion


@dataclass(frozen=True)
class Emision:
    """What only an issued document has. A draft has none of it (no folio, no QR)."""

    folio: str
    fecha: datetime.date
    codigo: str
    url_verificacion: str


def periodo_administracion(anio: int) -> str:
    """The municipal administration a year belongs to. Estado de México: three-year terms 2022-2024, 2025-2027…"""
    inicio = anio - (anio - 2022) % 3
    return f"{inicio}-{inicio + 2}"


def _comunes(
    municipio: Municipio, implan: Dependencia, fecha: datetime.date, emision: Emision | None
) -> dict[str, Any]:
    return {
        "municipio": municipio,
        "lugar": f"{municipio.nombre}, {municipio.estado}",
        "implan": implan,
        "titular_implan": implan.titular_en(fecha),
        "logo": logo_url(municipio),
        "fecha": fecha,
        "emision": emision,
        "qr": qr_svg(emision.url_verificacion) if emision else "",
    }


def _titular(dependencia: Dependencia, fecha: datetime.date, respaldo: Any = None) -> Any:
    """Letters go to whoever heads the dependencia on the date of the letter; the signatory if none is recorded."""
    return dependencia.titular_en(fecha) or respaldo


def _copias(fecha: datetime.date, *dependencias: Dependencia) -> list[tuple[Dependencia, Any]]:
    return [(d, d.titular_en(fecha)) for d in dependencias]


def aspectos_con_seguimiento(convenio: Convenio) -> QuerySet[Aspecto]:
    """Every item in the convenio's order (hallazgos, then recomendaciones), with its validation/cancellation
    date and the number of evidence files, in one query."""
    ultima = Movimiento.objects.filter(aspecto=OuterRef("pk")).order_by("-fecha", "-pk")
    evidencias = (
        Evidencia.objects.filter(aspecto=OuterRef("pk"))
        .order_by()
        .values("aspecto")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return convenio.aspectos.annotate(
        fecha_validacion=Subquery(ultima.filter(accion=Accion.VALIDAR).values("fecha")[:1]),
        fecha_cancelacion=Subquery(ultima.filter(accion=Accion.CANCELAR).values("fecha")[:1]),
        fecha_no_atendida=Subquery(ultima.filter(accion=Accion.NO_ATENDER).values("fecha")[:1]),
        comentario_no_atendida=Subquery(ultima.filter(accion=Accion.NO_ATENDER).values("comentario")[:1]),
        n_evidencias=Coalesce(Subquery(evidencias, output_field=IntegerField()), Value(0)),
    ).order_by(orden_convenio(), "numero")


def orden_convenio() -> Case:
    """The convenio's order: hallazgos (CUARTA a) before recomendaciones (CUARTA b); then by number."""
    return Case(When(tipo=TipoAspecto.HALLAZGO, then=Value(0)), default=Value(1), output_field=IntegerField())


def _convenio(convenio: Convenio) -> dict[str, Any]:
    evaluacion = convenio.evaluacion
    return {
        "convenio": convenio,
        "evaluacion": evaluacion,
        "programa": evaluacion.programa,
        "dependencia": convenio.dependencia_evaluada,
    }


def oficio_cumplimiento(convenio: Convenio, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
    dependencia = convenio.dependencia_evaluada
    return {
        **_comunes(convenio.municipio, convenio.implan, fecha, emision),
        **_convenio(convenio),
        "titulo": _("Oficio de cumplimiento"),
        "asunto": _("Oficio de cumplimiento del Convenio para la Mejora del Desempeño y Resultados Gubernamentales"),
        "destinatario": _titular(dependencia, fecha, convenio.firmante_dependencia_evaluada),
        "destinatario_dependencia": dependencia,
        "copias": _copias(fecha, convenio.contraloria, convenio.tesoreria),
        "aspectos": list(aspectos_con_seguimiento(convenio)),
    }


def vista_contraloria(
    convenio: Convenio, fecha: datetime.date, emision: Emision | None, nombrados: list[Aspecto] | None = None
) -> dict[str, Any]:
    """The items it names: those given (``nombrados``, at issue), or in a draft those no earlier vista named."""
    seleccion = aspectos_con_seguimiento(convenio).filter(estado=EstadoAspecto.NO_ATENDIDA)
    if nombrados is not None:
        seleccion = seleccion.filter(pk__in=[a.pk for a in nombrados])
    else:
        seleccion = seleccion.filter(vista_dada_en__isnull=True)
    contraloria = convenio.contraloria
    return {
        **_comunes(convenio.municipio, convenio.implan, fecha, emision),
        **_convenio(convenio),
        "titulo": _("Oficio de vista a la Contraloría"),
        "asunto": _("Vista a la Contraloría por incumplimiento del Convenio para la Mejora del Desempeño"),
        "destinatario": _titular(contraloria, fecha, convenio.firmante_contraloria),
        "destinatario_dependencia": contraloria,
        "copias": _copias(fecha, convenio.dependencia_evaluada, convenio.tesoreria),
        "aspectos": list(seleccion),
    }


def _con_articulo(dependencia: Dependencia) -> str:
    from documentos.templatetags.documentos import con_articulo

    return con_articulo(dependencia)


class Huecos(dict[str, str]):
    """The gaps by key; a key with no gap reads as "" (the templates ask for every key they could mark)."""

    def __missing__(self, clave: str) -> str:
        return ""


def huecos_convenio(convenio: Convenio) -> Huecos:
    """What the convenio's text needs and the record lacks, by the key its templates mark it with
    (``{{ valor|o_falta:huecos.clave }}``): the issue is refused with this list, the preview shows
    «[falta: …]» where each goes, and the text never carries a sentence with a hole in it."""
    huecos = Huecos()
    for clave, (dependencia, titular) in _partes(convenio).items():
        parte = _con_articulo(dependencia)
        if not dependencia.domicilio.strip():
            huecos[f"domicilio_{clave}"] = _("el domicilio de %(parte)s") % {"parte": parte}
        if titular is None:
            huecos[f"firmante_{clave}"] = _("quien firma por %(parte)s") % {"parte": parte}
            continue
        if not titular.tratamiento.strip():
            huecos[f"tratamiento_{clave}"] = _("cómo se nombra a %(nombre)s en el proemio (p. ej. «el Licenciado»)") % {
                "nombre": titular.nombre
            }
        if not titular.cargo.strip():
            huecos[f"cargo_{clave}"] = _("el cargo de %(nombre)s") % {"nombre": titular.nombre}
    if not convenio.aspectos.exists():
        huecos["aspectos"] = _("los hallazgos y recomendaciones de la cláusula CUARTA")
    return huecos


def _partes(convenio: Convenio) -> dict[str, tuple[Dependencia, Any]]:
    return {
        "implan": (convenio.implan, convenio.firmante_implan),
        "tesoreria": (convenio.tesoreria, convenio.firmante_tesoreria),
        "contraloria": (convenio.contraloria, convenio.firmante_contraloria),
        "dependencia": (convenio.dependencia_evaluada, convenio.firmante_dependencia_evaluada),
    }


def convenio_documento(convenio: Convenio, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
    """The convenio itself (the seed's structure), issued for the parties to sign. The legal text may differ per
    PAE year: a template named ``<parte>_<año>.html`` takes precedence over ``<parte>.html``."""
    evaluacion = convenio.evaluacion
    anio = evaluacion.anio_pae

    def plantillas(parte: str) -> list[str]:
        return [f"documentos/pdf/convenio/{parte}_{anio}.html", f"documentos/pdf/convenio/{parte}.html"]

    aspectos = list(aspectos_con_seguimiento(convenio))
    return {
        **_comunes(convenio.municipio, convenio.implan, fecha, emision),
        **_convenio(convenio),
        "titulo": _("Convenio para la Mejora del Desempeño y Resultados Gubernamentales — %(programa)s")
        % {"programa": evaluacion.programa},
        "partes": _partes(convenio),
        "huecos": huecos_convenio(convenio),
        "hallazgos": [a for a in aspectos if a.tipo == TipoAspecto.HALLAZGO],
        "recomendaciones": [a for a in aspectos if a.tipo == TipoAspecto.RECOMENDACION],
        "periodo": periodo_administracion(anio),
        "plantillas": {
            parte: plantillas(parte) for parte in ("proemio", "antecedentes", "declaraciones", "clausulas", "firmas")
        },
        # Counted by the renderer after layout ("consta de N fojas"): its own pages, not the record's.
        "fojas": None,
        "fojas_estimadas": convenio.fojas,
    }


def resolucion_prorroga(prorroga: Prorroga, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
    aspecto = prorroga.aspecto
    convenio = aspecto.convenio
    dependencia = convenio.dependencia_evaluada
    return {
        **_comunes(convenio.municipio, convenio.implan, fecha, emision),
        **_convenio(convenio),
        "titulo": _("Resolución de prórroga"),
        "asunto": _("Resolución de la solicitud de prórroga"),
        "prorroga": prorroga,
        "aspecto": aspecto,
        "destinatario": _titular(dependencia, fecha, convenio.firmante_dependencia_evaluada),
        "destinatario_dependencia": dependencia,
        "copias": _copias(fecha, convenio.contraloria, convenio.tesoreria),
    }


def acta_sesion(sesion: Sesion, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
    implan = Dependencia.objects.get(municipio=sesion.municipio_id, tipo=TipoDependencia.IMPLAN)
    convenios = list(sesion.convenios.select_related("evaluacion__programa", "dependencia_evaluada").order_by("pk"))
    revisados = list(
        sesion.aspectos_revisados.select_related("convenio__evaluacion__programa").order_by(
            "convenio_id", orden_convenio(), "numero"
        )
    )
    return {
        **_comunes(sesion.municipio, implan, fecha, emision),
        "titulo": _("Acta de sesión"),
        "sesion": sesion,
        "acta_corregida": sesion.corrige.documentos.filter(tipo="acta_sesion").first() if sesion.corrige_id else None,
        "convenios": convenios,
        "asistencias": list(sesion.asistencias.select_related("dependencia")),
        "revisados": revisados,
    }


def anexo1(evaluacion: Any, fecha: datetime.date, emision: Emision | None, datos: dict[str, Any]) -> dict[str, Any]:
    """The CONAC Anexo 1 on the municipio's letterhead: ``datos`` is ``documentos.anexo1.datos_anexo1``. Its
    titulars are those of the evaluation's end (item 1.4); who signs an issued one is IMPLAN's titular today."""
    municipio = evaluacion.municipio
    implan = datos.get("implan") or Dependencia.objects.get(municipio=municipio, tipo=TipoDependencia.IMPLAN)
    return {
        **_comunes(municipio, implan, fecha, emision),
        **datos,
        "implan": implan,
        "firmante": implan.titular_en(fecha),
        "titulo": _("Anexo 1 · %(clave)s %(nombre)s (PAE %(anio)s)")
        % {"clave": evaluacion.programa.clave, "nombre": evaluacion.programa.nombre, "anio": evaluacion.anio_pae},
    }
