"""Public verification of the e.firma signatures of a PDF, with pyHanko's validation.

For each signature: who signed (name, RFC from the certificate), when (the time the signer's software stated,
or the time-stamp's), whether the document is unchanged since then, and whether the certificate chains to a
root the deployment installed (``settings.FIRMA_RAICES``: the SAT's, the state's). Nothing is fetched from the
network (no OCSP/CRL look-ups): revocation is not checked here.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from documentos.firma import firmante_de

logger = logging.getLogger(__name__)

EXTENSIONES_RAIZ = {".cer", ".crt", ".pem", ".der"}


@dataclass(frozen=True)
class FirmaVerificada:
    nombre: str
    rfc: str
    numero_certificado: str
    firmado_en: datetime.datetime | None
    sin_cambios: bool
    confiable: bool


def raices_confiables() -> list[asn1_x509.Certificate]:
    """The CA certificates in ``settings.FIRMA_RAICES`` (DER or PEM, one or more per file); read per call, so a
    certificate added to the folder counts without restarting."""
    carpeta = Path(settings.FIRMA_RAICES)
    if not carpeta.is_dir():
        return []
    certificados: list[asn1_x509.Certificate] = []
    for ruta in sorted(carpeta.iterdir()):
        if ruta.suffix.lower() not in EXTENSIONES_RAIZ or not ruta.is_file():
            continue
        try:
            certificados.extend(load_certs_from_pemder_data(ruta.read_bytes()))
        except ValueError:
            logger.warning("Certificado raíz ilegible, se omite: %s", ruta.name)
    return certificados


def verificar_firmas(pdf: bytes) -> list[FirmaVerificada] | None:
    """The signatures of ``pdf``, in signing order; None when the file cannot be read as a PDF."""
    try:
        firmas = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001  (an uploaded file is hostile input: zlib, struct, recursion…)
        logger.info("PDF ilegible al verificar firmas: %s", type(error).__name__)
        return None
    contexto = ValidationContext(trust_roots=raices_confiables(), allow_fetching=False)
    resultado = []
    for incrustada in firmas:
        try:
            estado = validate_pdf_signature(incrustada, contexto)
        except Exception as error:  # noqa: BLE001  (same: whatever a damaged file makes the parser raise)
            # A signature so damaged it cannot even be evaluated: certainly not an unchanged document.
            logger.info("Firma ilegible al verificar: %s", type(error).__name__)
            resultado.append(FirmaVerificada("", "", "", None, sin_cambios=False, confiable=False))
            continue
        firmante = firmante_de(x509.load_der_x509_certificate(estado.signing_cert.dump()))
        nivel = estado.modification_level
        sin_cambios = (
            estado.intact
            and estado.valid
            and estado.docmdp_ok is not False
            and (nivel is None or nivel <= ModificationLevel.FORM_FILLING)
        )
        sello = estado.timestamp_validity
        resultado.append(
            FirmaVerificada(
                nombre=firmante.nombre,
                rfc=firmante.rfc,
                numero_certificado=firmante.numero_certificado,
                firmado_en=sello.timestamp if sello is not None else estado.signer_reported_dt,
                sin_cambios=sin_cambios,
                confiable=bool(estado.trusted),
            )
        )
    return resultado
