"""Reminders that arrive once: the dependencias before and after an item's date, the Contraloría weekly.

Each reminder is claimed before it is sent, in two steps that both work on SQLite and
PostgreSQL (the shape of Healthchecks' ``sendalerts``):

1. the reminders now due are inserted into ``Aviso`` (unique per item, level and date)
   with ``ignore_conflicts``, so two runs at once insert each row once;
2. this run claims them with a conditional ``UPDATE ... SET lote = <this run> WHERE lote
   IS NULL``. Under PostgreSQL's row locks a concurrent run's UPDATE waits and then finds
   the rows taken, so every reminder ends up with exactly one run, which alone sends it.

"Within N days and not yet warned at this level" (not "exactly N days before") lets a run
missed on one day catch up the next. Only the closest level due is sent: an item first
seen 4 days ahead gets the 5-day reminder, not also the 15-day one.

A claimed reminder whose e-mail then fails is not retried (at most once, never twice).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, F, Min, OuterRef, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import ngettext

from convenios.models import (
    Aspecto,
    Dependencia,
    EstadoAspecto,
    EstadoConvenio,
    TipoAspecto,
    TipoDependencia,
    condicion_vencido,
    hoy,
)
from cuentas.models import Usuario
from notificaciones.services import notificar
from supervision.models import Aviso, NivelAviso, ResumenSemanal

# (level, days ahead), closest first: the first level that applies wins.
NIVELES_PREVIOS: tuple[tuple[str, int], ...] = (
    (NivelAviso.DIAS_1, 1),
    (NivelAviso.DIAS_5, 5),
    (NivelAviso.DIAS_15, 15),
)
ORDEN_NIVELES = {NivelAviso.VENCIDO: 0, NivelAviso.DIAS_1: 1, NivelAviso.DIAS_5: 2, NivelAviso.DIAS_15: 3}
LOTE_INSERCION = 2000
MAXIMO_EN_RESUMEN = 200
"""Overdue items listed in a digest; beyond that the e-mail gives the totals and the link to the board."""


@dataclass
class Resultado:
    avisos: int = 0
    correos_dependencias: int = 0
    resumenes: int = 0
    correos_contraloria: int = 0
    detalle: list[str] = field(default_factory=list)


def nivel_aviso(fecha: datetime.date) -> Case:
    """The reminder level an item is at on ``fecha``, in SQL (None when none is due)."""
    return Case(
        When(condicion_vencido(fecha), then=Value(NivelAviso.VENCIDO)),
        *(
            When(fecha_vigente__lte=fecha + datetime.timedelta(days=dias), then=Value(nivel))
            for nivel, dias in NIVELES_PREVIOS
        ),
        default=None,
        output_field=CharField(),
    )


def _abiertos() -> Any:
    """Items the dependencia can still act on, in signed convenios."""
    return Aspecto.objects.exclude(estado__in=EstadoAspecto.finales()).exclude(convenio__estado=EstadoConvenio.BORRADOR)


def reclamar_avisos(fecha: datetime.date, lote: uuid.UUID) -> int:
    """Steps 1 and 2 of the module docstring; returns how many reminders this run claimed."""
    ya_avisado = Aviso.objects.filter(
        aspecto=OuterRef("pk"), nivel=OuterRef("nivel_aviso"), fecha_vigente=OuterRef("fecha_vigente")
    )
    pendientes = (
        _abiertos()
        .filter(fecha_vigente__lte=fecha + datetime.timedelta(days=max(d for _n, d in NIVELES_PREVIOS)))
        .annotate(nivel_aviso=nivel_aviso(fecha))
        .filter(nivel_aviso__isnull=False)
        .filter(~Exists(ya_avisado))
        .values_list("pk", "nivel_aviso", "fecha_vigente")
    )
    lote_filas: list[Aviso] = []
    for aspecto_id, nivel, fecha_vigente in pendientes.iterator(chunk_size=LOTE_INSERCION):
        lote_filas.append(Aviso(aspecto_id=aspecto_id, nivel=nivel, fecha_vigente=fecha_vigente))
        if len(lote_filas) >= LOTE_INSERCION:
            Aviso.objects.bulk_create(lote_filas, ignore_conflicts=True)
            lote_filas = []
    if lote_filas:
        Aviso.objects.bulk_create(lote_filas, ignore_conflicts=True)
    # Also picks up rows a crashed run inserted but never claimed.
    return Aviso.objects.filter(lote__isnull=True).update(lote=lote)


def _usuarios_por_dependencia(dependencia_ids: set[int]) -> dict[int, list[Usuario]]:
    usuarios: dict[int, list[Usuario]] = defaultdict(list)
    for usuario in Usuario.objects.filter(dependencia__in=dependencia_ids, is_active=True).order_by("pk"):
        usuarios[usuario.dependencia_id].append(usuario)
    return usuarios


# Alias -> path from Aviso; the aliases must not collide with fields of Aviso or Aspecto.
CAMPOS_FILA = {
    "a_pk": "aspecto__pk",
    "a_tipo": "aspecto__tipo",
    "a_numero": "aspecto__numero",
    "a_texto": "aspecto__texto",
    "a_fecha": "aspecto__fecha_vigente",
    "a_estado": "aspecto__estado",
    "a_anio": "aspecto__convenio__evaluacion__anio_pae",
    "a_clave": "aspecto__convenio__evaluacion__programa__clave",
    "a_programa": "aspecto__convenio__evaluacion__programa__nombre",
    "a_dependencia_id": "aspecto__convenio__dependencia_evaluada",
    "a_dependencia": "aspecto__convenio__dependencia_evaluada__nombre",
    "a_siglas": "aspecto__convenio__dependencia_evaluada__siglas",
}


MARCA_PK = 987654321


class _Filas:
    """Items as plain rows for the e-mail templates: labels and links resolved once per run.

    A run may list tens of thousands of items; model instances and per-item
    ``get_*_display``/``reverse`` lookups made it take a minute at 125,000 items.
    """

    def __init__(self) -> None:
        self.tipos = {valor: str(nombre) for valor, nombre in TipoAspecto.choices}
        self.estados = {valor: str(nombre) for valor, nombre in EstadoAspecto.choices}
        self.url = reverse("seguimiento:aspecto", args=[MARCA_PK])

    def __call__(self, fila: dict[str, Any]) -> dict[str, Any]:
        texto = fila["a_texto"]
        return {
            "nivel": fila.get("nivel"),
            "n_dias_vencido": fila.get("n_dias_vencido"),
            "contraloria": fila.get("contraloria"),
            "etiqueta": f"{self.tipos[fila['a_tipo']]} {fila['a_numero']}",
            "estado": self.estados[fila["a_estado"]],
            "texto": texto if len(texto) <= 160 else texto[:159] + "…",
            "fecha_vigente": fila["a_fecha"],
            "anio": fila["a_anio"],
            "clave": fila["a_clave"],
            "programa": fila["a_programa"],
            "dependencia_id": fila["a_dependencia_id"],
            "dependencia": fila["a_dependencia"],
            "siglas": fila["a_siglas"],
            # One reverse() per run, not per item: a large run lists tens of thousands.
            "url": self.url.replace(str(MARCA_PK), str(fila["a_pk"])),
        }


def enviar_avisos(lote: uuid.UUID, fecha: datetime.date) -> tuple[int, int]:
    """One e-mail per user of each dependencia with items claimed by ``lote``, all its items grouped."""
    avisos = (
        Aviso.objects.filter(lote=lote)
        .exclude(aspecto__estado__in=EstadoAspecto.finales())
        .order_by("aspecto__convenio__dependencia_evaluada", "aspecto__fecha_vigente", "aspecto__pk")
        .values("nivel", **{nombre: F(ruta) for nombre, ruta in CAMPOS_FILA.items()})
    )
    a_fila = _Filas()
    por_dependencia: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for aviso in avisos.iterator(chunk_size=LOTE_INSERCION):
        por_dependencia[aviso["a_dependencia_id"]].append(a_fila(aviso))
    usuarios = _usuarios_por_dependencia(set(por_dependencia))
    correos = 0
    # One transaction for the in-app copies (one commit, not one per recipient); the
    # e-mails go out when it commits (``notificar`` sends on commit).
    with transaction.atomic():
        for dependencia_id, del_lote in por_dependencia.items():
            destinatarios = usuarios.get(dependencia_id, [])
            if not destinatarios:
                continue
            grupos: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for aviso in sorted(del_lote, key=lambda a: ORDEN_NIVELES[a["nivel"]]):
                grupos[aviso["nivel"]].append(aviso)
            n_vencidos = len(grupos.get(NivelAviso.VENCIDO, []))
            asunto = (
                ngettext(
                    "%(n)d aspecto vencido y %(m)d por vencer", "%(n)d aspectos vencidos y %(m)d por vencer", n_vencidos
                )
                % {"n": n_vencidos, "m": len(del_lote) - n_vencidos}
                if n_vencidos
                else ngettext("%(n)d aspecto por vencer", "%(n)d aspectos por vencer", len(del_lote))
                % {"n": len(del_lote)}
            )
            notificar(
                destinatarios=destinatarios,
                asunto=asunto,
                plantilla="supervision/correo/recordatorio.txt",
                contexto={
                    "dependencia": del_lote[0]["dependencia"],
                    "grupos": [(NivelAviso(nivel).label, lista) for nivel, lista in grupos.items()],
                    "fecha": fecha,
                },
                enlace=reverse("supervision:tablero"),
            )
            correos += sum(1 for u in destinatarios if u.email)
    return len(por_dependencia), correos


def lunes_de(fecha: datetime.date) -> datetime.date:
    return fecha - datetime.timedelta(days=fecha.weekday())


def reclamar_resumenes(fecha: datetime.date, lote: uuid.UUID) -> int:
    """The week's digest of every Contraloría with something overdue, claimed the same way as the reminders.

    A Contraloría with nothing overdue claims nothing, so its digest goes out on the first
    run of the week that finds something.
    """
    semana = lunes_de(fecha)
    con_vencidos = Aspecto.objects.vencidos(fecha).values("convenio__contraloria")
    contralorias = Dependencia.objects.filter(tipo=TipoDependencia.CONTRALORIA, pk__in=con_vencidos).values_list(
        "pk", flat=True
    )
    ResumenSemanal.objects.bulk_create(
        [ResumenSemanal(contraloria_id=pk, semana=semana) for pk in contralorias],
        ignore_conflicts=True,
        batch_size=LOTE_INSERCION,
    )
    return ResumenSemanal.objects.filter(semana=semana, lote__isnull=True).update(lote=lote)


def enviar_resumenes(lote: uuid.UUID, fecha: datetime.date) -> tuple[int, int]:
    """One digest per Contraloría user: totals per dependencia and the most overdue items."""
    contraloria_ids = set(ResumenSemanal.objects.filter(lote=lote).values_list("contraloria_id", flat=True))
    if not contraloria_ids:
        return 0, 0
    vencidos = Aspecto.objects.vencidos(fecha).filter(convenio__contraloria__in=contraloria_ids)
    totales: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for fila in (
        vencidos.values(
            contraloria=F("convenio__contraloria"),
            dependencia=F("convenio__dependencia_evaluada__nombre"),
        )
        .annotate(n=Count("pk"), mas_antigua=Min("fecha_vigente"))
        .order_by("contraloria", "-n", "dependencia")
    ):
        totales[fila["contraloria"]].append(fila)
    # The most overdue items of each Contraloría, ranked in SQL so that a large municipio
    # does not load all its overdue items.
    primeros: dict[int, list[dict[str, Any]]] = defaultdict(list)
    campos = {nombre: F(ruta.removeprefix("aspecto__")) for nombre, ruta in CAMPOS_FILA.items()}
    ranking = (
        vencidos.con_dias_vencido(fecha)
        .annotate(
            puesto=Window(
                RowNumber(),
                partition_by=[F("convenio__contraloria")],
                order_by=[F("fecha_vigente").asc(), F("pk").asc()],
            )
        )
        .filter(puesto__lte=MAXIMO_EN_RESUMEN)
        .order_by("convenio__contraloria", "puesto")
        .values("n_dias_vencido", contraloria=F("convenio__contraloria"), **campos)
    )
    a_fila = _Filas()
    for fila in ranking.iterator(chunk_size=LOTE_INSERCION):
        primeros[fila["contraloria"]].append(a_fila(fila))
    usuarios = _usuarios_por_dependencia(contraloria_ids)
    enviados = correos = 0
    with transaction.atomic():  # see enviar_avisos
        for contraloria_id in sorted(contraloria_ids):
            filas = totales.get(contraloria_id)
            destinatarios = usuarios.get(contraloria_id, [])
            if not filas or not destinatarios:
                continue  # nothing overdue this week, or nobody to tell
            total = sum(f["n"] for f in filas)
            notificar(
                destinatarios=destinatarios,
                asunto=ngettext(
                    "Resumen semanal: %(n)d aspecto vencido", "Resumen semanal: %(n)d aspectos vencidos", total
                )
                % {"n": total},
                plantilla="supervision/correo/resumen_contraloria.txt",
                contexto={
                    "totales": filas,
                    "total": total,
                    "aspectos": primeros.get(contraloria_id, []),
                    "maximo": MAXIMO_EN_RESUMEN,
                    "semana": lunes_de(fecha),
                    "fecha": fecha,
                },
                enlace=reverse("supervision:tablero") + "?vencidos=on",
            )
            enviados += 1
            correos += sum(1 for u in destinatarios if u.email)
    return enviados, correos


def enviar_recordatorios(*, fecha: datetime.date | None = None, lote: uuid.UUID | None = None) -> Resultado:
    """The daily run (management command ``enviar_recordatorios``)."""
    fecha = fecha or hoy()
    lote = lote or uuid.uuid4()
    resultado = Resultado()
    resultado.avisos = reclamar_avisos(fecha, lote)
    _dependencias, resultado.correos_dependencias = enviar_avisos(lote, fecha)
    reclamar_resumenes(fecha, lote)
    resultado.resumenes, resultado.correos_contraloria = enviar_resumenes(lote, fecha)
    return resultado
