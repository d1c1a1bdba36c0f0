from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class EncabezadosDeSeguridadMiddleware:
    """Headers Django's SecurityMiddleware does not send: Permissions-Policy.

    (CSP comes from django-csp; nosniff, Referrer-Policy and Cross-Origin-Opener-Policy
    from SecurityMiddleware; X-Frame-Options from XFrameOptionsMiddleware.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        politica = getattr(settings, "PERMISSIONS_POLICY", "")
        if politica:
            response.headers.setdefault("Permissions-Policy", politica)
        return response
