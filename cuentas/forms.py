from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class CodigoForm(forms.Form):
    codigo = forms.CharField(
        label=_("Código de 6 dígitos"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Escriba los 6 dígitos que muestra su aplicación."), "formato")],
        error_messages={"required": _("Escriba el código que muestra su aplicación de autenticación.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_codigo(self) -> str:
        return self.cleaned_data["codigo"].strip()
