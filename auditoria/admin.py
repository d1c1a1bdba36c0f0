"""The admin's two guarantees, for every app's ``ModelAdmin``, and the read-only audit log.

``AlcanceAdminMixin``: whatever the admin lists, opens, offers as a choice, filters by or finds
by autocomplete comes from ``visibles_para(user)``; an object outside it is a 404, the same as
one that never existed. ``CambiosAuditadosMixin``: every add, change and delete made in the
admin leaves an audit row (who, what, before and after of each changed field) in the same
transaction as the write (Zulip's ``RealmAuditLog``).

``HistorialSoloLecturaAdmin`` replaces ``SimpleHistoryAdmin`` for every model with a history:
the history is shown, but cannot be "reverted" from the admin. Reverting saves the old version
of the whole row, including the fields the admin shows read-only (an item's ``estado``, its
``fecha_vigente``): it would move an item back in the workflow without a Movimiento and without
the service's checks, and django-simple-history saves a POST to that page even when its
"revert" button is hidden.

This module knows no domain model: the rules come from each queryset's ``visibles_para`` and
from the registered ``ModelAdmin`` of each related model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from auditoria.models import RegistroAuditoria, TipoEvento
from auditoria.services import auditar

# Values never written to the log, only that they changed.
CAMPOS_SECRETOS = frozenset({"password", "password1", "password2"})


def opciones_visibles(sitio: admin.AdminSite, modelo: type[models.Model], request: HttpRequest) -> QuerySet:
    """The rows of ``modelo`` the user may pick: its ``visibles_para``, else what its own admin lists.

    A model with neither is offered to a superuser only.
    """
    qs = modelo._default_manager.all()
    if hasattr(qs, "visibles_para"):
        return qs.visibles_para(request.user)
    try:
        admin_relacionado = sitio.get_model_admin(modelo)
    except NotRegistered:
        return qs if request.user.is_superuser else qs.none()
    return admin_relacionado.get_queryset(request)


class AlcanceAdminMixin:
    """Lists, objects, choices, filters and autocomplete limited to ``visibles_para(request.user)``."""

    admin_site: admin.AdminSite
    model: type[models.Model]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)  # type: ignore[misc]
        return qs.visibles_para(request.user) if hasattr(qs, "visibles_para") else qs

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        # Change, delete and history views all open their object here: outside the user's
        # scope it does not exist (404), instead of Django's redirect with a message.
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def opciones(self, modelo: type[models.Model], request: HttpRequest) -> QuerySet:
        """The choices of a foreign key or many-to-many field to ``modelo``."""
        return opciones_visibles(self.admin_site, modelo, request)

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> QuerySet:
        # Django asks this for every foreign-key and many-to-many form field (dropdowns,
        # raw-id and autocomplete widgets validate against it too).
        modelo = db_field.remote_field.model
        qs = self.opciones(modelo, request)
        # Django orders the choices as the related model's admin orders its list.
        if self.admin_site.is_registered(modelo):
            orden = self.admin_site.get_model_admin(modelo).get_ordering(request)
            if orden:
                qs = qs.order_by(*orden)
        return qs.using(db) if db else qs

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # A relation's filter lists only the related rows of the visible ones: never another
        # municipio's dependencias or programs, and one bounded query.
        return [_filtro_acotado(self.model, filtro) for filtro in super().get_list_filter(request)]  # type: ignore[misc]


def _filtro_acotado(modelo: type[models.Model], filtro: Any) -> Any:
    if not isinstance(filtro, str):
        return filtro
    campo: Any = None
    actual = modelo
    for parte in filtro.split("__"):
        campo = actual._meta.get_field(parte)
        if not campo.is_relation:
            return filtro
        actual = campo.related_model
    return (filtro, admin.RelatedOnlyFieldListFilter) if campo is not None and campo.is_relation else filtro


def _texto(valor: Any) -> str:
    if valor is None or valor == "":
        return "—"
    if isinstance(valor, bool):
        return "sí" if valor else "no"
    if isinstance(valor, QuerySet | list | tuple | set):
        return ", ".join(sorted(str(v) for v in valor)) or "—"
    return str(valor)


def _valor_inicial(form: forms.BaseForm, nombre: str) -> Any:
    valor = form.initial.get(nombre)
    campo = form.fields.get(nombre)
    if isinstance(campo, forms.ModelChoiceField) and not isinstance(campo, forms.ModelMultipleChoiceField):
        if valor in (None, ""):
            return None
        if isinstance(valor, models.Model):
            return valor
        return campo.queryset.model._default_manager.filter(pk=valor).first()
    return valor


def _cambios_del_formulario(form: forms.BaseForm, *, nuevo: bool) -> list[str]:
    lineas = []
    modelo = form._meta.model if isinstance(form, forms.ModelForm) else None
    campos_del_modelo = {f.name for f in modelo._meta.get_fields()} if modelo else set(form.fields)
    if CAMPOS_SECRETOS & set(form.changed_data):
        lineas.append("contraseña: (establecida)" if nuevo else "contraseña: (cambiada)")
    for nombre in form.changed_data:
        # Secrets only as "changed"; a form's own choices (how to set the password) are not the record's.
        if nombre in CAMPOS_SECRETOS or nombre not in campos_del_modelo:
            continue
        etiqueta = str(form.fields[nombre].label or nombre) if nombre in form.fields else nombre
        despues = _texto(form.cleaned_data.get(nombre))
        if nuevo:
            lineas.append(f"{etiqueta}: «{despues}»")
        else:
            lineas.append(f"{etiqueta}: «{_texto(_valor_inicial(form, nombre))}» → «{despues}»")
    return lineas


def _valores(obj: models.Model) -> list[str]:
    lineas = []
    for campo in obj._meta.concrete_fields:
        if campo.primary_key or campo.name in CAMPOS_SECRETOS:
            continue
        valor = getattr(obj, campo.name) if not campo.is_relation else getattr(obj, campo.attname)
        lineas.append(f"{campo.verbose_name}: «{_texto(valor)}»")
    return lineas


class CambiosAuditadosMixin:
    """Every add, change and delete through the admin writes an audit row inside its transaction.

    Django's ``changeform_view`` and ``delete_view`` already run in ``transaction.atomic``; the
    bulk "delete selected" action does not, so ``delete_queryset`` opens its own.
    """

    def cambios_derivados(self, request: HttpRequest, obj: models.Model) -> list[str]:
        """Applies what follows from the saved form (after its many-to-many fields) and says what changed."""
        return []

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Iterable[Any], change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        lineas = _cambios_del_formulario(form, nuevo=not change)
        for formset in formsets:
            lineas += _cambios_del_conjunto(formset)
        lineas += self.cambios_derivados(request, form.instance)
        if change and not lineas:
            return
        auditar(
            tipo=TipoEvento.CAMBIO_ADMIN if change else TipoEvento.ALTA_ADMIN,
            usuario=request.user,
            request=request,
            objeto=form.instance,
            detalle=_encabezado(form.instance) + "\n".join(lineas),
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            _auditar_baja(request, obj)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                _auditar_baja(request, obj)
            super().delete_queryset(request, queryset)  # type: ignore[misc]


def _encabezado(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name}: {obj}\n"


def _auditar_baja(request: HttpRequest, obj: models.Model) -> None:
    auditar(
        tipo=TipoEvento.BAJA_ADMIN,
        usuario=request.user,
        request=request,
        objeto=obj,
        detalle=_encabezado(obj) + "\n".join(_valores(obj)),
    )


def _cambios_del_conjunto(formset: Any) -> list[str]:
    """The changed rows of an inline (a dependencia's titulares, a convenio's items)."""
    nombre = formset.model._meta.verbose_name
    lineas = []
    borrados = {id(f) for f in formset.deleted_forms}
    for form in formset.forms:
        if id(form) in borrados:
            lineas.append(f"{nombre} «{form.instance}» borrado")
            lineas += [f"  {linea}" for linea in _valores(form.instance)]
        elif form.has_changed() and form.instance.pk is not None:
            nuevo = form in formset.extra_forms
            lineas.append(f"{nombre} «{form.instance}» {'agregado' if nuevo else 'cambiado'}")
            lineas += [f"  {linea}" for linea in _cambios_del_formulario(form, nuevo=nuevo)]
    return lineas


class HistorialSoloLecturaAdmin(AlcanceAdminMixin, CambiosAuditadosMixin, SimpleHistoryAdmin):
    # Our own list of versions: django-simple-history's has an inline style, refused by the CSP.
    object_history_list_template = "auditoria/historial_lista.html"

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_change_history_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        # django-simple-history falls back to the history rows when the object is not in the
        # queryset: another municipio's object would show its whole history.
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied(_("El historial no se revierte desde la administración."))
        # django-simple-history looks the version up in the whole history table, by whatever the
        # address says: only a number names a version.
        self.get_object(request, unquote(object_id))
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


def ver_en_el_sitio(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's ``r/<content type>/<id>/`` shortcut ("view on site"), only for an object the user's
    admin shows; Django's own redirects to any object's page (a document's verification code)."""
    try:
        modelo = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    try:
        model_admin = admin.site.get_model_admin(modelo)
    except NotRegistered as error:
        if not request.user.is_superuser:
            raise Http404 from error
    else:
        if not model_admin.has_view_or_change_permission(request) or model_admin.get_object(request, object_id) is None:
            raise Http404
    return shortcut(request, content_type_id, object_id)


@admin.register(RegistroAuditoria)
class RegistroAuditoriaAdmin(AlcanceAdminMixin, admin.ModelAdmin):
    list_display = ["fecha", "tipo", "nombre_usuario", "ip", "objeto_texto", "municipio"]
    list_filter = ["tipo", "fecha"]
    search_fields = ["nombre_usuario", "ip", "objeto_texto", "detalle"]
    date_hierarchy = "fecha"
    list_select_related = ["municipio"]
    readonly_fields = [
        "fecha",
        "tipo",
        "usuario",
        "nombre_usuario",
        "municipio",
        "ip",
        "agente",
        "ruta",
        "tipo_objeto",
        "objeto_id",
        "objeto_texto",
        "detalle",
    ]
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
