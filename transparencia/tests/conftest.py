"""Public data for the transparency tests: a signed convenio with one public and one private evidence
file, a draft convenio (not public) and the personas of the root conftest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from convenios.models import Aspecto, Convenio, EstadoConvenio
from convenios.tests.fabricas import crear_convenio
from cuentas.models import Usuario
from seguimiento.models import Evidencia


@pytest.fixture(autouse=True)
def _cache_limpia():
    """The public fingerprint and the PDFs are cached: each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


def crear_evidencia(aspecto: Aspecto, usuario: Usuario, contenido: bytes, *, publicable: bool) -> Evidencia:
    evidencia = Evidencia(
        aspecto=aspecto,
        nombre_original="Oficio firmado por Juana Pérez.pdf",
        tamano=len(contenido),
        tipo_contenido="application/pdf",
        sha256=hashlib.sha256(contenido).hexdigest(),
        descripcion="Oficio de entrega" if publicable else "Documento interno",
        formato="oficio",
        publicable=publicable,
        subida_por=usuario,
    )
    evidencia.archivo.save("evidencia.pdf", ContentFile(contenido), save=False)
    evidencia.save()
    return evidencia


@dataclass
class DatosPublicos:
    vigente: Convenio
    borrador: Convenio
    evidencia_publica: Evidencia
    evidencia_privada: Evidencia
    evidencia_de_borrador: Evidencia


CONTENIDO_PUBLICO = b"%PDF-1.4 evidencia publica de prueba"
CONTENIDO_PRIVADO = b"%PDF-1.4 SECRETO-evidencia-privada-no-publicar"
CONTENIDO_BORRADOR = b"%PDF-1.4 SECRETO-evidencia-de-un-borrador"
TEXTO_BORRADOR = "SECRETO-aspecto-de-un-borrador"


@pytest.fixture
def datos(m, dependencia) -> DatosPublicos:
    vigente = crear_convenio(m, clave="01070101")
    borrador = crear_convenio(
        m, dependencia=m.otra_dependencia, estado=EstadoConvenio.BORRADOR, clave="02010101", anio=2023
    )
    # The draft's items carry a marker, to prove they are published nowhere.
    for aspecto in borrador.aspectos.all():
        aspecto.texto = f"{TEXTO_BORRADOR} {aspecto.etiqueta}"
        aspecto.save()
    primero = vigente.aspectos.order_by("tipo", "numero").first()
    return DatosPublicos(
        vigente=vigente,
        borrador=borrador,
        evidencia_publica=crear_evidencia(primero, dependencia, CONTENIDO_PUBLICO, publicable=True),
        evidencia_privada=crear_evidencia(primero, dependencia, CONTENIDO_PRIVADO, publicable=False),
        # Marked publicable, but its convenio is a draft: still private.
        evidencia_de_borrador=crear_evidencia(
            borrador.aspectos.first(), dependencia, CONTENIDO_BORRADOR, publicable=True
        ),
    )
