from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from cuentas import doble_factor, sesiones


def _tiene_sesion(request: HttpRequest) -> bool:
    """Without a session cookie there is no one signed in: the session is not even read, so public
    pages stay cacheable (no ``Vary: Cookie``)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class SesionInactivaMiddleware:
    """Moves the expiry of a staff session forward on each request (see ``cuentas.sesiones``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _tiene_sesion(request) and request.session.get(sesiones.PERSONAL):
            sesiones.renovar(request.session)
        return self.get_response(request)


class DobleFactorMiddleware:
    """A session that still owes its second factor reaches only the pages to give it (or to leave)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        marca = doble_factor.pendiente(request) if _tiene_sesion(request) else None
        if marca and not self._exenta(request.path):
            destino = reverse(
                "cuentas:doble_factor_verificar"
                if marca == doble_factor.VERIFICAR
                else "cuentas:doble_factor_configurar"
            )
            siguiente = request.get_full_path() if request.method == "GET" else ""
            return redirect(f"{destino}?{urlencode({'next': siguiente})}" if siguiente else destino)
        return self.get_response(request)

    @staticmethod
    def _exenta(ruta: str) -> bool:
        exentas = (
            reverse("cuentas:doble_factor_verificar"),
            reverse("cuentas:doble_factor_configurar"),
            reverse("logout"),
        )
        return ruta in exentas or ruta.startswith("/" + settings.STATIC_URL.lstrip("/"))
