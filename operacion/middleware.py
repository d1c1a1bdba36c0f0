"""One log line per request: method, path, status, duration and user."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("operacion.peticiones")


class BitacoraDePeticiones:
    """Logs ``GET /ruta/ 200 12.3ms usuario=nombre`` after the response is built.

    The query string is left out: it may carry tokens (password reset) or search terms.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        inicio = time.perf_counter()
        response = self.get_response(request)
        duracion_ms = (time.perf_counter() - inicio) * 1000
        logger.info(
            "%s %s %s %.1fms usuario=%s",
            request.method,
            request.path,
            response.status_code,
            duracion_ms,
            _usuario(request),
        )
        return response


def _usuario(request: HttpRequest) -> str:
    # AuthenticationMiddleware may not have run (a 400 for a bad Host stops earlier).
    usuario = getattr(request, "user", None)
    try:
        if usuario is None or not usuario.is_authenticated:
            return "-"
        return usuario.get_username()
    except Exception:  # the session store is down: the line is still written
        return "?"
