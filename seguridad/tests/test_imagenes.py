"""The municipio's logo: at most IMAGEN_TAMANO_MAXIMO bytes and IMAGEN_PIXELES_MAXIMOS pixels; no decompression bombs.

The big images are real PNG headers (what Pillow reads to know the size) with a tiny body: the
limits must hold before anything decodes the pixels, so the test never needs the 144 million.
"""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.urls import reverse
from PIL import Image

from convenios.models import Municipio
from convenios.tests.fabricas import crear_usuario
from seguimiento.tests import archivos_prueba

pytestmark = pytest.mark.seguridad

FormularioLogo = modelform_factory(Municipio, fields=["logo"])


def _trozo(tipo: bytes, datos: bytes) -> bytes:
    return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))


def png_declarado(ancho: int, alto: int) -> bytes:
    """A PNG of ``ancho`` × ``alto`` 1-bit pixels whose data is one compressed all-zero row (a bomb's shape)."""
    cabecera = _trozo(b"IHDR", struct.pack(">IIBBBBB", ancho, alto, 1, 0, 0, 0, 0))
    datos = _trozo(b"IDAT", zlib.compress(b"\x00" * (1 + (ancho + 7) // 8)))
    return b"\x89PNG\r\n\x1a\n" + cabecera + datos + _trozo(b"IEND", b"")


def png_pesado() -> bytes:
    """A real PNG of noise, about 3 MB (noise does not compress)."""
    salida = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(salida, format="PNG")
    return salida.getvalue()


CASOS = [
    ("5000 × 4000 (20 millones de píxeles)", lambda: png_declarado(5000, 4000), "demasiados_pixeles", "5,000 × 4,000"),
    (
        "12000 × 12000 de 445 kB (el caso reportado)",
        lambda: png_declarado(12000, 12000),
        "bomba_de_descompresion",
        "bomba de descompresión",
    ),
    (
        "30000 × 30000 (900 millones)",
        lambda: png_declarado(30000, 30000),
        "bomba_de_descompresion",
        "bomba de descompresión",
    ),
    ("3 MB", png_pesado, "imagen_pesada", "el máximo es 2.0"),
    ("HTML con extensión .png", lambda: b"<html><script>alert(1)</script></html>", "no_es_imagen", "no es una imagen"),
]


@pytest.mark.parametrize("caso,contenido,codigo,mensaje", CASOS, ids=[c[0] for c in CASOS])
def test_el_formulario_rechaza_el_logo_con_un_mensaje_en_espanol(db, caso, contenido, codigo, mensaje, informe):
    formulario = FormularioLogo(files={"logo": SimpleUploadedFile("logo.png", contenido(), "image/png")})
    assert not formulario.is_valid()
    assert [e.code for e in formulario.errors.as_data()["logo"]] == [codigo]
    assert mensaje in formulario.errors["logo"][0]
    informe.anotar("Archivos", f"logotipo: {caso}", "rechazado con mensaje en español")
    informe.medir(
        f"endurecimiento:logo:{codigo}:{caso}",
        {"prueba": "Logotipos (peso, píxeles, bombas de descompresión)", "casos": 1, "fallas": 0},
    )


def test_un_logo_normal_se_acepta(m):
    formulario = FormularioLogo(
        files={"logo": SimpleUploadedFile("logo.png", png_declarado(4000, 4000), "image/png")}, instance=m.municipio
    )
    # 4,000 × 4,000 is the limit itself; Django then reads the PNG (a valid one).
    assert formulario.is_valid(), formulario.errors
    formulario = FormularioLogo(
        files={"logo": SimpleUploadedFile("logo.jpg", archivos_prueba.imagen("JPEG"), "image/jpeg")},
        instance=m.municipio,
    )
    assert formulario.is_valid(), formulario.errors
    formulario.save()
    assert Municipio.objects.get(pk=m.municipio.pk).logo.name.startswith("municipios/logos/")


def test_full_clean_tambien_rechaza_la_bomba(m):
    """A logo set without a form (a script, the shell) meets the same rule in the model."""
    municipio = m.municipio
    municipio.logo = SimpleUploadedFile("logo.png", png_declarado(20000, 20000), "image/png")
    with pytest.raises(ValidationError) as error:
        municipio.full_clean()
    assert error.value.error_dict["logo"][0].code == "bomba_de_descompresion"


def test_en_la_administracion_la_bomba_se_rechaza_junto_al_campo(client, m, settings):
    raiz = crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    client.force_login(raiz)
    municipio = m.municipio
    respuesta = client.post(
        reverse("admin:convenios_municipio_change", args=[municipio.pk]),
        {
            "nombre": municipio.nombre,
            "estado": municipio.estado,
            "slug": municipio.slug,
            "pie_de_pagina": "",
            "logo": SimpleUploadedFile("logo.png", png_declarado(12000, 12000), "image/png"),
        },
    )
    assert respuesta.status_code == 200
    assert "bomba de descompresión" in respuesta.content.decode()
    municipio.refresh_from_db()
    assert not municipio.logo
