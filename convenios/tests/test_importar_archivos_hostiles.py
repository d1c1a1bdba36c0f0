"""Broken and hostile files (not Word, old .doc, zip bombs, exponential XML entities): a Spanish error,
nothing unpacked, nothing saved."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from convenios import importar
from convenios.tests.importacion import (
    XLSX_TIPO,
    bomba_zip,
    docx_sin_clausula,
    subido,
    zip_con,
)


@pytest.mark.parametrize(
    "nombre,datos,mensaje",
    [
        ("convenio.docx", b"%PDF-1.4\nno es un documento de Word\n", "no es un documento de Word (.docx) ni una hoja"),
        ("convenio.docx", zip_con({"hola.txt": b"hola"}), "no es un documento de Word (.docx) ni una hoja"),
        ("convenio.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "guárdelo como .docx o .xlsx"),
        ("convenio.docx", docx_sin_clausula(), "No se encontró la cláusula CUARTA"),
        ("convenio.docx", b"", "El archivo está vacío."),
        (
            "bomba.docx",
            zip_con({"[Content_Types].xml": b"<Types/>", **{f"word/p{i}.xml": b"x" for i in range(1001)}}),
            "contenido descomprimido desproporcionado (1002 partes",
        ),
        (
            "roto.docx",
            zip_con({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<no es xml"}),
            "El archivo está dañado: no se puede leer",
        ),
    ],
    ids=["pdf", "zip-cualquiera", "doc-antiguo", "sin-clausula", "vacio", "demasiadas-partes", "xml-roto"],
)
def test_archivos_rotos_dan_un_error_en_espanol(nombre, datos, mensaje):
    with pytest.raises(ValidationError) as error:
        importar.leer(subido(nombre, datos))
    assert mensaje in " ".join(error.value.messages)


def test_una_bomba_zip_se_rechaza_sin_descomprimirla():
    datos = bomba_zip()
    assert len(datos) < 100 * 1024
    with pytest.raises(ValidationError, match="contenido descomprimido desproporcionado") as error:
        importar.leer(subido("bomba.docx", datos))
    assert error.value.code == "zip_desproporcionado"


def test_un_xlsx_con_entidades_que_se_multiplican_se_rechaza():
    """ "Billion laughs": a sheet whose XML expands one entity into gigabytes. expat refuses it."""
    risas = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    original = zipfile.ZipFile(io.BytesIO(importar.plantilla_xlsx()))
    partes = {n: original.read(n) for n in original.namelist()}
    partes["xl/worksheets/sheet1.xml"] = risas
    with pytest.raises(ValidationError, match="El archivo está dañado"):
        importar.leer(subido("risas.xlsx", zip_con(partes), XLSX_TIPO))
