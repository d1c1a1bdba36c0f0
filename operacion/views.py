from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operacion import salud as salud_checks


@never_cache
@require_GET
def salud(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when every component answers, 503 otherwise. No login."""
    componentes = salud_checks.revisar()
    sano = all(c["estado"] == "ok" for c in componentes.values())
    return JsonResponse({"estado": "ok" if sano else "error", "componentes": componentes}, status=200 if sano else 503)


def fallo_csrf(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Spanish explanation instead of Django's English page (the reason is not shown)."""
    return render(request, "403_csrf.html", status=403)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; every page names the SVG icon in static/."""
    return redirect(static("favicon.svg"), permanent=True)
