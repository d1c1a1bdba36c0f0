from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from convenios import importar
from convenios.models import Convenio
from convenios.services import Cambio
from seguridad.validadores import validar_pdf


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


# --- The convenio's own acts: its signature and its modificación (cláusula NOVENA) -----------------------

PDF_FIRMADO_MAXIMO = 50 * 1024 * 1024


def _pdf_firmado(archivo: Any) -> Any:
    if archivo is None or archivo is False:
        return archivo
    if archivo.size > PDF_FIRMADO_MAXIMO:
        raise forms.ValidationError(_("El PDF pasa de 50 MB; redúzcalo (escaneo a 200–300 ppp)."), code="grande")
    validar_pdf(archivo)
    return archivo


class FechaForm(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class FirmaForm(forms.Form):
    """The data of the signed convenio that signing needs (the parties and the items are in the capture)."""

    fecha_firma = forms.DateField(
        label=_("Fecha de firma"), widget=FechaForm(), error_messages={"invalid": _("Escriba una fecha válida.")}
    )
    fojas = forms.IntegerField(
        label=_("Número de fojas"),
        min_value=1,
        max_value=999,
        help_text=_("«El presente convenio que consta de 6 fojas…»: las hojas del documento firmado."),
    )
    documento_firmado = forms.FileField(
        label=_("Convenio firmado (PDF escaneado o con e.firma)"),
        required=False,
        help_text=_("El PDF con las cuatro firmas; hasta 50 MB."),
    )

    def __init__(self, *args: Any, convenio: Convenio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.convenio = convenio
        if not convenio.documento_firmado:
            self.fields["documento_firmado"].required = True
            self.fields["documento_firmado"].error_messages["required"] = _("Suba el convenio firmado en PDF.")

    def clean_documento_firmado(self) -> Any:
        return _pdf_firmado(self.cleaned_data.get("documento_firmado"))


class ModificacionForm(forms.Form):
    """Cláusula NOVENA: the modifying agreement, and each field of the convenio, its items and actions that it
    may change, filled with the current values; only what differs is recorded and applied."""

    fecha = forms.DateField(
        label=_("Fecha del convenio modificatorio"),
        widget=FechaForm(),
        error_messages={"invalid": _("Escriba una fecha válida.")},
    )
    motivo = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    documento = forms.FileField(
        label=_("Convenio modificatorio firmado (PDF)"),
        help_text=_("El PDF con las firmas de las partes; hasta 50 MB."),
    )

    def __init__(self, *args: Any, convenio: Convenio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.convenio = convenio
        self.objetos: dict[str, tuple[Any, str]] = {}
        self.grupos: list[tuple[str, list[str]]] = []
        self._agregar(str(_("Convenio")), convenio, ["fecha_limite"])
        aspectos = convenio.aspectos.order_by("tipo", "numero").prefetch_related("acciones")
        for aspecto in aspectos:
            self._agregar(
                aspecto.etiqueta, aspecto, ["texto", "fecha_compromiso"] if not aspecto.acciones.all() else ["texto"]
            )
            for accion in aspecto.acciones.all():
                self._agregar(
                    _("%(aspecto)s, acción %(n)s") % {"aspecto": aspecto.etiqueta, "n": accion.numero},
                    accion,
                    ["texto", "area_responsable_texto", "fecha_termino", "producto_esperado"],
                )

    def _agregar(self, titulo: str, objeto: Any, campos: list[str]) -> None:
        nombres = []
        for campo in campos:
            modelo = objeto._meta.get_field(campo)
            nombre = f"{objeto._meta.model_name}-{objeto.pk}-{campo}"
            if isinstance(modelo, models.DateField):
                formulario: forms.Field = forms.DateField(
                    widget=FechaForm(), error_messages={"invalid": _("Escriba una fecha válida.")}
                )
            else:
                textarea = isinstance(modelo, models.TextField)
                formulario = forms.CharField(
                    required=not modelo.blank,
                    max_length=getattr(modelo, "max_length", None) or 5000,
                    widget=forms.Textarea(attrs={"rows": 2}) if textarea else forms.TextInput(),
                )
            formulario.label = f"{titulo} · {modelo.verbose_name}"
            formulario.initial = getattr(objeto, campo)
            self.fields[nombre] = formulario
            self.objetos[nombre] = (objeto, campo)
            nombres.append(nombre)
        self.grupos.append((titulo, nombres))

    def clean_documento(self) -> Any:
        return _pdf_firmado(self.cleaned_data.get("documento"))

    def cambios(self) -> list[Cambio]:
        return [
            Cambio(objeto, campo, self.cleaned_data[nombre])
            for nombre, (objeto, campo) in self.objetos.items()
            if nombre in self.cleaned_data
        ]

    def grupos_de_campos(self) -> list[tuple[str, list[forms.BoundField], bool]]:
        """(title, fields, whether one of them has an error: its group opens) per object."""
        return [
            (titulo, [self[n] for n in nombres], any(n in self.errors for n in nombres))
            for titulo, nombres in self.grupos
        ]
