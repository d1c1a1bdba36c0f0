"""Run by `manage.py shell -c` in the load test's instance: sessions and addresses for locust (JSON on stdout).

The generated users have no usable password (`generar_datos`), so each virtual user gets a
session made here the way Django's test client does it (``force_login``): the load test measures the
pages, not the login form (which is rate-limited and may ask for a second factor).
"""

from __future__ import annotations

import json
import random

from django.test import Client

from convenios.models import Aspecto, Convenio, Municipio, TipoDependencia
from cuentas.models import Usuario

DEPENDENCIAS = 20
CONTRALORIAS = 5
ASPECTOS_POR_USUARIO = 20


def _sesion(usuario: Usuario) -> str:
    cliente = Client()
    cliente.force_login(usuario)
    return cliente.cookies["sessionid"].value


def preparar() -> None:
    azar = random.Random(2022)
    dependencias = list(
        Usuario.objects.filter(dependencia__tipo=TipoDependencia.DEPENDENCIA, is_active=True).order_by("pk")
    )
    contralorias = list(
        Usuario.objects.filter(dependencia__tipo=TipoDependencia.CONTRALORIA, is_active=True).order_by("pk")
    )
    datos = {
        "dependencias": [
            {
                "sesion": _sesion(u),
                "aspectos": list(
                    Aspecto.objects.visibles_para(u).order_by("?").values_list("pk", flat=True)[:ASPECTOS_POR_USUARIO]
                ),
            }
            for u in azar.sample(dependencias, min(DEPENDENCIAS, len(dependencias)))
        ],
        "contralorias": [_sesion(u) for u in azar.sample(contralorias, min(CONTRALORIAS, len(contralorias)))],
        "municipios": list(Municipio.objects.values_list("slug", flat=True)),
        "convenios": list(Convenio.objects.order_by("?").values_list("pk", flat=True)[:200]),
        "aspectos": Aspecto.objects.count(),
    }
    print(json.dumps(datos))
