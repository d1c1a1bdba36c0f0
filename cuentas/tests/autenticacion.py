"""Test settings only: lets ``client.login(username=..., password=...)`` work with django-axes.

Django's test client calls ``authenticate()`` without a request; axes refuses that (it needs
the address). With a request (every real login: the login page, the admin) axes checks as
in production; without one this backend steps aside and ModelBackend decides.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class AxesConPeticionOpcional(AxesStandaloneBackend):
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
