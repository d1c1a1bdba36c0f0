from __future__ import annotations

import re

from django import forms
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
        label=_("Código de verificación o folio"),
        max_length=64,
        strip=True,
        help_text=_("El código aparece al pie del documento, junto al código QR; el folio, en el encabezado."),
        error_messages={"required": _("Escriba el código de verificación o el folio del documento.")},
    )

    def clean_codigo(self) -> str:
        """A verification code (URL-safe base64) passes as is; anything else is looked up as a folio."""
        from documentos.models import Documento

        valor = self.cleaned_data["codigo"]
        if re.fullmatch(r"[A-Za-z0-9_-]+", valor):
            return valor
        codigos = list(
            Documento.objects.filter(folio__iexact=valor.replace(" ", "")).values_list("codigo_verificacion", flat=True)
        )
        if len(codigos) == 1:
            return codigos[0]
        if len(codigos) > 1:
            raise forms.ValidationError(
                _("Varios municipios usan ese folio: escriba el código de verificación del pie del documento."),
                code="folio_ambiguo",
            )
        raise forms.ValidationError(_("No hay ningún documento emitido con ese folio o código."), code="no_encontrado")


# A .cer and a .key are 1-2 KB; anything far larger is not an e.firma (and must not grow the memory).
TAMANO_MAXIMO_EFIRMA = 64 * 1024

# Which field each refusal of documentos.firma belongs next to.
CAMPO_DEL_ERROR = {
    "cer_invalido": "cer",
    "certificado_vencido": "cer",
    "certificado_aun_no_valido": "cer",
    "certificado_no_para_firmar": "cer",
    "firmante_distinto": "cer",
    "key_invalida": "key",
    "llave_no_corresponde": "key",
    "password_incorrecta": "password",
}


class EFirmaForm(forms.Form):
    """The signatory's e.firma. The view reads uploads only into memory; nothing of this form is stored."""

    cer = forms.FileField(
        label=_("Certificado (.cer)"),
        help_text=_("El certificado de su e.firma, en formato DER, como lo entrega el SAT."),
        error_messages={"required": _("Seleccione el archivo .cer de su e.firma.")},
    )
    key = forms.FileField(
        label=_("Llave privada (.key)"),
        help_text=_("Se usa solo en la memoria del servidor para firmar; no se guarda."),
        error_messages={"required": _("Seleccione el archivo .key de su e.firma.")},
    )
    password = forms.CharField(
        label=_("Contraseña de la llave privada"),
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        error_messages={"required": _("Escriba la contraseña de su llave privada.")},
    )

    def _leer(self, campo: str) -> bytes:
        archivo = self.cleaned_data[campo]
        if archivo.size > TAMANO_MAXIMO_EFIRMA:
            raise forms.ValidationError(
                _("El archivo es demasiado grande para ser parte de una e.firma."), code="demasiado_grande"
            )
        return archivo.read()

    def clean_cer(self) -> bytes:
        return self._leer("cer")

    def clean_key(self) -> bytes:
        return self._leer("key")
