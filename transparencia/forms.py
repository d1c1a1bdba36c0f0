"""The portal's search form (GET): every filter optional, bad values reported in Spanish and ignored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from convenios.models import EstadoConvenio, Municipio
from operacion.widgets import Lista
from transparencia import selectors

ESTADOS_FILTRO: list[tuple[str, str]] = [
    ("", _("Todos")),
    *[(valor, etiqueta) for valor, etiqueta in EstadoConvenio.choices if valor in selectors.ESTADOS_PUBLICOS],
    ("sin_convenio", _("Sin convenio publicado")),
]


class FiltrosForm(forms.Form):
    q = forms.CharField(
        label=_("Programa (clave o nombre)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("p. ej. 01020401 o Derechos Humanos"), "type": "search"}),
    )
    municipio = forms.ChoiceField(label=_("Municipio"), required=False, widget=Lista)
    anio = forms.TypedChoiceField(label=_("Año del PAE"), required=False, coerce=int, empty_value=None, widget=Lista)
    dependencia = forms.TypedChoiceField(
        label=_("Dependencia evaluada"), required=False, coerce=int, empty_value=None, widget=Lista
    )
    estado = forms.ChoiceField(label=_("Estado del convenio"), required=False, choices=ESTADOS_FILTRO, widget=Lista)

    def __init__(
        self,
        *args: Any,
        municipio: Municipio | None = None,
        municipios: Sequence[Municipio] = (),
        **kwargs: Any,
    ) -> None:
        """``municipio``: the portal of one municipio; otherwise ``municipios`` (``selectors.municipios_publicos``)."""
        super().__init__(*args, **kwargs)
        self.municipio_fijo = municipio
        if municipio is not None:
            del self.fields["municipio"]
        else:
            self.fields["municipio"].choices = [("", _("Todos")), *((m.slug, m.nombre) for m in municipios)]
            municipio = self._municipio_elegido(municipios)
        self.municipio_elegido = municipio
        anios, dependencias = selectors.opciones_de_los_filtros(municipio)
        self.fields["anio"].choices = [("", _("Todos")), *[(a, a) for a in anios]]
        self.fields["dependencia"].choices = [("", _("Todas")), *dependencias]
        if municipio is None:
            self.fields["dependencia"].help_text = _("Elija un municipio para ver sus dependencias.")
        for campo in self.fields.values():
            clase = "form-select" if isinstance(campo, forms.ChoiceField) else "form-control"
            campo.widget.attrs["class"] = clase

    def _municipio_elegido(self, municipios: Sequence[Municipio]) -> Municipio | None:
        """The municipio of ``?municipio=`` if it is one of the list; the only one if the portal has one."""
        slug = self.data.get("municipio") if self.is_bound else None
        if not slug and len(municipios) == 1:
            return municipios[0]
        return next((m for m in municipios if m.slug == slug), None) if slug else None

    def filtros(self) -> selectors.Filtros:
        """The valid filters; an invalid one is dropped (its error is shown next to it)."""
        datos = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        municipio = self.municipio_fijo
        if municipio is None and datos.get("municipio"):
            municipio = self.municipio_elegido
        return selectors.Filtros(
            q=(datos.get("q") or "").strip(),
            anio=datos.get("anio"),
            dependencia=datos.get("dependencia"),
            estado=datos.get("estado") or "",
            municipio=municipio,
        )

    @property
    def activos(self) -> bool:
        return any(self.data.get(nombre) for nombre in self.fields)
