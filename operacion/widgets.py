"""Form widgets shared by the apps' filter forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class Lista(forms.Select):
    """A dropdown written in one pass; Django's renders a template per option (~25 µs each), which
    made the state's 125 municipios 3.4 ms of the portal's front page.

    Its ``choices`` are read once, as a list: a model field's own would open a server-side cursor
    (``QuerySet.iterator()``) on PostgreSQL for a few dozen rows."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        elegidos = set(self.format_value(value))
        opciones = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((valor, " selected" if str(valor) in elegidos else "", etiqueta) for valor, etiqueta in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), opciones
        )
