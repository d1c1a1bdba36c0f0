"""`manage.py respaldar`: database and stored files in one .tar.gz with a SHA-256 manifest (operacion/respaldos.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from operacion.respaldos import crear_respaldo


class Command(BaseCommand):
    help = "Respalda la base de datos y los archivos guardados en un .tar.gz con manifiesto SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--destino", type=Path, default=None, help="Carpeta del respaldo (por omisión DJANGO_RESPALDOS_DIR)."
        )
        parser.add_argument("--database", default="default", help="Alias de la base de datos a respaldar.")

    def handle(self, *args: Any, destino: Path | None, database: str, **options: Any) -> None:
        resumen = crear_respaldo(destino=destino or Path(settings.RESPALDOS_DIR), alias=database)
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo creado: {resumen.archivo} ({resumen.objetos} registros, {resumen.archivos} archivos)."
            )
        )
