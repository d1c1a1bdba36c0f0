"""Each role's home page and the search. Every list that grows with a municipio's work is paginated, so each
page is a fixed number of queries whatever the size of the municipio or of the state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from convenios import politica
from convenios.models import Municipio, TipoDependencia, hoy
from seguimiento import selectors, services
from seguimiento.models import Accion

POR_PAGINA_BANDEJA = 20
POR_PAGINA_CONVENIOS = 25
POR_PAGINA_DEPENDENCIA = 10  # each convenio shows all its items
POR_PAGINA_MUNICIPIOS = 25


def _pagina(request: HttpRequest, lista: object, parametro: str, por_pagina: int) -> Page:
    return Paginator(lista, por_pagina).get_page(request.GET.get(parametro))


@require_GET
@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    usuario = request.user
    if usuario.is_superuser:
        return _inicio_estatal(request)
    if politica.rol_de(usuario) == TipoDependencia.DEPENDENCIA:
        pagina = _pagina(request, selectors.convenios_con_aspectos(usuario), "pagina", POR_PAGINA_DEPENDENCIA)
        for convenio in pagina:
            for aspecto in convenio.lista_aspectos:
                aspecto.puede_enviar = Accion.ENVIAR in services.acciones_disponibles(usuario, aspecto)
            convenio.puede_entregar = any(services.puede_subir_evidencia(usuario, a) for a in convenio.lista_aspectos)
        return render(request, "seguimiento/inicio_dependencia.html", {"pagina": pagina})
    if politica.rol_de(usuario) == TipoDependencia.IMPLAN:
        return _inicio_implan(request)
    pagina = _pagina(request, selectors.convenios_de(usuario), "pagina", POR_PAGINA_CONVENIOS)
    return render(request, "seguimiento/inicio_consulta.html", {"pagina": pagina, "convenios": pagina})


def _inicio_implan(request: HttpRequest) -> HttpResponse:
    """IMPLAN's dashboard: what is late, waiting, due soon and to decide, each count a link to the board."""
    usuario = request.user
    fecha = hoy()
    por_revisar = _pagina(request, selectors.aspectos_por_revisar(usuario), "revision", POR_PAGINA_BANDEJA)
    for aspecto in por_revisar:
        aspecto.dias_en_revision = (fecha - timezone.localdate(aspecto.enviado_en)).days if aspecto.enviado_en else 0
    mas_antiguo = selectors.aspectos_por_revisar(usuario).values_list("enviado_en", flat=True).first()
    convenios = _pagina(request, selectors.convenios_de(usuario), "pagina", POR_PAGINA_CONVENIOS)
    selectors.conteos_de_convenios(list(convenios), fecha)
    return render(
        request,
        "seguimiento/inicio_implan.html",
        {
            "fecha": fecha,
            "conteos": selectors.conteos_implan(usuario, fecha),
            "dias_mas_antiguo": (fecha - timezone.localdate(mas_antiguo)).days if mas_antiguo else None,
            "por_dependencia": selectors.conteos_por_dependencia(usuario, fecha),
            "por_revisar": por_revisar,
            "prorrogas": _pagina(request, selectors.prorrogas_pendientes(usuario), "prorrogas", POR_PAGINA_BANDEJA),
            "convenios": convenios,
        },
    )


def _inicio_estatal(request: HttpRequest) -> HttpResponse:
    """The state-level administrator: counts per municipio, a page at a time, never every convenio of the state."""
    fecha = hoy()
    pagina = _pagina(request, Municipio.objects.order_by("nombre", "pk"), "pagina", POR_PAGINA_MUNICIPIOS)
    selectors.municipios_de_la_pagina(list(pagina), fecha)
    return render(request, "seguimiento/inicio_estatal.html", {"pagina": pagina, "fecha": fecha})


@require_GET
@login_required
def buscar(request: HttpRequest) -> HttpResponse:
    """Search by program key or name, item text, or folio, within what the user may see."""
    q = request.GET.get("q", "").strip()[:100]
    contexto: dict[str, object] = {"q": q, "corta": 0 < len(q) < 3}
    if len(q) >= 3:
        contexto["convenios"] = selectors.buscar_convenios(request.user, q)
        contexto["aspectos"] = selectors.buscar_aspectos(request.user, q)
    return render(request, "seguimiento/buscar.html", contexto)
