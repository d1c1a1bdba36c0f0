"""No admin form answers 500 and none loses what was typed.

Two causes made the admin answer 500 while capturing a convenio:

- a model's ``clean()`` raising an error keyed to a field the form does not show (a
  read-only or hidden field): Django's ``ModelForm`` then raises ``ValueError``;
- a rule enforced only when saving: a model's ``save()`` that calls ``full_clean()`` on
  an inline row, a CHECK or UNIQUE constraint, or a trigger (``convenios`` migration 0003).

``FormularioAdmin`` moves the first kind next to the form (with the field's name). The
mixin ``AdminSinErrorDelServidor`` catches the second kind: the save is rolled back, and
the same POST is shown again with the message beside the form or the inline row that
failed, everything typed still there. Infrastructure: it knows no domain model; the
Spanish message of a constraint comes from its ``violation_error_message``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError, router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _


def mensaje_de_la_base(error: DatabaseError) -> str:
    """The Spanish message of the constraint or trigger a database error names."""
    texto = str(error)
    for modelo in apps.get_models():
        for restriccion in modelo._meta.constraints:
            if restriccion.name in texto:
                return str(restriccion.get_violation_error_message())
    # Triggers raise "<name>: <Spanish message>" (convenios/migrations/0003).
    for linea in texto.splitlines():
        nombre, separador, mensaje = linea.partition(": ")
        if separador and "_" in nombre and " " not in nombre.strip() and mensaje:
            return mensaje[:1].upper() + mensaje[1:]
    if isinstance(error, IntegrityError) and "UNIQUE" in texto.upper():
        return _("Ya existe un registro con esos datos.")
    return _("No se pudo guardar: los datos contradicen una regla del sistema. Revise los valores e intente de nuevo.")


class ErrorAlGuardar(Exception):
    """A rule that failed while saving: which form (``prefijo``; None is the main form) and why."""

    def __init__(self, error: ValidationError | DatabaseError, prefijo: str | None = None) -> None:
        super().__init__(str(error))
        self.prefijo = prefijo
        self.error = error if isinstance(error, ValidationError) else ValidationError(mensaje_de_la_base(error))


def _anotar(formulario: forms.BaseForm, error: ValidationError) -> None:
    """Adds ``error`` to ``formulario``: beside each named field it shows, the rest above it."""
    if hasattr(error, "error_dict"):
        for campo, mensajes in error.error_dict.items():
            destino = campo if campo in formulario.fields else None
            for mensaje in mensajes:
                texto = " ".join(mensaje.messages)
                if destino is None and campo != NON_FIELD_ERRORS:
                    etiqueta = _etiqueta(formulario, campo)
                    texto = f"{etiqueta}: {texto}" if etiqueta else texto
                formulario.add_error(destino, texto)
    else:
        formulario.add_error(None, error)


def _etiqueta(formulario: forms.BaseForm, campo: str) -> str:
    modelo = getattr(getattr(formulario, "_meta", None), "model", None)
    if modelo is None:
        return ""
    try:
        return str(modelo._meta.get_field(campo).verbose_name).capitalize()
    except Exception:
        return ""


class FormularioAdmin(forms.ModelForm):
    """A ``ModelForm`` whose model errors for fields it does not show appear above the form."""

    error_al_guardar: ErrorAlGuardar | None = None

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict") and any(
            campo != NON_FIELD_ERRORS and campo not in self.fields for campo in errors.error_dict
        ):
            _anotar(self, errors)
            return
        super()._update_errors(errors)

    def clean(self) -> dict[str, Any]:
        datos = super().clean()
        if self.error_al_guardar is not None:
            _anotar(self, self.error_al_guardar.error)
        return datos


@contextmanager
def _fila(formulario: forms.ModelForm) -> Iterator[None]:
    try:
        yield
    except (ValidationError, DatabaseError) as error:
        raise ErrorAlGuardar(error, prefijo=formulario.prefix) from error


def nombre_de_fila(formulario: forms.ModelForm, indice: int | None) -> str:
    """How an inline row is told from the others: its record's name ("Hallazgo 2", a titular's name),
    or "registro nuevo 3" (just "registro nuevo" for the blank row the admin copies to add one)."""
    if formulario.instance.pk:
        return Truncator(str(getattr(formulario.instance, "etiqueta", "") or formulario.instance)).chars(50)
    if indice is None:
        return _("registro nuevo")
    return _("registro nuevo %(n)d") % {"n": indice + 1}


class FormsetAdmin(forms.BaseInlineFormSet):
    """Remembers which row is being saved, and shows a save error of the last attempt beside it.

    Each field of a row is named after its row ("Número (Hallazgo 2)", "Eliminar (Hallazgo 2)"): every row
    repeats the same labels, and a screen reader going from field to field could not tell them apart.
    """

    error_al_guardar: ErrorAlGuardar | None = None

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        fila = nombre_de_fila(form, index)
        for nombre, campo in form.fields.items():
            widget = campo.widget
            # The admin's wrapper (the "+" and pencil links) shares its attrs with the class's widget: the
            # row's own copy is the one inside.
            while isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            varios = isinstance(widget, forms.MultiWidget | forms.RadioSelect | forms.CheckboxSelectMultiple)
            if widget.is_hidden or varios or "aria-label" in widget.attrs:
                continue
            widget.attrs["aria-label"] = _("%(campo)s (%(fila)s)") % {"campo": campo.label or nombre, "fila": fila}

    def save_new(self, form: forms.ModelForm, commit: bool = True) -> Any:
        with _fila(form):
            return super().save_new(form, commit=commit)

    def save_existing(self, form: forms.ModelForm, obj: Any, commit: bool = True) -> Any:
        with _fila(form):
            return super().save_existing(form, obj, commit=commit)

    def delete_existing(self, obj: Any, commit: bool = True) -> None:
        try:
            super().delete_existing(obj, commit=commit)
        except (ValidationError, DatabaseError) as error:
            raise ErrorAlGuardar(error, prefijo=self.prefix) from error

    def clean(self) -> None:
        super().clean()
        error = self.error_al_guardar
        if error is None:
            return
        for formulario in self.forms:
            if formulario.prefix == error.prefijo:
                _anotar(formulario, error.error)
                return
        if error.prefijo == self.prefix or error.prefijo.startswith(f"{self.prefix}-"):
            raise error.error


class InlineSinErrorDelServidor:
    """For every inline of an admin that uses ``AdminSinErrorDelServidor``."""

    form = FormularioAdmin
    formset = FormsetAdmin

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        clase = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        error = getattr(request, "_error_al_guardar", None)
        if error is not None and error.prefijo is not None:
            clase = type(clase.__name__, (clase,), {"error_al_guardar": error})
        return clase


class AutocompletarSinError(AutocompleteSelect):
    """Django's autocomplete widget looks up the typed value as it redraws the form: a value that is
    not an identifier (``":"``) or out of the column's range raised there. It is simply not shown; the field reports it invalid."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        destino = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        validos = []
        for valor in value:
            try:
                destino.run_validators(destino.to_python(valor))
            except ValidationError:
                continue
            validos.append(valor)
        return super().optgroups(name, validos, attr)


class AdminSinErrorDelServidor:
    """A ``ModelAdmin`` mixin: a rule that fails while saving is shown on the page, not as a 500."""

    form = FormularioAdmin

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        # Before formfield_for_dbfield wraps it in the add/change links.
        widget = getattr(campo, "widget", None)
        if type(widget) is AutocompleteSelect:
            widget.__class__ = AutocompletarSinError
        return campo

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        clase = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        error = getattr(request, "_error_al_guardar", None)
        if error is not None and error.prefijo is None:
            clase = type(clase.__name__, (clase,), {"error_al_guardar": error})
        return clase

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            super().save_model(request, obj, form, change)  # type: ignore[misc]
        except (ValidationError, DatabaseError) as error:
            raise ErrorAlGuardar(error) from error

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        try:
            super().save_related(request, form, formsets, change)  # type: ignore[misc]
        except ErrorAlGuardar:
            raise
        except (ValidationError, DatabaseError) as error:
            raise ErrorAlGuardar(error) from error

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):  # type: ignore[attr-defined]
                return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except ErrorAlGuardar as error:
            # Everything of the first attempt was rolled back; the same POST is validated
            # again, now with the message of what failed, so nothing typed is lost.
            request._error_al_guardar = error  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
