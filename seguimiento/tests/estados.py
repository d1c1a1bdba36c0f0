"""One way for a test to put an item in a state: through the follow-up services, as its users would.

A test that needs an item atendida, observada or no atendida calls ``llevar_a``; the item then carries what
the workflow leaves behind (evidence, history, moves, the delay of a late validation), and a change to a
transition's rule shows up in every test that depends on it. Only a test that proves the database or a
model refuses a state may write the state directly.
"""

from __future__ import annotations

import datetime

from convenios.models import Aspecto, Dependencia, EstadoAspecto
from convenios.tests import fabricas
from cuentas.models import Usuario
from seguimiento import services
from seguimiento.models import Accion
from seguimiento.tests import archivos_prueba

E = EstadoAspecto


def _usuario_de(dependencia: Dependencia) -> Usuario:
    existente = Usuario.objects.filter(dependencia=dependencia, is_active=True).order_by("pk").first()
    return existente or fabricas.crear_usuario(f"usuario-{dependencia.pk}", dependencia)


def _transicionar(aspecto: Aspecto, accion: str, usuario: Usuario, comentario: str, fecha: datetime.date | None):
    return services.aspecto_transicionar(
        aspecto=aspecto, usuario=usuario, accion=accion, comentario=comentario, fecha=fecha
    )


def llevar_a(
    aspecto: Aspecto,
    estado: str,
    *,
    dependencia: Usuario | None = None,
    implan: Usuario | None = None,
    fecha: datetime.date | None = None,
    comentario: str = "Motivo registrado en la prueba.",
) -> Aspecto:
    """Moves ``aspecto`` from where it is to ``estado`` (DOMAIN.md, "States of an item"): evidence and
    enviar for en_revision, then validar or observar; no_atender (by default the day after the item's date,
    the first day it is overdue); cancelar.

    ``dependencia`` and ``implan`` act (by default a user of the convenio's dependencia evaluada and of its
    IMPLAN, created when there is none); ``fecha`` is the day of the act (by default today, except for
    no_atender). Returns ``aspecto`` itself, refreshed."""
    original, convenio = aspecto, aspecto.convenio
    dependencia = dependencia or _usuario_de(convenio.dependencia_evaluada)
    implan = implan or _usuario_de(convenio.implan)
    if aspecto.estado == estado:
        return aspecto
    if estado in (E.EN_REVISION, E.ATENDIDA, E.OBSERVADA) and aspecto.estado != E.EN_REVISION:
        if not aspecto.evidencias.exists():
            nombre = f"{aspecto.tipo}-{aspecto.numero}.pdf"
            services.evidencia_subir(
                aspecto=aspecto,
                archivo=archivos_prueba.subido(nombre, archivos_prueba.pdf(nombre)),
                descripcion=f"Formato {nombre}",
                usuario=dependencia,
            )
        aspecto = _transicionar(aspecto, Accion.ENVIAR, dependencia, "", fecha)
    if estado == E.ATENDIDA:
        aspecto = _transicionar(aspecto, Accion.VALIDAR, implan, "Cumple de manera suficiente y clara.", fecha)
    elif estado == E.OBSERVADA:
        aspecto = _transicionar(aspecto, Accion.OBSERVAR, implan, comentario, fecha)
    elif estado == E.NO_ATENDIDA:
        dia = fecha or aspecto.fecha_vigente + datetime.timedelta(days=1)
        aspecto = _transicionar(aspecto, Accion.NO_ATENDER, implan, comentario, dia)
    elif estado == E.CANCELADA:
        aspecto = _transicionar(aspecto, Accion.CANCELAR, implan, comentario, fecha)
    elif estado != E.EN_REVISION:
        raise ValueError(f"llevar_a: no workflow move leads back to {estado!r}")
    # The caller's instance too: the services return a fresh, locked copy.
    original.refresh_from_db()
    return original
