from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# An issued document is a few hundred kilobytes; anything far larger cannot be one of ours.
TAMANO_MAXIMO_VERIFICACION = 20 * 1024 * 1024


class VerificarArchivoForm(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo PDF a comprobar"),
        help_text=_("Se compara byte por byte con el archivado; el archivo no se guarda."),
        error_messages={
            "required": _("Seleccione el archivo PDF que desea comprobar."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo válido."),
        },
    )

    def clean_archivo(self):  # type: ignore[no-untyped-def]
        archivo = self.cleaned_data["archivo"]
        if archivo.size > TAMANO_MAXIMO_VERIFICACION:
            raise forms.ValidationError(
                _("El archivo es demasiado grande (más de 20 MB): no puede ser un documento emitido por este sistema."),
                code="demasiado_grande",
            )
        return archivo


class CodigoForm(forms.Form):
    codigo = forms.CharField(
        label=_("Código de verificación"),
        max_length=64,
        strip=True,
        help_text=_("Aparece al pie del documento, junto al código QR."),
        error_messages={"required": _("Escriba el código de verificación del documento.")},
        # The alphabet of secrets.token_urlsafe (services.py); anything else ("a/b") has no address to go to.
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]+\Z",
                _("El código solo lleva letras sin acentos, números, guiones y guiones bajos."),
                code="codigo_invalido",
            )
        ],
    )
