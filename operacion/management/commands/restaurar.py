"""`manage.py restaurar ARCHIVO`: into a fresh database and an empty storage, verifying every SHA-256."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operacion.respaldos import RespaldoInvalido, restaurar_respaldo


class Command(BaseCommand):
    help = (
        "Restaura un respaldo de `respaldar` en una base de datos nueva y un almacenamiento vacío, "
        "verificando el SHA-256 de los datos y de cada archivo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archivo", type=Path, help="El .tar.gz creado por `manage.py respaldar`.")
        parser.add_argument("--database", default="default", help="Alias de la base de datos destino.")

    def handle(self, *args: Any, archivo: Path, database: str, **options: Any) -> None:
        try:
            resumen = restaurar_respaldo(archivo=archivo, alias=database)
        except RespaldoInvalido as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Respaldo restaurado y verificado: {resumen.objetos} registros, {resumen.archivos} archivos."
            )
        )
