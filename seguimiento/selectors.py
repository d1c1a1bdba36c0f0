"""Reads for the home pages: each a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

from django.db.models import Max, Prefetch, Q, QuerySet

from convenios.models import Aspecto, Convenio, EstadoAspecto
from cuentas.models import Usuario
from seguimiento.models import Accion, EstadoProrroga, Evidencia, Movimiento, Prorroga, Sesion

E = EstadoAspecto

SIGUIENTE_PASO = {
    E.PENDIENTE: "Subir evidencia y enviarla a revisión",
    E.OBSERVADA: "Atender las observaciones, subir la evidencia corregida y reenviar",
    E.EN_REVISION: "En espera de la revisión del IMPLAN",
    E.ATENDIDA: "Concluido",
    E.NO_ATENDIDA: "Declarado no atendido; vista a la Contraloría",
    E.CANCELADA: "Cancelado",
}


# Shown inside the item page (an <iframe> or an <img>); every other kind is only downloaded.
TIPOS_CON_VISTA_PREVIA = frozenset({"application/pdf", "image/jpeg", "image/png"})

# What a later review decision made of the evidence that was handed in before it.
SITUACION_POR_DECISION = {Accion.OBSERVAR: "devuelta", Accion.VALIDAR: "validada"}


def evidencias_con_situacion(evidencias: list[Evidencia], movimientos: list[Movimiento]) -> list[Evidencia]:
    """Each evidence with ``situacion`` (actual / devuelta / validada) and ``decidida_en``, newest first.

    A file is judged by the first review decision after its upload: returned with observations (superseded by
    a correction) or validated; with none yet it is the current evidence. Uses the rows already loaded.
    """
    decisiones = [m for m in movimientos if m.accion in SITUACION_POR_DECISION]
    for evidencia in evidencias:
        siguiente = next((m for m in decisiones if m.fecha >= evidencia.subida_en), None)
        evidencia.situacion = SITUACION_POR_DECISION[siguiente.accion] if siguiente else "actual"
        evidencia.decidida_en = siguiente.fecha if siguiente else None
        evidencia.con_vista_previa = evidencia.tipo_contenido in TIPOS_CON_VISTA_PREVIA
    return sorted(evidencias, key=lambda e: (e.situacion != "actual", -e.subida_en.timestamp(), -e.pk))


def convenios_de(usuario: Usuario) -> QuerySet[Convenio]:
    return (
        Convenio.objects.visibles_para(usuario)
        .select_related("evaluacion__programa", "dependencia_evaluada")
        .con_conteos()
        .order_by("-evaluacion__anio_pae", "dependencia_evaluada__nombre", "pk")
    )


def convenios_con_aspectos(usuario: Usuario) -> QuerySet[Convenio]:
    aspectos = Aspecto.objects.con_semaforo().order_by("orden_tipo", "numero")
    return convenios_de(usuario).prefetch_related(Prefetch("aspectos", queryset=aspectos, to_attr="lista_aspectos"))


def aspectos_por_revisar(usuario: Usuario) -> QuerySet[Aspecto]:
    """Items waiting for IMPLAN, oldest request first."""
    return (
        Aspecto.objects.visibles_para(usuario)
        .filter(estado=E.EN_REVISION)
        .select_related("convenio__evaluacion__programa", "convenio__dependencia_evaluada")
        .con_semaforo()
        .annotate(enviado_en=Max("movimientos__fecha", filter=Q(movimientos__accion=Accion.ENVIAR)))
        .order_by("enviado_en", "pk")
    )


def prorrogas_pendientes(usuario: Usuario) -> QuerySet[Prorroga]:
    return (
        Prorroga.objects.visibles_para(usuario)
        .filter(estado=EstadoProrroga.SOLICITADA)
        .select_related(
            "aspecto__convenio__dependencia_evaluada", "aspecto__convenio__evaluacion__programa", "solicitada_por"
        )
        .order_by("solicitada_en", "pk")
    )


def sesiones_de(usuario: Usuario) -> QuerySet[Sesion]:
    return Sesion.objects.visibles_para(usuario).prefetch_related("convenios__evaluacion__programa")
