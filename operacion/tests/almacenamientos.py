"""Pytest fixtures to run a test on the filesystem and on a local S3-compatible server.

Registered for the whole project in the root conftest.py (``pytest_plugins``). A test that
takes ``almacenamiento`` runs twice: ``[disco]`` (FileSystemStorage under MEDIA_ROOT) and
``[s3]`` (django-storages against moto's S3 server in a thread on 127.0.0.1, offline).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from config.almacenamiento_s3 import opciones_s3
from operacion.tests.entorno import puerto_libre

CUBETA = "seguimiento-asm-pruebas"
REGION = "us-east-1"
CLAVE_ACCESO = "clave-de-prueba"
CLAVE_SECRETA = "secreto-de-prueba"


@dataclass
class ServidorS3:
    url: str

    def cliente(self):
        """A boto3 client of our own, to look at the bucket without going through Django."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=CLAVE_ACCESO,
            aws_secret_access_key=CLAVE_SECRETA,
        )


@pytest.fixture(scope="session")
def servidor_s3() -> Iterator[ServidorS3]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    puerto = puerto_libre()
    servidor = ThreadedMotoServer(ip_address="127.0.0.1", port=puerto, verbose=False)
    servidor.start()
    s3 = ServidorS3(url=f"http://127.0.0.1:{puerto}")
    s3.cliente().create_bucket(Bucket=CUBETA)
    yield s3
    servidor.stop()


@dataclass
class Almacenamiento:
    tipo: str  # "disco" or "s3"
    prefijo: str = ""  # the test's own folder in the bucket
    servidor: ServidorS3 | None = None

    def leer(self, nombre: str) -> bytes:
        """The stored bytes, read without Django's storage API (the disk, or our own boto3 client)."""
        if self.servidor is None:
            from django.conf import settings

            return (settings.MEDIA_ROOT / nombre).read_bytes()
        objeto = self.servidor.cliente().get_object(Bucket=CUBETA, Key=f"{self.prefijo}/{nombre}")
        return objeto["Body"].read()


def configurar_s3(settings, url: str, prefijo: str) -> None:
    """The same STORAGES["default"] that config/settings/base.py builds from DJANGO_S3_*."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": opciones_s3(
                bucket=CUBETA,
                endpoint_url=url,
                access_key=CLAVE_ACCESO,
                secret_key=CLAVE_SECRETA,
                region=REGION,
                prefijo=prefijo,
            ),
        },
    }


@pytest.fixture(params=["disco", "s3"])
def almacenamiento(request, settings) -> Almacenamiento:
    if request.param == "disco":
        return Almacenamiento(tipo="disco")
    servidor = request.getfixturevalue("servidor_s3")
    prefijo = f"prueba-{uuid.uuid4().hex}"
    configurar_s3(settings, servidor.url, prefijo)
    return Almacenamiento(tipo="s3", prefijo=prefijo, servidor=servidor)


@pytest.fixture(autouse=True)
def _almacenamiento_de_la_corrida(request, settings) -> None:
    """PRUEBAS_ALMACENAMIENTO=s3 runs every test of the session with its files on the local S3 server.

    .ci/run uses it for the tests that upload and download files (see docs/deploy.md).
    A test that takes `almacenamiento` chooses for itself.
    """
    if os.environ.get("PRUEBAS_ALMACENAMIENTO") != "s3" or "almacenamiento" in request.fixturenames:
        return
    if request.node.get_closest_marker("solo_disco"):
        pytest.skip("revisa archivos en el disco local; no aplica con PRUEBAS_ALMACENAMIENTO=s3")
    servidor = request.getfixturevalue("servidor_s3")
    configurar_s3(settings, servidor.url, f"corrida-{uuid.uuid4().hex}")


def bajar(respuesta) -> tuple[int, Any, bytes]:
    """What the browser ends up with after a download view: the stream it sent, or what the presigned URL
    it redirected to gives (status, headers and bytes from the local S3 server, fetched by our own client).
    The headers are looked up without regard to case, in both."""
    import urllib.request

    if respuesta.status_code == 302 and respuesta["Location"].startswith("http://127.0.0.1:"):
        with urllib.request.urlopen(respuesta["Location"], timeout=10) as final:
            return final.status, final.headers, final.read()
    return respuesta.status_code, respuesta.headers, b"".join(respuesta.streaming_content)
