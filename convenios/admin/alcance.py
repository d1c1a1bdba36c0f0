"""What keeps an admin page inside its municipio: for an IMPLAN officer, ``visibles_para``; for the
state-level administrator (a superuser), the municipio the page is about (issue 14: a page of one
municipio's records lists that municipio's choices, not the whole state's)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Field, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from auditoria.admin import AlcanceAdminMixin, CambiosAuditadosMixin, HistorialSoloLecturaAdmin, opciones_visibles
from convenios.models import Convenio, Evaluacion, Municipio
from operacion.admin_formularios import AdminSinErrorDelServidor, InlineSinErrorDelServidor


def _municipio_de(request: HttpRequest) -> Any:
    return getattr(request.user, "municipio", None)


# What each model's ``__str__`` reads through its relations: a dropdown of evaluations or
# convenios, an autocomplete answer or a row named by it loads them in the same query.
RELACIONES_DEL_NOMBRE: dict[type[Model], tuple[str, ...]] = {
    Evaluacion: ("programa",),
    Convenio: ("evaluacion__programa",),
}


def con_relaciones_del_nombre(qs: QuerySet) -> QuerySet:
    relaciones = RELACIONES_DEL_NOMBRE.get(qs.model, ())
    return qs.select_related(*relaciones) if relaciones else qs


def _de_la_pagina(qs: QuerySet, request: HttpRequest, modelo: type[Model] | None) -> QuerySet:
    """A superuser's choices: those of the page's municipio; on a new record with no municipio chosen
    yet, only the municipios (the rest appear once it is chosen and the form is sent)."""
    if not request.user.is_superuser or qs.model is Municipio:
        return qs
    municipio = municipio_de_la_pagina(request)
    if municipio is not None:
        return del_municipio(qs, municipio)
    if modelo is not None and _tiene_municipio(modelo) and ruta_al_municipio(qs.model):
        return qs.none()
    return qs


def ruta_al_municipio(modelo: type[Model]) -> str | None:
    """How a row of ``modelo`` reaches its municipio (``PorMunicipioQuerySet.ruta_municipio``)."""
    return getattr(modelo._default_manager.all(), "ruta_municipio", None)


def municipio_id_de(objeto: Model) -> int | None:
    if isinstance(objeto, Municipio):
        return objeto.pk
    ruta = ruta_al_municipio(type(objeto))
    if ruta is None:
        return None
    *camino, ultimo = ruta.split("__")
    for parte in camino:
        objeto = getattr(objeto, parte, None)
        if objeto is None:
            return None
    return getattr(objeto, f"{ultimo}_id", None)


def _numero(valor: str | None) -> int | None:
    return int(valor) if valor and valor.isdigit() and len(valor) <= 18 else None


def municipio_de_la_pagina(request: HttpRequest, modelo: type[Model] | None = None) -> int | None:
    """The municipio a superuser's page is about: the object being edited (or whose inline it is), the
    ``municipio`` its form sends, or the municipio its list is filtered by. None for everyone else:
    ``visibles_para`` already keeps them in theirs."""
    if not request.user.is_superuser:
        return None
    objeto = getattr(request, "_objeto_en_edicion", None)
    if objeto is not None and objeto.pk is not None:
        return municipio_id_de(objeto)
    elegido = _numero(request.POST.get("municipio")) or _numero(request.GET.get("municipio"))
    if elegido is None and modelo is not None and (ruta := ruta_al_municipio(modelo)):
        elegido = _numero(request.GET.get(f"{ruta}__id__exact"))
    return elegido


def del_municipio(qs: QuerySet, municipio_id: int) -> QuerySet:
    if qs.model is Municipio:
        return qs.filter(pk=municipio_id)
    ruta = ruta_al_municipio(qs.model)
    return qs.filter(**{f"{ruta}_id": municipio_id}) if ruta else qs


def municipio_de_la_lista(request: HttpRequest, modelo: type[Model]) -> int | None:
    """The one municipio whose rows a list shows: an officer's own, or the one a superuser filtered by."""
    if request.user.is_superuser:
        return municipio_de_la_pagina(request, modelo)
    municipio = _municipio_de(request)
    return municipio.pk if municipio is not None else None


class RelacionDelMunicipio(admin.RelatedOnlyFieldListFilter):
    """A relation's filter lists the related rows of the list's municipio that its rows use: the list's
    rows, the records on the way and the related rows all narrowed to it."""

    def field_choices(self, field: Field, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        qs = model_admin.get_queryset(request)
        municipio = municipio_de_la_lista(request, model_admin.model)
        propios: dict[str, int] = {}
        if municipio is not None:
            qs = del_municipio(qs, municipio).filter(
                **mismo_municipio_por_el_camino(qs.model, [f"{self.field_path}__pk"], municipio)
            )
            if ruta := ruta_al_municipio(field.related_model):
                propios[f"{ruta}_id"] = municipio
        ids = qs.distinct().values_list(f"{self.field_path}__pk", flat=True)
        orden = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to={"pk__in": ids, **propios}, ordering=orden)


def mismo_municipio_por_el_camino(modelo: type[Model], campos: list[str] | tuple[str, ...], municipio: int) -> dict:
    """Each record a row reaches through a foreign key (a convenio's evaluation and program) is of the
    row's municipio (``Convenio.clean``, ``Evaluacion.clean``). Said to the database, a search or a
    filter's choices read that municipio's evaluations and programs by index, instead of matching a key
    against every program of the state or hashing all of its evaluations (issue 14)."""
    filtros: dict[str, int] = {}
    for campo in campos:
        actual, camino = modelo, []
        for parte in campo.lstrip("^=@").split("__")[:-1]:
            relacion = actual._meta.get_field(parte)
            if not (relacion.many_to_one or relacion.one_to_one) or relacion.auto_created:
                break
            actual, camino = relacion.related_model, [*camino, parte]
            if actual is not Municipio and (ruta := ruta_al_municipio(actual)):
                filtros["__".join([*camino, f"{ruta}_id"])] = municipio
    return filtros


def filtro_anio_pae(ruta: str) -> type[admin.SimpleListFilter]:
    """The PAE year of a list whose rows reach their evaluation by ``ruta``: the years offered are the
    visible evaluations' (an index read), not a DISTINCT over every row of the list joined to its
    evaluation (for the state's items, ~120,000 rows)."""

    class AnioPae(admin.SimpleListFilter):
        title = _("año del PAE")
        parameter_name = ruta

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, int]]:
            evaluaciones = Evaluacion.objects.visibles_para(request.user)
            municipio = municipio_de_la_pagina(request, model_admin.model)
            if municipio is not None:
                evaluaciones = del_municipio(evaluaciones, municipio)
            anios = evaluaciones.order_by("-anio_pae").values_list("anio_pae", flat=True).distinct()
            return [(anio, anio) for anio in anios]

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            anio = _numero(self.value())
            return queryset.filter(**{ruta: anio}) if anio is not None else queryset

    return AnioPae


class MunicipioAdminMixin(AlcanceAdminMixin, CambiosAuditadosMixin):
    """The admin of a municipio's records: every list, object and choice from ``visibles_para(user)``,
    every change in the audit log; for a superuser, the choices and filters of the page's municipio.
    """

    def opciones(self, modelo: type[Model], request: HttpRequest) -> QuerySet:
        qs = super().opciones(modelo, request)
        return con_relaciones_del_nombre(_de_la_pagina(qs, request, self.model))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # The choices are built inside get_form: they need to know whose page this is.
        request._objeto_en_edicion = obj  # type: ignore[attr-defined]
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filtros = [
            (filtro[0], RelacionDelMunicipio)
            if isinstance(filtro, tuple) and filtro[1] is admin.RelatedOnlyFieldListFilter
            else filtro
            for filtro in super().get_list_filter(request)
        ]
        ruta = ruta_al_municipio(self.model)
        if not request.user.is_superuser or ruta is None:
            return filtros
        # The state has thousands of dependencias and programs: their filters appear once a municipio is chosen.
        elegido = municipio_de_la_pagina(request, self.model) is not None
        relaciones = [filtro for filtro in filtros if isinstance(filtro, tuple) and filtro[1] is RelacionDelMunicipio]
        campos = [filtro for filtro in filtros if not isinstance(filtro, tuple)]
        return [(ruta, admin.RelatedFieldListFilter), *campos, *(relaciones if elegido else [])]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # Also the autocomplete's answer, which names each row with ``__str__``.
        qs, duplicados = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        if search_term and (municipio := municipio_de_la_lista(request, self.model)) is not None:
            qs = qs.filter(**mismo_municipio_por_el_camino(self.model, self.get_search_fields(request), municipio))
        qs = con_relaciones_del_nombre(qs)
        if not qs.ordered:
            # The autocomplete pages its answer; the changelist orders it again afterwards.
            qs = qs.order_by("pk")
        # The changelist applies ``list_select_related`` only to a queryset that selects nothing yet.
        if isinstance(self.list_select_related, list | tuple) and qs.query.select_related:
            qs = qs.select_related(*self.list_select_related)
        return qs, duplicados


class InlineDelMunicipio(InlineSinErrorDelServidor):
    """An inline's choices (an action's área responsable, a repeated item) from ``visibles_para`` too."""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        request._objeto_en_edicion = obj  # type: ignore[attr-defined]
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> QuerySet:
        modelo = db_field.remote_field.model
        qs = con_relaciones_del_nombre(
            _de_la_pagina(opciones_visibles(self.admin_site, modelo, request), request, None)
        )
        return qs.using(db) if db else qs


class MunicipioPropioMixin:
    """The municipio of what an IMPLAN officer captures is its own: not asked, set before validation."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluidos = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        return excluidos if request.user.is_superuser else [*excluidos, "municipio"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if request.user.is_superuser:
            return fieldsets
        return [(titulo, {**opciones, "fields": _sin_municipio(opciones["fields"])}) for titulo, opciones in fieldsets]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        clase = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        municipio = _municipio_de(request)
        if request.user.is_superuser:
            campo = clase.base_fields.get("municipio")
            if obj is None and campo is not None and municipio_de_la_pagina(request) is None:
                campo.help_text = _(
                    "Elija el municipio y guarde: las demás listas se llenan con los registros de ese municipio."
                )
            return clase
        if municipio is None or not _tiene_municipio(self.model):  # type: ignore[attr-defined]
            return clase

        class ConMunicipio(clase):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                if not self.instance.municipio_id:
                    self.instance.municipio = municipio

        return ConMunicipio


def _tiene_municipio(modelo: Any) -> bool:
    return any(campo.name == "municipio" for campo in modelo._meta.fields)


def _sin_municipio(campos: Any) -> list[Any]:
    resultado = []
    for campo in campos:
        if isinstance(campo, tuple | list):
            resto = tuple(c for c in campo if c != "municipio")
            if resto:
                resultado.append(resto)
        elif campo != "municipio":
            resultado.append(campo)
    return resultado


class CapturaAdmin(AdminSinErrorDelServidor, MunicipioPropioMixin, MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    """What IMPLAN captures: scoped to its municipio, never a server error, nothing typed lost."""
