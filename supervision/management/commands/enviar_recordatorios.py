"""Daily reminders (cron): see supervision/recordatorios.py and the README for the crontab line."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervision.recordatorios import enviar_recordatorios


class Command(BaseCommand):
    help = (
        "Avisa a las dependencias de sus aspectos a 15, 5 y 1 días de su fecha y al vencer, y envía a la "
        "Contraloría el resumen semanal de vencidos. Idempotente: correrlo dos veces no envía nada dos veces."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fecha", help="Fecha a considerar como hoy (AAAA-MM-DD); por omisión, hoy en la Ciudad de México."
        )

    def handle(self, *args: Any, fecha: str | None = None, **options: Any) -> None:
        dia = None
        if fecha:
            try:
                dia = datetime.date.fromisoformat(fecha)
            except ValueError as error:
                raise CommandError(f"Fecha no válida: «{fecha}». Use el formato AAAA-MM-DD.") from error
        resultado = enviar_recordatorios(fecha=dia)
        self.stdout.write(
            f"Avisos: {resultado.avisos} ({resultado.correos_dependencias} correos a dependencias); "
            f"resúmenes semanales: {resultado.resumenes} ({resultado.correos_contraloria} correos a la Contraloría)."
        )
