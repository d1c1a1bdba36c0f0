"""The client's address, the same for the login lockout (axes), the rate limits and the audit log."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valida(texto: str) -> str | None:
    try:
        return str(ipaddress.ip_address(texto.strip()))
    except ValueError:
        return None


def ip_cliente(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with N trusted proxies in front the N-th address from the right of X-Forwarded-For.

    Each proxy appends the address it received the request from, so the right-most entries
    are the trustworthy ones; anything further left was written by the client and may be forged.
    """
    proxies = getattr(settings, "PROXIES_DE_CONFIANZA", 0)
    if proxies > 0:
        cadena = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(cadena) >= proxies:
            reenviada = _valida(cadena[-proxies])
            if reenviada:
                return reenviada
    return _valida(request.META.get("REMOTE_ADDR", "") or "")
