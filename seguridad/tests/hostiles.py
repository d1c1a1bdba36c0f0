"""Hostile text for the property tests, and how to read back what a page shows."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any

from hypothesis import strategies as st

# Pieces an attacker (or an unlucky copy and paste) would try, mixed with any unicode text.
PIEZAS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    "</textarea><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "{{ request.user.password }}",
    "{{ 7|add:1 }}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "{# comentario #}",
    "\u202egpj.exe",
    "\u200f\u200e\u2067",
    "مرحبا بالعالم",
    "שלום",
    "\x00",
    "\x07\x1b[31m",
    "e\u0301 vs é",
    "😀👩‍👩‍👧",
    "'; DROP TABLE convenios_aspecto; --",
    "%s %n %(x)s {0}",
    "\r\n\t",
    "&amp; &lt;b&gt; &#x3C;",
    "]]><!--",
    "\u2028\u2029\x85",
    "\ufeff",
]

texto_hostil = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(PIEZAS)), max_size=6).map("".join)


def normalizar(texto: str) -> str:
    return " ".join(texto.split())


class _Lector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.partes: list[str] = []
        self.activos = 0
        self._dentro_de: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.activos += 1
        self.activos += sum(
            1
            for nombre, valor in attrs
            if nombre.startswith("on") or (valor or "").strip().lower().startswith("javascript:")
        )
        if tag == "br":
            self.partes.append("\n")
        if tag in ("script", "style"):
            self._dentro_de.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dentro_de and self._dentro_de[-1] == tag:
            self._dentro_de.pop()

    def handle_data(self, data: str) -> None:
        if not self._dentro_de:
            self.partes.append(data)


def leer_pagina(html: str) -> tuple[str, int]:
    """(visible text, normalised; number of script elements, event handlers and javascript: URLs)."""
    lector = _Lector()
    lector.feed(html)
    lector.close()
    return normalizar("".join(lector.partes)), lector.activos


def datos_de_formulario(form: Any) -> dict[str, Any]:
    """The POST data that submits a bound-to-instance form unchanged (for the admin's change forms)."""
    datos: dict[str, Any] = {}
    for nombre in form.fields:
        valor = form[nombre].value()
        clave = form.add_prefix(nombre)
        if isinstance(valor, bool):
            if valor:
                datos[clave] = "on"
        elif isinstance(valor, list | tuple):
            datos[clave] = [str(v) for v in valor]
        elif isinstance(valor, datetime.date):
            datos[clave] = valor.isoformat()
        elif valor is not None:
            datos[clave] = str(valor)
    return datos


def datos_de_pagina_admin(respuesta: Any) -> dict[str, Any]:
    """Everything the admin's change page would post back, inlines included."""
    datos = datos_de_formulario(respuesta.context["adminform"].form)
    for inline in respuesta.context["inline_admin_formsets"]:
        formset = inline.formset
        datos.update(datos_de_formulario(formset.management_form))
        for form in formset.forms:
            datos.update(datos_de_formulario(form))
    return datos
