"""One helper per object type, on the first line of every view: what the user may not see is a 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from convenios.models import Aspecto, Convenio
from cuentas.models import Usuario
from seguimiento.models import Evidencia, Prorroga, Sesion


def get_convenio_for_user(user: Usuario, pk: int) -> Convenio:
    return get_object_or_404(
        Convenio.objects.visibles_para(user).select_related(
            "evaluacion__programa",
            "municipio",
            "implan",
            "tesoreria",
            "contraloria",
            "dependencia_evaluada",
            "firmante_implan",
            "firmante_tesoreria",
            "firmante_contraloria",
            "firmante_dependencia_evaluada",
        ),
        pk=pk,
    )


def get_aspecto_for_user(user: Usuario, pk: int) -> Aspecto:
    return get_object_or_404(
        Aspecto.objects.visibles_para(user).select_related(
            "convenio__evaluacion__programa", "convenio__dependencia_evaluada", "convenio__implan"
        ),
        pk=pk,
    )


def get_evidencia_for_user(user: Usuario, pk: int) -> Evidencia:
    return get_object_or_404(Evidencia.objects.visibles_para(user).select_related("aspecto__convenio"), pk=pk)


def get_prorroga_for_user(user: Usuario, pk: int) -> Prorroga:
    return get_object_or_404(Prorroga.objects.visibles_para(user).select_related("aspecto__convenio"), pk=pk)


def get_sesion_for_user(user: Usuario, pk: int) -> Sesion:
    return get_object_or_404(Sesion.objects.visibles_para(user), pk=pk)
