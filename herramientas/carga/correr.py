"""Load test: `make carga` (README, "Producción"). A script, not part of the test suite.

1. A production instance on 127.0.0.1 only: PostgreSQL database ``carga_asm`` (dropped and created again),
   `migrate`, `generar_datos --municipios N`, `collectstatic`.
2. Sessions and addresses for the visitors (herramientas/carga/preparar.py).
3. For each number of gunicorn workers (1, then 4: the same data, the same run), gunicorn with
   config/gunicorn.conf.py and locust headless: 50 users, 60 seconds, the mix of herramientas/carga/locustfile.py.
4. A table per page: requests, errors, p50, p95, p95/p50; and requests per second, 4 workers vs 1.

    python -m herramientas.carga.correr [--municipios 10] [--usuarios 50] [--segundos 60] [--trabajadores 1,4]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from herramientas.servidor import gunicorn

RAIZ = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("CARGA_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BASE_DATOS = "carga_asm"


def entorno(var: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "GUNICORN_"))}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{POSTGRES}/{BASE_DATOS}",
        "DJANGO_STATIC_ROOT": str(var / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(var / "media"),
        "DJANGO_RESPALDOS_DIR": str(var / "respaldos"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_BROKER_URL": "",
        # One line per request would be 100,000 lines; the figures come from locust.
        "GUNICORN_LOGLEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *argumentos: str) -> str:
    resultado = subprocess.run(
        [sys.executable, "manage.py", *argumentos], cwd=RAIZ, env=env, capture_output=True, text=True
    )
    if resultado.returncode != 0:
        sys.exit(f"manage.py {' '.join(argumentos)} falló:\n{resultado.stderr}")
    return resultado.stdout


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-q", "-c", sql], check=True)


def locust(base: str, datos: Path, usuarios: int, segundos: int, prefijo: Path) -> None:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(RAIZ / "herramientas" / "carga" / "locustfile.py"),
            "--headless",
            "--host",
            base,
            "-u",
            str(usuarios),
            "-r",
            str(usuarios),
            "-t",
            f"{segundos}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(prefijo),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=RAIZ,
        env={**os.environ, "CARGA_DATOS": str(datos)},
        check=False,  # locust exits 1 when any request failed: the table shows them
        timeout=segundos + 120,
    )


def leer(prefijo: Path) -> list[dict[str, str]]:
    with open(f"{prefijo}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def tabla(filas: list[dict[str, str]]) -> list[str]:
    lineas = [
        "| Página | Peticiones | Errores | p50 (ms) | p95 (ms) | p95/p50 | Peticiones/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in filas:
        p50, p95 = float(f["50%"]), float(f["95%"])
        lineas.append(
            f"| {f['Name']} | {f['Request Count']} | {f['Failure Count']} | {p50:.0f} | {p95:.0f} | "
            f"{p95 / p50 if p50 else 0:.1f} | {float(f['Requests/s']):.1f} |"
        )
    return lineas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--municipios", type=int, default=10)
    parser.add_argument("--usuarios", type=int, default=50)
    parser.add_argument("--segundos", type=int, default=60)
    parser.add_argument("--trabajadores", default="1,4")
    parser.add_argument("--salida", type=Path, default=RAIZ / "var" / "carga")
    argumentos = parser.parse_args()
    var = argumentos.salida.resolve()
    var.mkdir(parents=True, exist_ok=True)
    env = entorno(var)

    inicio = time.monotonic()
    psql(f"DROP DATABASE IF EXISTS {BASE_DATOS}")
    psql(f"CREATE DATABASE {BASE_DATOS}")
    manage(env, "migrate", "--noinput")
    manage(env, "generar_datos", "--municipios", str(argumentos.municipios), "--permitir-produccion")
    manage(env, "collectstatic", "--noinput")
    salida = manage(env, "shell", "-c", "from herramientas.carga.preparar import preparar; preparar()")
    datos = var / "datos.json"
    datos.write_text(salida.strip().splitlines()[-1])
    aspectos = json.loads(datos.read_text())["aspectos"]
    print(f"Datos: {argumentos.municipios} municipios, {aspectos} aspectos ({time.monotonic() - inicio:.0f} s)")

    informe = [
        f"Máquina: {os.cpu_count()} CPU ({platform.processor() or platform.machine()}), Python {platform.python_version()}",
        f"Datos: generar_datos --municipios {argumentos.municipios} ({aspectos} aspectos), PostgreSQL",
        f"Carga: {argumentos.usuarios} usuarios sin pausa, {argumentos.segundos} s por corrida, locust en la misma máquina",
    ]
    totales: dict[int, float] = {}
    for trabajadores in [int(t) for t in argumentos.trabajadores.split(",")]:
        prefijo = var / f"locust-{trabajadores}"
        with gunicorn(env, trabajadores, var / f"gunicorn-{trabajadores}.log") as base:
            # Warm-up: imports and the first connection of each worker out of the measured minute.
            for _ in range(trabajadores * 4):
                urllib.request.urlopen(base + "/salud/", timeout=10).close()
            locust(base, datos, argumentos.usuarios, argumentos.segundos, prefijo)
        filas = leer(prefijo)
        total = next(f for f in filas if f["Name"] == "Aggregated")
        totales[trabajadores] = float(total["Requests/s"])
        informe += ["", f"### gunicorn con {trabajadores} worker(s)", "", *tabla(filas)]
    if len(totales) == 2:
        (uno, a), (varios, b) = sorted(totales.items())
        informe += ["", f"Rendimiento {varios} workers / {uno} worker: {b:.1f} / {a:.1f} = {b / a:.2f}×"]
    texto = "\n".join(informe)
    (var / "resultado.md").write_text(texto + "\n")
    print(texto)


if __name__ == "__main__":
    main()
