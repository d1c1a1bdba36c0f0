"""Benchmark of the board, its exports and the reminders, at two sizes and on SQLite and PostgreSQL.

``make bench-tablero`` runs ``bench_tablero`` (the orchestrator): for each engine and size it
builds a fresh benchmark database (``var/bench_asm.sqlite3`` or PostgreSQL ``bench_asm``, never
the test ones), fills it with ``generar_datos``, and measures it in a child process
(``bench_tablero --medir``) so that each size starts from a clean process. The CSV export of
every row runs in its own child (``--exportar-todo``) whose peak RSS is the export's.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

REPETICIONES = 30
PG_BASE = "bench_asm"


def _mediana_ms(funcion: Any, repeticiones: int = REPETICIONES) -> str:
    """ "median (best)" in ms: the median is the target's figure; the best run shows the noise of a shared machine."""
    for _ in range(3):  # warm-up
        funcion()
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        funcion()
        tiempos.append((time.perf_counter() - inicio) * 1000)
    return f"{statistics.median(tiempos):.1f} ({min(tiempos):.1f})"


def _consumir(respuesta: Any) -> int:
    if getattr(respuesta, "streaming", False):
        return sum(len(parte) for parte in respuesta.streaming_content)
    return len(respuesta.content)


def _pico_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


class Command(BaseCommand):
    help = "Mide el tablero, las exportaciones y los recordatorios con 1,000 y 125,000 aspectos (SQLite y PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--motores", default="sqlite,postgres")
        parser.add_argument("--municipios", default="1,125", help="Tamaños, en municipios de ~990 aspectos.")
        parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
        parser.add_argument("--medir", action="store_true", help="(interno) mide la base actual")
        parser.add_argument("--exportar-todo", action="store_true", help="(interno) exporta todo a CSV y mide memoria")

    def handle(self, *args: Any, **opciones: Any) -> None:
        if opciones["medir"]:
            self.stdout.write(json.dumps(self._medir()))
        elif opciones["exportar_todo"]:
            self.stdout.write(json.dumps(self._exportar_todo()))
        else:
            self._orquestar(opciones)

    # --- orchestrator ---------------------------------------------------------------

    def _orquestar(self, opciones: dict[str, Any]) -> None:
        resultados = []
        for motor in opciones["motores"].split(","):
            for municipios in [int(n) for n in opciones["municipios"].split(",")]:
                url = self._base_nueva(motor, opciones["postgres_url"])
                entorno = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
                entorno["DJANGO_MEDIA_ROOT"] = str(settings.BASE_DIR / "var" / "bench-media")
                entorno["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
                self._correr(["migrate", "-v0"], {**entorno, "DJANGO_DEBUG": "1"})
                inicio = time.perf_counter()
                salida = self._correr(
                    ["generar_datos", "--municipios", str(municipios), "--anios", "3", "--convenios", "30"],
                    {**entorno, "DJANGO_DEBUG": "1"},
                )
                generacion = round(time.perf_counter() - inicio, 1)
                medida = json.loads(self._correr(["bench_tablero", "--medir"], {**entorno, "DJANGO_DEBUG": "0"}))
                medida.update(motor=motor, municipios=municipios, generacion_s=generacion, generacion=salida.strip())
                self.stderr.write(json.dumps(medida, ensure_ascii=False))
                resultados.append(medida)
        self._tabla(resultados)

    def _base_nueva(self, motor: str, postgres_url: str) -> str:
        if motor == "sqlite":
            ruta = settings.BASE_DIR / "var" / "bench_asm.sqlite3"
            ruta.parent.mkdir(exist_ok=True)
            for sufijo in ("", "-wal", "-shm", "-journal"):
                Path(f"{ruta}{sufijo}").unlink(missing_ok=True)
            return f"sqlite:///{ruta}"
        if motor == "postgres":
            import psycopg2

            conexion = psycopg2.connect(f"{postgres_url}/postgres")
            conexion.autocommit = True
            with conexion.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {PG_BASE}")
                cursor.execute(f"CREATE DATABASE {PG_BASE}")
            conexion.close()
            return f"{postgres_url}/{PG_BASE}"
        raise CommandError(f"Motor desconocido: {motor} (use sqlite o postgres).")

    def _correr(self, argumentos: list[str], entorno: dict[str, str]) -> str:
        proceso = subprocess.run(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), *argumentos],
            env=entorno,
            capture_output=True,
            text=True,
            check=False,
        )
        if proceso.returncode:
            raise CommandError(f"{' '.join(argumentos)} falló:\n{proceso.stderr[-3000:]}")
        return proceso.stdout

    def _tabla(self, resultados: list[dict[str, Any]]) -> None:
        self.stdout.write(
            f"Máquina: {platform.node()} · {platform.processor() or platform.machine()} · "
            f"{os.cpu_count()} CPU · Python {platform.python_version()}"
        )
        columnas = [
            ("motor", "motor"),
            ("aspectos", "aspectos"),
            ("generacion_s", "generar (s)"),
            ("primera_ms", "1.ª página, ms: mediana (mejor)"),
            ("filtrada_ms", "filtrada"),
            ("conteos_ms", "conteos"),
            ("avance_ms", "avance"),
            ("consultas", "consultas/página"),
            ("csv_filas", "CSV filas"),
            ("csv_s", "CSV (s)"),
            ("csv_rss_mb", "CSV pico RSS (MB)"),
            ("csv_tracemalloc_mb", "CSV pico Python (MB)"),
            ("recordatorios_1_s", "recordatorios 1.ª (s)"),
            ("recordatorios_2_s", "2.ª (s)"),
            ("avisos", "avisos"),
        ]
        self.stdout.write("| " + " | ".join(t for _c, t in columnas) + " |")
        self.stdout.write("|" + "---|" * len(columnas))
        for r in resultados:
            self.stdout.write("| " + " | ".join(str(r.get(c, "")) for c, _t in columnas) + " |")

    # --- measurements (child processes) -------------------------------------------

    def _medir(self) -> dict[str, Any]:
        from convenios.models import Aspecto, Dependencia, TipoDependencia
        from cuentas.models import Usuario
        from supervision import selectors
        from supervision.recordatorios import enviar_recordatorios

        contraloria = Usuario.objects.get(username="gen001-cont")
        dependencia = Dependencia.objects.filter(
            municipio=contraloria.dependencia.municipio, tipo=TipoDependencia.DEPENDENCIA
        ).order_by("pk")[1]
        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(contraloria)
        paginas = {
            "primera": ("/tablero/", {}),
            "filtrada": ("/tablero/", {"vencidos": "on", "orden": "dependencia", "dependencia": dependencia.pk}),
            "avance": ("/tablero/avance/", {}),
        }
        resultado: dict[str, Any] = {"aspectos": Aspecto.objects.count()}
        consultas = {}
        for nombre, (url, datos) in paginas.items():
            resultado[f"{nombre}_ms"] = _mediana_ms(lambda url=url, datos=datos: _consumir(cliente.get(url, datos)))
            with CaptureQueriesContext(connection) as capturadas:
                respuesta = cliente.get(url, datos)
                assert respuesta.status_code == 200, respuesta.status_code
            consultas[nombre] = len(capturadas.captured_queries)
        resultado["consultas"] = "/".join(str(consultas[n]) for n in paginas)
        filtros = selectors.FiltrosTablero()
        resultado["conteos_ms"] = _mediana_ms(lambda: selectors.conteos_semaforo(usuario=contraloria, filtros=filtros))
        exportacion = json.loads(
            subprocess.run(
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench_tablero", "--exportar-todo"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        resultado.update(exportacion)
        for corrida in (1, 2):
            inicio = time.perf_counter()
            enviados = enviar_recordatorios()
            resultado[f"recordatorios_{corrida}_s"] = round(time.perf_counter() - inicio, 2)
            if corrida == 1:
                resultado["avisos"] = enviados.avisos
                resultado["correos"] = enviados.correos_dependencias + enviados.correos_contraloria
        return resultado

    def _exportar_todo(self) -> dict[str, Any]:
        from cuentas.models import Usuario

        administrador, _ = Usuario.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(administrador)
        rss_antes = _pico_rss_mb()
        inicio = time.perf_counter()
        respuesta = cliente.get("/tablero/exportar.csv")
        filas = bytes_ = 0
        for parte in respuesta.streaming_content:
            bytes_ += len(parte)
            filas += parte.count(b"\n")
        segundos = round(time.perf_counter() - inicio, 1)
        rss = _pico_rss_mb()
        tracemalloc.start()
        for _parte in cliente.get("/tablero/exportar.csv").streaming_content:
            pass
        _actual, pico = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {
            "csv_filas": filas - 1,
            "csv_mb": round(bytes_ / 1024 / 1024, 1),
            "csv_s": segundos,
            "csv_rss_antes_mb": rss_antes,
            "csv_rss_mb": rss,
            "csv_tracemalloc_mb": round(pico / 1024 / 1024, 1),
        }
