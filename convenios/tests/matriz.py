"""Walks a URL matrix (url name -> method -> expected status per role) as one role; shared by the apps' tests."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, reverse

from convenios.tests import fabricas
from cuentas.models import Usuario

# The personas of a matrix (conftest.py), the other municipio's IMPLAN and the state-level administrator.
ROLES = ["anonimo", "implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia", "implan_otro", "raiz"]


def personas(request: pytest.FixtureRequest) -> dict[str, Usuario | None]:
    """Each role of ``ROLES`` as a user (``None``: anonymous), from the persona fixtures."""
    usuarios: dict[str, Usuario | None] = {"anonimo": None}
    for rol in ("implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia"):
        usuarios[rol] = request.getfixturevalue(rol)
    usuarios["implan_otro"] = request.getfixturevalue("implan_otro_municipio")
    usuarios["raiz"] = fabricas.crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    return usuarios


def url_del_admin(modelo: type[Model], vista: str, *args: object) -> str:
    """The admin's ``vista`` (changelist, add, change, delete, history, simple_history) of ``modelo``."""
    return reverse(f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}_{vista}", args=args)


def nombres_de(urls: ModuleType) -> set[str]:
    """The URL names an app's urls.py declares: a matrix must have a row for each."""
    return {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}


def recorrer_matriz(
    *,
    espacio: str,
    matriz: dict[str, dict[str, tuple[int, ...]]],
    argumentos: dict[str, dict[str, Any]],
    roles: list[str],
    rol: str,
    usuario: Usuario | None,
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
