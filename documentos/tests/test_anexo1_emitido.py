"""The CONAC Anexo 1 as an issued document (LGCG art. 79): IMPLAN issues it once the convenio is signed, with
folio, hash and QR like the letters, and may sign it with e.firma through the same form; it is listed with the
convenio's documents and on the portal, and verified publicly."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from convenios.models import Convenio, EstadoConvenio, Evaluacion, hoy
from convenios.tests import fabricas
from documentos.firma import ArchivosEFirma
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.services import anexo1_emitir, documento_emitir
from documentos.tests import efirma as ef
from documentos.tests.ayudas import capturar_anexo1, en_borrador, paginas_pdf, texto_pdf

RFC_IMPLAN = "OOMA800101AB1"
NOMBRE = "ALFREDO OROPEZA MENDEZ"


@pytest.fixture
def capturado(convenio: Convenio) -> Convenio:
    capturar_anexo1(convenio)
    return convenio


@pytest.fixture
def efirma_implan(m: fabricas.MunicipioDePrueba) -> ef.EFirma:
    titular = m.titular(m.implan)
    titular.rfc = RFC_IMPLAN
    titular.save()
    return ef.efirma(nombre=NOMBRE, rfc=RFC_IMPLAN)


def _archivos(e: ef.EFirma, **cambios: object) -> ArchivosEFirma:
    return ArchivosEFirma(**{"cer": e.cer, "key": e.key, "password": e.password, **cambios})  # type: ignore[arg-type]


def _leer(documento: Documento) -> bytes:
    with documento.archivo.open("rb") as archivo:
        return archivo.read()


def _subido(nombre: str, datos: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, datos, content_type="application/octet-stream")


def test_el_implan_emite_el_anexo1_de_un_convenio_firmado_con_folio_huella_qr_y_bloque_de_firma(
    capturado, implan, m, settings
):
    settings.SITIO_URL = "https://asm.municipio.example.org"

    documento = anexo1_emitir(convenio=capturado, usuario=implan)

    assert documento.tipo == TipoDocumento.ANEXO1
    assert documento.folio == f"IMPLAN/A1/{hoy().year}/001"
    assert documento.convenio == capturado
    pdf = _leer(documento)
    assert hashlib.sha256(pdf).hexdigest() == documento.sha256 and len(pdf) == documento.tamano
    texto = texto_pdf(pdf)
    assert "Formato para la difusión de los resultados de las evaluaciones" in texto
    assert f"Folio {documento.folio}" in texto
    assert f"https://asm.municipio.example.org/verificar/{documento.codigo_verificacion}/" in texto
    # Section 7.2 points at the portal's page on the deployment's address, not at a request's host.
    assert f"https://asm.municipio.example.org/transparencia/evaluaciones/{capturado.evaluacion_id}/anexo-1/" in texto
    assert "Recomendación 1" in texto and "Mtra. Laura Sánchez Ortega" in texto
    assert "Pendiente de captura" not in texto and "—" not in texto
    # The signature block of IMPLAN's titular closes the last page, with the end of section 7 above it.
    antes, cierre = paginas_pdf(pdf)[-1].split("Se emite el presente formato")
    assert "7.2 Difusión en internet del formato" in antes
    assert m.titular(m.implan).nombre.upper() in cierre.upper()
    (pendiente,) = documento.firmas.all()
    assert pendiente.titular == m.titular(m.implan) and pendiente.firmado_en is None
    # Issuing the Anexo 1 publishes; it does not move the convenio.
    capturado.refresh_from_db()
    assert capturado.estado == EstadoConvenio.VIGENTE


def test_tambien_se_emite_de_un_convenio_cumplido_por_la_tarea_en_segundo_plano(capturado, implan):
    Convenio.objects.filter(pk=capturado.pk).update(estado=EstadoConvenio.CUMPLIDO)

    documento = documento_emitir(tipo=TipoDocumento.ANEXO1, objeto_id=capturado.pk, usuario_id=implan.pk)

    assert documento.folio == f"IMPLAN/A1/{hoy().year}/001"


def test_de_un_convenio_en_borrador_no_se_emite(capturado, implan):
    en_borrador(capturado)

    with pytest.raises(ValidationError) as error:
        anexo1_emitir(convenio=capturado, usuario=implan)

    assert error.value.code == "convenio_no_vigente"
    assert "se emite una vez firmado" in error.value.messages[0]
    assert not Documento.objects.exists() and not SerieFolio.objects.exists()


def test_sin_capturar_no_se_emite_y_dice_que_apartados_faltan_y_donde(convenio, implan):
    Evaluacion.objects.filter(pk=convenio.evaluacion_id).update(instancia_evaluadora="")

    with pytest.raises(ValidationError) as error:
        anexo1_emitir(convenio=convenio, usuario=implan)

    assert error.value.code == "anexo1_incompleto"
    mensaje = error.value.messages[0]
    assert "faltan los apartados 1.5, 1.6, 1.7, 2.2.1" in mensaje
    assert "4.3 (instancia evaluadora, en la evaluación)" in mensaje
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.filter(ultimo__gt=0).exists()


def test_se_emite_una_sola_vez_por_evaluacion_aunque_tenga_dos_convenios(capturado, implan, m):
    primero = anexo1_emitir(convenio=capturado, usuario=implan)
    otro = fabricas.crear_convenio(m)
    Convenio.objects.filter(pk=otro.pk).update(evaluacion=capturado.evaluacion)
    otro.refresh_from_db()

    for convenio in (capturado, otro):
        with pytest.raises(ValidationError) as error:
            anexo1_emitir(convenio=convenio, usuario=implan)
        assert error.value.code == "ya_emitido"
        assert primero.folio in error.value.messages[0]
    assert Documento.objects.count() == 1


@pytest.mark.parametrize("persona", ["contraloria", "tesoreria", "dependencia", "implan_otro_municipio"])
def test_solo_el_implan_del_municipio_lo_emite(request, capturado, persona):
    with pytest.raises(PermissionDenied):
        anexo1_emitir(convenio=capturado, usuario=request.getfixturevalue(persona))
    assert not Documento.objects.exists()


# --- e.firma -------------------------------------------------------------------------------------------------


def test_firmado_con_efirma_lo_valida_pyhanko_como_firmado_por_ese_rfc_y_sin_cambios(capturado, implan, efirma_implan):
    documento = anexo1_emitir(convenio=capturado, usuario=implan, efirma=_archivos(efirma_implan))

    pdf = _leer(documento)
    contexto = ValidationContext(trust_roots=[asn1_x509.Certificate.load(ef.autoridad().der)])
    (firma,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    estado = validate_pdf_signature(firma, contexto)
    assert estado.intact and estado.valid and estado.trusted
    assert estado.signing_cert.subject.native["unique_identifier"] == RFC_IMPLAN
    assert estado.coverage.name == "ENTIRE_FILE"
    registrada = documento.firmas.get()
    assert (registrada.rfc, registrada.nombre, registrada.firmado_en) == (RFC_IMPLAN, NOMBRE, documento.emitido_en)
    assert hashlib.sha256(pdf).hexdigest() == documento.sha256


def test_una_contrasena_equivocada_no_emite_ni_gasta_folio(capturado, implan, efirma_implan):
    with pytest.raises(ValidationError) as error:
        anexo1_emitir(convenio=capturado, usuario=implan, efirma=_archivos(efirma_implan, password="otra"))

    assert error.value.code == "password_incorrecta"
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.filter(ultimo__gt=0).exists()
    # The next issue takes the first number: none was spent.
    documento = anexo1_emitir(convenio=capturado, usuario=implan, efirma=_archivos(efirma_implan))
    assert documento.folio == f"IMPLAN/A1/{hoy().year}/001"


# --- The pages -----------------------------------------------------------------------------------------------


def _firmar_por_la_pagina(client, convenio, e: ef.EFirma, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("documentos:convenio_firmar", args=[convenio.pk, TipoDocumento.ANEXO1]),
        {"cer": _subido("implan.cer", e.cer), "key": _subido("implan.key", e.key), "password": password},
    )


def test_la_lista_del_convenio_dice_por_que_aun_no_procede_y_luego_ofrece_emitir_y_firmar(
    client, convenio, implan, efirma_implan
):
    client.force_login(implan)
    lista = reverse("documentos:convenio_documentos", args=[convenio.pk])
    firmar = reverse("documentos:convenio_firmar", args=[convenio.pk, TipoDocumento.ANEXO1])

    contenido = client.get(lista).content.decode()
    assert "Capture primero el Anexo 1 de la evaluación" in contenido
    assert firmar not in contenido

    capturar_anexo1(convenio)
    contenido = client.get(lista).content.decode()
    assert firmar in contenido
    assert client.get(firmar).status_code == 200

    equivocada = _firmar_por_la_pagina(client, convenio, efirma_implan, "equivocada")
    assert equivocada.status_code == 200
    assert "La contraseña de la llave privada no es correcta." in equivocada.content.decode()
    assert not Documento.objects.exists()

    respuesta = _firmar_por_la_pagina(client, convenio, efirma_implan, efirma_implan.password)
    assert respuesta.status_code == 302
    documento = Documento.objects.get()
    contenido = client.get(lista).content.decode()
    assert f"Emitido · {documento.folio}" in contenido
    assert f"Firmado · {NOMBRE} · RFC {RFC_IMPLAN}" in contenido


def test_la_vista_previa_es_un_borrador_sin_folio_con_su_bloque_de_firma(client, capturado, implan):
    client.force_login(implan)

    respuesta = client.get(reverse("documentos:convenio_borrador", args=[capturado.pk, TipoDocumento.ANEXO1]))

    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    texto = texto_pdf(respuesta.content)
    assert "BORRADOR" in texto and "Folio (se asigna al emitir)" in texto and "Se emite el presente formato" in texto
    assert not Documento.objects.exists()


def test_la_verificacion_publica_muestra_al_firmante_y_un_byte_alterado_se_dice(
    client, capturado, implan, efirma_implan
):
    documento = anexo1_emitir(convenio=capturado, usuario=implan, efirma=_archivos(efirma_implan))
    url = reverse("documentos:verificar", args=[documento.codigo_verificacion])

    contenido = client.get(url).content.decode()
    assert "Anexo 1 CONAC" in contenido and documento.folio in contenido
    assert NOMBRE in contenido and RFC_IMPLAN in contenido
    assert "Sin cambios desde que se firmó" in contenido

    pdf = bytearray(_leer(documento))
    posicion = pdf.index(b"/Producer") + 12  # inside the signed range
    pdf[posicion] ^= 0x01
    contenido = client.post(url, {"archivo": _subido("anexo1.pdf", bytes(pdf))}).content.decode()
    assert "NO coincide" in contenido
    assert "Modificado después de firmarse" in contenido.split("Firmas electrónicas del archivo subido")[1]


def test_el_portal_lo_lista_con_el_convenio_lo_entrega_y_la_pagina_del_anexo1_lo_enlaza(client, capturado, implan):
    documento = anexo1_emitir(convenio=capturado, usuario=implan)
    publico = reverse("transparencia:documento", args=[documento.pk])

    convenio = client.get(reverse("transparencia:convenio", args=[capturado.pk])).content.decode()
    assert documento.folio in convenio and publico in convenio

    anexo = client.get(reverse("transparencia:anexo1", args=[capturado.evaluacion_id])).content.decode()
    assert f'Versión oficial emitida por el IMPLAN con el folio <span class="folio">{documento.folio}</span>' in anexo
    assert publico in anexo and documento.get_absolute_url() in anexo

    descarga = client.get(publico)
    assert descarga.status_code == 200
    assert b"".join(descarga.streaming_content) == _leer(documento)
