"""Filters for the Spanish of official documents: articles that agree with a dependencia's name, dates as the
convenio writes them."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _

from convenios.formatos import MESES, fecha_larga

register = template.Library()

# First words of masculine names of public bodies ("el Instituto…", "el Órgano Interno de Control…").
_MASCULINOS = {
    "ayuntamiento",
    "centro",
    "comité",
    "consejo",
    "departamento",
    "despacho",
    "instituto",
    "organismo",
    "órgano",
    "registro",
    "sistema",
}


def _es_masculino(nombre: str) -> bool:
    primera = (nombre.split() or [""])[0].lower()
    return primera in _MASCULINOS


@register.filter
def articulo(dependencia: Any) -> str:
    """«el» or «la», to agree with the dependencia's name."""
    return "el" if _es_masculino(str(dependencia)) else "la"


@register.filter
def con_articulo(dependencia: Any) -> str:
    """«la Tesorería Municipal», «el Instituto Municipal de Planeación…»."""
    return f"{articulo(dependencia)} {dependencia}"


@register.filter
def concuerda(dependencia: Any, palabra: str) -> str:
    """«representado» / «representada» after the dependencia's gender."""
    if _es_masculino(str(dependencia)) or not palabra.endswith("o"):
        return palabra
    return palabra[:-1] + "a"


@register.filter
def o_falta(valor: Any, hueco: str | None) -> str:
    """The value, or «[falta: …]» where the record lacks it (``hueco`` from ``contextos.huecos_convenio``)."""
    if hueco:
        return _("[falta: %(hueco)s]") % {"hueco": hueco}
    return "" if valor is None else str(valor)


@register.simple_tag
def representante(titular: Any, huecos: dict[str, str], clave: str) -> str:
    """«el Licenciado Alfredo Oropeza Méndez» in the proemio, or the gaps marked."""
    if f"firmante_{clave}" in huecos:
        return o_falta(None, huecos[f"firmante_{clave}"])
    return f"{o_falta(titular.tratamiento, huecos.get(f'tratamiento_{clave}'))} {titular.nombre}"


@register.filter
def fecha_cumplimiento(fecha: datetime.date | None) -> str:
    """As the convenio's table writes it: a date on the last day of its month is "that month" ("Diciembre 2022",
    cláusula CUARTA b of the seed); any other date is written in full."""
    if fecha is None:
        return ""
    if fecha.day == calendar.monthrange(fecha.year, fecha.month)[1]:
        return f"{MESES[fecha.month - 1].capitalize()} {fecha.year}"
    return fecha_larga(fecha)


@register.filter
def dias_del_mes(fecha: datetime.date | None) -> str:
    """The closing of the convenio: "a los 6 días del mes de diciembre de 2022"."""
    if fecha is None:
        return _("a los ____ días del mes de ____________ de ______")
    if fecha.day == 1:
        return _("al 1 día del mes de %(mes)s de %(anio)d") % {"mes": MESES[fecha.month - 1], "anio": fecha.year}
    return _("a los %(dia)d días del mes de %(mes)s de %(anio)d") % {
        "dia": fecha.day,
        "mes": MESES[fecha.month - 1],
        "anio": fecha.year,
    }


@register.inclusion_tag("documentos/_lista.html", takes_context=True)
def documentos_oficiales(context: template.Context, convenio: Any) -> dict[str, Any]:
    """``{% documentos_oficiales convenio %}`` on any convenio page: its documents and IMPLAN's buttons."""
    from documentos.selectors import contexto_lista

    request = context["request"]
    return {
        "convenio": convenio,
        "request": request,
        **contexto_lista(convenio, request.user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("documentos/_de_objeto.html", takes_context=True)
def documento_de(context: template.Context, objeto: Any, tipo: str) -> dict[str, Any]:
    """``{% documento_de prorroga "prorroga" %}`` / ``{% documento_de sesion "sesion" %}``: the issued resolución or
    acta of that object (download link) and, for IMPLAN of its municipio, the preview and issue buttons."""
    from documentos.models import Documento, TipoDocumento
    from documentos.permissions import has_emitir_permission

    request = context["request"]
    municipio_id = objeto.aspecto.convenio.municipio_id if tipo == "prorroga" else objeto.municipio_id
    emitido = Documento.objects.visibles_para(request.user).filter(**{tipo: objeto}).first()
    from convenios.models import hoy

    # A resolución exists once the prórroga is decided; an acta once the sesión was held and its attendance recorded.
    procede = (
        objeto.estado != "solicitada" if tipo == "prorroga" else objeto.fecha <= hoy() and objeto.asistencias.exists()
    )
    return {
        "objeto": objeto,
        "tipo": tipo,
        "emitido": emitido,
        "puede_emitir": procede and emitido is None and has_emitir_permission(request.user, municipio_id),
        "etiqueta": TipoDocumento.RESOLUCION_PRORROGA.label if tipo == "prorroga" else TipoDocumento.ACTA_SESION.label,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def oficio_de_vista(context: template.Context, convenio: Any) -> Any:
    """The issued oficio de vista a la Contraloría of a convenio that the user may see, or None."""
    from documentos.models import Documento, TipoDocumento

    return (
        Documento.objects.visibles_para(context["request"].user)
        .filter(convenio=convenio, tipo=TipoDocumento.VISTA_CONTRALORIA)
        .first()
    )


@register.simple_tag(takes_context=True)
def documentos_por_folio(context: template.Context, q: str) -> list[Any]:
    """The issued documents the user may see whose folio contains ``q`` (the follow-up's search page), at most 20."""
    from documentos.models import Documento

    return list(
        Documento.objects.visibles_para(context["request"].user)
        .filter(folio__icontains=q)
        .order_by("-emitido_en", "-pk")[:20]
    )
