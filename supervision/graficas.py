"""Geometry of the server-side SVG charts: numbers in, rectangles and labels out (no JavaScript, no CDN).

The templates only draw what is computed here; every chart also has its table of numbers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

MESES_CORTOS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")

# (key in the selector's row, legend, CSS class): the order of the stacked segments.
SEGMENTOS_AVANCE: tuple[tuple[str, str, str], ...] = (
    ("atendidas", "Atendidas", "g-atendidas"),
    ("en_revision", "En revisión", "g-revision"),
    ("pendientes", "Pendientes", "g-pendientes"),
    ("vencidas", "Vencidas", "g-vencidas"),
)
SEGMENTOS_SEMAFORO: tuple[tuple[str, str, str], ...] = (
    ("verde", "Verde", "g-verde"),
    ("amarillo", "Amarillo", "g-amarillo"),
    ("rojo", "Rojo", "g-rojo"),
)


@dataclass
class Segmento:
    x: float
    y: float
    ancho: float
    alto: float
    clase: str
    nombre: str
    valor: int


@dataclass
class Barra:
    etiqueta: str
    titulo: str
    x: float
    y: float
    total: int
    segmentos: list[Segmento] = field(default_factory=list)


@dataclass
class Grafica:
    ancho: int
    alto: int
    barras: list[Barra]
    marcas: list[tuple[float, str]]
    leyenda: list[tuple[str, str]]
    area_x: float = 0
    area_y: float = 0
    area_ancho: float = 0
    area_alto: float = 0


def _paso(maximo: int) -> int:
    """A round step for the axis marks (1, 2, 5, 10, 20, 50...) giving about five marks."""
    potencia = 1
    while True:
        for multiplo in (1, 2, 5):
            if maximo / (multiplo * potencia) <= 5:
                return multiplo * potencia
        potencia *= 10


def barras_horizontales(
    filas: list[dict[str, Any]],
    *,
    etiqueta: str,
    titulo: str,
    segmentos: tuple[tuple[str, str, str], ...] = SEGMENTOS_AVANCE,
    ancho: int = 640,
) -> Grafica:
    """One stacked horizontal bar per row (e.g. per dependencia)."""
    margen_izq, margen_der, alto_barra, separacion, margen_sup, margen_inf = 190, 20, 22, 10, 10, 34
    area = ancho - margen_izq - margen_der
    maximo = max((sum(f[k] for k, _n, _c in segmentos) for f in filas), default=0) or 1
    paso = _paso(maximo)
    tope = -(-maximo // paso) * paso
    escala = area / tope
    barras = []
    for i, fila in enumerate(filas):
        y = margen_sup + i * (alto_barra + separacion)
        x = float(margen_izq)
        barra = Barra(
            etiqueta=_recortar(str(fila[etiqueta]), 26),
            titulo=str(fila[titulo]),
            x=x,
            y=y,
            total=sum(fila[k] for k, _n, _c in segmentos),
        )
        for clave, nombre, clase in segmentos:
            valor = int(fila[clave])
            if valor:
                barra.segmentos.append(Segmento(x, y, valor * escala, alto_barra, clase, nombre, valor))
                x += valor * escala
        barras.append(barra)
    alto_total = margen_sup + max(len(filas), 1) * (alto_barra + separacion) + margen_inf
    marcas = [(margen_izq + v * escala, str(v)) for v in range(0, tope + 1, paso)]
    return Grafica(
        ancho=ancho,
        alto=alto_total,
        barras=barras,
        marcas=marcas,
        leyenda=[(n, c) for _k, n, c in segmentos],
        area_x=margen_izq,
        area_y=margen_sup,
        area_ancho=area,
        area_alto=alto_total - margen_sup - margen_inf,
    )


def columnas_por_mes(
    filas: list[dict[str, Any]],
    *,
    segmentos: tuple[tuple[str, str, str], ...] = SEGMENTOS_SEMAFORO,
    ancho: int = 640,
    alto: int = 280,
) -> Grafica:
    """One stacked column per month (``fila["mes"]``), bottom to top in the order of ``segmentos``."""
    margen_izq, margen_der, margen_sup, margen_inf = 44, 10, 10, 40
    area_ancho, area_alto = ancho - margen_izq - margen_der, alto - margen_sup - margen_inf
    maximo = max((sum(f[k] for k, _n, _c in segmentos) for f in filas), default=0) or 1
    paso = _paso(maximo)
    tope = -(-maximo // paso) * paso
    escala = area_alto / tope
    n = max(len(filas), 1)
    hueco = area_ancho / n
    ancho_col = max(min(hueco * 0.7, 48), 2)
    cada = max(1, round(n / 12))  # at most about twelve month labels under the axis
    barras = []
    for i, fila in enumerate(filas):
        x = margen_izq + i * hueco + (hueco - ancho_col) / 2
        etiqueta = nombre_mes(fila["mes"]) if i % cada == 0 else ""
        barra = Barra(
            etiqueta=etiqueta,
            titulo=nombre_mes(fila["mes"]),
            x=x + ancho_col / 2,
            y=alto - margen_inf + 16,
            total=sum(fila[k] for k, _n, _c in segmentos),
        )
        base = alto - margen_inf
        for clave, nombre, clase in segmentos:
            valor = int(fila[clave])
            if valor:
                altura = valor * escala
                base -= altura
                barra.segmentos.append(Segmento(x, base, ancho_col, altura, clase, nombre, valor))
        barras.append(barra)
    marcas = [(alto - margen_inf - v * escala, str(v)) for v in range(0, tope + 1, paso)]
    return Grafica(
        ancho=ancho,
        alto=alto,
        barras=barras,
        marcas=marcas,
        leyenda=[(nm, c) for _k, nm, c in segmentos],
        area_x=margen_izq,
        area_y=margen_sup,
        area_ancho=area_ancho,
        area_alto=area_alto,
    )


def nombre_mes(mes: datetime.date | datetime.datetime) -> str:
    return f"{MESES_CORTOS[mes.month - 1]} {mes.year}"


def _recortar(texto: str, largo: int) -> str:
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"
