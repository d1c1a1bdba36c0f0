"""Who is told of a move: the users of a convenio's parties (``notificaciones.services.notificar`` tells them)."""

from __future__ import annotations

from typing import Any

from convenios.models import Convenio
from cuentas.models import Usuario


def usuarios_de(*dependencias: Any) -> list[Usuario]:
    return list(Usuario.objects.filter(dependencia__in=dependencias, is_active=True).exclude(email=""))


def usuarios_implan(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan)


def usuarios_dependencia(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.dependencia_evaluada)


def usuarios_partes(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan, convenio.tesoreria, convenio.contraloria, convenio.dependencia_evaluada)
