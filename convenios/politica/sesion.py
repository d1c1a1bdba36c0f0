"""The acts on a session (cláusula TERCERA) and its acta: an issued acta is read-only, corrected once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from convenios.politica.base import IMPLAN, Acto, Condicion, Contexto


def _sin_acta(sesion: Any, ctx: Contexto) -> bool:
    return not sesion.documentos.filter(tipo="acta_sesion").exists()


def _con_acta_sin_correccion(sesion: Any, ctx: Contexto) -> bool:
    return not _sin_acta(sesion, ctx) and not type(sesion).objects.filter(corrige=sesion).exists()


SIN_ACTA = Condicion(
    "acta_emitida",
    _sin_acta,
    _(
        "El acta de esta sesión ya se emitió: la sesión es de solo lectura. Para corregirla, registre una "
        "corrección (una nueva acta que sustituye a la anterior; ambas se conservan)."
    ),
)
ACTA_SIN_CORRECCION = Condicion(
    "sin_acta_o_ya_corregida",
    _con_acta_sin_correccion,
    _("Solo se corrige un acta emitida, y una sola vez: corrija, en su caso, la corrección."),
)

ACTOS_DE_LA_SESION: tuple[Acto, ...] = (
    Acto(
        "sesion_registrar",
        _("Registrar asistencia y acuerdos"),
        "sesion",
        frozenset({IMPLAN}),
        condiciones=(SIN_ACTA,),
    ),
    Acto(
        "sesion_corregir",
        _("Corregir el acta"),
        "sesion",
        frozenset({IMPLAN}),
        condiciones=(ACTA_SIN_CORRECCION,),
    ),
)
