from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def supervision_de_aspecto(context: template.Context, aspecto: Any) -> dict[str, Any]:
    """What ``_aspecto_supervision.html`` shows: whether the vista was given, and the actuaciones (one query)."""
    from convenios.models import EstadoAspecto
    from supervision.selectors import actuaciones_de

    return {
        "vista_dada": aspecto.estado == EstadoAspecto.NO_ATENDIDA,
        "actuaciones": list(
            actuaciones_de(usuario=context["request"].user, convenio=aspecto.convenio, aspecto=aspecto)
        ),
        "reservado": getattr(context["request"].user, "rol", None) == "dependencia",
    }


@register.simple_tag(takes_context=True)
def puede_verificar(context: template.Context, convenio: Any) -> bool:
    """Whether the user is the convenio's Tesorería (``has_verificacion_permission``): the convenio page shows the
    button to its verification form."""
    from supervision.permissions import has_verificacion_permission

    return has_verificacion_permission(context["request"].user, convenio)
