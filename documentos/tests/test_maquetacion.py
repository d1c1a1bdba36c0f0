"""Print quality of every document kind at 1, 6, 30 and 120 items: no page mostly blank, the signature block
never alone on a page, fonts embedded, a structurally clean PDF (qpdf).

One test per kind and size, so pytest-xdist spreads them over its workers and each PDF is laid out exactly
once: the four checks run on the same file and report every problem together. Pages are rasterised at a low
resolution (what is measured is where ink falls, not how it looks) and their text read in one pdftotext call.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from convenios.models import Accion, Aspecto, Convenio, EstadoAspecto, TipoAspecto, hoy
from convenios.tests import fabricas
from documentos import contextos
from documentos.anexo1 import datos_anexo1
from documentos.contextos import Emision
from documentos.render import generar_pdf
from documentos.tests.ayudas import capturar_anexo1
from seguimiento import services as seguimiento

TAMANOS = (1, 6, 30, 120)
# What starts the signature block of each kind.
INICIO_FIRMA = {
    "oficio_cumplimiento": "Sin otro particular",
    "vista_contraloria": "Sin otro particular",
    "resolucion_prorroga": "Sin otro particular",
    "acta_sesion": "No habiendo otro asunto",
    "convenio": "se firma por cuadruplicado",
    "anexo1": "Se emite el presente formato",
}
DPI = 20
# The body of a letter page: below the letterhead (3.6 cm top margin) and above the footer (3.1 cm), of 27.94 cm.
CUERPO = (3.6 / 27.94, 1 - 3.1 / 27.94)
MAXIMO_EN_BLANCO = 0.85
TEXTO = (
    "La dependencia deberá documentar el procedimiento, integrar la evidencia en el formato correspondiente "
    "y remitirla al IMPLAN con la firma de su titular."
)
FECHA = datetime.date(2022, 12, 20)
EMISION = Emision(folio="IMPLAN/OC/2022/001", fecha=FECHA, codigo="c" * 16, url_verificacion="https://x/v/c/")


# --- Each kind with n items, built the way the workflow leaves its data -------------------------------------


def _convenio(n: int) -> tuple[fabricas.MunicipioDePrueba, Convenio]:
    """A vigente convenio with n items, half hallazgos and half recomendaciones with one action each. The layout is
    under test here, not the capture (convenios/tests): the items go in by bulk_create, in two queries."""
    m = fabricas.crear_municipio()
    convenio = fabricas.crear_convenio(m, hallazgos=0, recomendaciones=0)
    fecha = convenio.fecha_limite
    hallazgos = n // 2
    aspectos = Aspecto.objects.bulk_create(
        Aspecto(
            convenio=convenio,
            tipo=TipoAspecto.HALLAZGO if i < hallazgos else TipoAspecto.RECOMENDACION,
            numero=i + 1 if i < hallazgos else i - hallazgos + 1,
            texto=TEXTO,
            fecha_compromiso=fecha,
            fecha_vigente=fecha,
        )
        for i in range(n)
    )
    Accion.objects.bulk_create(
        Accion(aspecto=a, numero=1, texto=f"Acción de la recomendación {a.numero}", fecha_termino=fecha)
        for a in aspectos
        if a.tipo == TipoAspecto.RECOMENDACION
    )
    return m, convenio


def _oficio_cumplimiento(n: int) -> dict[str, Any]:
    _m, convenio = _convenio(n)
    Aspecto.objects.filter(convenio=convenio).update(estado=EstadoAspecto.ATENDIDA)
    return contextos.oficio_cumplimiento(convenio, FECHA, EMISION)


def _vista_contraloria(n: int) -> dict[str, Any]:
    _m, convenio = _convenio(n)
    Aspecto.objects.filter(convenio=convenio).update(estado=EstadoAspecto.NO_ATENDIDA)
    return contextos.vista_contraloria(convenio, FECHA, EMISION)


def _resolucion_prorroga(n: int) -> dict[str, Any]:
    m, convenio = _convenio(n)
    implan = fabricas.crear_usuario(f"implan-{m.municipio.pk}", m.implan)
    dependencia = fabricas.crear_usuario(f"dependencia-{m.municipio.pk}", m.dependencia)
    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    prorroga = seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=5),
        motivo=" ".join([TEXTO] * max(1, n // 6)),
    )
    seguimiento.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True, comentario=TEXTO)
    prorroga.refresh_from_db()
    return contextos.resolucion_prorroga(prorroga, FECHA, EMISION)


def _acta_sesion(n: int) -> dict[str, Any]:
    m, convenio = _convenio(n)
    implan = fabricas.crear_usuario(f"implan-{m.municipio.pk}", m.implan)
    sesion = seguimiento.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10), lugar="Sala del IMPLAN"
    )
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[
            {"dependencia": m.implan, "nombre": "Ana Pérez Ruiz", "cargo": "Jefa de Evaluación"},
            {"dependencia": m.dependencia, "nombre": "Luis Gómez Díaz", "cargo": "Enlace"},
            {"dependencia": m.contraloria, "nombre": "Rosa Méndez", "cargo": "Auditora"},
        ],
        aspectos_revisados=list(convenio.aspectos.all()),
        acuerdos="\n".join(f"{i}. Acuerdo de seguimiento número {i}." for i in range(1, n + 1)),
    )
    return contextos.acta_sesion(sesion, FECHA, EMISION)


def _convenio_documento(n: int) -> dict[str, Any]:
    _m, convenio = _convenio(n)
    return contextos.convenio_documento(convenio, FECHA, EMISION)


def _anexo1(n: int) -> dict[str, Any]:
    """The Anexo 1 as IMPLAN issues it: every item captured, with folio and signature block."""
    _m, convenio = _convenio(n)
    # With no hallazgo to fall back on, item 2.1 is captured, as IMPLAN must before issuing.
    capturar_anexo1(convenio, hallazgos_relevantes="" if n // 2 else TEXTO)
    datos = datos_anexo1(convenio.evaluacion, lambda ruta: "https://municipio.example.org" + ruta)
    assert not datos["pendientes"]
    return contextos.anexo1(convenio.evaluacion, FECHA, EMISION, datos)


CONTEXTOS: dict[str, Callable[[int], dict[str, Any]]] = {
    "oficio_cumplimiento": _oficio_cumplimiento,
    "vista_contraloria": _vista_contraloria,
    "resolucion_prorroga": _resolucion_prorroga,
    "acta_sesion": _acta_sesion,
    "convenio": _convenio_documento,
    "anexo1": _anexo1,
}


# --- What is read back from the PDF --------------------------------------------------------------------------


def _paginas_pgm(pdf: Path) -> list[tuple[int, int, bytes]]:
    salida = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(salida)], check=True)
    paginas = []
    for ruta in sorted(pdf.parent.glob(salida.name + "-*.pgm"), key=lambda r: int(r.stem.rsplit("-", 1)[1])):
        datos = ruta.read_bytes()
        cabecera = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", datos)
        assert cabecera is not None
        ancho, alto = int(cabecera[1]), int(cabecera[2])
        paginas.append((ancho, alto, datos[cabecera.end() :]))
    return paginas


def _fraccion_en_blanco(ancho: int, alto: int, pixeles: bytes) -> float:
    """Share of the page's body left unused: above its first and below its last row with ink (gray < 170).
    The white inside a signature block or between paragraphs is layout, not an empty page."""
    arriba, abajo = int(alto * CUERPO[0]), int(alto * CUERPO[1])
    con_tinta = [y for y in range(arriba, abajo) if min(pixeles[y * ancho : (y + 1) * ancho]) < 170]
    if not con_tinta:
        return 1.0
    return 1 - (con_tinta[-1] - con_tinta[0] + 1) / (abajo - arriba)


def _textos_del_cuerpo(pdf: Path) -> list[str]:
    """Each page's text between letterhead and footer, in one pdftotext call (72 dpi: points; the crop applies
    to every page, and pages come separated by form feeds)."""
    alto = 792
    arriba, abajo = int(alto * CUERPO[0]), int(alto * CUERPO[1])
    resultado = subprocess.run(
        ["pdftotext", "-r", "72", "-x", "0", "-y", str(arriba), "-W", "612", "-H", str(abajo - arriba)]
        + [str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return [re.sub(r"\s+", " ", pagina) for pagina in resultado.stdout.split("\f")[:-1]]


def _paginas_casi_en_blanco(paginas: list[tuple[int, int, bytes]]) -> list[str]:
    blancas = {i + 1: round(f, 2) for i, p in enumerate(paginas) if (f := _fraccion_en_blanco(*p)) > MAXIMO_EN_BLANCO}
    return [f"páginas casi en blanco {blancas} de {len(paginas)}"] if blancas else []


def _firma_sola(textos: list[str], marca: str) -> list[str]:
    con_firma = [i for i, texto in enumerate(textos, start=1) if marca in texto]
    if len(con_firma) != 1:
        return [f"«{marca}» en las páginas {con_firma}, no en una sola"]
    antes = textos[con_firma[0] - 1].split(marca)[0]
    # Some of the document's own text shares the page with the closing and the signatures.
    if len(antes.replace(" ", "")) < 80:
        return [f"la firma quedó sola en la página {con_firma[0]}"]
    return []


def _fuentes_sin_incrustar(pdf: Path) -> list[str]:
    fuentes = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    filas = fuentes.splitlines()[2:]
    if not filas:
        return ["sin fuentes"]
    # Columns: name type [encoding] emb sub uni object ID
    return [
        f"fuente no incrustada: {fila}"
        for fila in filas
        if not re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", fila)
    ]


def _errores_de_estructura(pdf: Path) -> list[str]:
    revision = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    return [] if revision.returncode == 0 else [f"qpdf --check: {revision.stdout[-500:]} {revision.stderr[-500:]}"]


@pytest.mark.parametrize("n", TAMANOS)
@pytest.mark.parametrize("tipo", list(CONTEXTOS))
def test_se_imprime_sin_paginas_en_blanco_ni_firma_sola_con_fuentes_incrustadas_y_pdf_limpio(db, tmp_path, tipo, n):
    pdf = tmp_path / f"{tipo}-{n}.pdf"
    pdf.write_bytes(generar_pdf(tipo, CONTEXTOS[tipo](n), borrador=False).pdf)

    problemas = [
        *_paginas_casi_en_blanco(_paginas_pgm(pdf)),
        *_firma_sola(_textos_del_cuerpo(pdf), INICIO_FIRMA[tipo]),
        *_fuentes_sin_incrustar(pdf),
        *_errores_de_estructura(pdf),
    ]

    assert not problemas, f"{tipo} con {n} aspectos: {problemas}"
