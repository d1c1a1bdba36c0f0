from django import template

from seguimiento.selectors import SIGUIENTE_PASO

register = template.Library()


@register.filter
def siguiente_paso(estado: str) -> str:
    return SIGUIENTE_PASO.get(estado, "")
