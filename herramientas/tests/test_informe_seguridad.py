"""The report adds up what the tests recorded; with nothing recorded it says how to get it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from seguridad.tests.informe import Informe


def test_el_informe_suma_lo_registrado(tmp_path, monkeypatch):
    import seguridad.tests.informe as modulo

    monkeypatch.setattr(modulo, "CARPETA", tmp_path)
    for n, resultado in enumerate(["aceptado tal cual", "rechazado con mensaje en español"]):
        registro = Informe()
        registro.anotar("Formulario, campo «motivo»", "con NUL", resultado, n + 2)
        registro.anotar("Archivos", "bomba ZIP disfrazada de XLSX", "rechazado con mensaje en español")
        registro.medir(
            "concurrencia",
            {
                "trabajadores": 8,
                "operaciones": 112,
                "exitos": {"enviar": 10},
                "rechazos_por_conflicto": 102,
                "perdidas": 0,
                "duplicados": 0,
                "segundos": 0.5,
                "integridad_archivos": 10,
                "integridad_segundos": 0.01,
            },
        )
        registro.medir(f"endurecimiento:rastreo:{n}", {"prueba": "Rastreo de URL", "casos": 100 + n, "fallas": 0})
        registro.medir(
            "rastreo",
            {
                "patrones": 231,
                "peticiones": 2349,
                "segundos": 30.0,
                "segundos_cpu": 25.6,
                "por_estado": {"2": 623, "3": 877, "4": 849},
            },
        )
        registro.guardar(f"prueba_{n}")
    salida = io.StringIO()
    call_command("informe_seguridad", f"--carpeta={tmp_path}", stdout=salida)
    texto = salida.getvalue()
    assert "| Formulario, campo «motivo» | 5 | 2 | 3 |" in texto
    assert "| bomba ZIP disfrazada de XLSX | 2 | rechazado con mensaje en español |" in texto
    assert "| 8 | 112 | enviar 10 | 102 | 0 | 0 | 0.50 s |" in texto
    assert "| Rastreo de URL | 2 | 201 | 0 |" in texto
    assert "231 patrones, 2,349 peticiones (2xx: 623, 3xx: 877, 4xx: 849); ninguna 5xx" in texto


def test_sin_resultados_dice_como_obtenerlos(tmp_path):
    with pytest.raises(CommandError, match="make seguridad-informe"):
        call_command("informe_seguridad", f"--carpeta={tmp_path}")
