"""Builds the POST a browser would send for an admin change form, as the page rendered it."""

from __future__ import annotations

from typing import Any

from django import forms


def datos_del_formulario(respuesta: Any) -> dict[str, Any]:
    """The POST a browser would send for the change form as rendered (main form and inlines)."""
    datos: dict[str, Any] = {}

    def agregar(form: forms.BaseForm) -> None:
        for nombre, campo in form.fields.items():
            valor = form[nombre].value()
            clave = form.add_prefix(nombre)
            if isinstance(campo.widget, forms.MultiWidget):
                for i, parte in enumerate(campo.widget.decompress(valor)):
                    datos[f"{clave}_{i}"] = "" if parte is None else str(parte)
            elif isinstance(campo.widget, forms.CheckboxInput):
                if valor:
                    datos[clave] = "on"
            elif isinstance(valor, list | tuple):
                datos[clave] = [str(v) for v in valor]
            elif valor is not None and not isinstance(campo, forms.FileField):
                datos[clave] = str(valor)

    agregar(respuesta.context["adminform"].form)
    for inline in respuesta.context["inline_admin_formsets"]:
        conjunto = inline.formset
        agregar(conjunto.management_form)
        for form in conjunto.forms:
            agregar(form)
    return datos
