"""The read replica (``DATABASE_REPLICA_URL``, alias ``replica``) serves the public side's reads.

Views that only read published data — the public portal, the open data, the API
and the board's exports — run under ``lee_de_replica``; inside it the router sends
reads to the replica. Everything else goes to the primary:

- every write, always;
- every read inside a transaction of the primary (``transaction.atomic``): a read that
  decides a write must see the primary's rows, not the replica's slightly older copy;
- every read after a write in the same request (it must see what it just wrote);
- accounts, sessions and lockouts: a session created a moment ago on the primary may not
  have reached the replica yet, and the visitor would look logged out.

Without the ``replica`` alias (one server, the tests) everything reads the primary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import FileResponse

ALIAS = "replica"

APPS_DEL_PRIMARIO = frozenset(
    {"auth", "cuentas", "sessions", "axes", "otp_totp", "otp_static", "django_otp", "contenttypes", "admin"}
)
"""Accounts, sessions, second factor and lockouts: always read from the primary."""


@dataclass
class _Lectura:
    escribio: bool = False


_lectura: ContextVar[_Lectura | None] = ContextVar("lectura_en_replica", default=None)


@contextmanager
def lectura_en_replica() -> Iterator[None]:
    """Within this block, reads that may go to the replica do (the router decides each one)."""
    token = _lectura.set(_Lectura())
    try:
        yield
    finally:
        _lectura.reset(token)


def _en_replica(partes: Iterable[Any], lectura: _Lectura) -> Iterator[Any]:
    """A streamed body runs after the view has returned: each piece is produced in the view's context."""
    iterador = iter(partes)
    while True:
        token = _lectura.set(lectura)
        try:
            parte = next(iterador)
        except StopIteration:
            return
        finally:
            _lectura.reset(token)
        yield parte


def lee_de_replica(vista: Callable[..., Any]) -> Callable[..., Any]:
    """Runs a read-only view (and the streaming of its body) reading from the replica."""

    @wraps(vista)
    def envoltura(request: Any, *args: Any, **kwargs: Any) -> Any:
        with lectura_en_replica():
            lectura = _lectura.get()
            respuesta = vista(request, *args, **kwargs)
        # A file (FileResponse) reads no rows while it is sent: left alone, it keeps wsgi.file_wrapper.
        if getattr(respuesta, "streaming", False) and not isinstance(respuesta, FileResponse):
            respuesta.streaming_content = _en_replica(respuesta.streaming_content, lectura)
        return respuesta

    return envoltura


class EnrutadorReplica:
    """Django database router (``DATABASE_ROUTERS``): the rules of this module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        lectura = _lectura.get()
        if lectura is None or lectura.escribio or ALIAS not in connections:
            return None
        if model._meta.app_label in APPS_DEL_PRIMARIO:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        lectura = _lectura.get()
        if lectura is not None:
            lectura.escribio = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: an object read from one may point to one of the other.
        return True
