"""`make bench-pdf` still runs against today's rules (it copies the seed's convenio, and a signed one is frozen)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_pdf_mide_el_oficio_el_convenio_y_la_memoria():
    salida = StringIO()
    call_command("bench_pdf", repeticiones=1, oficios=2, stdout=salida)
    texto = salida.getvalue()
    assert "Oficio de cumplimiento (convenio semilla), de punta a punta" in texto
    assert "Convenio completo (documento), de punta a punta" in texto
    assert "2 oficios seguidos, cada uno de un convenio distinto" in texto
