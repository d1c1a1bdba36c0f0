"""Rate limits for any view: ``@limitar_tasa("verificacion", "10/m")``.

Written here instead of taken from django-ratelimit because a limited request must get a
429 with ``Retry-After`` and a Spanish page even in front of a Django REST Framework view
(DRF turns the ``PermissionDenied`` that django-ratelimit raises into its own 403), and the
whole mechanism is one cache counter per window.

A fixed window: at most N requests per key in each window of the period (``"10/m"``: ten
per minute). Counters live in the cache (``CACHES``): with several server processes it
must be a shared one (Redis), or each process counts on its own.

Usage::

    @limitar_tasa("verificacion", "10/m")                       # POSTs per client address
    def verificar(request): ...

    path("api/", limitar_tasa("api", "120/m", metodos=("GET",), json=True)(VistaApi.as_view()))

    @limitar_tasa("descargas", "300/h", clave=por_usuario_o_ip, metodos=("GET",))

``settings.LIMITES_DE_TASA = {"verificacion": "20/h"}`` overrides a group's rate without
touching the code.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from seguridad.red import ip_cliente

logger = logging.getLogger(__name__)

_UNIDADES = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_FORMATO = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Tasa:
    cantidad: int
    segundos: int

    @classmethod
    def de_texto(cls, texto: str) -> Tasa:
        """``"10/m"`` → 10 per 60 s; ``"5/15m"`` → 5 per 900 s."""
        coincidencia = _FORMATO.match(texto)
        if not coincidencia:
            raise ValueError(f"Tasa no válida: {texto!r} (ejemplos: '10/m', '100/h', '5/15m').")
        cantidad, multiplo, unidad = coincidencia.groups()
        return cls(int(cantidad), int(multiplo or 1) * _UNIDADES[unidad])


def por_ip(request: HttpRequest) -> str:
    return ip_cliente(request) or "sin-direccion"


def por_usuario_o_ip(request: HttpRequest) -> str:
    usuario = getattr(request, "user", None)
    if usuario is not None and usuario.is_authenticated:
        return f"usuario:{usuario.pk}"
    return f"ip:{por_ip(request)}"


def consumir(grupo: str, clave: str, tasa: Tasa, ahora: float | None = None) -> int:
    """Counts one request; returns 0 when allowed, or the seconds to wait when over the limit."""
    ahora = time.time() if ahora is None else ahora
    ventana = int(ahora // tasa.segundos)
    llave = "limite:" + hashlib.sha256(f"{grupo}\x1f{clave}\x1f{ventana}".encode()).hexdigest()
    cache.add(llave, 0, timeout=tasa.segundos + 1)
    try:
        cuenta = cache.incr(llave)
    except ValueError:  # expired between add() and incr()
        cache.set(llave, 1, timeout=tasa.segundos + 1)
        cuenta = 1
    if cuenta <= tasa.cantidad:
        return 0
    return max(1, tasa.segundos - int(ahora) % tasa.segundos)


def respuesta_limitada(request: HttpRequest, espera: int, *, json: bool = False) -> HttpResponse:
    """429 with ``Retry-After``: JSON for an API (``json=True``) or a client that asks for it, else a page."""
    mensaje = _(
        "Demasiadas solicitudes seguidas desde su conexión. Espere %(segundos)d segundos y vuelva a intentarlo."
    ) % {"segundos": espera}
    acepta = request.headers.get("Accept", "")
    if json or ("application/json" in acepta and "text/html" not in acepta):
        respuesta: HttpResponse = JsonResponse({"detail": mensaje}, status=429)
    else:
        respuesta = HttpResponse(
            render_to_string("seguridad/demasiadas_solicitudes.html", {"mensaje": mensaje}, request=request),
            status=429,
        )
    respuesta["Retry-After"] = str(espera)
    return respuesta


def limitar_tasa(
    grupo: str,
    tasa: str = "10/m",
    *,
    clave: Callable[[HttpRequest], str] = por_ip,
    metodos: Iterable[str] = ("POST",),
    json: bool = False,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    Tasa.de_texto(tasa)  # a typo fails at import time, not at the first request
    metodos = frozenset(m.upper() for m in metodos)

    def decorador(vista: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(vista)
        def envuelta(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in metodos:
                vigente = Tasa.de_texto(getattr(settings, "LIMITES_DE_TASA", {}).get(grupo, tasa))
                espera = consumir(grupo, clave(request), vigente)
                if espera:
                    logger.warning("Límite de tasa «%s» excedido por %s", grupo, clave(request))
                    return respuesta_limitada(request, espera, json=json)
            return vista(request, *args, **kwargs)

        return envuelta

    return decorador
