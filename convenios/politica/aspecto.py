"""The acts on an item (DOMAIN.md, "States of an item"), on its actions and on its prórroga (cláusula SÉPTIMA)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from convenios.formatos import fecha_larga
from convenios.politica.base import DEPENDENCIA, IMPLAN, Acto, Condicion, Contexto, E


def _vencido(aspecto: Any, ctx: Contexto) -> bool:
    return aspecto.esta_vencido(ctx.hoy)


def _con_evidencia(aspecto: Any, ctx: Contexto) -> bool:
    # A list may have annotated it for all its items at once (seguimiento.selectors).
    anotado = getattr(aspecto, "tiene_evidencia", None)
    return anotado if anotado is not None else aspecto.evidencias.exists()


def _sin_prorroga_pendiente(objeto: Any, ctx: Contexto) -> bool:
    aspecto = objeto if hasattr(objeto, "prorrogas") else objeto.aspecto
    return not aspecto.prorrogas.filter(estado="solicitada").exists()


def _prorroga_solicitada(prorroga: Any, ctx: Contexto) -> bool:
    return prorroga.estado == "solicitada"


def _no_la_pidio_quien_decide(prorroga: Any, ctx: Contexto) -> bool:
    return prorroga.solicitada_por_id != ctx.usuario.pk


VENCIDO = Condicion(
    "no_vencido",
    _vencido,
    _("Solo un aspecto vencido puede declararse no atendido; vence el %(fecha)s."),
    lambda a, ctx: {"fecha": fecha_larga(a.fecha_vigente)},
)
CON_EVIDENCIA = Condicion(
    "sin_evidencia", _con_evidencia, _("Suba al menos un archivo de evidencia antes de enviar a revisión.")
)
SIN_PRORROGA_PENDIENTE = Condicion(
    "prorroga_pendiente", _sin_prorroga_pendiente, _("Este aspecto ya tiene una solicitud de prórroga pendiente.")
)
PRORROGA_SOLICITADA = Condicion("prorroga_resuelta", _prorroga_solicitada, _("Esta prórroga ya fue resuelta."))
OTRA_PERSONA_DECIDE = Condicion(
    "misma_persona", _no_la_pidio_quien_decide, _("Quien solicitó la prórroga no puede resolverla.")
)


ACTOS_DEL_ASPECTO: tuple[Acto, ...] = (
    Acto(
        "enviar",
        _("Enviar a revisión"),
        "aspecto",
        frozenset({DEPENDENCIA}),
        frozenset({E.PENDIENTE, E.OBSERVADA}),
        E.EN_REVISION,
        (CON_EVIDENCIA,),
    ),
    Acto(
        "validar",
        _("Validar"),
        "aspecto",
        frozenset({IMPLAN}),
        frozenset({E.EN_REVISION}),
        E.ATENDIDA,
        irreversible=True,
    ),
    Acto(
        "observar",
        _("Devolver con observaciones"),
        "aspecto",
        frozenset({IMPLAN}),
        frozenset({E.EN_REVISION}),
        E.OBSERVADA,
        comentario_obligatorio=True,
    ),
    Acto(
        "no_atender",
        _("Declarar no atendida"),
        "aspecto",
        frozenset({IMPLAN}),
        frozenset({E.PENDIENTE, E.OBSERVADA}),
        E.NO_ATENDIDA,
        (VENCIDO,),
        comentario_obligatorio=True,
        irreversible=True,
    ),
    Acto(
        "cancelar",
        _("Cancelar"),
        "aspecto",
        frozenset({IMPLAN}),
        frozenset({E.PENDIENTE, E.EN_REVISION, E.OBSERVADA}),
        E.CANCELADA,
        comentario_obligatorio=True,
        irreversible=True,
    ),
    Acto(
        "evidencia",
        _("Subir evidencia"),
        "aspecto",
        frozenset({DEPENDENCIA}),
        frozenset({E.PENDIENTE, E.OBSERVADA}),
    ),
    Acto(
        "avance",
        _("Reportar avance"),
        "accion",
        frozenset({DEPENDENCIA}),
        frozenset({E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
    ),
    Acto(
        "prorroga_solicitar",
        _("Solicitar prórroga"),
        "aspecto",
        frozenset({DEPENDENCIA}),
        frozenset({E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
        condiciones=(SIN_PRORROGA_PENDIENTE,),
    ),
    Acto(
        "prorroga_resolver",
        _("Resolver la prórroga"),
        "prorroga",
        frozenset({IMPLAN}),
        condiciones=(PRORROGA_SOLICITADA, OTRA_PERSONA_DECIDE),
    ),
)
