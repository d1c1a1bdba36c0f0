"""Reads for the oversight pages: the overdue board, its counts, progress figures and chart series.

Every query starts from ``visibles_para(user)`` and computes in SQL (annotations and
aggregates), so the number of queries per page does not depend on how many items there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from convenios.models import (
    AccionesEnTexto,
    Aspecto,
    AspectoQuerySet,
    Convenio,
    Dependencia,
    EstadoAspecto,
    Evaluacion,
    ProgramaPresupuestario,
    Semaforo,
    TipoDependencia,
    condicion_vencido,
    hoy,
)
from supervision.models import (
    ActuacionContraloria,
    EstadoProcedimiento,
    TipoActuacion,
    TipoVerificacion,
    VerificacionTesoreria,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario

ORDENES: dict[str, tuple[str, ...]] = {
    # pk last: a stable order, so that pages neither repeat nor skip rows.
    "dias": ("-n_dias_vencido", "fecha_vigente", "pk"),
    "fecha": ("fecha_vigente", "pk"),
    "dependencia": ("convenio__dependencia_evaluada__nombre", "fecha_vigente", "pk"),
}
ORDEN_PREDETERMINADO = "dias"


@dataclass(frozen=True)
class FiltrosTablero:
    anio: int | None = None
    dependencia: Dependencia | None = None
    programa: ProgramaPresupuestario | None = None
    estado: str = ""
    semaforo: str = ""
    solo_vencidos: bool = False
    prioridad: str = ""
    clasificacion: str = ""
    solo_repetidos: bool = False
    orden: str = ORDEN_PREDETERMINADO

    @classmethod
    def desde(cls, datos: dict[str, Any]) -> FiltrosTablero:
        """From a (possibly partial) ``cleaned_data``: a field that did not validate is simply not applied."""
        return cls(
            anio=datos.get("anio") or None,
            dependencia=datos.get("dependencia"),
            programa=datos.get("programa"),
            estado=datos.get("estado") or "",
            semaforo=datos.get("semaforo") or "",
            solo_vencidos=bool(datos.get("vencidos")),
            prioridad=datos.get("prioridad") or "",
            clasificacion=datos.get("clasificacion") or "",
            solo_repetidos=bool(datos.get("repetidos")),
            orden=datos.get("orden") or ORDEN_PREDETERMINADO,
        )


def aspectos_visibles(usuario: Usuario | AnonymousUser, fecha: datetime.date) -> AspectoQuerySet:
    return Aspecto.objects.visibles_para(usuario).con_semaforo(fecha).con_dias_vencido(fecha)


def _filtrar_sin_semaforo(qs: AspectoQuerySet, filtros: FiltrosTablero, fecha: datetime.date) -> AspectoQuerySet:
    if filtros.anio:
        qs = qs.filter(convenio__evaluacion__anio_pae=filtros.anio)
    if filtros.dependencia is not None:
        qs = qs.filter(convenio__dependencia_evaluada=filtros.dependencia)
    if filtros.programa is not None:
        qs = qs.filter(convenio__evaluacion__programa=filtros.programa)
    if filtros.estado:
        qs = qs.filter(estado=filtros.estado)
    if filtros.solo_vencidos:
        qs = qs.vencidos(fecha)
    if filtros.prioridad:
        qs = qs.filter(prioridad=filtros.prioridad)
    if filtros.clasificacion:
        qs = qs.filter(clasificacion=filtros.clasificacion)
    if filtros.solo_repetidos:
        qs = qs.filter(repite_a__isnull=False)
    return qs


def aspectos_tablero(
    *, usuario: Usuario | AnonymousUser, filtros: FiltrosTablero, fecha: datetime.date | None = None
) -> AspectoQuerySet:
    """The board's rows: every visible item matching ``filtros``, in the chosen order."""
    fecha = fecha or hoy()
    qs = _filtrar_sin_semaforo(aspectos_visibles(usuario, fecha), filtros, fecha)
    if filtros.semaforo:
        qs = qs.filter(semaforo=filtros.semaforo)
    ultima_actuacion = (
        ActuacionContraloria.objects.visibles_para(usuario).filter(aspecto=OuterRef("pk")).order_by("-fecha", "-pk")
    )
    return (
        qs.select_related(
            "convenio__evaluacion__programa", "convenio__dependencia_evaluada", "repite_a__convenio__evaluacion"
        )
        .annotate(
            # Per row, evaluated only for the rows of the page (a correlated subquery, not a join).
            ultima_actuacion_fecha=Subquery(ultima_actuacion.values("fecha")[:1]),
            ultima_actuacion_tipo=Subquery(ultima_actuacion.values("tipo")[:1]),
        )
        .order_by(*ORDENES.get(filtros.orden, ORDENES[ORDEN_PREDETERMINADO]))
    )


def conteos_semaforo(
    *, usuario: Usuario | AnonymousUser, filtros: FiltrosTablero, fecha: datetime.date | None = None
) -> dict[str, int]:
    """Items per semáforo for the current filters (except the semáforo itself), in one aggregate query.

    The semáforo filter is left out so that the counts read as the choices it offers.
    """
    fecha = fecha or hoy()
    qs = _filtrar_sin_semaforo(aspectos_visibles(usuario, fecha), filtros, fecha)
    return qs.aggregate(
        total=Count("pk"),
        verde=Count("pk", filter=Q(semaforo=Semaforo.VERDE)),
        amarillo=Count("pk", filter=Q(semaforo=Semaforo.AMARILLO)),
        rojo=Count("pk", filter=Q(semaforo=Semaforo.ROJO)),
        vencidos=Count("pk", filter=condicion_vencido(fecha)),
    )


def columnas_exportacion(qs: AspectoQuerySet) -> QuerySet:
    """The board's rows as plain tuples for the exports (no model instances: the export streams)."""
    return qs.annotate(acciones_texto=AccionesEnTexto()).values_list(
        "convenio__evaluacion__anio_pae",
        "convenio__dependencia_evaluada__nombre",
        "convenio__evaluacion__programa__clave",
        "convenio__evaluacion__programa__nombre",
        "tipo",
        "numero",
        "texto",
        "fecha_compromiso",
        "fecha_vigente",
        "estado",
        "semaforo",
        "n_dias_vencido",
        "ultima_actuacion_fecha",
        "dias_fuera_de_plazo",
        "acciones_texto",
    )


# --- Filter choices ----------------------------------------------------------------


def anios_visibles(usuario: Usuario | AnonymousUser) -> list[int]:
    return list(
        Evaluacion.objects.visibles_para(usuario).order_by("-anio_pae").values_list("anio_pae", flat=True).distinct()
    )


def dependencias_visibles(usuario: Usuario | AnonymousUser) -> QuerySet[Dependencia]:
    return Dependencia.objects.visibles_para(usuario).filter(tipo=TipoDependencia.DEPENDENCIA).order_by("nombre")


def programas_visibles(usuario: Usuario | AnonymousUser) -> QuerySet[ProgramaPresupuestario]:
    # Through the evaluations: a dependencia sees only the programs it was evaluated on.
    evaluaciones = Evaluacion.objects.visibles_para(usuario).values("programa")
    return ProgramaPresupuestario.objects.filter(pk__in=evaluaciones).order_by("clave")


# --- Progress ------------------------------------------------------------------------


def _conteos_avance(prefijo: str, fecha: datetime.date) -> dict[str, Count]:
    """Exclusive categories for progress and the bar chart; ``prefijo`` reaches the items from the grouped model.

    An overdue item counts as vencida whatever its state (the rule), so the four bar segments
    add up to the items still owed plus the atendidas; canceladas are counted apart.
    """

    def q(**kwargs: Any) -> Q:
        return Q(**{f"{prefijo}{campo}": valor for campo, valor in kwargs.items()})

    vencida = _con_prefijo(condicion_vencido(fecha), prefijo) | q(estado=EstadoAspecto.NO_ATENDIDA)
    pk = f"{prefijo}pk" if prefijo else "pk"
    return {
        "total": Count(pk),
        "atendidas": Count(pk, filter=q(estado=EstadoAspecto.ATENDIDA)),
        "canceladas": Count(pk, filter=q(estado=EstadoAspecto.CANCELADA)),
        "vencidas": Count(pk, filter=vencida),
        "en_revision": Count(pk, filter=q(estado=EstadoAspecto.EN_REVISION) & ~vencida),
        "pendientes": Count(pk, filter=q(estado__in=[EstadoAspecto.PENDIENTE, EstadoAspecto.OBSERVADA]) & ~vencida),
    }


def _con_prefijo(condicion: Q, prefijo: str) -> Q:
    """The same ``Q`` with every lookup reached through ``prefijo`` (e.g. "aspectos__")."""
    if not prefijo:
        return condicion
    nueva = Q()
    nueva.connector = condicion.connector
    nueva.negated = condicion.negated
    for hijo in condicion.children:
        if isinstance(hijo, Q):
            nueva.children.append(_con_prefijo(hijo, prefijo))
        else:
            campo, valor = hijo
            nueva.children.append((f"{prefijo}{campo}", valor))
    return nueva


def con_avance(fila: dict[str, Any]) -> dict[str, Any]:
    """Adds ``avance`` (percent): atendidas over the items still owed or done (canceladas left out).

    A cancelled item was dropped with justification; counting it as pending would keep a
    convenio from ever reaching 100 %, which is when the oficio de cumplimiento is due (QUINTA).
    """
    base = fila["total"] - fila["canceladas"]
    fila["avance"] = round(100 * fila["atendidas"] / base, 1) if base else None
    return fila


def avance_por_dependencia(
    usuario: Usuario | AnonymousUser, fecha: datetime.date | None = None
) -> list[dict[str, Any]]:
    fecha = fecha or hoy()
    filas = (
        Aspecto.objects.visibles_para(usuario)
        .values(
            dependencia_id=F("convenio__dependencia_evaluada"),
            nombre=F("convenio__dependencia_evaluada__nombre"),
            siglas=F("convenio__dependencia_evaluada__siglas"),
        )
        .annotate(**_conteos_avance("", fecha))
        .order_by("nombre")
    )
    return [con_avance(dict(fila)) for fila in filas]


def avance_por_anio(usuario: Usuario | AnonymousUser, fecha: datetime.date | None = None) -> list[dict[str, Any]]:
    fecha = fecha or hoy()
    filas = (
        Aspecto.objects.visibles_para(usuario)
        .values(anio=F("convenio__evaluacion__anio_pae"))
        .annotate(**_conteos_avance("", fecha))
        .order_by("-anio")
    )
    return [con_avance(dict(fila)) for fila in filas]


def avance_por_convenio(usuario: Usuario | AnonymousUser, fecha: datetime.date | None = None) -> list[Convenio]:
    fecha = fecha or hoy()
    convenios = (
        Convenio.objects.visibles_para(usuario)
        .select_related("evaluacion__programa", "dependencia_evaluada")
        .annotate(**_conteos_avance("aspectos__", fecha))
        .order_by("-evaluacion__anio_pae", "dependencia_evaluada__nombre", "evaluacion__programa__clave")
    )
    for convenio in convenios:
        fila = con_avance({campo: getattr(convenio, campo) for campo in ("total", "atendidas", "canceladas")})
        convenio.avance = fila["avance"]
    return list(convenios)


def avance_de_convenio(convenio: Convenio, fecha: datetime.date | None = None) -> dict[str, Any]:
    fecha = fecha or hoy()
    return con_avance(convenio.aspectos.aggregate(**_conteos_avance("", fecha)))


def semaforo_por_mes(usuario: Usuario | AnonymousUser, fecha: datetime.date | None = None) -> list[dict[str, Any]]:
    """Items by semáforo (as of ``fecha``) per month of their current date, oldest first."""
    fecha = fecha or hoy()
    return list(
        Aspecto.objects.visibles_para(usuario)
        .con_semaforo(fecha)
        .annotate(mes=TruncMonth("fecha_vigente"))
        .values("mes")
        .annotate(
            total=Count("pk"),
            verde=Count("pk", filter=Q(semaforo=Semaforo.VERDE)),
            amarillo=Count("pk", filter=Q(semaforo=Semaforo.AMARILLO)),
            rojo=Count("pk", filter=Q(semaforo=Semaforo.ROJO)),
        )
        .order_by("mes")
    )


# --- Oversight records ---------------------------------------------------------------


def actuaciones_de(
    *, usuario: Usuario | AnonymousUser, convenio: Convenio, aspecto: Aspecto | None = None
) -> QuerySet[ActuacionContraloria]:
    qs = (
        ActuacionContraloria.objects.visibles_para(usuario).filter(convenio=convenio).select_related("autor", "aspecto")
    )
    return qs.filter(aspecto=aspecto) if aspecto is not None else qs


def procedimiento_abierto(usuario: Usuario | AnonymousUser, aspecto: Aspecto) -> ActuacionContraloria | None:
    """The latest procedure row of the item when it is not concluded ("vista dada" follow-up)."""
    ultimo = (
        ActuacionContraloria.objects.visibles_para(usuario)
        .filter(aspecto=aspecto, tipo=TipoActuacion.PROCEDIMIENTO)
        .order_by("-fecha", "-pk")
        .first()
    )
    if ultimo is None or ultimo.estado_procedimiento == EstadoProcedimiento.CONCLUIDO:
        return None
    return ultimo


def verificaciones_vigentes(convenio: Convenio) -> list[tuple[str, VerificacionTesoreria | None]]:
    """(check label, its latest record or None) for the Tesorería's two checks, in clause order."""
    ultimas: dict[str, VerificacionTesoreria] = {}
    for verificacion in VerificacionTesoreria.objects.filter(convenio=convenio).select_related("autor"):
        ultimas.setdefault(verificacion.tipo, verificacion)  # ordered newest first per kind
    return [(tipo.label, ultimas.get(tipo.value)) for tipo in TipoVerificacion]
