"""`manage.py verificar_integridad`: every evidence file (and every file another app registers) re-hashed.

Exit code 0 when everything matches; 1 when a file was altered, is missing, or is an orphan.
Meant for a daily cron (README, "Seguridad y confiabilidad").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seguridad.integridad import Problema, verificar

ETIQUETAS = {"alterado": "ALTERADO", "falta": "FALTA", "huerfano": "HUÉRFANO"}


class Command(BaseCommand):
    help = "Recalcula el SHA-256 de cada archivo guardado y lo compara con su registro; informa huérfanos."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--margen-minutos",
            type=int,
            default=10,
            help="No llama huérfano a un archivo más reciente que esto (una subida puede estar guardándose).",
        )

    def handle(self, *args: Any, margen_minutos: int, **options: Any) -> None:
        def aviso(problema: Problema) -> None:
            self.stdout.write(f"{ETIQUETAS[problema.tipo]:9} {problema.ruta}  ({problema.detalle})")

        resultado = verificar(margen_huerfanos=datetime.timedelta(minutes=margen_minutos), aviso=aviso)
        resumen = (
            f"Revisados {resultado.revisados:,} archivos ({resultado.bytes_leidos / 1024 / 1024:,.1f} MB) "
            f"en {resultado.segundos:.2f} s: {len(resultado.de_tipo('alterado'))} alterados, "
            f"{len(resultado.de_tipo('falta'))} faltantes, {len(resultado.de_tipo('huerfano'))} huérfanos."
        )
        if resultado.problemas:
            self.stdout.write(resumen)
            raise CommandError(f"Integridad: {len(resultado.problemas)} problema(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS(resumen))
