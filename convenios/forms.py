from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from convenios import importar


class ImportarForm(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo del convenio o plantilla llenada"),
        help_text=_(
            "El convenio en Word (.docx), con la cláusula CUARTA, o la plantilla de Excel (.xlsx) llenada. "
            "Hasta 10 MB. El tipo se comprueba por su contenido."
        ),
        error_messages={"required": _("Elija un archivo."), "empty": _("El archivo está vacío.")},
        allow_empty_file=True,  # read below, with the reader's own message
    )

    def clean_archivo(self) -> importar.Lectura:
        """The reading replaces the file: the view keeps what was read, never the upload itself."""
        return importar.leer(self.cleaned_data["archivo"])


class ConfirmarImportacionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, esperado: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.esperado = esperado

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not self.esperado or token != self.esperado:
            raise forms.ValidationError(
                _("Esta vista previa ya no es la última lectura; vuelva a subir el archivo."), code="token"
            )
        return token
