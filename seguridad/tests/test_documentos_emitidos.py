"""Issuing a document leaves an audit row (in the same transaction); an issued PDF whose bytes change is reported."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from documentos.models import Documento, TipoDocumento
from documentos.tests.ayudas import emitir_version_para_firma, en_borrador
from seguridad.integridad import ArchivoVerificable, registrados

pytestmark = pytest.mark.seguridad


def test_emitir_desde_la_pagina_queda_en_la_bitacora(client, convenio, implan):
    en_borrador(convenio)  # the version for signing is issued only before the convenio is signed
    client.force_login(implan)
    respuesta = client.post(
        reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO]), {"confirmar": "si"}
    )
    assert respuesta.status_code == 302
    documento = Documento.objects.get(convenio=convenio, tipo=TipoDocumento.CONVENIO)
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.EMISION_DOCUMENTO)
    assert registro.usuario == implan and registro.municipio == convenio.municipio
    assert registro.objeto_id == str(documento.pk) and registro.detalle == documento.folio


def test_una_emision_rechazada_no_deja_registro(client, convenio, dependencia):
    client.force_login(dependencia)
    respuesta = client.post(reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO]))
    assert respuesta.status_code in (403, 404)
    assert not RegistroAuditoria.objects.filter(tipo=TipoEvento.EMISION_DOCUMENTO).exists()


def test_el_documento_esta_registrado_para_verificarse():
    assert (Documento, ArchivoVerificable("Documento", "archivo", "sha256", "documentos")) in list(registrados())


def _verificar() -> tuple[int, str]:
    salida = io.StringIO()
    try:
        call_command("verificar_integridad", "--margen-minutos=0", stdout=salida)
    except CommandError as error:
        return error.returncode, salida.getvalue() + str(error)
    return 0, salida.getvalue()


def test_un_pdf_emitido_alterado_se_reporta(convenio, implan):
    documento = emitir_version_para_firma(convenio, implan)
    assert _verificar()[0] == 0
    with open(documento.archivo.path, "r+b") as archivo:
        archivo.seek(200)
        archivo.write(b"X")
    codigo, salida = _verificar()
    assert codigo == 1
    assert f"ALTERADO  {documento.archivo.name}" in salida
    assert f"documentos.Documento #{documento.pk}: SHA-256 registrado {documento.sha256[:16]}" in salida
