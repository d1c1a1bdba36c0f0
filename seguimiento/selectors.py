"""Reads for the home pages, the dashboard and the search: each a fixed number of queries, whatever the amount
of data (the views paginate every list that grows with a municipio's work)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Exists, Max, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from convenios import models as modelos_del_convenio
from convenios.models import Aspecto, Convenio, EstadoAspecto, Municipio, Semaforo, condicion_vencido
from cuentas.models import Usuario
from seguimiento.models import Accion, EstadoProrroga, Evidencia, Movimiento, Prorroga, Sesion

E = EstadoAspecto

SIGUIENTE_PASO = {
    E.PENDIENTE: _("Subir evidencia y enviarla a revisión"),
    E.OBSERVADA: _("Atender las observaciones, subir la evidencia corregida y reenviar"),
    E.EN_REVISION: _("En espera de la revisión del IMPLAN"),
    E.ATENDIDA: _("Concluido"),
    E.NO_ATENDIDA: _("Declarado no atendido; vista a la Contraloría"),
    E.CANCELADA: _("Cancelado"),
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
    # ``tiene_evidencia``: what convenios.politica's "enviar" asks, for every item of the page in one query.
    aspectos = (
        Aspecto.objects.con_semaforo()
        .annotate(tiene_evidencia=Exists(Evidencia.objects.filter(aspecto=OuterRef("pk"))))
        .order_by("orden_tipo", "numero")
    )
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


# --- IMPLAN's dashboard, the search and the state-level home ------------------------------------------------

DIAS_POR_VENCER = 15  # the semáforo's amarillo (DOMAIN.md): 15 days or fewer left


def _conteos(fecha: datetime.date) -> dict[str, Any]:
    """The dashboard's counts as aggregate expressions over items annotated with ``con_semaforo``."""
    return {
        "vencidos": Count("pk", filter=condicion_vencido(fecha)),
        "en_revision": Count("pk", filter=Q(estado=E.EN_REVISION)),
        "por_vencer": Count("pk", filter=Q(semaforo=Semaforo.AMARILLO)),
    }


def conteos_implan(usuario: Usuario, fecha: datetime.date) -> dict[str, Any]:
    """Totals of the municipio (one aggregate query) plus the prórrogas waiting for a decision (one count)."""
    totales = Aspecto.objects.visibles_para(usuario).con_semaforo(fecha).aggregate(**_conteos(fecha))
    totales["prorrogas"] = prorrogas_pendientes(usuario).count()
    return totales


def conteos_por_dependencia(usuario: Usuario, fecha: datetime.date) -> list[dict[str, Any]]:
    """Per evaluated dependencia with something late, waiting or due soon; one GROUP BY query.

    Bounded by the municipio's dependencias (tens), not by its items."""
    return list(
        Aspecto.objects.visibles_para(usuario)
        .con_semaforo(fecha)
        .values("convenio__dependencia_evaluada", "convenio__dependencia_evaluada__nombre")
        .annotate(**_conteos(fecha))
        .filter(Q(vencidos__gt=0) | Q(en_revision__gt=0) | Q(por_vencer__gt=0))
        .order_by("-vencidos", "-en_revision", "convenio__dependencia_evaluada__nombre")
    )


SEGUNDOS_CONTEOS = 60 * 60
VACIA = {"n_aspectos": 0, "n_convenios": 0, "vencidos": 0, "en_revision": 0, "por_vencer": 0}


def _por_grupo(aspectos: QuerySet[Aspecto], campo: str, fecha: datetime.date) -> dict[int, dict[str, Any]]:
    filas = (
        aspectos.con_semaforo(fecha)
        .values(campo)
        .annotate(n_aspectos=Count("pk"), n_convenios=Count("convenio", distinct=True), **_conteos(fecha))
        .order_by()
    )
    return {fila[campo]: fila for fila in filas}


def conteos_de_convenios(convenios: list[Convenio], fecha: datetime.date) -> list[Convenio]:
    """Each convenio of a page with the dashboard's counts (``conteos``), in one GROUP BY over its items."""
    filas = _por_grupo(Aspecto.objects.filter(convenio__in=convenios), "convenio", fecha)
    for convenio in convenios:
        convenio.conteos = filas.get(convenio.pk, VACIA)
    return convenios


# Every save of these leaves a history row (``bulk_update_with_history`` too).
CON_HISTORIA: tuple[type[Model], ...] = (
    modelos_del_convenio.Aspecto,
    modelos_del_convenio.Accion,
    modelos_del_convenio.Convenio,
    modelos_del_convenio.Dependencia,
    modelos_del_convenio.ProgramaPresupuestario,
    modelos_del_convenio.Evaluacion,
)


def version_del_seguimiento(*solo_se_agregan: type[Model]) -> tuple[int | None, ...]:
    """The follow-up data were last written at this version: it changes with every save of an item, an
    action, a convenio, a dependencia, a program or an evaluation, and with every row of the models
    given (tables whose rows are only ever added, such as the Contraloría's actuaciones).

    One query of index reads (the largest key of each table), whatever the size of the state.
    """
    tablas = [(modelo.history.model._meta.db_table, "history_id") for modelo in CON_HISTORIA]
    tablas += [(modelo._meta.db_table, modelo._meta.pk.column) for modelo in solo_se_agregan]
    nombre = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT MAX({nombre(clave)}) FROM {nombre(tabla)})" for tabla, clave in tablas)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def municipios_de_la_pagina(municipios: list[Municipio], fecha: datetime.date) -> list[Municipio]:
    """For the state-level home: each municipio of the page with its counts.

    A municipio's counts are computed once per version of the follow-up data and day, in one GROUP BY
    over the items of the page's municipios not yet counted (never the whole state), and kept in the
    process's page cache: a page of 25 municipios then costs what a page of one does.
    """
    version = "-".join(str(clave) for clave in version_del_seguimiento())
    prefijo = f"inicio-estatal:{version}:{fecha.isoformat()}:"
    guardados = caches["paginas"].get_many([prefijo + str(municipio.pk) for municipio in municipios])
    faltan = [municipio.pk for municipio in municipios if prefijo + str(municipio.pk) not in guardados]
    if faltan:
        filas = _por_grupo(Aspecto.objects.filter(convenio__municipio__in=faltan), "convenio__municipio", fecha)
        nuevos = {prefijo + str(pk): filas.get(pk, VACIA) for pk in faltan}
        caches["paginas"].set_many(nuevos, SEGUNDOS_CONTEOS)
        guardados |= nuevos
    for municipio in municipios:
        municipio.conteos = guardados[prefijo + str(municipio.pk)]
    return municipios


BUSQUEDA_MAXIMO = 20  # rows per kind on the search page: a search is to find one thing, not to list


def buscar_convenios(usuario: Usuario, q: str) -> list[Convenio]:
    """By program key (exact prefix) or name."""
    return list(
        Convenio.objects.visibles_para(usuario)
        .filter(Q(evaluacion__programa__clave__startswith=q) | Q(evaluacion__programa__nombre__icontains=q))
        .select_related("evaluacion__programa", "dependencia_evaluada")
        .order_by("-evaluacion__anio_pae", "pk")[:BUSQUEDA_MAXIMO]
    )


def buscar_aspectos(usuario: Usuario, q: str) -> list[Aspecto]:
    """By the text of the hallazgo or recomendación, or of its actions."""
    return list(
        Aspecto.objects.visibles_para(usuario)
        .filter(Q(texto__icontains=q) | Q(acciones__texto__icontains=q))
        .distinct()
        .select_related("convenio__evaluacion__programa", "convenio__dependencia_evaluada")
        .con_semaforo()
        .order_by("-convenio__evaluacion__anio_pae", "convenio", "orden_tipo", "numero")[:BUSQUEDA_MAXIMO]
    )
