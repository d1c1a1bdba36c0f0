"""Firma electrónica avanzada (the SAT's e.firma, or a state's certificate) on issued documents: PAdES with pyHanko.

Código Fiscal de la Federación, art. 17-D, and the Ley de Gobierno Digital del Estado de México y Municipios
give the firma electrónica avanzada the value of a handwritten signature. The signatory uploads the
certificate (``.cer``, DER X.509), the private key (``.key``, encrypted PKCS#8 DER) and types its password.

The key and the password live only in this request's memory: the view accepts uploads only into memory
(``MemoryFileUploadHandler``), nothing here logs, stores or caches them, and the functions that hold them are
``sensitive_variables`` so that an error report never shows them.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from convenios.formatos import fecha_larga
from documentos.render import CampoFirma

# The SAT writes the RFC in x500UniqueIdentifier as a text string, while X.520 (and asn1crypto, which pyHanko
# reads certificates with) expect a BIT STRING: without this, pyHanko cannot even read the subject of an
# e.firma (asn1crypto issue #228). Text is what every Mexican certificate carries.
asn1_x509.NameTypeAndValue._oid_specs["unique_identifier"] = asn1_x509.DirectoryString

OID_RFC = x509.ObjectIdentifier("2.5.4.45")
OID_NOMBRE = x509.ObjectIdentifier("2.5.4.41")


@dataclass(frozen=True)
class Firmante:
    """What a certificate says of its holder: public data, the only part of an e.firma that is stored."""

    nombre: str
    rfc: str
    curp: str
    numero_certificado: str
    valido_desde: datetime.datetime
    valido_hasta: datetime.datetime


@dataclass(frozen=True)
class ArchivosEFirma:
    """What the signatory uploaded. ``repr`` never shows the key or the password (a log line, a debugger)."""

    cer: bytes = field(repr=False)
    key: bytes = field(repr=False)
    password: str = field(repr=False)


@dataclass(frozen=True)
class Credencial:
    certificado: x509.Certificate = field(repr=False)
    llave: PrivateKeyTypes = field(repr=False)
    firmante: Firmante


def _atributo(nombre: x509.Name, oid: x509.ObjectIdentifier) -> str:
    valores = nombre.get_attributes_for_oid(oid)
    if not valores:
        return ""
    valor = valores[0].value
    return valor.decode("utf-8", "replace") if isinstance(valor, bytes) else str(valor)


def _primero(valor: str) -> str:
    """The SAT writes "RFC / RFC del representante" (and " / CURP") for a legal entity: the holder's is first."""
    return next((parte.strip() for parte in valor.split("/") if parte.strip()), "")


def numero_certificado(certificado: x509.Certificate) -> str:
    """The SAT's 20-digit certificate number is the serial's bytes read as ASCII; other CAs' serials in hex."""
    serie = certificado.serial_number
    crudo = serie.to_bytes((serie.bit_length() + 7) // 8 or 1, "big")
    if crudo.isdigit():
        return crudo.decode("ascii")
    return format(serie, "X")


def firmante_de(certificado: x509.Certificate) -> Firmante:
    sujeto = certificado.subject
    return Firmante(
        nombre=_atributo(sujeto, OID_NOMBRE) or _atributo(sujeto, x509.NameOID.COMMON_NAME),
        rfc=_primero(_atributo(sujeto, OID_RFC)).upper(),
        curp=_primero(_atributo(sujeto, x509.NameOID.SERIAL_NUMBER)).upper(),
        numero_certificado=numero_certificado(certificado),
        valido_desde=certificado.not_valid_before_utc,
        valido_hasta=certificado.not_valid_after_utc,
    )


def leer_certificado(cer: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(cer)
    except ValueError:
        raise ValidationError(
            _("El archivo .cer no es un certificado de e.firma (X.509 en formato DER)."), code="cer_invalido"
        ) from None


def _exigir_vigente(firmante: Firmante, momento: datetime.datetime) -> None:
    if momento < firmante.valido_desde:
        raise ValidationError(
            _("El certificado aún no es válido: lo es a partir del %(fecha)s.")
            % {"fecha": fecha_larga(timezone.localdate(firmante.valido_desde))},
            code="certificado_aun_no_valido",
        )
    if momento > firmante.valido_hasta:
        raise ValidationError(
            _("El certificado venció el %(fecha)s: renueve su e.firma antes de firmar.")
            % {"fecha": fecha_larga(timezone.localdate(firmante.valido_hasta))},
            code="certificado_vencido",
        )


def _exigir_para_firmar(certificado: x509.Certificate) -> None:
    try:
        uso = certificado.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        uso = None
    if uso is None or not (uso.digital_signature or uso.content_commitment):
        raise ValidationError(
            _(
                "Ese certificado no es para firmar (no tiene el uso «firma digital» ni «no repudio»): "
                "suba el certificado de su e.firma, no el de un sello digital."
            ),
            code="certificado_no_para_firmar",
        )


@sensitive_variables("key", "password", "llave")
def _abrir_llave(key: bytes, password: str) -> PrivateKeyTypes:
    no_es_llave = ValidationError(
        _("El archivo .key no es una llave privada de e.firma (PKCS#8 cifrada, en formato DER)."),
        code="key_invalida",
    )
    try:
        # Parsed first, so "not a key" and "wrong password" are told apart (cryptography says ValueError to both).
        estructura = asn1_keys.EncryptedPrivateKeyInfo.load(key)
        estructura.native  # noqa: B018  (parses the whole structure: a bad file fails here)
    except (ValueError, TypeError):
        raise no_es_llave from None
    try:
        llave = serialization.load_der_private_key(key, password=password.encode("utf-8"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise ValidationError(
            _("La contraseña de la llave privada no es correcta."), code="password_incorrecta"
        ) from None
    return llave


def _misma_llave(certificado: x509.Certificate, llave: PrivateKeyTypes) -> bool:
    formato = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return certificado.public_key().public_bytes(der, formato) == llave.public_key().public_bytes(der, formato)


@sensitive_variables("archivos", "llave")
def abrir_credencial(
    *, archivos: ArchivosEFirma, momento: datetime.datetime, rfcs_esperados: dict[str, str]
) -> Credencial:
    """Checks the certificate (valid at ``momento``, for signing, of one of the people expected: RFC -> name),
    then the key (a key, the right password, the certificate's own); each failure a Spanish ValidationError."""
    certificado = leer_certificado(archivos.cer)
    firmante = firmante_de(certificado)
    _exigir_vigente(firmante, momento)
    _exigir_para_firmar(certificado)
    if firmante.rfc not in rfcs_esperados:
        esperados = "; ".join(f"{nombre} (RFC {rfc})" for rfc, nombre in rfcs_esperados.items())
        raise ValidationError(
            _("El certificado es de %(nombre)s (RFC %(rfc)s), que no firma este documento. Debe firmar: %(esperados)s.")
            % {"nombre": firmante.nombre, "rfc": firmante.rfc or _("sin RFC"), "esperados": esperados},
            code="firmante_distinto",
        )
    llave = _abrir_llave(archivos.key, archivos.password)
    if not _misma_llave(certificado, llave):
        raise ValidationError(
            _("La llave privada no corresponde al certificado: suba el .key y el .cer de la misma e.firma."),
            code="llave_no_corresponde",
        )
    return Credencial(certificado=certificado, llave=llave, firmante=firmante)


@cache
def fuente_sello(origen: str) -> str:
    """The stamp's font rescaled to 1000 units per em. pyHanko 0.38 writes a TrueType font's advance widths in
    its own units into the PDF's /W array, which PDF reads as thousandths of an em: a 2048-unit font (DejaVu,
    Liberation) comes out letter-spaced. Rescaled once per process, kept in the temporary folder."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    datos = Path(origen).read_bytes()
    destino = Path(tempfile.gettempdir()) / f"sello-{hashlib.sha256(datos).hexdigest()[:16]}.ttf"
    if not destino.exists():
        fuente = TTFont(BytesIO(datos))
        if fuente["head"].unitsPerEm != 1000:
            scale_upem(fuente, 1000)
        temporal = destino.with_suffix(".tmp")
        fuente.save(temporal)
        temporal.replace(destino)
    return str(destino)


def texto_sello(firmante: Firmante, momento: datetime.datetime) -> str:
    local = timezone.localtime(momento)
    return "\n".join(
        [
            _("Firmado con firma electrónica avanzada"),
            firmante.nombre,
            _("RFC: %(rfc)s") % {"rfc": firmante.rfc},
            _("Fecha: %(fecha)s, %(hora)s h") % {"fecha": fecha_larga(local.date()), "hora": local.strftime("%H:%M")},
            _("Certificado: %(numero)s") % {"numero": firmante.numero_certificado},
        ]
    )


@sensitive_variables("credencial", "firmador")
def firmar_pdf(pdf: bytes, *, credencial: Credencial, campo: CampoFirma, momento: datetime.datetime) -> bytes:
    """Adds one PAdES signature (B-B; B-T when ``settings.FIRMA_TSA_URL`` names a time-stamp authority) as an
    incremental update, visible in the signature block's box: earlier signatures stay valid.

    pyHanko is imported here, by the first signature: it costs about 0.3 s, which every other process
    (each ``manage.py`` command, each worker) would pay at start for nothing."""
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    firmador = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(credencial.certificado),
        signing_key=translate_pyca_cryptography_key_to_asn1(credencial.llave),
        cert_registry=SimpleCertificateStore(),
    )
    firmante = credencial.firmante
    metadatos = signers.PdfSignatureMetadata(
        field_name=campo.nombre,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=firmante.nombre,
        reason=_("Firma del documento oficial"),
    )
    estilo = TextStampStyle(
        stamp_text=texto_sello(firmante, momento).replace("%", "%%"),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(fuente_sello(settings.FIRMA_FUENTE), font_size=7), font_size=7, leading=9
        ),
        border_width=0,
        background=None,
    )
    sellador = timestamps.HTTPTimeStamper(settings.FIRMA_TSA_URL) if settings.FIRMA_TSA_URL else None
    pdf_signer = signers.PdfSigner(
        metadatos,
        signer=firmador,
        timestamper=sellador,
        stamp_style=estilo,
        new_field_spec=fields.SigFieldSpec(campo.nombre, on_page=campo.pagina, box=campo.caja),
    )
    salida = pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), output=BytesIO())
    return salida.getvalue()
