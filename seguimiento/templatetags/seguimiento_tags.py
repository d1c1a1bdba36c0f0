from django import template

from seguimiento.selectors import SIGUIENTE_PASO

register = template.Library()


@register.filter
def siguiente_paso(estado: str) -> str:
    return SIGUIENTE_PASO.get(estado, "")


@register.simple_tag(takes_context=True)
def url_pagina(context: template.Context, parametro: str, numero: int) -> str:
    """``?…`` for page ``numero`` of the list paginated by ``parametro``, keeping the other lists' pages."""
    consulta = context["request"].GET.copy()
    consulta[parametro] = str(numero)
    return f"?{consulta.urlencode()}"
