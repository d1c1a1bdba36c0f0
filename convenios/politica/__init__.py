"""One policy for "may this happen now?" (STYLE.md, point 13): every act of the workflow, declared once.

An act names the kind of object it acts on, the states it starts from, the state it
leads to, who may do it, and its named preconditions, each with the Spanish reason shown
when it fails. Views, template tags, templates and the admin ask ``decidir()`` (to show a
button, or a disabled button with its reason); services call ``exigir()`` under the row
lock, so the rule that shows the button is the rule that lets the write happen.

The acts live by what they act on: ``aspecto`` (an item, its actions and its prórroga),
``convenio`` (the convenio's own acts) and ``sesion`` (a session and its acta); ``base``
holds the vocabulary (``Acto``, ``Condicion``, ``Decision``) and who the user is.

To add an act: declare an ``Acto`` in its module's tuple (its preconditions as
``Condicion``s over the object), call ``exigir(usuario, "<nombre>", objeto)`` in its service
once the row is locked, and give the page the ``decidir(usuario, "<nombre>", objeto)`` of its
button (a ``Decision``: true, or false with ``razon`` shown beside the disabled button).

The objects are reached through their relations (``aspecto.convenio``,
``aspecto.prorrogas``…), so this package imports no app above the agreement.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from convenios.models import hoy
from convenios.politica.aspecto import ACTOS_DEL_ASPECTO
from convenios.politica.base import (
    CONTRALORIA,
    DEPENDENCIA,
    IMPLAN,
    TESORERIA,
    Acto,
    Condicion,
    Contexto,
    Decision,
    alcanza,
    alcanza_sesion,
    es_implan,
    rol_de,
)
from convenios.politica.convenio import ACTOS_DEL_CONVENIO
from convenios.politica.sesion import ACTOS_DE_LA_SESION

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

__all__ = [
    "ACTOS",
    "CONTRALORIA",
    "DEPENDENCIA",
    "IMPLAN",
    "MOVIMIENTOS_DEL_ASPECTO",
    "TESORERIA",
    "Acto",
    "Condicion",
    "Contexto",
    "Decision",
    "alcanza",
    "decidir",
    "es_implan",
    "exigir",
    "rol_de",
]

ACTOS: dict[str, Acto] = {a.nombre: a for a in (*ACTOS_DEL_ASPECTO, *ACTOS_DEL_CONVENIO, *ACTOS_DE_LA_SESION)}

# The item's state moves (DOMAIN.md, "States of an item"): the acts on an item that lead to a state.
MOVIMIENTOS_DEL_ASPECTO: tuple[str, ...] = tuple(a.nombre for a in ACTOS.values() if a.sobre == "aspecto" and a.destino)


def _convenio(objeto: Any, sobre: str) -> Any:
    if sobre == "sesion":
        return None
    if sobre == "convenio":
        return objeto
    if sobre == "aspecto":
        return objeto.convenio
    # A prórroga, an action or an evidence reaches it through its item.
    return objeto.aspecto.convenio


def _estado(objeto: Any, sobre: str) -> str:
    if sobre != "aspecto" and sobre != "convenio":
        return objeto.aspecto.estado
    return getattr(objeto, "estado", "")


def decidir(
    usuario: Usuario | AnonymousUser, acto: str, objeto: Any, *, fecha: datetime.date | None = None
) -> Decision:
    """Whether ``usuario`` may do ``acto`` on ``objeto`` now, and if not, why (in Spanish)."""
    definicion = ACTOS[acto]
    rol = rol_de(usuario)
    sin_permiso = Decision(False, str(_("Su usuario no puede realizar esta acción.")), "sin_permiso")
    if rol not in definicion.roles:
        return sin_permiso
    ctx = Contexto(usuario=usuario, hoy=fecha or hoy())
    if definicion.sobre == "sesion":
        return _decidir_condiciones(definicion, objeto, ctx) if alcanza_sesion(usuario, objeto) else sin_permiso
    convenio = _convenio(objeto, definicion.sobre)
    if convenio is None or not alcanza(usuario, convenio):
        return sin_permiso
    if convenio.estado not in definicion.convenio_en:
        razon = definicion.razon_convenio or _("El convenio está «%(estado)s»: no admite esta acción.")
        return Decision(False, str(razon) % {"estado": convenio.get_estado_display()}, "convenio_no_vigente")
    estado = _estado(objeto, definicion.sobre)
    if definicion.origenes and estado not in definicion.origenes:
        etiqueta = (
            objeto.aspecto.get_estado_display()
            if definicion.sobre in ("prorroga", "accion")
            else objeto.get_estado_display()
        )
        return Decision(
            False,
            str(
                _("No se puede «%(acto)s»: ya está «%(estado)s» (quizá otra persona acaba de moverlo).")
                % {"acto": str(definicion.etiqueta).lower(), "estado": etiqueta}
            ),
            "estado_invalido",
        )
    return _decidir_condiciones(definicion, objeto, ctx)


def _decidir_condiciones(definicion: Acto, objeto: Any, ctx: Contexto) -> Decision:
    for condicion in definicion.condiciones:
        if not condicion.prueba(objeto, ctx):
            datos = condicion.datos(objeto, ctx) if condicion.datos else {}
            return Decision(False, str(condicion.razon) % datos if datos else str(condicion.razon), condicion.nombre)
    return Decision(True)


def exigir(usuario: Usuario | AnonymousUser, acto: str, objeto: Any, *, fecha: datetime.date | None = None) -> Acto:
    """``decidir`` for services, under the row lock: a refusal raises (PermissionDenied or ValidationError)."""
    decision = decidir(usuario, acto, objeto, fecha=fecha)
    if decision.codigo == "sin_permiso":
        raise PermissionDenied(decision.razon)
    if not decision:
        raise ValidationError(decision.razon, code=decision.codigo)
    return ACTOS[acto]
