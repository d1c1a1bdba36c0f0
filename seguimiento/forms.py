from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from convenios import politica
from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, Convenio, Dependencia
from seguimiento import archivos
from seguimiento.models import Accion, FormatoEvidencia, Sesion


class VariosArchivosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class VariosArchivosField(forms.FileField):
    """A ``<input type="file" multiple>``: a list of files, each checked on its own (Django's
    "Uploading multiple files"). Each becomes its own Evidencia record."""

    widget = VariosArchivosInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not isinstance(data, list | tuple):
            data = [data] if data else []
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        limpios = []
        for archivo in data:
            limpio = super().clean(archivo, initial)
            try:
                archivos.validar_archivo(limpio)
            except forms.ValidationError as error:
                if len(data) == 1:
                    raise
                raise forms.ValidationError(
                    _("«%(nombre)s»: %(error)s") % {"nombre": limpio.name, "error": " ".join(error.messages)},
                    code=error.code,
                ) from error
            limpios.append(limpio)
        return limpios


def _campo_archivos(required: bool = True) -> VariosArchivosField:
    return VariosArchivosField(
        label=_("Archivos"),
        help_text=_(
            "Puede elegir varios a la vez; cada uno queda como evidencia propia. PDF, JPEG, PNG, DOCX, XLSX, PPTX, "
            "ODT u ODS: el tipo se comprueba por su contenido."
        ),
        error_messages={"required": _("Elija al menos un archivo."), "empty": _("El archivo está vacío.")},
        allow_empty_file=True,  # checked by archivos.validar_archivo with our own message
        required=required,
    )


class EvidenciaForm(forms.Form):
    archivo = _campo_archivos()
    descripcion = forms.CharField(
        label=_("Descripción"), max_length=500, help_text=_("Qué acreditan estos archivos, en una línea.")
    )
    formato = forms.ChoiceField(
        label=_("Formato que evidencia"), choices=[("", _("(ninguno)")), *FormatoEvidencia.choices], required=False
    )
    accion = forms.ModelChoiceField(
        label=_("Acción que acredita"),
        queryset=AccionDelAspecto.objects.none(),
        required=False,
        empty_label=_("(el aspecto en general)"),
    )

    def __init__(self, *args: Any, aspecto: Aspecto | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        acciones = aspecto.acciones.all() if aspecto is not None else AccionDelAspecto.objects.none()
        if aspecto is None or len(acciones) < 2:
            # With one action (or none) there is nothing to choose: the evidence is the item's.
            del self.fields["accion"]
        else:
            self.fields["accion"].queryset = acciones


class AvanceForm(forms.Form):
    """The dependencia reports how far one action has gone (DOMAIN.md: avance 0–100 % with a note)."""

    avance = forms.IntegerField(label=_("Avance (%)"), min_value=0, max_value=100)
    nota = forms.CharField(
        label=_("Nota del avance"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class EntregaForm(forms.Form):
    """The dependencia's evidence for several items of a convenio at once: per item, files and a description."""

    def __init__(self, *args: Any, aspectos: list[Aspecto], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.aspectos = aspectos
        for aspecto in aspectos:
            self.fields[f"archivos_{aspecto.pk}"] = _campo_archivos(required=False)
            self.fields[f"archivos_{aspecto.pk}"].label = _("Archivos para %(aspecto)s") % {"aspecto": aspecto.etiqueta}
            self.fields[f"descripcion_{aspecto.pk}"] = forms.CharField(
                label=_("Qué acreditan (%(aspecto)s)") % {"aspecto": aspecto.etiqueta}, max_length=500, required=False
            )

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        if not any(datos.get(f"archivos_{a.pk}") for a in self.aspectos) and not self.errors:
            raise forms.ValidationError(_("Elija al menos un archivo para algún aspecto."), code="sin_archivos")
        for aspecto in self.aspectos:
            if datos.get(f"archivos_{aspecto.pk}") and not datos.get(f"descripcion_{aspecto.pk}", "").strip():
                self.add_error(f"descripcion_{aspecto.pk}", _("Describa qué acreditan los archivos."))
        return datos

    def filas(self) -> list[tuple[Aspecto, Any, Any]]:
        """(item, its files field, its description field), for the template."""
        return [(a, self[f"archivos_{a.pk}"], self[f"descripcion_{a.pk}"]) for a in self.aspectos]

    def entregas(self) -> list[tuple[Aspecto, list[Any], str]]:
        return [
            (a, self.cleaned_data[f"archivos_{a.pk}"], self.cleaned_data[f"descripcion_{a.pk}"])
            for a in self.aspectos
            if self.cleaned_data.get(f"archivos_{a.pk}")
        ]


class ComentarioForm(forms.Form):
    comentario = forms.CharField(
        label=_("Comentario"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, obligatorio: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comentario"].required = obligatorio
        self.fields["comentario"].error_messages["required"] = _("Escriba el motivo o las observaciones.")


class DecisionForm(forms.Form):
    """IMPLAN's decision on an item: one choice among the moves open now, and one comment."""

    accion = forms.ChoiceField(
        label=_("Decisión"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elija qué decide sobre el aspecto."),
            "invalid_choice": _("Esa decisión no está disponible para el aspecto en su estado actual."),
        },
    )
    comentario = forms.CharField(
        label=_("Comentario u observaciones"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("Obligatorio para devolver, declarar no atendida o cancelar; queda en el historial."),
    )

    def __init__(self, *args: Any, acciones: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accion"].choices = [(a, ETIQUETA_DECISION[a]) for a in acciones if a in ETIQUETA_DECISION]

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        accion = datos.get("accion")
        if accion and politica.ACTOS[accion].comentario_obligatorio and not datos.get("comentario"):
            self.add_error("comentario", _("Escriba el motivo o las observaciones."))
        return datos


ETIQUETA_DECISION = {
    Accion.VALIDAR: _("Validar: la evidencia es suficiente y clara (atendida)"),
    Accion.OBSERVAR: _("Devolver con observaciones"),
    Accion.NO_ATENDER: _("Declarar no atendida (vencido; abre la vista a la Contraloría)"),
    Accion.CANCELAR: _("Cancelar el aspecto (con justificación)"),
}


class ProrrogaSolicitudForm(forms.Form):
    fecha_solicitada = forms.DateField(
        label=_("Nueva fecha de cumplimiento"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    motivo = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ProrrogaResolucionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"), choices=[("aprobar", _("Aprobar")), ("rechazar", _("Rechazar"))], widget=forms.RadioSelect
    )
    comentario = forms.CharField(
        label=_("Comentario"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("Obligatorio al rechazar."),
    )


class SesionForm(forms.Form):
    convenios = forms.ModelMultipleChoiceField(
        label=_("Convenios"), queryset=Convenio.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    fecha = forms.DateField(label=_("Fecha"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hora = forms.TimeField(label=_("Hora"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    lugar = forms.CharField(
        label=_("Lugar"), max_length=300, required=False, help_text=_("Por omisión, el domicilio del IMPLAN.")
    )

    def __init__(self, *args: Any, convenios: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["convenios"].queryset = convenios


class SesionRegistroForm(forms.Form):
    """Attendance per party (one responsable each, cláusula TERCERA), items reviewed and agreements."""

    acuerdos = forms.CharField(
        label=_("Acuerdos"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    aspectos_revisados = forms.ModelMultipleChoiceField(
        label=_("Aspectos revisados"),
        queryset=Aspecto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, sesion: Sesion, partes: list[Dependencia], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partes = partes
        self.fields["aspectos_revisados"].queryset = Aspecto.objects.filter(
            convenio__in=sesion.convenios.all()
        ).select_related("convenio__evaluacion__programa")
        anteriores = {a.dependencia_id: a for a in sesion.asistencias.all()}
        for parte in partes:
            previa = anteriores.get(parte.pk)
            self.fields[f"nombre_{parte.pk}"] = forms.CharField(
                label=_("Asistente por %(parte)s") % {"parte": parte},
                max_length=200,
                required=False,
                initial=previa.nombre if previa else "",
            )
            self.fields[f"cargo_{parte.pk}"] = forms.CharField(
                label=_("Cargo"), max_length=200, required=False, initial=previa.cargo if previa else ""
            )

    def asistencias(self) -> list[dict[str, Any]]:
        return [
            {
                "dependencia": parte,
                "nombre": self.cleaned_data[f"nombre_{parte.pk}"],
                "cargo": self.cleaned_data[f"cargo_{parte.pk}"],
            }
            for parte in self.partes
        ]
