"""Reads a convenio's hallazgos and recomendaciones from its Word file or from the spreadsheet template.

Two sources, one result (``Lectura``): the items with their actions and dates, and every row that
could not be read with the reason, in Spanish. Nothing here touches the database: IMPLAN sees the
result and confirms, and only then ``convenios.services.convenio_importar`` saves it. The model
rules (cláusula QUINTA: no date after the convenio's deadline) are not repeated here; the service
asks the models (``lectura_revisar``).

- Word (.docx), as the seed was written: cláusula CUARTA a) is a numbered list of hallazgos (typed
  numbers "1. …" or Word's automatic numbering) and CUARTA b) a table No. / Recomendación /
  Acciones / Fecha de cumplimiento. Other layouts of that table are read by their headers: an
  "Área responsable" or "Producto esperado" column, several actions per recommendation (several
  rows with the same No., vertically merged cells, or one paragraph per action in the cell).
- Spreadsheet (.xlsx), in the template ``plantilla_xlsx()`` offers: one row per action.

A .docx or .xlsx is a ZIP archive: before python-docx or openpyxl open one, its directory is read
to refuse what is not one of them and "ZIP bombs" (too many members, too much declared
uncompressed data, an implausible compression ratio). zipfile never inflates a member past the
size its directory declares (it stops and fails the CRC check), so the declared sizes bound the work.
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import docx
import docx.table
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from convenios.formatos import MESES
from convenios.models import ClasificacionAspecto, Prioridad, TipoAspecto

TAMANO_MAXIMO = 10 * 1024 * 1024
"""A convenio's Word file is a few hundred KB; 10 MB leaves room for logos and scanned annexes."""
MIEMBROS_MAXIMOS = 1_000
DESCOMPRIMIDO_MAXIMO = 100 * 1024 * 1024
RELACION_COMPRESION_MAXIMA = 200
FILAS_MAXIMAS = 5_000
"""Rows read from a spreadsheet: a convenio has tens of actions, not thousands."""

DOCX = "docx"
XLSX = "xlsx"

_PARTE_DOCX = "word/document.xml"
_PARTE_XLSX = "xl/workbook.xml"


# --- The result ------------------------------------------------------------------------


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


def _limpio(texto: str | None) -> str:
    """One line: runs of spaces, tabs, line breaks and non-breaking spaces become one space."""
    return " ".join((texto or "").split())


def _sin_acentos(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if unicodedata.category(c) != "Mn")


def _clave(texto: str | None) -> str:
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
    crudo = _limpio(str(valor or "")).lower()
    try:
        if m := _FECHA_COMPLETA.match(_clave(crudo)):
            dia, mes, anio = int(m[1]), _MES.get(m[2]), int(m[3])
            if mes:
                return datetime.date(anio, mes, dia)
        elif m := _MES_Y_ANIO.match(_clave(crudo)):
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
        % {"valor": _limpio(str(valor or "")) or _("(vacía)")},
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


def _rol_de_encabezado(texto: str) -> str | None:
    clave = _clave(texto)
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


def _de_opciones(valor: Any, opciones: type, nombre: str) -> str:
    """A choice given by its label or value ("Alta", "alta", "Interinstitucional"); "" if empty."""
    clave = _clave(str(valor or ""))
    if not clave:
        return ""
    for opcion in opciones:
        if clave in {_clave(opcion.value), _clave(str(opcion.label))}:
            return opcion.value
    etiquetas = [str(o.label).lower() for o in opciones]
    raise ValidationError(
        _("%(nombre)s: «%(valor)s» no es válido; use %(validas)s.")
        % {
            "nombre": nombre,
            "valor": _limpio(str(valor)),
            "validas": _("%(lista)s o %(ultima)s") % {"lista": ", ".join(etiquetas[:-1]), "ultima": etiquetas[-1]},
        },
        code="opcion_invalida",
    )


def _numero(valor: Any) -> int:
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    if isinstance(valor, int) and not isinstance(valor, bool) and valor >= 1:
        return valor
    m = re.fullmatch(r"\D{0,5}?(\d{1,4})\s*[.)°º]?", _limpio(str(valor or "")))
    if m and int(m[1]) >= 1:
        return int(m[1])
    raise ValidationError(
        _("El número «%(valor)s» no es un número de aspecto (1, 2, 3…).") % {"valor": _limpio(str(valor or ""))},
        code="numero_invalido",
    )


# --- The ZIP container -----------------------------------------------------------------


def _abrir_zip(datos: IO[bytes], tamano: int) -> tuple[str, zipfile.ZipFile]:
    """The archive and which kind it is, or a Spanish ``ValidationError`` before anything inflates it."""
    if not tamano:
        raise ValidationError(_("El archivo está vacío."), code="vacio")
    if tamano > TAMANO_MAXIMO:
        raise ValidationError(
            _("El archivo pesa %(tamano)s; el máximo para importar es %(maximo)s.")
            % {"tamano": filesizeformat(tamano), "maximo": filesizeformat(TAMANO_MAXIMO)},
            code="demasiado_grande",
        )
    datos.seek(0)
    cabecera = datos.read(8)
    datos.seek(0)
    if cabecera.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("El archivo es de una versión antigua de Office (.doc o .xls); ábralo y guárdelo como .docx o .xlsx."),
            code="formato_antiguo",
        )
    no_es = ValidationError(
        _("El archivo no es un documento de Word (.docx) ni una hoja de cálculo (.xlsx), sin importar su extensión."),
        code="tipo_no_aceptado",
    )
    if not cabecera.startswith(b"PK\x03\x04"):
        raise no_es
    try:
        contenedor = zipfile.ZipFile(datos)
        entradas = contenedor.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise no_es from error
    declarado = sum(e.file_size for e in entradas)
    comprimido = sum(e.compress_size for e in entradas) or 1
    if (
        len(entradas) > MIEMBROS_MAXIMOS
        or declarado > DESCOMPRIMIDO_MAXIMO
        or declarado / comprimido > RELACION_COMPRESION_MAXIMA
    ):
        contenedor.close()
        raise ValidationError(
            _(
                "El archivo declara un contenido descomprimido desproporcionado (%(miembros)s partes, "
                "%(tamano)s); no se abre."
            )
            % {"miembros": len(entradas), "tamano": filesizeformat(declarado)},
            code="zip_desproporcionado",
        )
    nombres = {e.filename for e in entradas}
    if "[Content_Types].xml" in nombres and _PARTE_DOCX in nombres:
        return DOCX, contenedor
    if "[Content_Types].xml" in nombres and _PARTE_XLSX in nombres:
        return XLSX, contenedor
    contenedor.close()
    raise no_es


def leer(archivo: Any) -> Lectura:
    """Reads an uploaded file (anything with ``name``, ``size``, ``seek`` and ``read``).

    Raises ``ValidationError`` (Spanish) when the whole file cannot be read: too large, not a
    .docx/.xlsx, a ZIP bomb, no cláusula CUARTA, a table without its columns. A row that cannot
    be read does not stop the reading: it goes to ``Lectura.no_leidas`` with its reason.
    """
    nombre = str(getattr(archivo, "name", "") or "")
    formato, contenedor = _abrir_zip(archivo, int(getattr(archivo, "size", 0) or 0))
    contenedor.close()
    archivo.seek(0)
    lectura = Lectura(formato=formato, nombre_archivo=nombre.rsplit("/", 1)[-1][:255])
    try:
        if formato == DOCX:
            _leer_docx(archivo, lectura)
        else:
            _leer_xlsx(archivo, lectura)
    except ValidationError:
        raise
    except Exception as error:  # a malformed part inside a valid ZIP: lxml, KeyError, zlib…
        raise ValidationError(
            _("El archivo está dañado o no se puede leer (%(detalle)s).") % {"detalle": type(error).__name__},
            code="archivo_danado",
        ) from error
    finally:
        archivo.seek(0)
    if not lectura.aspectos and not lectura.no_leidas:
        raise ValidationError(_("El archivo no contiene hallazgos ni recomendaciones."), code="sin_aspectos")
    return lectura


# --- Word ------------------------------------------------------------------------------

_CLAUSULA = re.compile(
    r"^(PRIMERA|SEGUNDA|TERCERA|CUARTA|QUINTA|SEXTA|S[EÉ]PTIMA|OCTAVA|NOVENA|D[EÉ]CIMA)\b[\s.\-–]",
)
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


def _leer_docx(archivo: IO[bytes], lectura: Lectura) -> None:
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
        clausula = _CLAUSULA.match(texto)
        if clausula:
            if encontrada and en_cuarta:
                break
            en_cuarta = clausula[1] == "CUARTA"
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
            hallazgos.append(AspectoLeido(tipo=TipoAspecto.HALLAZGO, numero=int(m[1]), texto=_limpio(m[2])))
        elif _es_lista(bloque):
            n_lista += 1
            hallazgos.append(AspectoLeido(tipo=TipoAspecto.HALLAZGO, numero=n_lista, texto=_limpio(texto)))
        elif hallazgos:
            # A second paragraph of the same hallazgo.
            hallazgos[-1].texto += "\n" + _limpio(texto)
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
    return [t for t in (_limpio(p.text) for p in celda.paragraphs) if t]


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
            rol = _rol_de_encabezado(" ".join(_parrafos(celda)))
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
                numero = _numero(numero_texto)
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
                    prioridad=_de_opciones(" ".join(valor(PRIORIDAD)), Prioridad, _("Prioridad")),
                    clasificacion=_de_opciones(
                        " ".join(valor(CLASIFICACION)), ClasificacionAspecto, _("Clasificación")
                    ),
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


# --- Spreadsheet -----------------------------------------------------------------------


@dataclass(frozen=True)
class Columna:
    rol: str
    encabezado: str
    ancho: int
    ayuda: str


COLUMNAS_PLANTILLA: tuple[Columna, ...] = (
    Columna(TIPO, "Tipo", 16, "Hallazgo o Recomendación."),
    Columna(NUMERO, "Número", 10, "El número del hallazgo o de la recomendación en la cláusula CUARTA."),
    Columna(TEXTO, "Texto del aspecto", 60, "Como lo redacta el convenio; repítalo (o déjelo vacío) en cada acción."),
    Columna(ACCION, "Acción", 50, "Una acción por fila; un hallazgo puede no tener acciones."),
    Columna(AREA, "Área responsable", 30, "Una dependencia del municipio (nombre o siglas) o el nombre del área."),
    Columna(FECHA, "Fecha de término", 18, "Una fecha de Excel, «Diciembre 2022» o «15 de junio de 2023»."),
    Columna(PRODUCTO, "Producto esperado", 40, "La evidencia que se entregará, p. ej. «formato PbRM-02a»."),
    Columna(PRIORIDAD, "Prioridad", 12, "Alta, media o baja (opcional)."),
    Columna(
        CLASIFICACION,
        "Clasificación",
        20,
        "Específico, institucional, interinstitucional o intergubernamental (opcional).",
    ),
)
HOJA_PLANTILLA = "Aspectos"


def plantilla_xlsx() -> bytes:
    """The spreadsheet IMPLAN downloads, fills with one row per action and uploads back."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = HOJA_PLANTILLA
    hoja.append([c.encabezado for c in COLUMNAS_PLANTILLA])
    for j, columna in enumerate(COLUMNAS_PLANTILLA, start=1):
        celda = hoja.cell(row=1, column=j)
        celda.font = Font(bold=True)
        celda.alignment = Alignment(wrap_text=True, vertical="top")
        hoja.column_dimensions[celda.column_letter].width = columna.ancho
    hoja.freeze_panes = "A2"
    letra = {c.rol: hoja.cell(row=1, column=j).column_letter for j, c in enumerate(COLUMNAS_PLANTILLA, start=1)}
    listas = {
        TIPO: [str(t.label) for t in TipoAspecto],
        PRIORIDAD: [str(p.label) for p in Prioridad],
        CLASIFICACION: [str(c.label) for c in ClasificacionAspecto],
    }
    for rol, opciones in listas.items():
        validacion = DataValidation(type="list", formula1='"' + ",".join(opciones) + '"', allow_blank=True)
        validacion.error = _("Elija un valor de la lista.")
        hoja.add_data_validation(validacion)
        validacion.add(f"{letra[rol]}2:{letra[rol]}{FILAS_MAXIMAS}")
    fechas = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    fechas.error = _("Escriba una fecha.")
    hoja.add_data_validation(fechas)
    fechas.add(f"{letra[FECHA]}2:{letra[FECHA]}{FILAS_MAXIMAS}")

    ayuda = libro.create_sheet(_("Instrucciones"))
    ayuda.column_dimensions["A"].width = 22
    ayuda.column_dimensions["B"].width = 90
    ayuda.append([_("Cómo llenar la hoja «%(hoja)s»") % {"hoja": HOJA_PLANTILLA}])
    ayuda["A1"].font = Font(bold=True)
    ayuda.append(
        [
            _(
                "Una fila por acción. Un hallazgo o una recomendación con varias acciones ocupa varias filas "
                "con el mismo tipo y número. La fecha de cumplimiento del aspecto será la más tardía de sus "
                "acciones; ninguna puede pasar de la fecha límite del convenio (cláusula QUINTA)."
            )
        ]
    )
    ayuda.append([])
    for columna in COLUMNAS_PLANTILLA:
        ayuda.append([columna.encabezado, columna.ayuda])
    ayuda.append([])
    ayuda.append([_("Ejemplo (no se importa desde esta hoja)")])
    ayuda.append(
        [
            "Recomendación",
            "1",
            "Identificar, conocer e incorporar en las actividades programadas la legislación vigente…",
            "Incorporar acciones sustantivas en el formato 02a del Presupuesto basado en Resultados.",
            "Defensoría Municipal de Derechos Humanos",
            "Diciembre 2022",
            "Formato PbRM-02a",
            "Alta",
            "Específico",
        ]
    )
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _filas_xlsx(archivo: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    libro = load_workbook(archivo, read_only=True, data_only=True)
    try:
        hoja = libro[HOJA_PLANTILLA] if HOJA_PLANTILLA in libro.sheetnames else libro.worksheets[0]
        yield from enumerate(hoja.iter_rows(values_only=True), start=1)
    finally:
        libro.close()


def _leer_xlsx(archivo: IO[bytes], lectura: Lectura) -> None:
    filas = _filas_xlsx(archivo)
    columnas: dict[str, int] = {}
    for _n, encabezado in filas:
        for j, celda in enumerate(encabezado):
            rol = _rol_de_encabezado(str(celda or ""))
            if rol and rol not in columnas:
                columnas[rol] = j
        break
    faltan = [c for c in COLUMNAS_PLANTILLA if c.rol in (TIPO, NUMERO, TEXTO, ACCION, FECHA) and c.rol not in columnas]
    if faltan:
        raise ValidationError(
            _(
                "La hoja no tiene la columna %(columnas)s en su primera fila. Descargue la plantilla y use sus "
                "encabezados."
            )
            % {"columnas": ", ".join(f"«{c.encabezado}»" for c in faltan)},
            code="hoja_sin_columnas",
        )
    por_clave: dict[tuple[str, int], AspectoLeido] = {}
    for n, fila in filas:
        if n > FILAS_MAXIMAS + 1:
            lectura.no_leidas.append(
                FilaNoLeida(
                    lugar=_("Fila %(n)s") % {"n": n},
                    motivo=_("La hoja tiene más de %(max)s filas; no se leyó el resto.") % {"max": FILAS_MAXIMAS},
                )
            )
            break

        def valor(rol: str, fila: tuple[Any, ...] = fila) -> Any:
            j = columnas.get(rol)
            return fila[j] if j is not None and j < len(fila) else None

        if all(v is None or not str(v).strip() for v in fila):
            continue
        lugar = _("Fila %(n)s") % {"n": n}
        try:
            tipo = _de_opciones(valor(TIPO), TipoAspecto, _("Tipo"))
            if not tipo:
                raise ValidationError(_("Falta el tipo (hallazgo o recomendación)."), code="sin_tipo")
            numero = _numero(valor(NUMERO))
            texto = _limpio(str(valor(TEXTO) or ""))
            accion = _limpio(str(valor(ACCION) or ""))
            fecha_valor = valor(FECHA)
            fecha = leer_fecha(fecha_valor) if fecha_valor not in (None, "") else None
            prioridad = _de_opciones(valor(PRIORIDAD), Prioridad, _("Prioridad"))
            clasificacion = _de_opciones(valor(CLASIFICACION), ClasificacionAspecto, _("Clasificación"))
            aspecto = por_clave.get((tipo, numero))
            if aspecto is None:
                if not texto:
                    raise ValidationError(_("Falta el texto del aspecto."), code="sin_texto")
                aspecto = AspectoLeido(
                    tipo=tipo, numero=numero, texto=texto, prioridad=prioridad, clasificacion=clasificacion
                )
            elif texto and texto != aspecto.texto:
                raise ValidationError(
                    _("%(etiqueta)s ya tiene otro texto en una fila anterior.") % {"etiqueta": aspecto.etiqueta},
                    code="texto_distinto",
                )
            if accion:
                if fecha is None:
                    raise ValidationError(_("La acción no tiene fecha de término."), code="sin_fecha")
                aspecto.acciones.append(
                    AccionLeida(
                        numero=len(aspecto.acciones) + 1,
                        texto=accion,
                        fecha_termino=fecha,
                        area_responsable=_limpio(str(valor(AREA) or "")),
                        producto_esperado=_limpio(str(valor(PRODUCTO) or "")),
                    )
                )
            elif tipo == TipoAspecto.RECOMENDACION:
                raise ValidationError(_("La recomendación no tiene acción."), code="sin_acciones")
            elif fecha is not None:
                aspecto.fecha_propia = fecha
        except ValidationError as error:
            lectura.no_leidas.append(FilaNoLeida(lugar=lugar, motivo=" ".join(error.messages)))
            continue
        if (tipo, numero) not in por_clave:
            por_clave[(tipo, numero)] = aspecto
    lectura.aspectos = sorted(por_clave.values(), key=lambda a: (a.tipo != TipoAspecto.HALLAZGO, a.numero))
