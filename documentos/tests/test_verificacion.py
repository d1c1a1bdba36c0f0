"""The public verification page: anyone, no login; genuine passes, modified fails, unknown is a 404."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documentos.services import oficio_cumplimiento_emitir
from documentos.tests.ayudas import emitir_version_para_firma, texto_pdf


@pytest.fixture
def emitido(convenio_atendido, implan):
    documento = oficio_cumplimiento_emitir(convenio=convenio_atendido, usuario=implan)
    with documento.archivo.open("rb") as archivo:
        return documento, archivo.read()


def _comprobar(client, documento, nombre: str, datos: bytes):
    return client.post(
        reverse("documentos:verificar", args=[documento.codigo_verificacion]),
        {"archivo": SimpleUploadedFile(nombre, datos, content_type="application/pdf")},
    )


def test_la_direccion_impresa_en_el_pdf_lleva_a_su_pagina_publica(client, emitido, settings):
    documento, pdf = emitido
    url = re.search(r"(https?://\S+/verificar/\S+/)", texto_pdf(pdf)).group(1)
    assert url == settings.SITIO_URL.rstrip("/") + f"/verificar/{documento.codigo_verificacion}/"

    respuesta = client.get(urlsplit(url).path)  # anonymous

    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "Oficio de cumplimiento" in contenido
    assert documento.folio in contenido
    assert documento.sha256 in contenido
    assert "Programa de prueba" in contenido  # the convenio it belongs to


def test_no_muestra_evidencias(client, emitido, convenio_atendido):
    documento, _pdf = emitido
    contenido = client.get(reverse("documentos:verificar", args=[documento.codigo_verificacion])).content.decode()
    evidencias = [e for a in convenio_atendido.aspectos.all() for e in a.evidencias.all()]
    assert evidencias
    for evidencia in evidencias:
        assert evidencia.nombre_original not in contenido
        assert evidencia.archivo.name not in contenido
    assert "evidencia" not in contenido.lower()
    assert "/descargar/" not in contenido


def test_un_archivo_identico_pasa(client, emitido):
    documento, pdf = emitido
    respuesta = _comprobar(client, documento, "oficio.pdf", pdf)
    assert respuesta.status_code == 200
    assert "El archivo es auténtico" in respuesta.content.decode()


@pytest.mark.parametrize(
    "alterar",
    [
        lambda pdf: pdf[:-40] + bytes([pdf[-40] ^ 1]) + pdf[-39:],  # one bit flipped
        lambda pdf: pdf + b"\n",  # one byte appended
        lambda pdf: pdf[:1000],  # truncated
    ],
)
def test_un_archivo_modificado_no_pasa(client, emitido, alterar):
    documento, pdf = emitido
    contenido = _comprobar(client, documento, "oficio.pdf", alterar(pdf)).content.decode()
    assert "NO coincide" in contenido
    assert "es auténtico" not in contenido


def test_otro_documento_no_pasa(client, emitido):
    documento, _pdf = emitido
    otro = b"%PDF-1.7\n" + b"x" * 5000
    assert "NO coincide" in _comprobar(client, documento, "oficio.pdf", otro).content.decode()


def test_sin_archivo_o_vacio_da_un_error_claro(client, emitido):
    documento, _pdf = emitido
    url = reverse("documentos:verificar", args=[documento.codigo_verificacion])

    sin_archivo = client.post(url, {}).content.decode()
    vacio = _comprobar(client, documento, "vacio.pdf", b"").content.decode()

    assert "Seleccione el archivo PDF que desea comprobar." in sin_archivo
    assert "El archivo está vacío." in vacio
    assert "coincide" not in sin_archivo and "coincide" not in vacio


def test_un_archivo_enorme_se_rechaza_sin_compararlo(client, emitido, settings):
    documento, _pdf = emitido
    from documentos import forms

    grande = b"%PDF" + b"0" * (forms.TAMANO_MAXIMO_VERIFICACION + 1)
    contenido = _comprobar(client, documento, "grande.pdf", grande).content.decode()
    assert "demasiado grande" in contenido


def test_un_codigo_desconocido_es_404(client, emitido):
    documento, pdf = emitido
    for codigo in ("no-existe", documento.codigo_verificacion[:-1], documento.folio.replace("/", "-")):
        assert client.get(reverse("documentos:verificar", args=[codigo])).status_code == 404
    url = reverse("documentos:verificar", args=["no-existe"])
    assert client.post(url, {"archivo": SimpleUploadedFile("a.pdf", pdf)}).status_code == 404


def test_el_codigo_se_puede_escribir_a_mano(client, emitido):
    documento, _pdf = emitido
    respuesta = client.get(reverse("documentos:verificar_inicio"), {"codigo": f"  {documento.codigo_verificacion} "})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("documentos:verificar", args=[documento.codigo_verificacion])
    vacio = client.get(reverse("documentos:verificar_inicio"), {"codigo": ""})
    assert "Escriba el código de verificación o el folio del documento." in vacio.content.decode()


def test_los_codigos_no_se_adivinan(convenio_atendido, implan, m, dependencia):
    from convenios.tests.fabricas import crear_convenio

    codigos = [emitir_version_para_firma(crear_convenio(m), implan).codigo_verificacion for _ in range(3)]
    assert len(set(codigos)) == 3
    assert all(len(c) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", c) for c in codigos)
    assert not any(c.isdigit() for c in codigos)


def test_el_portal_de_transparencia_enlaza_cada_oficio_a_su_verificacion(client, emitido, convenio_atendido):
    documento, _pdf = emitido
    convenio_atendido.refresh_from_db()

    contenido = client.get(reverse("transparencia:convenio", args=[convenio_atendido.pk])).content.decode()

    assert f'href="{reverse("documentos:verificar", args=[documento.codigo_verificacion])}"' in contenido
    assert documento.folio in contenido
