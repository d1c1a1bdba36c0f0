"""A test certification authority and e.firma-shaped certificates, built here with ``cryptography``.

Shaped as the SAT issues them: the RFC in ``x500UniqueIdentifier`` (OID 2.5.4.45), the CURP in
``serialNumber``, the name in CN, O and ``name``; a 20-digit certificate number written as ASCII in the serial;
the private key as an encrypted PKCS#8 DER ``.key``. Nothing comes from the network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

OID_RFC = x509.ObjectIdentifier("2.5.4.45")
UTC = datetime.UTC
DESDE = datetime.datetime(2020, 1, 1, tzinfo=UTC)
HASTA = datetime.datetime(2040, 1, 1, tzinfo=UTC)


@cache
def _llave(n: int) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make: a handful, reused by every test of the session."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass(frozen=True)
class AC:
    certificado: x509.Certificate
    llave: rsa.RSAPrivateKey

    @property
    def der(self) -> bytes:
        return self.certificado.public_bytes(serialization.Encoding.DER)

    def guardar_en(self, carpeta: Path) -> Path:
        ruta = carpeta / "ac_prueba.cer"
        ruta.write_bytes(self.der)
        return ruta


@dataclass(frozen=True)
class EFirma:
    cer: bytes
    key: bytes
    password: str
    certificado: x509.Certificate


@cache
def autoridad(nombre: str = "AC DE PRUEBAS DEL SAT") -> AC:
    llave = _llave(0 if nombre == "AC DE PRUEBAS DEL SAT" else 9)
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Servicio de Administración Tributaria (pruebas)"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(llave.public_key())
        .serial_number(1)
        .not_valid_before(datetime.datetime(2015, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime.datetime(2045, 1, 1, tzinfo=UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(llave.public_key()), critical=False)
        .sign(llave, hashes.SHA256())
    )
    return AC(certificado=certificado, llave=llave)


def efirma(
    *,
    nombre: str,
    rfc: str,
    curp: str = "GOMA800101HMCMRR09",
    password: str = "Contraseña.de.prueba.1",
    desde: datetime.datetime = DESDE,
    hasta: datetime.datetime = HASTA,
    para_firmar: bool = True,
    numero: str = "00001000000700000001",
    llave: int = 1,
    ac: AC | None = None,
) -> EFirma:
    """An e.firma: ``para_firmar=False`` gives a certificate only for key encipherment (like a sello's twin)."""
    ac = ac or autoridad()
    privada = _llave(llave)
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(x509.ObjectIdentifier("2.5.4.41"), nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, "titular@example.org"),
            x509.NameAttribute(OID_RFC, rfc),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, curp),
        ]
    )
    certificado = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(ac.certificado.subject)
        .public_key(privada.public_key())
        # The SAT's certificate number is 20 digits, stored as their ASCII codes.
        .serial_number(int.from_bytes(numero.encode("ascii"), "big"))
        .not_valid_before(desde)
        .not_valid_after(hasta)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=para_firmar,
                content_commitment=para_firmar,
                key_encipherment=not para_firmar,
                data_encipherment=not para_firmar,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ac.llave.public_key()),
            critical=False,
        )
        .sign(ac.llave, hashes.SHA256())
    )
    key = privada.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode()),
    )
    return EFirma(
        cer=certificado.public_bytes(serialization.Encoding.DER), key=key, password=password, certificado=certificado
    )
