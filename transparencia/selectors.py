"""What the public may see, defined once for the portal, the open data, the API and the downloads.

The public is not a user, so these querysets do not start from
``visibles_para(user)`` (which gives an anonymous visitor nothing): they are the
single, deliberate definition of the public data set, and every public view,
export and endpoint starts from one of them.

- Evaluations are public: the PAE that lists them is itself published, and the
  CONAC norm asks for their results to be published (LGCG art. 79).
- A convenio is public once signed (cláusula OCTAVA); a ``borrador`` is a draft
  that nobody has signed yet, so it and its items stay private.
- Evidence is private unless IMPLAN marks that one file ``publicable``, and then
  only while its convenio is public.
- People: only the titulars who signed, with their positions (the convenio's
  proemio and signature blocks). Never user accounts, e-mails, uploaders, nor the
  responsables designated for the sessions.
"""

from __future__ import annotations

import datetime
import hashlib
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, reduce
from typing import Any

from django.core.cache import cache
from django.db import connections, router
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from convenios.models import (
    PARTES,
    Accion,
    AccionesEnTexto,
    Aspecto,
    AspectoQuerySet,
    Convenio,
    ConvenioQuerySet,
    Dependencia,
    EstadoConvenio,
    Evaluacion,
    Modificacion,
    Municipio,
    ProgramaPresupuestario,
    Semaforo,
    TipoAspecto,
    TipoDependencia,
    Titular,
    hoy,
)
from documentos.models import Documento, TipoDocumento
from seguimiento.models import Evidencia
from transparencia.models import Anexo1

ESTADOS_PUBLICOS: tuple[str, ...] = EstadoConvenio.firmados()


def evaluaciones_publicas() -> QuerySet[Evaluacion]:
    return Evaluacion.objects.select_related("municipio", "programa", "dependencia_evaluada")


def convenios_publicos(*, conteos: bool = True, partes: bool = True) -> ConvenioQuerySet:
    """Signed convenios; ``conteos`` adds the counts per status, aggregated over every row of the query.

    A paged list asks ``conteos=False`` and adds them to its page with ``agregar_conteos``:
    aggregating first would count the items of the whole state to show fifty convenios.
    ``partes=False`` leaves the four parties and their signatories out of the query (a list of
    dates and counts does not show them; a page that does adds them with ``agregar_partes``).
    """
    relaciones = ["municipio", "evaluacion__programa"]
    if partes:
        relaciones += [
            *(parte for parte, _tipo in PARTES),
            *(f"firmante_{parte}" for parte, _tipo in PARTES),
        ]
    qs = Convenio.objects.filter(estado__in=ESTADOS_PUBLICOS).select_related(*relaciones)
    return qs.con_conteos() if conteos else qs


def agregar_partes(convenios: Sequence[Convenio]) -> None:
    """Sets the parties and signatories of these convenios, in two queries by primary key for all of them.

    Joined to the convenio's own query, the eight rows made PostgreSQL plan a twelve-table join:
    11 ms of planning at state scale (6 ms with one municipio) for a query that runs in under 1 ms.
    """
    dependencias = Dependencia.objects.in_bulk({getattr(c, f"{parte}_id") for c in convenios for parte, _ in PARTES})
    firmantes = {getattr(c, f"firmante_{parte}_id") for c in convenios for parte, _ in PARTES} - {None}
    titulares = Titular.objects.in_bulk(firmantes)
    for convenio in convenios:
        for parte, _tipo in PARTES:
            setattr(convenio, parte, dependencias[getattr(convenio, f"{parte}_id")])
            firmante = getattr(convenio, f"firmante_{parte}_id")
            setattr(convenio, f"firmante_{parte}", titulares[firmante] if firmante is not None else None)


def aspectos_publicos(fecha: datetime.date | None = None) -> AspectoQuerySet:
    """Items of public convenios, with the semáforo of ``fecha`` (the rule lives in ``con_semaforo``)."""
    return (
        Aspecto.objects.filter(convenio__estado__in=ESTADOS_PUBLICOS)
        .select_related(
            "convenio__municipio",
            "convenio__evaluacion__programa",
            "convenio__dependencia_evaluada",
            "repite_a__convenio__evaluacion",
        )
        .annotate(acciones_texto=AccionesEnTexto())
        .con_semaforo(fecha or hoy())
        # The order of the unique index (convenio, tipo, numero): hallazgos, then recomendaciones,
        # read from the index instead of sorting the state on the orden_tipo CASE.
        .order_by("convenio_id", "tipo", "numero")
    )


def evidencias_publicas() -> QuerySet[Evidencia]:
    return Evidencia.objects.filter(publicable=True, aspecto__convenio__estado__in=ESTADOS_PUBLICOS)


def municipios_publicos() -> QuerySet[Municipio]:
    """Municipios with at least one evaluation, with their count: one row per municipio of the state.

    The filter and each count read the evaluations' municipio index (COUNT(*): from the index
    alone), instead of joining every evaluation of the state to its municipio and grouping.
    """
    evaluaciones = Evaluacion.objects.filter(municipio=OuterRef("pk")).order_by()
    cuantas = evaluaciones.values("municipio").annotate(n=Count("*")).values("n")
    return (
        Municipio.objects.filter(Exists(evaluaciones))
        .annotate(n_evaluaciones=Subquery(cuantas))
        .order_by("nombre", "pk")
    )


def dependencias_evaluadas(municipio: Municipio) -> QuerySet[Dependencia]:
    """The evaluated dependencias of one municipio (its own few dozen, read through the municipio's index).

    Never those of the whole state: a dropdown of every dependencia of 125 municipios
    is a page nobody can use; the portal asks for a municipio first.
    """
    con_evaluaciones = Evaluacion.objects.filter(dependencia_evaluada=OuterRef("pk"))
    return (
        Dependencia.objects.filter(municipio=municipio, tipo=TipoDependencia.DEPENDENCIA)
        .filter(Exists(con_evaluaciones))
        .order_by("nombre")
    )


def anios_pae(municipio: Municipio | None = None) -> list[int]:
    """The PAE years, newest first, read from the ``evaluacion_anio_municipio`` index.

    For one municipio, a DISTINCT of its own evaluations (a few dozen). For the state, one index
    probe per year (a recursive query: the newest year, then the newest one before it…): a
    DISTINCT would read every evaluation of the state to return three numbers.
    """
    if municipio is not None:
        qs = Evaluacion.objects.filter(municipio=municipio)
        return list(qs.order_by("-anio_pae").values_list("anio_pae", flat=True).distinct())
    conexion = connections[router.db_for_read(Evaluacion)]
    tabla = conexion.ops.quote_name(Evaluacion._meta.db_table)
    anio = conexion.ops.quote_name(Evaluacion._meta.get_field("anio_pae").column)
    sql = (
        f"WITH RECURSIVE anios (anio) AS (SELECT MAX({anio}) FROM {tabla} "
        f"UNION ALL SELECT (SELECT MAX({anio}) FROM {tabla} WHERE {anio} < anios.anio) "
        "FROM anios WHERE anios.anio IS NOT NULL) SELECT anio FROM anios WHERE anio IS NOT NULL"
    )
    with conexion.cursor() as cursor:
        cursor.execute(sql)
        return [fila[0] for fila in cursor.fetchall()]


def opciones_de_los_filtros(municipio: Municipio | None) -> tuple[list[int], list[tuple[int, str]]]:
    """The portal filters' PAE years and (for one municipio) evaluated dependencias, read once per change
    of the public data: a page of the portal seen at a new address reads neither again."""
    clave = f"portal:opciones:{huella_publica().etag}:{municipio.pk if municipio else ''}"

    def leer() -> tuple[list[int], list[tuple[int, str]]]:
        dependencias = dependencias_evaluadas(municipio).values_list("pk", "nombre") if municipio else []
        return anios_pae(municipio), list(dependencias)

    return cache.get_or_set(clave, leer, SEGUNDOS_GRUPOS)


# --- The portal's list: evaluations with their public convenios ---------------------------


@dataclass(frozen=True)
class Filtros:
    q: str = ""
    anio: int | None = None
    dependencia: int | None = None
    estado: str = ""
    municipio: Municipio | None = None


SEGUNDOS_GRUPOS = 24 * 3600
"""The key carries the public data's fingerprint: a count is never stale, only evicted."""

ORDEN_DEL_PORTAL = ("-anio_pae", "municipio__nombre", "municipio_id", "programa__clave", "pk")


class EvaluacionesDelPortal:
    """The portal's list for a ``Paginator`` (``count()`` and one slice), paged without sorting the state.

    Its order is the PAE year (newest first), the municipio, the program's key. Sorting every
    evaluation of the state to show twenty grew with it (11,250 rows joined to their municipio,
    program and dependencia, then sorted, at 125 municipios). Instead the list is counted by
    (year, municipio) from the ``evaluacion_anio_municipio`` index and a page joins and sorts only
    the groups it falls in: one municipio's evaluations of one year, a few dozen rows.
    """

    def __init__(self, consulta: QuerySet[Evaluacion]) -> None:
        self.consulta = consulta

    @cached_property
    def grupos(self) -> list[tuple[int, int, int]]:
        """(year, municipio, evaluations) in the list's order, counted once per change of the public data."""
        por_grupo = self.consulta.order_by().values_list("anio_pae", "municipio_id").annotate(n=Count("pk"))
        clave = "portal:grupos:" + hashlib.sha256(f"{huella_publica().etag}|{por_grupo.query}".encode()).hexdigest()
        return cache.get_or_set(clave, lambda: self._ordenar(list(por_grupo)), SEGUNDOS_GRUPOS)

    @staticmethod
    def _ordenar(filas: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        # The municipios' order is the database's (its collation sorts the names in the page's query too).
        en_orden = Municipio.objects.filter(pk__in={municipio for _anio, municipio, _n in filas}).order_by(
            "nombre", "pk"
        )
        lugar = {pk: indice for indice, pk in enumerate(en_orden.values_list("pk", flat=True))}
        return sorted(filas, key=lambda fila: (-fila[0], lugar[fila[1]]))

    def count(self) -> int:
        return sum(n for _anio, _municipio, n in self.grupos)

    def __getitem__(self, corte: slice) -> list[Evaluacion]:
        inicio, fin = corte.start or 0, corte.stop
        grupos, saltar, posicion = [], 0, 0
        for anio, municipio, n in self.grupos:
            if posicion < fin and posicion + n > inicio:
                if not grupos:
                    saltar = inicio - posicion
                grupos.append(Q(anio_pae=anio, municipio_id=municipio))
            posicion += n
        if not grupos:
            return []
        pagina = self.consulta.filter(reduce(operator.or_, grupos)).order_by(*ORDEN_DEL_PORTAL)
        return list(pagina[saltar : saltar + fin - inicio])


def evaluaciones_del_portal(filtros: Filtros) -> EvaluacionesDelPortal:
    """Evaluations matching the search, each with its public convenios (counts included) prefetched."""
    qs = evaluaciones_publicas()
    if filtros.municipio is not None:
        qs = qs.filter(municipio=filtros.municipio)
    if filtros.q:
        qs = qs.filter(Q(programa__clave__icontains=filtros.q) | Q(programa__nombre__icontains=filtros.q))
    if filtros.anio:
        qs = qs.filter(anio_pae=filtros.anio)
    if filtros.dependencia:
        qs = qs.filter(dependencia_evaluada_id=filtros.dependencia)
    # EXISTS, not a join: an evaluation with two convenios is one row, with no DISTINCT over the state.
    if filtros.estado == "sin_convenio":
        qs = qs.exclude(Exists(Convenio.objects.filter(evaluacion=OuterRef("pk"), estado__in=ESTADOS_PUBLICOS)))
    elif filtros.estado:
        qs = qs.filter(Exists(Convenio.objects.filter(evaluacion=OuterRef("pk"), estado=filtros.estado)))
    # The list shows each convenio's status, dates and counts, not its parties (eight joins fewer).
    convenios = convenios_publicos(partes=False).order_by("-fecha_firma", "-pk")
    return EvaluacionesDelPortal(qs.prefetch_related(Prefetch("convenios", queryset=convenios)))


def porcentaje_avance(convenio: Convenio) -> float | None:
    """Share of items atendidas among those still owed (canceladas do not count, cláusula QUINTA).

    Needs the ``con_conteos()`` annotations. None when nothing is owed.
    """
    debidos = convenio.n_aspectos - convenio.n_cancelada
    if debidos <= 0:
        return None
    return round(100 * convenio.n_atendida / debidos, 1)


# --- One convenio's public page -----------------------------------------------------------


def aspectos_del_convenio(convenio: Convenio, fecha: datetime.date | None = None) -> dict[str, list[Aspecto]]:
    """Hallazgos and recomendaciones with semáforo, their actions and publishable evidence, in three queries."""
    aspectos = list(
        aspectos_publicos(fecha)
        .filter(convenio=convenio)
        .prefetch_related(
            Prefetch("evidencias", queryset=evidencias_publicas(), to_attr="evidencias_publicas"),
            Prefetch(
                "acciones", queryset=Accion.objects.select_related("area_responsable").order_by("aspecto_id", "numero")
            ),
        )
    )
    return {
        "hallazgos": [a for a in aspectos if a.tipo == TipoAspecto.HALLAZGO],
        "recomendaciones": [a for a in aspectos if a.tipo == TipoAspecto.RECOMENDACION],
        "semaforos": [(color, sum(a.semaforo == color for a in aspectos)) for color in Semaforo.values],
    }


# Issued letters a citizen may read (cláusula OCTAVA): the oficio de cumplimiento, the actas and the Anexo 1
# CONAC (published by law, LGCG art. 79); the vista a la Contraloría is listed, and readable only where the
# municipio publishes it. The convenio itself is public through its signed scan (its page links it); the
# version issued for signing is not a letter.
TIPOS_DOCUMENTO_PUBLICOS = (
    TipoDocumento.OFICIO_CUMPLIMIENTO,
    TipoDocumento.ACTA_SESION,
    TipoDocumento.VISTA_CONTRALORIA,
    TipoDocumento.ANEXO1,
)


def documentos_del_portal() -> QuerySet[Documento]:
    """The issued letters of public kinds that belong to a public convenio (an acta, to a sesión about one)."""
    # The public convenios' identifiers only: no counts (an aggregate over their items) in a subquery.
    publicos = Convenio.objects.filter(estado__in=ESTADOS_PUBLICOS).values("pk")
    return (
        Documento.objects.filter(tipo__in=TIPOS_DOCUMENTO_PUBLICOS)
        .filter(Q(convenio__in=publicos) | Q(tipo=TipoDocumento.ACTA_SESION, sesion__convenios__in=publicos))
        .select_related("municipio")
        .distinct()
    )


def documentos_legibles() -> QuerySet[Documento]:
    """The listed letters whose PDF the portal hands out: a vista only where its municipio publishes it."""
    return documentos_del_portal().exclude(tipo=TipoDocumento.VISTA_CONTRALORIA, municipio__publicar_vista=False)


def documentos_publicos(convenio: Convenio) -> list[Documento]:
    """The convenio's letters for its public page, oldest first."""
    return list(
        documentos_del_portal()
        .filter(Q(convenio=convenio) | Q(tipo=TipoDocumento.ACTA_SESION, sesion__convenios=convenio))
        .order_by("emitido_en", "pk")
    )


# --- Caching: one fingerprint of everything public -----------------------------------------

CLAVE_HUELLA = "transparencia:huella"
SEGUNDOS_HUELLA = 30
"""How long a change may take to show: the fingerprint is recomputed at most every 30 seconds."""

MODELOS_CON_HISTORIAL = (Municipio, Dependencia, Titular, ProgramaPresupuestario, Evaluacion, Convenio, Aspecto, Anexo1)


@dataclass(frozen=True)
class Huella:
    etag: str
    ultima_modificacion: datetime.datetime


def huella_publica() -> Huella:
    """ETag and Last-Modified for every public page, download and endpoint.

    Every public model keeps a history (django-simple-history), so the newest
    history row says when public data last changed. Evidence has no history: its
    fingerprint is the count and the sum of ids of the publishable files, which
    changes when IMPLAN marks or unmarks one. The date is part of it because the
    semáforo changes with the day, not only with the data.
    """
    huella = cache.get(CLAVE_HUELLA)
    if huella is not None and huella.ultima_modificacion >= inicio_de_hoy():
        return huella
    fechas = [
        fecha
        for modelo in MODELOS_CON_HISTORIAL
        if (fecha := modelo.history.aggregate(m=Max("history_date"))["m"]) is not None
    ]
    evidencias = Evidencia.objects.filter(publicable=True).aggregate(n=Count("pk"), s=Sum("pk"), m=Max("subida_en"))
    if evidencias["m"] is not None:
        fechas.append(evidencias["m"])
    # Issued letters have no history either (they never change): their count and newest date.
    documentos = Documento.objects.aggregate(n=Count("pk"), m=Max("emitido_en"))
    if documentos["m"] is not None:
        fechas.append(documentos["m"])
    # A modificación (cláusula NOVENA) is listed on the convenio's public page.
    modificaciones = Modificacion.objects.aggregate(n=Count("pk"), m=Max("registrada_en"))
    if modificaciones["m"] is not None:
        fechas.append(modificaciones["m"])
    ultima = max([*fechas, inicio_de_hoy()])
    firma = "|".join(
        [
            *(f.isoformat() for f in fechas),
            str(evidencias["n"]),
            str(evidencias["s"]),
            str(documentos["n"]),
            str(modificaciones["n"]),
            str(hoy()),
        ]
    )
    huella = Huella(etag=hashlib.sha256(firma.encode()).hexdigest()[:32], ultima_modificacion=ultima)
    cache.set(CLAVE_HUELLA, huella, SEGUNDOS_HUELLA)
    return huella


def inicio_de_hoy() -> datetime.datetime:
    """Midnight of today in Mexico City: the semáforo may change then, so nothing is older."""
    return timezone.make_aware(datetime.datetime.combine(hoy(), datetime.time.min))


def huella_de(request: Any) -> Huella:
    """The fingerprint for one request, read once: its ETag, its Last-Modified and its cached page ask for it."""
    if not hasattr(request, "huella_publica"):
        request.huella_publica = huella_publica()
    return request.huella_publica


def etag_publico(request: Any, *args: Any, **kwargs: Any) -> str:
    return huella_de(request).etag


def ultima_modificacion_publica(request: Any, *args: Any, **kwargs: Any) -> datetime.datetime:
    return huella_de(request).ultima_modificacion
