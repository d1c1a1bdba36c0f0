from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from convenios.models import Aspecto, Convenio, Dependencia
from seguimiento import archivos
from seguimiento.models import Accion, FormatoEvidencia, Sesion
from seguimiento.services import TRANSICIONES


class EvidenciaForm(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo"),
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX, PPTX, ODT u ODS. El tipo se comprueba por su contenido."),
        error_messages={"required": _("Elija un archivo."), "empty": _("El archivo está vacío.")},
        allow_empty_file=True,  # checked below with our own message
    )
    descripcion = forms.CharField(
        label=_("Descripción"), max_length=500, help_text=_("Qué acredita este archivo, en una línea.")
    )
    formato = forms.ChoiceField(
        label=_("Formato que evidencia"), choices=[("", _("(ninguno)")), *FormatoEvidencia.choices], required=False
    )

    def clean_archivo(self) -> Any:
        archivo = self.cleaned_data["archivo"]
        archivos.validar_archivo(archivo)
        return archivo


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
        if accion and TRANSICIONES[accion].comentario_obligatorio and not datos.get("comentario"):
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
