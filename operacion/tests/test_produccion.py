"""Production settings, static files and gunicorn, run as separate processes with deploy/produccion.env.ejemplo."""

from __future__ import annotations

import json
import secrets
import subprocess

import pytest

from operacion.tests.almacenamientos import CLAVE_ACCESO, CLAVE_SECRETA, CUBETA, REGION
from operacion.tests.entorno import ENTORNO_EJEMPLO, PYTHON, RAIZ, entorno_produccion, gunicorn, manage, pedir
from operacion.tests.instalacion import instalar_base

# Every test here starts manage.py or gunicorn as separate processes.
pytestmark = pytest.mark.lento


def test_check_deploy_sin_advertencias_con_el_entorno_de_ejemplo(tmp_path):
    """The command of docs/deploy.md: the sample file (secret key filled in, paths in tmp) through con_entorno.py."""
    cambios = {
        "DJANGO_SECRET_KEY=": f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}",
        "DATABASE_URL=postgres://seguimiento_asm:CAMBIE-ESTA-CONTRASENA@127.0.0.1:5432/seguimiento_asm": (
            f"DATABASE_URL=sqlite:///{tmp_path / 'base.sqlite3'}"
        ),
        "/srv/seguimiento-asm/": f"{tmp_path}/",
    }
    texto = ENTORNO_EJEMPLO.read_text()
    for viejo, nuevo in cambios.items():
        assert viejo in texto
        texto = texto.replace(viejo, nuevo)
    archivo = tmp_path / "entorno"
    archivo.write_text(texto)
    limpio = {
        k: v for k, v in entorno_produccion(tmp_path).items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
    }

    resultado = subprocess.run(
        [
            PYTHON,
            "deploy/con_entorno.py",
            str(archivo),
            PYTHON,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=RAIZ,
        env=limpio,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "System check identified no issues (0 silenced)." in resultado.stdout


def test_check_deploy_si_advierte_cuando_falta_https(tmp_path):
    """The check above can fail: with SSL redirect off, Django warns (security.W008)."""
    entorno = entorno_produccion(tmp_path, DJANGO_SECURE_SSL_REDIRECT="false")

    resultado = manage(entorno, "check", "--deploy", "--fail-level", "WARNING")

    assert resultado.returncode != 0
    assert "security.W008" in resultado.stderr + resultado.stdout


def test_produccion_no_arranca_sin_clave_secreta(tmp_path):
    entorno = entorno_produccion(tmp_path, DJANGO_SECRET_KEY="")

    resultado = manage(entorno, "check")

    assert resultado.returncode != 0
    assert "Falta la variable de entorno DJANGO_SECRET_KEY" in resultado.stderr


@pytest.mark.parametrize("valor", [None, "", "asm.municipio.gob.mx"])
def test_produccion_no_arranca_sin_la_direccion_del_sitio(tmp_path, valor):
    entorno = entorno_produccion(tmp_path)
    if valor is None:
        del entorno["DJANGO_SITIO_URL"]
    else:
        entorno["DJANGO_SITIO_URL"] = valor

    resultado = manage(entorno, "check")

    assert resultado.returncode != 0
    assert "Falta la variable de entorno DJANGO_SITIO_URL" in resultado.stderr


def test_produccion_no_arranca_sin_hosts_permitidos(tmp_path):
    entorno = entorno_produccion(tmp_path)
    del entorno["DJANGO_ALLOWED_HOSTS"]

    resultado = manage(entorno, "check")

    assert resultado.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in resultado.stderr


HTTPS = {"X-Forwarded-Proto": "https"}


def test_gunicorn_sirve_la_aplicacion_los_estaticos_y_escribe_una_linea_por_peticion(instancia):
    base, bitacora, static_root = instancia.base, instancia.bitacora, instancia.static_root

    estado, _, cuerpo = pedir(base + "/salud/")
    assert estado == 200
    assert json.loads(cuerpo)["estado"] == "ok"

    # Static files: hashed name from the manifest, compressed copy, cacheable for ever.
    manifiesto = json.loads((static_root / "staticfiles.json").read_text())
    hasheado = manifiesto["paths"]["css/app.css"]
    assert hasheado != "css/app.css"
    assert (static_root / (hasheado + ".gz")).exists()
    estado, cabeceras, cuerpo = pedir(f"{base}/static/{hasheado}", **HTTPS, **{"Accept-Encoding": "gzip"})
    assert estado == 200
    assert cabeceras["Content-Encoding"] == "gzip"
    assert "immutable" in cabeceras["Cache-Control"]
    # Swagger UI's bundle is there compressed; its source map as it is; Redoc (unused) is not there.
    swagger = manifiesto["paths"]["drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"]
    assert (static_root / (swagger + ".br")).exists()
    mapa = manifiesto["paths"]["drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js.map"]
    assert (static_root / mapa).exists() and not (static_root / (mapa + ".br")).exists()
    assert not (static_root / "drf_spectacular_sidecar" / "redoc").exists()

    # Plain HTTP goes to HTTPS; pages are in Spanish.
    estado, cabeceras, _ = pedir(base + "/accounts/login/")
    assert estado == 301
    assert cabeceras["Location"] == "https://asm.municipio.gob.mx/accounts/login/"
    estado, _, cuerpo = pedir(base + "/no-existe/", **HTTPS)
    assert estado == 404
    assert "No encontramos la página que busca" in cuerpo.decode()

    lineas = bitacora.read_text().splitlines()
    assert any("operacion.peticiones GET /salud/ 200 " in linea and "usuario=-" in linea for linea in lineas)
    assert any("operacion.peticiones GET /no-existe/ 404 " in linea for linea in lineas)


@pytest.mark.parametrize(("cubeta", "estado_esperado"), [(CUBETA, 200), ("cubeta-que-no-existe", 503)])
def test_el_almacenamiento_s3_se_configura_desde_el_entorno(
    tmp_path, servidor_s3, base_migrada, cubeta, estado_esperado
):
    """DJANGO_S3_* as docs/deploy.md sets them: /salud/ writes its probe in the bucket (or fails without one)."""
    entorno = entorno_produccion(
        tmp_path,
        CELERY_BROKER_URL="",
        WEB_CONCURRENCY="1",
        DJANGO_S3_BUCKET=cubeta,
        DJANGO_S3_ENDPOINT_URL=servidor_s3.url,
        DJANGO_S3_ACCESS_KEY_ID=CLAVE_ACCESO,
        DJANGO_S3_SECRET_ACCESS_KEY=CLAVE_SECRETA,
        DJANGO_S3_REGION=REGION,
        DJANGO_S3_PREFIX="instancia-de-prueba",
    )
    instalar_base(entorno, base_migrada)

    with gunicorn(entorno, tmp_path / "gunicorn.log") as base:
        estado, _, cuerpo = pedir(base + "/salud/")

    assert estado == estado_esperado, cuerpo
    assert json.loads(cuerpo)["componentes"]["almacenamiento"]["estado"] == ("ok" if estado == 200 else "error")
    assert not (tmp_path / "media").exists()  # nothing went to the local disk
    sobrantes = servidor_s3.cliente().list_objects_v2(Bucket=CUBETA, Prefix="instancia-de-prueba/")
    assert sobrantes["KeyCount"] == 0  # the probe was deleted
