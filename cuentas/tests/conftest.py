from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from convenios.tests.fabricas import CONTRASENA


@pytest.fixture
def entrar():
    """entrar(client, usuario, contrasena=..., ip=...) posts the real login form; returns the response."""

    def _entrar(client: Client, nombre: str, contrasena: str = CONTRASENA, ip: str = "10.0.0.1", **extra):  # type: ignore[no-untyped-def]
        return client.post(reverse("login"), {"username": nombre, "password": contrasena}, REMOTE_ADDR=ip, **extra)

    return _entrar
