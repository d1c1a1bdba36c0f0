"""Access to oversight pages and actions: one helper per object type, one predicate per action.

The object helpers mirror the lead's ``seguimiento.permissions`` (same names and contract:
404 for what the user may not see); when that module lands these can delegate to it.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from convenios.models import Aspecto, Convenio, TipoDependencia


def get_convenio_for_user(user: Any, pk: int) -> Convenio:
    qs = Convenio.objects.visibles_para(user).select_related(
        "evaluacion__programa", "dependencia_evaluada", "implan", "tesoreria", "contraloria", "municipio"
    )
    return get_object_or_404(qs, pk=pk)


def get_aspecto_for_user(user: Any, pk: int) -> Aspecto:
    qs = Aspecto.objects.visibles_para(user).select_related(
        "convenio__evaluacion__programa", "convenio__dependencia_evaluada", "convenio__municipio"
    )
    return get_object_or_404(qs, pk=pk)


def has_tablero_permission(user: Any) -> bool:
    """Every role reads the board (a dependencia only its own rows, through ``visibles_para``)."""
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.dependencia_id is not None)


def has_actuacion_permission(user: Any, convenio: Convenio) -> bool:
    """Only the convenio's Contraloría records observations and procedures (SEGUNDA, Contraloría; SEXTA)."""
    return getattr(user, "rol", None) == TipoDependencia.CONTRALORIA and user.dependencia_id == convenio.contraloria_id


def has_verificacion_permission(user: Any, convenio: Convenio) -> bool:
    """Only the convenio's Tesorería records its checks (SEGUNDA, Tesorería a and c)."""
    return getattr(user, "rol", None) == TipoDependencia.TESORERIA and user.dependencia_id == convenio.tesoreria_id
