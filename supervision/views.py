"""Oversight pages: the board and its exports, progress and charts, a convenio's and an item's oversight."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from convenios import politica
from convenios.models import Aspecto, Convenio, EstadoAspecto, hoy
from notificaciones.models import Notificacion
from operacion.replica import lee_de_replica
from seguimiento.selectors import version_del_seguimiento
from supervision import exportar, graficas, selectors, services
from supervision.forms import ActuacionForm, FiltrosTableroForm, VerificacionForm
from supervision.models import ActuacionContraloria
from supervision.permissions import (
    get_aspecto_for_user,
    get_convenio_for_user,
    get_notificacion_for_user,
    has_actuacion_permission,
    has_tablero_permission,
    has_verificacion_permission,
)

POR_PAGINA = 50
SEGUNDOS_TABLERO = 24 * 3600
"""The key carries the data's version and the day: a kept board is never stale, only evicted."""


def _exigir_tablero(request: HttpRequest) -> None:
    if not has_tablero_permission(request.user):
        raise PermissionDenied(gettext("Su usuario no tiene una dependencia asignada."))


def _filtros(request: HttpRequest) -> tuple[FiltrosTableroForm, selectors.FiltrosTablero]:
    form = FiltrosTableroForm(request.GET, usuario=request.user)
    return form, form.filtros()


@login_required
@require_GET
def tablero(request: HttpRequest) -> HttpResponse:
    _exigir_tablero(request)
    fecha = hoy()
    # The board is rendered once per change of what it shows (README, "Decisiones"): the key is the
    # version of the follow-up data, whose board it is (role, dependencia), the day and the query.
    usuario = request.user
    clave = (
        "tablero:"
        + hashlib.sha256(
            repr(
                (
                    version_del_seguimiento(ActuacionContraloria),
                    politica.rol_de(usuario),
                    usuario.dependencia_id,
                    get_language(),
                    fecha,
                    sorted(request.GET.lists()),
                )
            ).encode()
        ).hexdigest()
    )
    contenido = caches["paginas"].get(clave)
    if contenido is None:
        contenido = render_to_string("supervision/_tablero.html", _contexto_tablero(request, fecha), request=request)
        caches["paginas"].set(clave, contenido, SEGUNDOS_TABLERO)
    return render(request, "supervision/tablero.html", {"contenido": contenido})


def _contexto_tablero(request: HttpRequest, fecha: datetime.date) -> dict[str, Any]:
    form, filtros = _filtros(request)
    aspectos = selectors.aspectos_tablero(usuario=request.user, filtros=filtros, fecha=fecha)
    pagina = Paginator(aspectos, POR_PAGINA).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    sin_semaforo = consulta.copy()
    sin_semaforo.pop("semaforo", None)
    return {
        "form": form,
        "filtros": filtros,
        "pagina": pagina,
        "conteos": selectors.conteos_semaforo(usuario=request.user, filtros=filtros, fecha=fecha),
        "consulta": consulta.urlencode(),
        "consulta_sin_semaforo": sin_semaforo.urlencode(),
        "fecha": fecha,
    }


@login_required
@require_GET
@lee_de_replica
def tablero_exportar(request: HttpRequest, formato: str) -> HttpResponse:
    """Exactly the board's filtered rows, streamed (CSV) or written to a temporary file (XLSX)."""
    _exigir_tablero(request)
    _form, filtros = _filtros(request)
    fecha = hoy()
    filas = selectors.columnas_exportacion(
        selectors.aspectos_tablero(usuario=request.user, filtros=filtros, fecha=fecha)
    )
    nombre = f"tablero-asm-{fecha:%Y-%m-%d}"
    if formato == "xlsx":
        return exportar.respuesta_xlsx(filas, nombre)
    return exportar.respuesta_csv(filas, nombre)


@login_required
@require_GET
def avance(request: HttpRequest) -> HttpResponse:
    _exigir_tablero(request)
    fecha = hoy()
    por_dependencia = selectors.avance_por_dependencia(request.user, fecha)
    por_mes = selectors.semaforo_por_mes(request.user, fecha)
    return render(
        request,
        "supervision/avance.html",
        {
            "por_dependencia": por_dependencia,
            "por_anio": selectors.avance_por_anio(request.user, fecha),
            "por_convenio": selectors.avance_por_convenio(request.user, fecha),
            "por_mes": [{**fila, "nombre_mes": graficas.nombre_mes(fila["mes"])} for fila in por_mes],
            "grafica_dependencias": graficas.barras_horizontales(por_dependencia, etiqueta="nombre", titulo="nombre"),
            "grafica_meses": graficas.columnas_por_mes(por_mes),
            "fecha": fecha,
        },
    )


def _contexto_convenio(request: HttpRequest, convenio: Convenio, **formularios: object) -> dict[str, object]:
    puede_actuar = has_actuacion_permission(request.user, convenio)
    puede_verificar = has_verificacion_permission(request.user, convenio)
    return {
        "convenio": convenio,
        "avance": selectors.avance_de_convenio(convenio),
        "verificaciones": selectors.verificaciones_vigentes(convenio),
        "historial_verificaciones": convenio.verificaciones.select_related("autor").order_by("-fecha", "-pk"),
        "actuaciones": selectors.actuaciones_de(usuario=request.user, convenio=convenio),
        "puede_actuar": puede_actuar,
        "puede_verificar": puede_verificar,
        "form_actuacion": formularios.get("form_actuacion")
        or (ActuacionForm(initial={"fecha": hoy()}) if puede_actuar else None),
        "form_verificacion": formularios.get("form_verificacion")
        or (VerificacionForm(initial={"fecha": hoy()}) if puede_verificar else None),
    }


@login_required
@require_GET
def convenio(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    return render(request, "supervision/convenio.html", _contexto_convenio(request, convenio))


def _contexto_aspecto(request: HttpRequest, aspecto: Aspecto, form: ActuacionForm | None = None) -> dict[str, object]:
    puede_actuar = has_actuacion_permission(request.user, aspecto.convenio) and (
        aspecto.esta_vencido() or aspecto.estado == EstadoAspecto.NO_ATENDIDA
    )
    return {
        "aspecto": aspecto,
        "convenio": aspecto.convenio,
        "actuaciones": selectors.actuaciones_de(usuario=request.user, convenio=aspecto.convenio, aspecto=aspecto),
        "procedimiento": selectors.procedimiento_abierto(request.user, aspecto),
        "puede_actuar": puede_actuar,
        "form_actuacion": form or (ActuacionForm(initial={"fecha": hoy()}) if puede_actuar else None),
        "fecha": hoy(),
    }


@login_required
@require_GET
def aspecto(request: HttpRequest, pk: int) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    return render(request, "supervision/aspecto.html", _contexto_aspecto(request, aspecto))


def _error_de_servicio(form: object, error: ValidationError) -> None:
    form.add_error(None, error)  # type: ignore[attr-defined]


@login_required
@require_POST
def actuacion_convenio(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    if not has_actuacion_permission(request.user, convenio):
        raise PermissionDenied(gettext("Solo la Contraloría registra observaciones y procedimientos."))
    form = ActuacionForm(request.POST)
    if form.is_valid():
        try:
            services.actuacion_registrar(convenio=convenio, usuario=request.user, **form.cleaned_data)
        except ValidationError as error:
            _error_de_servicio(form, error)
        else:
            messages.success(request, gettext("Actuación registrada; el IMPLAN ya puede consultarla."))
            return redirect("supervision:convenio", pk=convenio.pk)
    return render(request, "supervision/convenio.html", _contexto_convenio(request, convenio, form_actuacion=form))


@login_required
@require_POST
def actuacion_aspecto(request: HttpRequest, pk: int) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    if not has_actuacion_permission(request.user, aspecto.convenio):
        raise PermissionDenied(gettext("Solo la Contraloría registra observaciones y procedimientos."))
    form = ActuacionForm(request.POST)
    if form.is_valid():
        try:
            services.actuacion_registrar(
                convenio=aspecto.convenio, aspecto=aspecto, usuario=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _error_de_servicio(form, error)
        else:
            messages.success(request, gettext("Actuación registrada; el IMPLAN ya puede consultarla."))
            return redirect("supervision:aspecto", pk=aspecto.pk)
    return render(request, "supervision/aspecto.html", _contexto_aspecto(request, aspecto, form))


@login_required
@require_POST
def verificacion(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    if not has_verificacion_permission(request.user, convenio):
        raise PermissionDenied(gettext("Solo la Tesorería registra sus verificaciones."))
    form = VerificacionForm(request.POST)
    if form.is_valid():
        try:
            services.verificacion_registrar(convenio=convenio, usuario=request.user, **form.cleaned_data)
        except ValidationError as error:
            _error_de_servicio(form, error)
        else:
            messages.success(
                request, gettext("Verificación registrada; el IMPLAN y la Contraloría ya pueden consultarla.")
            )
            return redirect("supervision:convenio", pk=convenio.pk)
    return render(request, "supervision/convenio.html", _contexto_convenio(request, convenio, form_verificacion=form))


@login_required
@require_GET
def notificaciones(request: HttpRequest) -> HttpResponse:
    lista = Notificacion.objects.filter(usuario=request.user)
    pagina = Paginator(lista, 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "supervision/notificaciones.html",
        {"pagina": pagina, "no_leidas": lista.filter(leida_en__isnull=True).count()},
    )


@login_required
@require_GET
def notificacion_abrir(request: HttpRequest, pk: int) -> HttpResponse:
    """Opens what the notice is about and marks it read (as opening a message does); another user's is a 404."""
    notificacion = get_notificacion_for_user(request.user, pk)
    Notificacion.objects.filter(pk=notificacion.pk, leida_en__isnull=True).update(leida_en=timezone.now())
    destino = notificacion.enlace
    # Stored by our own services, always a path of this site; checked all the same before redirecting.
    if not destino or not url_has_allowed_host_and_scheme(destino, allowed_hosts=None):
        return redirect("supervision:notificaciones")
    return redirect(destino)


@login_required
@require_POST
def notificaciones_leidas(request: HttpRequest) -> HttpResponse:
    n = Notificacion.objects.filter(usuario=request.user, leida_en__isnull=True).update(leida_en=timezone.now())
    if n:
        mensaje = ngettext(
            "Se marcó %(n)d notificación como leída.", "Se marcaron %(n)d notificaciones como leídas.", n
        )
        messages.info(request, mensaje % {"n": n})
    else:
        messages.info(request, gettext("No había notificaciones sin leer."))
    return redirect("supervision:notificaciones")
