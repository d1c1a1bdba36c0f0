"""The formula-injection rule shared by every export (OWASP, CSV Injection)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from seguridad.exportacion import celda_segura


@pytest.mark.parametrize("texto", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUMA(A1)", "\t=1", "\r=1"])
def test_un_texto_que_empezaria_una_formula_se_escribe_como_texto(texto):
    assert celda_segura(texto) == "'" + texto


@pytest.mark.parametrize("texto", ["Derechos Humanos", "", "01020401", "a=b", " =x"])
def test_un_texto_ordinario_no_cambia(texto):
    assert celda_segura(texto) == texto


@pytest.mark.parametrize("valor", [None, -5, 3.5, Decimal("-3053600.00"), datetime.date(2022, 12, 6), True])
def test_numeros_fechas_y_vacios_no_cambian(valor):
    assert celda_segura(valor) == valor
