"""Walks a URL matrix (url name -> method -> expected status per role) as one role; shared by the apps' tests."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse


def recorrer_matriz(
    *,
    espacio: str,
    matriz: dict[str, dict[str, tuple[int, ...]]],
    argumentos: dict[str, dict[str, Any]],
    roles: list[str],
    rol: str,
    usuario: Any,
) -> tuple[dict, dict]:
    """Returns (obtained, expected) status codes per (url name, method); anonymous redirects must go to login."""
    client = Client()
    if usuario is not None:
        client.force_login(usuario)
    obtenidos, esperados = {}, {}
    for nombre, metodos in matriz.items():
        url = reverse(f"{espacio}:{nombre}", kwargs=argumentos[nombre])
        for metodo, estados in metodos.items():
            respuesta = client.get(url) if metodo == "GET" else client.post(url, {})
            obtenidos[(nombre, metodo)] = respuesta.status_code
            esperados[(nombre, metodo)] = estados[roles.index(rol)]
            if respuesta.status_code == 302 and usuario is None:
                assert respuesta["Location"].startswith(reverse("login")), url
    return obtenidos, esperados
