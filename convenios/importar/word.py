"""The convenio's Word file: cláusula CUARTA a) as a numbered list of hallazgos (typed numbers "1. …"
or Word's automatic numbering, or a table) and CUARTA b) as the table of recomendaciones, read by its
headers: No. / Recomendación / Acciones / Fecha de cumplimiento, and optionally Área responsable and
Producto esperado. Several actions per recomendación: several rows with the same No. (or vertically
merged No. cells), or one paragraph per action in the Acciones cell."""

from __future__ import annotations

import datetime
import re
from typing import IO, Any

import docx
import docx.table
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from convenios.importar.lectura import (
    ACCION,
    AREA,
    CLASIFICACION,
    FECHA,
    NUMERO,
    PRIORIDAD,
    PRODUCTO,
    TEXTO,
    AccionLeida,
    AspectoLeido,
    FilaNoLeida,
    Lectura,
    de_opciones,
    leer_fecha,
    limpio,
    numero_de_aspecto,
    rol_de_encabezado,
)
from convenios.models import ClasificacionAspecto, Prioridad, TipoAspecto

# A clause opens its paragraph with its name: in capitals ("CUARTA. Del resultado…", "CLÁUSULA
# CUARTA:"), or in any case when a period follows ("Cuarta. …"; a hallazgo may begin "Primera infancia").
_NOMBRES = r"(PRIMERA|SEGUNDA|TERCERA|CUARTA|QUINTA|SEXTA|S[EÉ]PTIMA|OCTAVA|NOVENA|D[EÉ]CIMA)"
_CLAUSULA = re.compile(rf"^(?:CL[AÁ]USULA\s+)?{_NOMBRES}\b[\s.:\-–]")
_CLAUSULA_MINUSCULAS = re.compile(rf"^(?:cl[aá]usula\s+)?{_NOMBRES}\s*\.", re.IGNORECASE)
_INCISO = re.compile(r"^([a-z])\)\s*")
_NUMERADO = re.compile(r"^(\d{1,3})\s*[.)\-–]\s+(.+)$", re.DOTALL)
_VIÑETA = re.compile(r"^(?:\d{1,2}[.)]|[a-z]\)|[•·\-–])\s+")


def _es_lista(parrafo: Any) -> bool:
    """Word's automatic numbering, on the paragraph or through its style (e.g. "List Number")."""
    ppr = parrafo._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return True
    estilo = parrafo.style
    while estilo is not None:
        ppr = estilo.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        estilo = estilo.base_style
    return False


def leer_docx(archivo: IO[bytes], lectura: Lectura) -> None:
    documento = docx.Document(archivo)
    en_cuarta = False
    encontrada = False
    inciso: str | None = None
    hallazgos: list[AspectoLeido] = []
    n_lista = 0
    tablas = 0
    for bloque in documento.iter_inner_content():
        if isinstance(bloque, docx.table.Table):
            if not en_cuarta:
                continue
            tablas += 1
            tipo = TipoAspecto.HALLAZGO if inciso == "a" else TipoAspecto.RECOMENDACION
            lectura.aspectos += _leer_cuadro(bloque, tipo, lectura.no_leidas, tablas)
            continue
        texto = bloque.text.strip()
        if not texto:
            continue
        clausula = _CLAUSULA.match(texto) or _CLAUSULA_MINUSCULAS.match(texto)
        if clausula:
            if encontrada and en_cuarta:
                break
            en_cuarta = clausula[1].upper() == "CUARTA"
            encontrada = encontrada or en_cuarta
            continue
        if not en_cuarta:
            continue
        if m := _INCISO.match(texto):
            inciso = m[1]
            continue
        if inciso != "a":
            continue
        if m := _NUMERADO.match(texto):
            hallazgos.append(AspectoLeido(tipo=TipoAspecto.HALLAZGO, numero=int(m[1]), texto=limpio(m[2])))
        elif _es_lista(bloque):
            n_lista += 1
            hallazgos.append(AspectoLeido(tipo=TipoAspecto.HALLAZGO, numero=n_lista, texto=limpio(texto)))
        elif hallazgos:
            # A second paragraph of the same hallazgo.
            hallazgos[-1].texto += "\n" + limpio(texto)
    if not encontrada:
        raise ValidationError(
            _(
                "No se encontró la cláusula CUARTA (hallazgos y recomendaciones) en el documento. Cada cláusula "
                "debe empezar su párrafo con su nombre en mayúsculas («CUARTA. Del resultado…»)."
            ),
            code="sin_clausula",
        )
    vistos: set[int] = set()
    unicos: list[AspectoLeido] = []
    for hallazgo in hallazgos:
        if hallazgo.numero in vistos:
            lectura.no_leidas.append(
                FilaNoLeida(
                    lugar=_("Cláusula CUARTA a), hallazgo %(n)s") % {"n": hallazgo.numero},
                    motivo=_("El número %(n)s se repite en la lista de hallazgos.") % {"n": hallazgo.numero},
                )
            )
            continue
        vistos.add(hallazgo.numero)
        unicos.append(hallazgo)
    # Hallazgos (CUARTA a) first, then recomendaciones (CUARTA b), each in the document's order.
    lectura.aspectos = sorted(unicos + lectura.aspectos, key=lambda a: a.tipo != TipoAspecto.HALLAZGO)
    if not lectura.aspectos and not lectura.no_leidas:
        raise ValidationError(
            _(
                "La cláusula CUARTA no tiene la lista numerada de hallazgos (inciso a) ni el cuadro de "
                "recomendaciones (inciso b)."
            ),
            code="clausula_vacia",
        )


def _celdas(fila: Any) -> list[Any]:
    """The row's cells once each (a horizontally merged cell repeats in ``row.cells``)."""
    unicas, vistas = [], set()
    for celda in fila.cells:
        if id(celda._tc) in vistas:
            unicas.append(None)
            continue
        vistas.add(id(celda._tc))
        unicas.append(celda)
    return unicas


def _parrafos(celda: Any) -> list[str]:
    if celda is None:
        return []
    return [t for t in (limpio(p.text) for p in celda.paragraphs) if t]


def _repartir(valores: list[str], n: int) -> list[str]:
    """One value per action: paired when the cell has one paragraph per action, else the whole cell for each."""
    if len(valores) == n:
        return valores
    return [" ".join(valores)] * n


def _leer_cuadro(tabla: Any, tipo: str, no_leidas: list[FilaNoLeida], n_tabla: int) -> list[AspectoLeido]:
    nombre_tabla = (
        _("Cuadro de hallazgos (CUARTA a)")
        if tipo == TipoAspecto.HALLAZGO
        else _("Cuadro de recomendaciones (CUARTA b)")
    )
    if n_tabla > 1:
        nombre_tabla += f" {n_tabla}"
    filas = list(tabla.rows)
    columnas: dict[str, int] = {}
    inicio = 0
    for i, fila in enumerate(filas[:3]):
        roles: dict[str, int] = {}
        for j, celda in enumerate(_celdas(fila)):
            rol = rol_de_encabezado(" ".join(_parrafos(celda)))
            if rol and rol not in roles:
                roles[rol] = j
        if NUMERO in roles and TEXTO in roles:
            columnas, inicio = roles, i + 1
            break
    obligatorias = [NUMERO, TEXTO] + ([ACCION, FECHA] if tipo == TipoAspecto.RECOMENDACION else [])
    faltan = [c for c in obligatorias if c not in columnas]
    if faltan:
        nombres = {
            NUMERO: "No.",
            TEXTO: str(TipoAspecto(tipo).label),
            ACCION: _("Acciones"),
            FECHA: _("Fecha de cumplimiento"),
        }
        raise ValidationError(
            _("El %(tabla)s no tiene la columna %(columnas)s en su primera fila.")
            % {
                "tabla": nombre_tabla[0].lower() + nombre_tabla[1:],
                "columnas": ", ".join(f"«{nombres[c]}»" for c in faltan),
            },
            code="cuadro_sin_columnas",
        )

    leidos: list[AspectoLeido] = []
    por_numero: dict[int, AspectoLeido] = {}
    actual: AspectoLeido | None = None
    for i, fila in enumerate(filas[inicio:], start=inicio + 1):
        celdas = _celdas(fila)

        def valor(rol: str, celdas: list[Any] = celdas) -> list[str]:
            j = columnas.get(rol)
            return _parrafos(celdas[j]) if j is not None and j < len(celdas) else []

        if not any(_parrafos(c) for c in celdas):
            continue
        lugar = _("%(tabla)s, renglón %(n)s") % {"tabla": nombre_tabla, "n": i}
        try:
            numero_texto = " ".join(valor(NUMERO))
            texto = "\n".join(valor(TEXTO))
            if numero_texto:
                numero = numero_de_aspecto(numero_texto)
            elif actual is not None and not texto:
                numero = actual.numero  # a row that only adds actions to the item above
            else:
                raise ValidationError(_("El renglón no tiene número."), code="sin_numero")
            lugar = _("%(tabla)s, renglón %(n)s (No. %(numero)s)") % {"tabla": nombre_tabla, "n": i, "numero": numero}
            if actual is not None and numero == actual.numero and texto in ("", actual.texto):
                aspecto = actual
            elif numero in por_numero:
                raise ValidationError(
                    _("El número %(n)s ya apareció antes en el cuadro.") % {"n": numero}, code="numero_repetido"
                )
            elif not texto:
                raise ValidationError(_("El renglón no tiene el texto del aspecto."), code="sin_texto")
            else:
                aspecto = AspectoLeido(
                    tipo=tipo,
                    numero=numero,
                    texto=texto,
                    prioridad=de_opciones(" ".join(valor(PRIORIDAD)), Prioridad, _("Prioridad")),
                    clasificacion=de_opciones(" ".join(valor(CLASIFICACION)), ClasificacionAspecto, _("Clasificación")),
                )
            acciones = _acciones_de_celda(valor(ACCION))
            fechas_texto = valor(FECHA)
            fechas = _fechas_de_celda(fechas_texto, max(len(acciones), 1))
            if not acciones:
                if tipo == TipoAspecto.RECOMENDACION:
                    raise ValidationError(_("La recomendación no tiene acciones."), code="sin_acciones")
                if fechas_texto:
                    aspecto.fecha_propia = fechas[0]
            else:
                areas = _repartir(valor(AREA), len(acciones))
                productos = _repartir(valor(PRODUCTO), len(acciones))
                if not fechas_texto:
                    raise ValidationError(_("La acción no tiene fecha de cumplimiento."), code="sin_fecha")
                nuevas = [
                    AccionLeida(
                        numero=len(aspecto.acciones) + k + 1,
                        texto=accion,
                        fecha_termino=fechas[k],
                        area_responsable=areas[k],
                        producto_esperado=productos[k],
                    )
                    for k, accion in enumerate(acciones)
                ]
                aspecto.acciones += nuevas
        except ValidationError as error:
            no_leidas.append(FilaNoLeida(lugar=lugar, motivo=" ".join(error.messages)))
            continue
        if aspecto is not actual:
            leidos.append(aspecto)
            por_numero[aspecto.numero] = aspecto
            actual = aspecto
    return leidos


def _acciones_de_celda(parrafos: list[str]) -> list[str]:
    if len(parrafos) <= 1:
        return parrafos
    return [t for t in (_VIÑETA.sub("", p, count=1).strip() for p in parrafos) if t]


def _fechas_de_celda(parrafos: list[str], n: int) -> list[datetime.date]:
    """The seed writes one date over two lines ("Diciembre" / "2022"): first the whole cell as one
    date for every action; else one date per paragraph, paired with the actions."""
    if not parrafos:
        return []
    try:
        return [leer_fecha(" ".join(parrafos))] * n
    except ValidationError as error:
        if len(parrafos) != n:
            if n == 1 or len(parrafos) == 1:
                raise
            raise ValidationError(
                _("La celda de fechas tiene %(f)s fechas para %(a)s acciones.") % {"f": len(parrafos), "a": n},
                code="fechas_sin_par",
            ) from error
    return [leer_fecha(p) for p in parrafos]
