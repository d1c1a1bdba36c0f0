"""The rendering module: WeasyPrint may read only our stylesheet and the municipios' logos; user text is text."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from convenios.models import TipoAspecto
from documentos import contextos
from documentos.maquetador import CARPETA_ESTATICOS, FetcherSeguro, URLRechazada
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.render import generar_pdf
from documentos.services import documento_borrador
from documentos.tests.ayudas import emitir_version_para_firma, paginas_pdf, texto_pdf

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


@pytest.fixture
def espia():
    """A local HTTP server that counts the requests it gets: proof that a PDF fetched (or did not fetch)."""
    recibidas: list[str] = []

    class Manejador(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            recibidas.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_port}", recibidas
    servidor.shutdown()
    servidor.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/estilos.css",
        "ftp://example.com/x",
        "data:image/png;base64,iVBORw0KGgo=",
        "//example.com/logo.png",
    ],
)
def test_el_fetcher_rechaza_urls_externas(url):
    fetcher = FetcherSeguro()
    with pytest.raises(URLRechazada):
        fetcher.fetch(url)
    assert fetcher.rechazadas == [url]


def test_el_fetcher_rechaza_archivos_fuera_de_las_carpetas_permitidas(settings, tmp_path):
    logos = Path(settings.MEDIA_ROOT) / "municipios" / "logos"
    logos.mkdir(parents=True)
    evidencia = Path(settings.MEDIA_ROOT) / "evidencias" / "1" / "privada.pdf"
    evidencia.parent.mkdir(parents=True)
    evidencia.write_bytes(b"%PDF-1.4 privado")
    (logos / "enlace.png").symlink_to(evidencia)
    fetcher = FetcherSeguro()

    for url in [
        "file:///etc/passwd",
        evidencia.as_uri(),
        logos.as_uri() + "/../../evidencias/1/privada.pdf",
        (logos / "enlace.png").as_uri(),  # a link inside the folder pointing outside it
        (logos / "no-existe.png").as_uri(),
        logos.as_uri(),  # a folder, not a file
        "file://otra-maquina/etc/passwd",
        (CARPETA_ESTATICOS / ".." / ".." / "models.py").as_uri(),
    ]:
        with pytest.raises(URLRechazada):
            fetcher.fetch(url)


def test_el_fetcher_sirve_la_hoja_de_estilos_y_el_logo_del_municipio(settings):
    logo = Path(settings.MEDIA_ROOT) / "municipios" / "logos" / "escudo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(PNG)
    fetcher = FetcherSeguro()

    assert fetcher.fetch(logo.as_uri()).read() == PNG
    assert b"@page" in fetcher.fetch((CARPETA_ESTATICOS / "pdf.css").as_uri()).read()
    assert fetcher.rechazadas == []


def test_una_plantilla_con_recursos_externos_no_sale_a_la_red(espia):
    """Even raw HTML (not escaped) gets nothing from outside. The control shows the trap works."""
    url, recibidas = espia
    html = f'<p>Hola</p><img src="{url}/espia.png"><link rel="stylesheet" href="{url}/x.css"><img src="file:///etc/passwd">'

    fetcher = FetcherSeguro()
    HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert recibidas == []
    assert f"{url}/espia.png" in fetcher.rechazadas
    assert "file:///etc/passwd" in fetcher.rechazadas

    HTML(string=html, url_fetcher=URLFetcher()).write_pdf()  # control: WeasyPrint's own fetcher does go out
    assert "/espia.png" in recibidas


def test_el_texto_hostil_de_un_aspecto_se_imprime_literal_y_no_hace_peticiones(convenio, implan, espia):
    url, recibidas = espia
    hostil = f'<img src="{url}/espia.png"> <script>alert("x")</script> <link rel="stylesheet" href="{url}/e.css">'
    recomendacion = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    type(recomendacion).objects.filter(pk=recomendacion.pk).update(texto=hostil)
    recomendacion.acciones.update(texto=f"<style>@import url({url}/i.css);</style>")

    resultado = generar_pdf(
        "convenio", contextos.convenio_documento(convenio, timezone.localdate(), None), borrador=True
    )
    documento = emitir_version_para_firma(convenio, implan)

    assert recibidas == []
    assert set(resultado.fetcher.solicitadas) == {(CARPETA_ESTATICOS / "pdf.css").as_uri()}
    with documento.archivo.open("rb") as archivo:
        texto = texto_pdf(archivo.read())
    assert f'<img src="{url}/espia.png">' in texto
    assert '<script>alert("x")</script>' in texto
    # A long URL may wrap at "//": compare without the spaces the line break leaves in the extracted text.
    assert f"<style>@importurl({url}/i.css);</style>" in texto.replace(" ", "")


def test_el_logo_del_municipio_aparece_en_el_membrete(convenio, implan, m):
    m.municipio.logo.save("escudo.png", ContentFile(PNG))
    m.municipio.pie_de_pagina = "Palacio Municipal s/n, Centro · Tel. 55 0000 0000"
    m.municipio.save()

    resultado = generar_pdf(
        "oficio_cumplimiento",
        contextos.oficio_cumplimiento(convenio, timezone.localdate(), None),
        borrador=True,
    )

    assert Path(m.municipio.logo.path).resolve().as_uri() in resultado.fetcher.solicitadas
    assert resultado.fetcher.rechazadas == []
    assert b"/Subtype /Image" in resultado.pdf
    assert all("Palacio Municipal s/n, Centro" in pagina for pagina in paginas_pdf(resultado.pdf))


def test_el_borrador_dice_borrador_en_cada_pagina_no_tiene_folio_ni_se_guarda(seed, implan_seed, settings):
    pdf = documento_borrador(tipo=TipoDocumento.CONVENIO, objeto=seed, usuario=implan_seed)

    paginas = paginas_pdf(pdf)
    assert len(paginas) > 1
    assert all("BORRADOR" in pagina for pagina in paginas)
    assert "IMPLAN/CV/" not in " ".join(paginas)
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "documentos").exists()


def test_solo_el_implan_ve_borradores(convenio, dependencia, contraloria):
    from django.core.exceptions import PermissionDenied

    for usuario in (dependencia, contraloria):
        with pytest.raises(PermissionDenied):
            documento_borrador(tipo=TipoDocumento.OFICIO_CUMPLIMIENTO, objeto=convenio, usuario=usuario)


def test_arrancar_un_proceso_no_importa_weasyprint_ni_pyhanko():
    """Every manage.py command, web and Celery worker imports the URLconf and the tasks; none of them needs the
    PDF engine or the signer until it makes a document (documentos/maquetador.py, firma.firmar_pdf)."""
    programa = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "import config.celery; config.celery.app.loader.import_default_modules(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pyhanko', 'fontTools'}))"
    )
    salida = subprocess.run(
        [sys.executable, "-c", programa],
        capture_output=True,
        text=True,
        timeout=60,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert salida.returncode == 0, salida.stderr
    assert salida.stdout.strip() == "[]"
