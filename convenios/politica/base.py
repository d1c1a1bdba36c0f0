"""The vocabulary of the policy: an act, its preconditions, a decision, and who the user is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convenios.models import EstadoAspecto, EstadoConvenio, TipoDependencia

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

E = EstadoAspecto
C = EstadoConvenio
IMPLAN = TipoDependencia.IMPLAN
DEPENDENCIA = TipoDependencia.DEPENDENCIA
CONTRALORIA = TipoDependencia.CONTRALORIA
TESORERIA = TipoDependencia.TESORERIA


@dataclass(frozen=True)
class Contexto:
    """What a precondition may look at besides the object: today (Mexico City), injectable in tests."""

    usuario: Usuario
    hoy: datetime.date


@dataclass(frozen=True)
class Condicion:
    nombre: str
    prueba: Callable[[Any, Contexto], bool]
    razon: Any  # a lazy Spanish string; may use %(campo)s from ``datos``
    datos: Callable[[Any, Contexto], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Acto:
    nombre: str
    etiqueta: Any
    sobre: str  # "aspecto", "convenio", "prorroga", "accion", "sesion"
    roles: frozenset[str]
    origenes: frozenset[str] = frozenset()
    destino: str = ""
    condiciones: tuple[Condicion, ...] = ()
    comentario_obligatorio: bool = False
    # Cannot be undone: the page asks for a confirmation first (issue with folio, validate, vista…).
    irreversible: bool = False
    convenio_en: frozenset[str] = frozenset({C.VIGENTE})
    # The reason given when the convenio's state does not admit the act (default: a generic one).
    razon_convenio: Any = None


@dataclass(frozen=True)
class Decision:
    permitido: bool
    razon: str = ""
    codigo: str = ""

    def __bool__(self) -> bool:
        return self.permitido


def rol_de(usuario: Usuario | AnonymousUser) -> str | None:
    """The role of a user is the kind of its dependencia; the state-level administrator acts as IMPLAN."""
    if not getattr(usuario, "is_authenticated", False):
        return None
    if usuario.is_superuser:
        return IMPLAN
    return usuario.rol


def es_implan(usuario: Usuario | AnonymousUser) -> bool:
    """IMPLAN, or the state-level administrator acting as IMPLAN: who captures, reviews and issues."""
    return rol_de(usuario) == IMPLAN


def alcanza(usuario: Usuario, convenio: Any) -> bool:
    """The user's municipio (and, for a dependencia, its own convenios): the same border as ``visibles_para``."""
    if usuario.is_superuser:
        return True
    if usuario.dependencia_id is None:
        return False
    dependencia = usuario.dependencia
    if dependencia.municipio_id != convenio.municipio_id:
        return False
    return dependencia.tipo != DEPENDENCIA or convenio.dependencia_evaluada_id == dependencia.pk


def alcanza_sesion(usuario: Usuario, sesion: Any) -> bool:
    # A session is IMPLAN's, of one municipio (only IMPLAN acts on it).
    if usuario.is_superuser:
        return True
    return usuario.dependencia_id is not None and usuario.dependencia.municipio_id == sesion.municipio_id
