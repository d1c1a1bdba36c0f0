from __future__ import annotations

from django import template

from convenios.models import Convenio, EstadoAspecto, EstadoConvenio, Semaforo
from transparencia import selectors

register = template.Library()


@register.filter
def etiqueta_semaforo(valor: str) -> str:
    """'rojo' -> 'Rojo': the semáforo is always written out, never shown by colour alone (WCAG 1.4.1)."""
    try:
        return str(Semaforo(valor).label)
    except ValueError:
        return ""


@register.filter
def clase_estado(valor: str) -> str:
    """Bootstrap badge classes (AA contrast) for the state of a convenio or an item."""
    return {
        EstadoConvenio.VIGENTE: "text-bg-primary",
        EstadoConvenio.CUMPLIDO: "text-bg-success",
        EstadoConvenio.INCUMPLIDO: "text-bg-danger",
        EstadoAspecto.PENDIENTE: "text-bg-secondary",
        EstadoAspecto.EN_REVISION: "text-bg-info",
        EstadoAspecto.OBSERVADA: "text-bg-warning",
        EstadoAspecto.ATENDIDA: "text-bg-success",
        EstadoAspecto.NO_ATENDIDA: "text-bg-danger",
        EstadoAspecto.CANCELADA: "text-bg-light border",
    }.get(valor, "text-bg-secondary")


@register.filter
def porcentaje_avance(convenio: Convenio) -> float | None:
    return selectors.porcentaje_avance(convenio)
