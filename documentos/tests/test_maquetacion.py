"""Print quality of every document kind at 1, 6, 30 and 120 items: no page mostly blank, the signature block
never alone on a page, fonts embedded, a structurally clean PDF (qpdf).

The PDFs are rendered once for the module (inside a transaction rolled back at the end) and rasterised at a
low resolution: what is measured is where ink falls, not how it looks.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from convenios.models import Aspecto, EstadoAspecto, TipoAspecto, hoy
from convenios.tests import fabricas
from documentos import contextos
from documentos.anexo1 import datos_anexo1
from documentos.contextos import Emision
from documentos.render import generar_pdf
from seguimiento import services as seguimiento

TAMANOS = (1, 6, 30, 120)
TIPOS = ("oficio_cumplimiento", "vista_contraloria", "resolucion_prorroga", "acta_sesion", "convenio", "anexo1")
# What starts the signature block of each kind (the Anexo 1 has none).
INICIO_FIRMA = {
    "oficio_cumplimiento": "Sin otro particular",
    "vista_contraloria": "Sin otro particular",
    "resolucion_prorroga": "Sin otro particular",
    "acta_sesion": "No habiendo otro asunto",
    "convenio": "se firma por cuadruplicado",
}
DPI = 20
# The body of a letter page: below the letterhead (3.6 cm top margin) and above the footer (3.1 cm), of 27.94 cm.
CUERPO = (3.6 / 27.94, 1 - 3.1 / 27.94)
MAXIMO_EN_BLANCO = 0.85
TEXTO = (
    "La dependencia deberá documentar el procedimiento, integrar la evidencia en el formato correspondiente "
    "y remitirla al IMPLAN con la firma de su titular."
)


def _crear_y_renderizar(n: int, carpeta: Path) -> dict[str, Path]:
    m = fabricas.crear_municipio()
    implan = fabricas.crear_usuario(f"implan-{n}", m.implan)
    dependencia = fabricas.crear_usuario(f"dependencia-{n}", m.dependencia)
    hallazgos = n // 2
    convenio = fabricas.crear_convenio(m, hallazgos=hallazgos, recomendaciones=n - hallazgos)
    Aspecto.objects.filter(convenio=convenio).update(texto=TEXTO)
    fecha = datetime.date(2022, 12, 20)
    emision = Emision(folio="IMPLAN/OC/2022/001", fecha=fecha, codigo="c" * 16, url_verificacion="https://x/v/c/")
    contextos_por_tipo = {
        "oficio_cumplimiento": contextos.oficio_cumplimiento(convenio, fecha, emision),
        "convenio": contextos.convenio_documento(convenio, fecha, emision),
    }
    Aspecto.objects.filter(convenio=convenio).update(estado=EstadoAspecto.NO_ATENDIDA)
    contextos_por_tipo["vista_contraloria"] = contextos.vista_contraloria(convenio, fecha, emision)

    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    Aspecto.objects.filter(pk=aspecto.pk).update(estado=EstadoAspecto.PENDIENTE)
    aspecto.refresh_from_db()
    prorroga = seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=5),
        motivo=" ".join([TEXTO] * max(1, n // 6)),
    )
    seguimiento.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True, comentario=TEXTO)
    prorroga.refresh_from_db()
    contextos_por_tipo["resolucion_prorroga"] = contextos.resolucion_prorroga(prorroga, fecha, emision)

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
    contextos_por_tipo["acta_sesion"] = contextos.acta_sesion(sesion, fecha, emision)

    datos = {**datos_anexo1(convenio.evaluacion, lambda r: r), "url_formato": "https://x/anexo1/", "url_informe": ""}
    contextos_por_tipo["anexo1"] = contextos.anexo1(convenio.evaluacion, fecha, None, datos)

    rutas = {}
    for tipo, contexto in contextos_por_tipo.items():
        ruta = carpeta / f"{tipo}-{n}.pdf"
        ruta.write_bytes(generar_pdf(tipo, contexto, borrador=False).pdf)
        rutas[tipo] = ruta
    return rutas


_CARPETA = Path(tempfile.mkdtemp(prefix="maquetacion-"))
_RENDERIZADOS: dict[tuple[str, int], Path] = {}


@pytest.fixture(scope="module", autouse=True)
def _limpiar_carpeta():  # type: ignore[no-untyped-def]
    yield
    shutil.rmtree(_CARPETA, ignore_errors=True)


@pytest.fixture
def pdfs(db):  # type: ignore[no-untyped-def]
    """Renders each size once for the whole module, in the first test that asks for it (its data goes with
    that test's transaction; the PDFs stay in a temporary folder for the others)."""

    def pdf(tipo: str, n: int) -> Path:
        if (tipo, n) not in _RENDERIZADOS:
            for otro, ruta in _crear_y_renderizar(n, _CARPETA).items():
                _RENDERIZADOS[(otro, n)] = ruta
        return _RENDERIZADOS[(tipo, n)]

    return pdf


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


def _texto_del_cuerpo(pdf: Path, pagina: int) -> str:
    """The page's text between letterhead and footer (pdftotext at 72 dpi: points)."""
    alto = 792
    arriba, abajo = int(alto * CUERPO[0]), int(alto * CUERPO[1])
    resultado = subprocess.run(
        ["pdftotext", "-f", str(pagina), "-l", str(pagina), "-r", "72", "-x", "0", "-y", str(arriba)]
        + ["-W", "612", "-H", str(abajo - arriba), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return re.sub(r"\s+", " ", resultado.stdout)


@pytest.mark.parametrize("n", TAMANOS)
@pytest.mark.parametrize("tipo", TIPOS)
def test_ninguna_pagina_casi_en_blanco_ni_la_firma_sola(pdfs, tipo, n):
    pdf = pdfs(tipo, n)
    paginas = _paginas_pgm(pdf)
    blancas = {i + 1: round(f, 2) for i, p in enumerate(paginas) if (f := _fraccion_en_blanco(*p)) > MAXIMO_EN_BLANCO}
    assert not blancas, f"{tipo} con {n}: páginas casi en blanco {blancas} de {len(paginas)}"

    if tipo in INICIO_FIRMA:
        marca = INICIO_FIRMA[tipo]
        con_firma = [i for i in range(1, len(paginas) + 1) if marca in _texto_del_cuerpo(pdf, i)]
        assert len(con_firma) == 1
        antes = _texto_del_cuerpo(pdf, con_firma[0]).split(marca)[0]
        # Some of the document's own text shares the page with the closing and the signatures.
        assert len(antes.replace(" ", "")) >= 80, f"{tipo} con {n}: la firma quedó sola en la página {con_firma[0]}"


@pytest.mark.parametrize("tipo", TIPOS)
def test_fuentes_incrustadas_y_pdf_sin_errores_de_estructura(pdfs, tipo):
    for n in TAMANOS:
        pdf = pdfs(tipo, n)
        fuentes = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
        filas = fuentes.splitlines()[2:]
        assert filas, f"{tipo} con {n}: sin fuentes"
        for fila in filas:
            # Columns: name type [encoding] emb sub uni object ID
            assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", fila), f"{tipo} con {n}: {fila}"
        revision = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert revision.returncode == 0, f"{tipo} con {n}: {revision.stdout[-500:]} {revision.stderr[-500:]}"
