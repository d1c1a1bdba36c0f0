"""The files of deploy/ as docs/deploy.md installs them: systemd units verified, nginx run in front of gunicorn."""

from __future__ import annotations

import gzip
import os
import shutil
import ssl
import subprocess
import urllib.error
import urllib.request

import pytest

from operacion.tests.entorno import BIN, RAIZ, esperar_http, puerto_libre

DEPLOY = RAIZ / "deploy"
HOST = "asm.municipio.gob.mx"

# systemd-analyze, nginx and gunicorn as separate processes.
pytestmark = pytest.mark.lento


def herramienta(nombre: str, paquete: str) -> str:
    """CI installs it (.ci/run); elsewhere its absence is a visible skip."""
    ruta = shutil.which(nombre) or shutil.which(nombre, path="/usr/sbin:/usr/bin")
    if ruta:
        return ruta
    if os.environ.get("CI"):
        pytest.fail(f"{nombre} no está instalado; .ci/run debe instalar el paquete {paquete}")
    pytest.skip(f"{nombre} no está instalado: apt-get install {paquete}")


def reemplazar(texto: str, cambios: dict[str, str]) -> str:
    """Each placeholder must be there exactly once: if deploy/ changes, this test notices."""
    for viejo, nuevo in cambios.items():
        assert texto.count(viejo) == 1, f"{viejo!r} aparece {texto.count(viejo)} veces"
        texto = texto.replace(viejo, nuevo)
    return texto


def test_las_unidades_de_systemd_son_validas(tmp_path):
    systemd_analyze = herramienta("systemd-analyze", "systemd")
    for unidad in (DEPLOY / "systemd").iterdir():
        # Paths of this checkout instead of /srv/seguimiento-asm/app, so the executables exist.
        texto = unidad.read_text().replace("/srv/seguimiento-asm/app/.venv/bin", str(BIN))
        texto = texto.replace("/srv/seguimiento-asm/app", str(RAIZ))
        nombre = unidad.name.replace("@.service", "@1.service")
        (tmp_path / nombre).write_text(texto)
    unidades = sorted(str(p) for p in tmp_path.iterdir())
    assert len(unidades) == 5

    resultado = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *unidades], capture_output=True, text=True, timeout=60
    )

    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stderr.strip() == ""


@pytest.fixture
def nginx(instancia, tmp_path):
    """deploy/nginx/seguimiento-asm.conf on free ports with a self-signed certificate, in front of gunicorn."""
    binario = herramienta("nginx", "nginx")
    certificado, llave = tmp_path / "certificado.pem", tmp_path / "llave.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(llave), "-out", str(certificado)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http, https = puerto_libre(), puerto_libre()
    sitio = reemplazar(
        (DEPLOY / "nginx" / "seguimiento-asm.conf").read_text(),
        {
            "listen 80;": f"listen 127.0.0.1:{http};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
            "server 127.0.0.1:8000;": f"server {instancia.base.removeprefix('http://')};",
            "/srv/seguimiento-asm/staticfiles/": f"{instancia.static_root}/",
            "/etc/ssl/seguimiento-asm/certificado.pem": str(certificado),
            "/etc/ssl/seguimiento-asm/llave.pem": str(llave),
        },
    )
    (tmp_path / "sitio.conf").write_text(sitio)
    temporales = "\n".join(
        f"  {clave}_temp_path {tmp_path / clave};" for clave in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # What Debian's /etc/nginx/nginx.conf provides around a site, in the test's own folder.
    principal = tmp_path / "nginx.conf"
    principal.write_text(
        f"""user root;
daemon off;
pid {tmp_path / "nginx.pid"};
error_log {tmp_path / "nginx-error.log"};
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log {tmp_path / "nginx-access.log"};
{temporales}
  include {tmp_path / "sitio.conf"};
}}
"""
    )
    prueba = subprocess.run([binario, "-t", "-c", str(principal)], capture_output=True, text=True, timeout=30)
    assert prueba.returncode == 0, prueba.stderr
    proceso = subprocess.Popen([binario, "-c", str(principal)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        esperar_http(f"http://127.0.0.1:{http}/salud/")
        yield f"https://127.0.0.1:{https}", f"http://127.0.0.1:{http}"
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


def pedir(url: str, **cabeceras: str) -> tuple[int, dict[str, str], bytes]:
    contexto = ssl.create_default_context()
    contexto.check_hostname = False
    contexto.verify_mode = ssl.CERT_NONE  # our own self-signed certificate

    class SinRedireccion(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    abridor = urllib.request.build_opener(urllib.request.HTTPSHandler(context=contexto), SinRedireccion)
    try:
        with abridor.open(urllib.request.Request(url, headers={"Host": HOST, **cabeceras}), timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_nginx_sirve_estaticos_pasa_lo_demas_a_gunicorn_y_no_sirve_archivos_guardados(nginx, instancia):
    https, http = nginx

    # The application, over HTTPS: Django sees the request as secure (X-Forwarded-Proto), no redirect.
    estado, _, cuerpo = pedir(https + "/accounts/login/")
    assert estado == 200
    assert "Contraseña" in cuerpo.decode()
    estado, _, cuerpo = pedir(https + "/salud/")
    assert estado == 200

    # The page's HTML travels compressed to a browser that accepts it.
    estado, cabeceras, cuerpo = pedir(https + "/accounts/login/", **{"Accept-Encoding": "gzip"})
    assert estado == 200
    assert cabeceras["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in cabeceras["Vary"]
    pagina = gzip.decompress(cuerpo)
    assert "Contraseña" in pagina.decode()
    assert len(cuerpo) < len(pagina) / 2

    # Static files from disk by nginx, pre-compressed, cacheable for a year; gunicorn never sees them.
    hasheado = next(instancia.static_root.glob("css/app.*.css")).relative_to(instancia.static_root)
    estado, cabeceras, _ = pedir(f"{https}/static/{hasheado}", **{"Accept-Encoding": "gzip"})
    assert estado == 200
    assert cabeceras["Content-Encoding"] == "gzip"
    assert "immutable" in cabeceras["Cache-Control"]
    assert f"/static/{hasheado}" not in instancia.bitacora.read_text()

    # A stored file that exists on disk is not reachable by any URL nginx knows.
    evidencia = instancia.media_root / "evidencias" / "1" / "oficio.pdf"
    evidencia.parent.mkdir(parents=True)
    evidencia.write_bytes(b"%PDF-1.4 contenido privado")
    for ruta in ("/archivos/evidencias/1/oficio.pdf", "/media/evidencias/1/oficio.pdf", "/evidencias/1/oficio.pdf"):
        estado, _, cuerpo = pedir(https + ruta)
        assert estado == 404, ruta
        assert b"contenido privado" not in cuerpo

    # Plain HTTP: to HTTPS, except the health check for the load balancer.
    estado, cabeceras, _ = pedir(http + "/accounts/login/")
    assert estado == 301
    assert cabeceras["Location"] == f"https://{HOST}/accounts/login/"
    assert pedir(http + "/salud/")[0] == 200
