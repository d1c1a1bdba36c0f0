"""What a reading yields (``Lectura``: items, actions, rows not read) and how cells are read:
text, dates as convenios write them, headers, choices and item numbers."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from convenios.formatos import MESES
from convenios.models import ClasificacionAspecto, Prioridad, TipoAspecto


@dataclass
class AccionLeida:
    numero: int
    texto: str
    fecha_termino: datetime.date
    area_responsable: str = ""
    producto_esperado: str = ""


@dataclass
class AspectoLeido:
    tipo: str
    numero: int
    texto: str
    fecha_propia: datetime.date | None = None
    """A hallazgo's own date when the file gives one and it has no actions."""
    prioridad: str = ""
    clasificacion: str = ""
    acciones: list[AccionLeida] = field(default_factory=list)

    @property
    def etiqueta(self) -> str:
        return f"{TipoAspecto(self.tipo).label} {self.numero}"

    @property
    def prioridad_etiqueta(self) -> str:
        return str(Prioridad(self.prioridad).label) if self.prioridad else ""

    @property
    def clasificacion_etiqueta(self) -> str:
        return str(ClasificacionAspecto(self.clasificacion).label) if self.clasificacion else ""

    @property
    def fecha_compromiso(self) -> datetime.date | None:
        """DOMAIN.md: the item's date is the latest of its actions'; without actions, its own (or None)."""
        if self.acciones:
            return max(a.fecha_termino for a in self.acciones)
        return self.fecha_propia


@dataclass
class FilaNoLeida:
    lugar: str
    motivo: str

    def __str__(self) -> str:
        return f"{self.lugar}: {self.motivo}"


@dataclass
class Lectura:
    formato: str
    nombre_archivo: str
    aspectos: list[AspectoLeido] = field(default_factory=list)
    no_leidas: list[FilaNoLeida] = field(default_factory=list)

    @property
    def hallazgos(self) -> list[AspectoLeido]:
        return [a for a in self.aspectos if a.tipo == TipoAspecto.HALLAZGO]

    @property
    def recomendaciones(self) -> list[AspectoLeido]:
        return [a for a in self.aspectos if a.tipo == TipoAspecto.RECOMENDACION]

    @property
    def n_acciones(self) -> int:
        return sum(len(a.acciones) for a in self.aspectos)

    def como_dict(self) -> dict[str, Any]:
        """JSON-ready (the session stores it between the preview and the confirmation)."""

        def fecha(valor: datetime.date | None) -> str | None:
            return valor.isoformat() if valor else None

        return {
            "formato": self.formato,
            "nombre_archivo": self.nombre_archivo,
            "aspectos": [
                {
                    "tipo": a.tipo,
                    "numero": a.numero,
                    "texto": a.texto,
                    "fecha_propia": fecha(a.fecha_propia),
                    "prioridad": a.prioridad,
                    "clasificacion": a.clasificacion,
                    "acciones": [
                        {
                            "numero": c.numero,
                            "texto": c.texto,
                            "fecha_termino": fecha(c.fecha_termino),
                            "area_responsable": c.area_responsable,
                            "producto_esperado": c.producto_esperado,
                        }
                        for c in a.acciones
                    ],
                }
                for a in self.aspectos
            ],
            "no_leidas": [{"lugar": f.lugar, "motivo": f.motivo} for f in self.no_leidas],
        }

    @classmethod
    def desde_dict(cls, datos: dict[str, Any]) -> Lectura:
        def fecha(valor: str | None) -> datetime.date | None:
            return datetime.date.fromisoformat(valor) if valor else None

        return cls(
            formato=datos["formato"],
            nombre_archivo=datos["nombre_archivo"],
            aspectos=[
                AspectoLeido(
                    tipo=a["tipo"],
                    numero=a["numero"],
                    texto=a["texto"],
                    fecha_propia=fecha(a["fecha_propia"]),
                    prioridad=a["prioridad"],
                    clasificacion=a["clasificacion"],
                    acciones=[
                        AccionLeida(
                            numero=c["numero"],
                            texto=c["texto"],
                            fecha_termino=datetime.date.fromisoformat(c["fecha_termino"]),
                            area_responsable=c["area_responsable"],
                            producto_esperado=c["producto_esperado"],
                        )
                        for c in a["acciones"]
                    ],
                )
                for a in datos["aspectos"]
            ],
            no_leidas=[FilaNoLeida(**f) for f in datos["no_leidas"]],
        )


# --- Text, dates and headers -----------------------------------------------------------


def limpio(texto: str | None) -> str:
    """One line: runs of spaces, tabs, line breaks and non-breaking spaces become one space."""
    return " ".join((texto or "").split())


def _sin_acentos(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn")


def normalizado(texto: str | None) -> str:
    """Lowercase, without accents or punctuation: how headers and choices are compared."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _sin_acentos(texto or "").lower()).split())


_MES = {nombre: numero for numero, nombre in enumerate(MESES, start=1)} | {"setiembre": 9}
_FECHA_COMPLETA = re.compile(r"^(\d{1,2}) de ([a-z]+) (?:de|del) (\d{4})$")
_MES_Y_ANIO = re.compile(r"^([a-z]+) (?:de |del )?(\d{4})$")
_NUMERICA = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def leer_fecha(valor: Any) -> datetime.date:
    """A date as convenios write it: "Diciembre 2022" (the last day of that month, as the seed's
    table means it), "15 de junio de 2023", "15/06/2023" or a spreadsheet date."""
    if isinstance(valor, datetime.datetime):
        return valor.date()
    if isinstance(valor, datetime.date):
        return valor
    crudo = limpio(str(valor or "")).lower()
    try:
        if m := _FECHA_COMPLETA.match(normalizado(crudo)):
            dia, mes, anio = int(m[1]), _MES.get(m[2]), int(m[3])
            if mes:
                return datetime.date(anio, mes, dia)
        elif m := _MES_Y_ANIO.match(normalizado(crudo)):
            mes, anio = _MES.get(m[1]), int(m[2])
            if mes:
                return datetime.date(anio, mes, calendar.monthrange(anio, mes)[1])
        elif m := _NUMERICA.match(crudo):
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        elif m := _ISO.match(crudo):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise ValidationError(
        _("La fecha «%(valor)s» no se entiende; escríbala como «Diciembre 2022» o «15 de junio de 2023».")
        % {"valor": limpio(str(valor or "")) or _("(vacía)")},
        code="fecha_invalida",
    )


# Column roles, found by their header's words (compared without accents or punctuation).
NUMERO, TIPO, TEXTO, ACCION, AREA, FECHA, PRODUCTO, PRIORIDAD, CLASIFICACION = (
    "numero",
    "tipo",
    "texto",
    "accion",
    "area",
    "fecha",
    "producto",
    "prioridad",
    "clasificacion",
)


def rol_de_encabezado(texto: str) -> str | None:
    clave = normalizado(texto)
    if not clave:
        return None
    if clave in {"no", "n", "num", "numero", "no de aspecto"} or clave.startswith("numero"):
        return NUMERO
    reglas = (
        ("fecha", FECHA),
        ("area", AREA),
        ("responsable", AREA),
        ("producto", PRODUCTO),
        ("evidencia", PRODUCTO),
        ("accion", ACCION),
        ("prioridad", PRIORIDAD),
        ("clasificacion", CLASIFICACION),
        ("texto", TEXTO),
        ("recomendacion", TEXTO),
        ("hallazgo", TEXTO),
        ("aspecto", TEXTO),
    )
    for palabra, rol in reglas:
        if palabra in clave.split() or any(p.startswith(palabra) for p in clave.split()):
            return rol
    return TIPO if clave == "tipo" else None


def de_opciones(valor: Any, opciones: type, nombre: str) -> str:
    """A choice given by its label or value ("Alta", "alta", "Interinstitucional"); "" if empty."""
    clave = normalizado(str(valor or ""))
    if not clave:
        return ""
    for opcion in opciones:
        if clave in {normalizado(opcion.value), normalizado(str(opcion.label))}:
            return opcion.value
    etiquetas = [str(o.label).lower() for o in opciones]
    raise ValidationError(
        _("%(nombre)s: «%(valor)s» no es válido; use %(validas)s.")
        % {
            "nombre": nombre,
            "valor": limpio(str(valor)),
            "validas": _("%(lista)s o %(ultima)s") % {"lista": ", ".join(etiquetas[:-1]), "ultima": etiquetas[-1]},
        },
        code="opcion_invalida",
    )


def numero_de_aspecto(valor: Any) -> int:
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    if isinstance(valor, int) and not isinstance(valor, bool) and valor >= 1:
        return valor
    m = re.fullmatch(r"\D{0,5}?(\d{1,4})\s*[.)°º]?", limpio(str(valor or "")))
    if m and int(m[1]) >= 1:
        return int(m[1])
    raise ValidationError(
        _("El número «%(valor)s» no es un número de aspecto (1, 2, 3…).") % {"valor": limpio(str(valor or ""))},
        code="numero_invalido",
    )
