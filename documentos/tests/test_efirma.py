"""e.firma on issued letters: PAdES signatures that pyHanko validates; every refusal a Spanish error that issues
nothing; several signatories in turn; the key and its password never kept anywhere."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import logging
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from convenios.models import Titular, hoy
from documentos.firma import ArchivosEFirma  # also registers the SAT's x500UniqueIdentifier with asn1crypto
from documentos.models import Documento, Firma, SerieFolio
from documentos.services import acta_sesion_emitir, documento_firmar, oficio_cumplimiento_emitir
from documentos.tests import efirma as ef
from seguimiento import services as seguimiento

RFC_IMPLAN = "OOMA800101AB1"
RFC_DEFENSOR = "OESG750505H12"


def _archivos(e: ef.EFirma, **cambios: object) -> ArchivosEFirma:
    datos = {"cer": e.cer, "key": e.key, "password": e.password, **cambios}
    return ArchivosEFirma(**datos)  # type: ignore[arg-type]


def _leer(documento: Documento) -> bytes:
    with documento.archivo.open("rb") as archivo:
        return archivo.read()


def _validar(pdf: bytes) -> list:
    contexto = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ef.autoridad().der)])
    reader = PdfFileReader(BytesIO(pdf))
    return [validate_pdf_signature(incrustada, contexto) for incrustada in reader.embedded_signatures]


@pytest.fixture
def titular_implan(seed) -> Titular:
    titular = seed.implan.titular_en(hoy())
    titular.rfc = RFC_IMPLAN
    titular.save()
    return titular


@pytest.fixture
def efirma_implan(titular_implan) -> ef.EFirma:
    return ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN, curp="OOMA800101HMCRNL02")


def test_el_oficio_firmado_lo_valida_pyhanko_como_firmado_por_ese_rfc_y_sin_cambios(
    seed_atendido, implan_seed, efirma_implan
):
    documento = oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed, efirma=_archivos(efirma_implan))

    pdf = _leer(documento)
    assert documento.folio == f"IMPLAN/OC/{hoy().year}/001"
    (estado,) = _validar(pdf)
    assert estado.intact and estado.valid and estado.trusted
    assert estado.signing_cert.subject.native["unique_identifier"] == RFC_IMPLAN
    assert estado.coverage.name == "ENTIRE_FILE"
    firma_registrada = documento.firmas.get()
    assert firma_registrada.rfc == RFC_IMPLAN
    assert firma_registrada.nombre == "ALFREDO OROPEZA MENDEZ"
    assert firma_registrada.numero_certificado == "00001000000700000001"
    assert firma_registrada.firmado_en == documento.emitido_en
    # The visible signature sits in the signature block's box, on the page the block fell on.
    (campo,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert campo.field_name == "Firma1"
    widget = campo.sig_field["/Kids"][0] if "/Kids" in campo.sig_field else campo.sig_field
    assert [round(float(v), 1) for v in widget["/Rect"]] == [round(v, 1) for v in firma_registrada.caja]
    assert hashlib.sha256(pdf).hexdigest() == documento.sha256 and len(pdf) == documento.tamano


def _vencida() -> ef.EFirma:
    return ef.efirma(
        nombre="ALFREDO OROPEZA MENDEZ",
        rfc=RFC_IMPLAN,
        desde=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
        hasta=datetime.datetime(2020, 1, 1, 18, tzinfo=datetime.UTC),
    )


def _futura() -> ef.EFirma:
    return ef.efirma(
        nombre="ALFREDO OROPEZA MENDEZ",
        rfc=RFC_IMPLAN,
        desde=datetime.datetime(2039, 1, 1, 18, tzinfo=datetime.UTC),
        hasta=datetime.datetime(2043, 1, 1, tzinfo=datetime.UTC),
    )


def _otra_llave() -> ArchivosEFirma:
    propia = ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN)
    ajena = ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN, llave=2, password=propia.password)
    return _archivos(propia, key=ajena.key)


CASOS = {
    "password_incorrecta": (
        lambda: _archivos(ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN), password="otra"),
        "La contraseña de la llave privada no es correcta.",
    ),
    "certificado_vencido": (lambda: _archivos(_vencida()), "El certificado venció el 1 de enero de 2020"),
    "certificado_aun_no_valido": (lambda: _archivos(_futura()), "a partir del 1 de enero de 2039"),
    "llave_no_corresponde": (_otra_llave, "La llave privada no corresponde al certificado"),
    "firmante_distinto": (
        lambda: _archivos(ef.efirma(nombre="PERSONA AJENA", rfc="AJEP900202XY3")),
        "El certificado es de PERSONA AJENA (RFC AJEP900202XY3), que no firma este documento",
    ),
    "certificado_no_para_firmar": (
        lambda: _archivos(ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN, para_firmar=False)),
        "no es para firmar",
    ),
    "key_invalida": (
        lambda: _archivos(ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN), key=b"%PDF-1.7 no soy llave"),
        "El archivo .key no es una llave privada de e.firma",
    ),
    "cer_invalido": (
        lambda: _archivos(ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN), cer=b"no soy certificado"),
        "El archivo .cer no es un certificado",
    ),
}


@pytest.mark.parametrize("codigo", list(CASOS))
def test_cada_rechazo_de_la_efirma_es_un_error_en_espanol_y_no_emite_ni_gasta_folio(
    codigo, seed_atendido, implan_seed, titular_implan
):
    construir, mensaje = CASOS[codigo]
    with pytest.raises(ValidationError) as error:
        oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed, efirma=construir())

    assert error.value.code == codigo
    assert mensaje in " ".join(error.value.messages)
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.filter(ultimo__gt=0).exists()
    seed_atendido.refresh_from_db()
    assert seed_atendido.estado == "vigente"


def test_un_titular_sin_rfc_registrado_no_puede_firmar(seed_atendido, implan_seed):
    with pytest.raises(ValidationError) as error:
        oficio_cumplimiento_emitir(
            convenio=seed_atendido,
            usuario=implan_seed,
            efirma=_archivos(ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN)),
        )
    assert error.value.code == "firmante_sin_rfc"
    assert not Documento.objects.exists()


def test_el_acta_la_firman_por_turnos_los_titulares_de_las_partes(seed, implan_seed, titular_implan):
    defensor = seed.dependencia_evaluada.titular_en(hoy())
    defensor.rfc = RFC_DEFENSOR
    defensor.save()
    sesion = seguimiento.sesion_programar(
        usuario=implan_seed, convenios=[seed], fecha=hoy(), hora=datetime.time(10, 0), lugar="Sala del IMPLAN"
    )
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan_seed,
        asistencias=[
            {"dependencia": seed.implan, "nombre": "Alfredo Oropeza Méndez", "cargo": "Titular del IMPLAN"},
            {"dependencia": seed.dependencia_evaluada, "nombre": "Gonzalo Levi Obregón Salinas", "cargo": "Defensor"},
        ],
        aspectos_revisados=[],
        acuerdos="Se revisó el avance.",
    )
    implan_e = ef.efirma(nombre="ALFREDO OROPEZA MENDEZ", rfc=RFC_IMPLAN)
    defensor_e = ef.efirma(
        nombre="GONZALO LEVI OBREGON SALINAS", rfc=RFC_DEFENSOR, llave=3, numero="00001000000700000002"
    )

    documento = acta_sesion_emitir(sesion=sesion, usuario=implan_seed, efirma=_archivos(implan_e))
    assert list(documento.firmas.values_list("numero", "rfc")) == [(1, RFC_IMPLAN), (2, "")]
    with pytest.raises(ValidationError) as error:
        documento_firmar(documento=documento, efirma=_archivos(implan_e), usuario=implan_seed)
    assert error.value.code == "firmante_distinto"

    primera = _leer(documento)
    documento_firmar(documento=documento, efirma=_archivos(defensor_e), usuario=implan_seed)
    documento.refresh_from_db()
    pdf = _leer(documento)

    assert pdf.startswith(primera)  # an incremental revision: the first signature's bytes are untouched
    estados = _validar(pdf)
    assert [e.signing_cert.subject.native["unique_identifier"] for e in estados] == [RFC_IMPLAN, RFC_DEFENSOR]
    assert all(e.intact and e.valid and e.trusted for e in estados)
    assert list(documento.firmas.values_list("rfc", "numero_certificado")) == [
        (RFC_IMPLAN, "00001000000700000001"),
        (RFC_DEFENSOR, "00001000000700000002"),
    ]
    with pytest.raises(ValidationError) as error:
        documento_firmar(documento=documento, efirma=_archivos(defensor_e), usuario=implan_seed)
    assert error.value.code == "firmas_completas"


def _firmar_por_la_pagina(client, implan_seed, seed_atendido, e: ef.EFirma, password: str):
    client.force_login(implan_seed)
    return client.post(
        reverse("documentos:convenio_firmar", args=[seed_atendido.pk, "oficio_cumplimiento"]),
        {
            "cer": _subido("oropeza.cer", e.cer),
            "key": _subido("oropeza.key", e.key),
            "password": password,
        },
    )


def _subido(nombre: str, datos: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(nombre, datos, content_type="application/octet-stream")


def test_una_contrasena_equivocada_en_la_pagina_se_dice_junto_al_campo_y_no_emite(
    client, seed_atendido, implan_seed, efirma_implan
):
    respuesta = _firmar_por_la_pagina(client, implan_seed, seed_atendido, efirma_implan, "equivocada")

    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "La contraseña de la llave privada no es correcta." in contenido
    assert "equivocada" not in contenido  # a password is never sent back
    assert not Documento.objects.exists()


def test_la_llave_y_la_contrasena_no_quedan_en_archivos_base_de_datos_ni_bitacoras(
    client, seed_atendido, implan_seed, efirma_implan, caplog, settings, tmp_path
):
    caplog.set_level(logging.DEBUG)
    # Where Django would write an upload that does not fit in memory: it must stay empty.
    subidas = tmp_path / "subidas"
    subidas.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(subidas)
    respuesta = _firmar_por_la_pagina(client, implan_seed, seed_atendido, efirma_implan, efirma_implan.password)
    assert respuesta.status_code == 302
    assert Documento.objects.get().firmas.get().rfc == RFC_IMPLAN

    llave = ef._llave(1)
    claras = llave.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    secretos_binarios = [efirma_implan.key, claras, efirma_implan.password.encode()]
    secretos_texto = [
        efirma_implan.password,
        efirma_implan.key.hex(),
        base64.b64encode(efirma_implan.key).decode(),
        base64.b64encode(claras).decode(),
        claras.hex(),
    ]
    # Every file under MEDIA_ROOT (the archive, any upload) and the temporary folder Django would upload to.
    assert not list(subidas.iterdir())
    for carpeta in (Path(settings.MEDIA_ROOT),):
        for ruta in carpeta.rglob("*"):
            if ruta.is_file() and ruta.stat().st_size < 20_000_000:
                try:
                    contenido = ruta.read_bytes()
                except OSError:
                    continue
                for secreto in secretos_binarios:
                    assert secreto not in contenido, ruta
    volcado = io.StringIO()
    call_command("dumpdata", stdout=volcado)
    for secreto in secretos_texto:
        assert secreto not in volcado.getvalue()
        assert secreto not in caplog.text
    assert Firma.objects.filter(rfc=RFC_IMPLAN).exists()


# --- Public verification of the signatures ---------------------------------------------------------------


@pytest.fixture
def oficio_firmado(seed_atendido, implan_seed, efirma_implan) -> Documento:
    return oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed, efirma=_archivos(efirma_implan))


def test_la_verificacion_publica_muestra_al_firmante_y_si_la_raiz_es_de_confianza(
    client, oficio_firmado, settings, tmp_path
):
    settings.FIRMA_RAICES = tmp_path / "vacia"
    url = reverse("documentos:verificar", args=[oficio_firmado.codigo_verificacion])
    contenido = client.get(url).content.decode()
    assert "ALFREDO OROPEZA MENDEZ" in contenido and RFC_IMPLAN in contenido
    assert "Sin cambios desde que se firmó" in contenido
    assert "No se pudo validar contra las autoridades certificadoras instaladas" in contenido
    assert "00001000000700000001" in contenido

    raices = tmp_path / "raices"
    raices.mkdir()
    ef.autoridad().guardar_en(raices)
    settings.FIRMA_RAICES = raices
    contenido = client.get(url).content.decode()
    assert "Emitido por una autoridad certificadora reconocida" in contenido
    assert "No se pudo validar" not in contenido


def test_un_byte_alterado_en_el_archivo_subido_se_dice_modificado(client, oficio_firmado):
    pdf = bytearray(_leer(oficio_firmado))
    posicion = pdf.index(b"/Producer") + 12  # inside the signed range (the document information dictionary)
    pdf[posicion] = pdf[posicion] ^ 0x01
    url = reverse("documentos:verificar", args=[oficio_firmado.codigo_verificacion])

    contenido = client.post(url, {"archivo": _subido("oficio.pdf", bytes(pdf))}).content.decode()

    assert "NO coincide" in contenido
    subido = contenido.split("Firmas electrónicas del archivo subido")[1]
    assert "Modificado después de firmarse" in subido
    assert "Sin cambios desde que se firmó" not in subido

    intacto = client.post(url, {"archivo": _subido("oficio.pdf", _leer(oficio_firmado))}).content.decode()
    assert "Sin cambios desde que se firmó" in intacto.split("Firmas electrónicas del archivo subido")[1]


def test_se_verifica_tambien_por_el_folio_y_un_codigo_con_diagonal_no_falla(client, oficio_firmado):
    respuesta = client.get(reverse("documentos:verificar_inicio"), {"codigo": oficio_firmado.folio})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("documentos:verificar", args=[oficio_firmado.codigo_verificacion])

    respuesta = client.get(reverse("documentos:verificar_inicio"), {"codigo": "a/b"})
    assert respuesta.status_code == 200
    assert "No hay ningún documento emitido con ese folio o código." in respuesta.content.decode()


def test_un_archivo_danado_o_que_no_es_pdf_no_rompe_la_verificacion(client, oficio_firmado):
    url = reverse("documentos:verificar", args=[oficio_firmado.codigo_verificacion])
    pdf = bytearray(_leer(oficio_firmado))
    pdf[-100] ^= 1  # inside the last compressed stream (the signature's revision)
    for datos in (bytes(pdf), b"%PDF-1.7\n basura", b"no es un pdf"):
        respuesta = client.post(url, {"archivo": _subido("x.pdf", datos)})
        assert respuesta.status_code == 200
        assert "NO coincide" in respuesta.content.decode()
