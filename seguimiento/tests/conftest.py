from __future__ import annotations

import datetime

import pytest

from convenios.models import Aspecto, EstadoAspecto, TipoAspecto
from seguimiento import services
from seguimiento.tests import archivos_prueba
from seguimiento.tests.estados import llevar_a


@pytest.fixture
def recomendacion(convenio) -> Aspecto:
    return convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)


@pytest.fixture
def subir(dependencia):
    """subir(aspecto) stores a real PDF as the dependencia user; returns the Evidencia."""

    def _subir(aspecto: Aspecto, nombre: str = "evidencia.pdf", texto: str = "Evidencia"):
        return services.evidencia_subir(
            aspecto=aspecto,
            archivo=archivos_prueba.subido(nombre, archivos_prueba.pdf(texto), "application/pdf"),
            descripcion="Formato PbRM-02a con las acciones incorporadas",
            formato="02a",
            usuario=dependencia,
        )

    return _subir


@pytest.fixture
def en_revision(recomendacion, subir, dependencia) -> Aspecto:
    """Recomendación 1 with the dependencia's PDF (``subir``), sent to review."""
    subir(recomendacion)
    return llevar_a(recomendacion, EstadoAspecto.EN_REVISION, dependencia=dependencia)


@pytest.fixture
def hoy_vencido(convenio) -> datetime.date:
    return convenio.fecha_limite + datetime.timedelta(days=1)
