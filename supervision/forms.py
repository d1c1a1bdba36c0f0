from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from convenios.models import ClasificacionAspecto, EstadoAspecto, Prioridad, Semaforo, hoy
from operacion.widgets import Lista
from supervision import selectors
from supervision.models import (
    ActuacionContraloria,
    TipoActuacion,
    VerificacionTesoreria,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

ORDEN_OPCIONES = [
    ("dias", _("Días de atraso (mayor primero)")),
    ("fecha", _("Fecha de cumplimiento (más próxima primero)")),
    ("dependencia", _("Dependencia")),
]


class FiltrosTableroForm(forms.Form):
    """The board's filters, read from the query string so that a filtered view can be bookmarked."""

    anio = forms.TypedChoiceField(label=_("Año del PAE"), required=False, coerce=int, empty_value=None)
    dependencia = forms.ModelChoiceField(label=_("Dependencia"), queryset=None, required=False, empty_label=_("Todas"))
    programa = forms.ModelChoiceField(label=_("Programa"), queryset=None, required=False, empty_label=_("Todos"))
    estado = forms.ChoiceField(label=_("Estado"), required=False, choices=[("", _("Todos")), *EstadoAspecto.choices])
    semaforo = forms.ChoiceField(label=_("Semáforo"), required=False, choices=[("", _("Todos")), *Semaforo.choices])
    prioridad = forms.ChoiceField(label=_("Prioridad"), required=False, choices=[("", _("Todas")), *Prioridad.choices])
    clasificacion = forms.ChoiceField(
        label=_("Clasificación del ASM"), required=False, choices=[("", _("Todas")), *ClasificacionAspecto.choices]
    )
    repetidos = forms.BooleanField(label=_("Solo repetidos de un PAE anterior"), required=False)
    vencidos = forms.BooleanField(label=_("Solo vencidos"), required=False)
    orden = forms.ChoiceField(label=_("Ordenar por"), required=False, choices=ORDEN_OPCIONES)

    def __init__(self, *args: Any, usuario: Usuario | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anio"].choices = [("", _("Todos"))] + [(a, a) for a in selectors.anios_visibles(usuario)]
        self.fields["dependencia"].queryset = selectors.dependencias_visibles(usuario)
        self.fields["programa"].queryset = selectors.programas_visibles(usuario)
        for campo in self.fields.values():
            if isinstance(campo, forms.ModelChoiceField):
                campo.widget = Lista(
                    choices=[("", campo.empty_label), *((o.pk, campo.label_from_instance(o)) for o in campo.queryset)]
                )
            elif isinstance(campo, forms.ChoiceField):
                campo.widget = Lista(choices=campo.choices)
            campo.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["vencidos"].widget.attrs["class"] = "form-check-input"
        self.fields["repetidos"].widget.attrs["class"] = "form-check-input"
        self.fields["dependencia"].error_messages["invalid_choice"] = _(
            "Esa dependencia no está entre las que puede ver."
        )
        self.fields["programa"].error_messages["invalid_choice"] = _("Ese programa no está entre los que puede ver.")

    def filtros(self) -> selectors.FiltrosTablero:
        """The valid part of the filters; an invalid value is dropped and reported, never guessed."""
        self.is_valid()
        return selectors.FiltrosTablero.desde(self.cleaned_data)


def _fecha_no_futura(fecha: datetime.date) -> None:
    if fecha > hoy():
        raise ValidationError(_("La fecha no puede ser posterior a hoy."), code="fecha_futura")


MAXIMO_TEXTO = 5000


def _limitar(campo: forms.Field) -> None:
    """A long paste gets a clear error instead of an unbounded row."""
    campo.validators.append(MaxLengthValidator(MAXIMO_TEXTO))
    campo.widget.attrs["maxlength"] = MAXIMO_TEXTO


class ActuacionForm(forms.ModelForm):
    class Meta:
        model = ActuacionContraloria
        fields = ["tipo", "texto", "expediente", "fecha", "estado_procedimiento"]
        widgets = {
            "fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "texto": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"texto": _("Observación o descripción")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fecha"].validators.append(_fecha_no_futura)
        _limitar(self.fields["texto"])
        self.fields["estado_procedimiento"].help_text = _("Solo para un procedimiento formal.")
        self.fields["expediente"].help_text = _("Solo para un procedimiento formal, p. ej. CM/DR/045/2023.")

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        if datos.get("tipo") == TipoActuacion.PROCEDIMIENTO:
            if not datos.get("expediente", "").strip():
                self.add_error("expediente", ValidationError(_("Indique el número de expediente."), code="requerido"))
            if not datos.get("estado_procedimiento"):
                self.add_error(
                    "estado_procedimiento",
                    ValidationError(_("Indique el estado del procedimiento."), code="requerido"),
                )
        elif datos.get("tipo") == TipoActuacion.OBSERVACION:
            # An observation carries no procedure data; dropped rather than rejected.
            datos["expediente"] = ""
            datos["estado_procedimiento"] = ""
        return datos


class VerificacionForm(forms.ModelForm):
    class Meta:
        model = VerificacionTesoreria
        fields = ["tipo", "resultado", "nota", "fecha"]
        widgets = {
            "fecha": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nota": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fecha"].validators.append(_fecha_no_futura)
        _limitar(self.fields["nota"])
