"""State-scale benchmark of the public side: `make bench-escala` (README, "Escala estatal").

1. Two PostgreSQL databases, ``escala_bench_1`` and ``escala_bench_125``, created again and filled
   by ``manage.py generar_datos`` with 1 and 125 municipios (3 PAE years, 30 convenios a year:
   ~1,000 and ~124,000 items; the first municipio is the same in both); ``collectstatic`` once.
2. Two production instances (``config.settings.production``, gunicorn with 2 workers, 127.0.0.1
   only, the default per-process cache), one on each database.
3. Each page, in the same run and interleaved (small, big, big, small…): median ms of a first
   rendering (a kept page, public or the board, gets a new address each time, so the cache misses)
   and of a repeated visit (kept); queries per first rendering, counted in a child process
   (``--hijo consultas``) after one warm-up request. The other pages of staff (the IMPLAN's and the
   superuser's homes, the admin) are not kept. Staff pages are asked with a session opened for each
   persona in a child process (``--hijo sesiones``) on each database.
4. Each download in a fresh child process per size (``--hijo descarga``): seconds, MB, rows, the
   process's RSS before it (Django loaded, one request served) and its peak RSS after streaming it.
5. Throughput with wrk (2 threads, 16 connections, a few seconds each, loopback), interleaved,
   as a share of ``/salud/``'s on the same instance.
6. A table, printed and written into the README between its markers, with the machine.

    python -m herramientas.bench_escala [--rondas 15] [--segundos-wrk 8] [--sin-generar]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from herramientas import bench_escala_hijos
from herramientas.bench_escala_hijos import con_parametro, en_cache
from herramientas.servidor import gunicorn

RAIZ = Path(__file__).resolve().parents[1]
VAR = RAIZ / "var" / "bench-escala"
TAMANOS: tuple[int, int] = (1, 125)
WRK = "/usr/bin/wrk"
MARCA_INICIO = "<!-- bench-escala: inicio -->"
MARCA_FIN = "<!-- bench-escala: fin -->"
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
BASES_REDIS = (14, 15)
"""The benchmark's own Redis databases: the small size's and the big one's."""


def base_datos(municipios: int) -> str:
    return f"escala_bench_{municipios}"


def cache_de(municipios: int) -> str:
    return f"{REDIS}/{BASES_REDIS[TAMANOS.index(municipios)]}"


def vaciar_caches() -> None:
    import redis

    for n in TAMANOS:
        redis.Redis.from_url(cache_de(n)).flushdb()


def entorno(postgres: str, municipios: int) -> dict[str, str]:
    limpio = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "GUNICORN_"))}
    return {
        **limpio,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # The API allows 120 GET a minute per address: wrk sends thousands from one.
        "DJANGO_TASA_API": "100000000/m",
        "DATABASE_URL": f"{postgres}/{base_datos(municipios)}",
        # Production's shared cache (the rate limits need it): Redis, one database per size, so the two
        # instances never read each other's fingerprint (emptied before measuring: ``vaciar_caches``).
        "DJANGO_CACHE_URL": cache_de(municipios),
        "DJANGO_SITIO_URL": "http://127.0.0.1",
        "DJANGO_STATIC_ROOT": str(VAR / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(VAR / f"media-{municipios}"),
        "DJANGO_RESPALDOS_DIR": str(VAR / "respaldos"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_BROKER_URL": "",
        "GUNICORN_LOGLEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
    }


def correr(env: dict[str, str], *argumentos: str) -> str:
    resultado = subprocess.run(argumentos, cwd=RAIZ, env=env, capture_output=True, text=True, check=False)
    if resultado.returncode != 0:
        sys.exit(f"{' '.join(argumentos)} falló:\n{resultado.stderr[-4000:]}")
    return resultado.stdout


def manage(env: dict[str, str], *argumentos: str) -> str:
    return correr(env, sys.executable, "manage.py", *argumentos)


def generar(postgres: str, municipios: int) -> float:
    subprocess.run(["psql", f"{postgres}/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {base_datos(municipios)}"])
    subprocess.run(
        ["psql", f"{postgres}/postgres", "-q", "-c", f"CREATE DATABASE {base_datos(municipios)}"], check=True
    )
    # generar_datos refuses DEBUG off (it is for benchmark databases only): the local settings.
    env = {**entorno(postgres, municipios), "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "1"}
    manage(env, "migrate", "-v0")
    inicio = time.perf_counter()
    manage(env, "generar_datos", "--municipios", str(municipios), "--anios", "3", "--convenios", "30")
    return round(time.perf_counter() - inicio, 1)


def consulta_sql(postgres: str, municipios: int, sql: str) -> str:
    return correr(os.environ.copy(), "psql", f"{postgres}/{base_datos(municipios)}", "-Atqc", sql).strip()


def encabezados(sesion: str | None) -> dict[str, str]:
    return {"Cookie": f"sessionid={sesion}"} if sesion else {}


def pedir_ms(url: str, sesion: str | None = None) -> float:
    inicio = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=encabezados(sesion)), timeout=120) as respuesta:
        while respuesta.read(1 << 16):
            pass
        # A session that did not work ends, redirected, on the login page.
        assert respuesta.status == 200 and respuesta.url == url, (url, respuesta.status, respuesta.url)
    return (time.perf_counter() - inicio) * 1000


def wrk(url: str, segundos: int, sesion: str | None = None) -> dict[str, float]:
    cabeceras = [argumento for clave, valor in encabezados(sesion).items() for argumento in ("-H", f"{clave}: {valor}")]
    salida = subprocess.run(
        [WRK, "-t2", "-c16", f"-d{segundos}s", "--timeout", "10s", *cabeceras, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=segundos + 60,
    ).stdout
    por_segundo = float(re.search(r"Requests/sec:\s+([\d.]+)", salida).group(1))
    malas = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", salida)
    errores = re.search(r"Socket errors:.*?timeout (\d+)", salida)
    return {
        "rps": por_segundo,
        "no_2xx": int(malas.group(1)) if malas else 0,
        "timeouts": int(errores.group(1)) if errores else 0,
    }


def hijo(env: dict[str, str], *argumentos: str) -> Any:
    salida = correr(env, sys.executable, "-m", "herramientas.bench_escala", "--hijo", *argumentos)
    return json.loads(salida.strip().splitlines()[-1])  # the request log goes to stdout too


# --- The run ---------------------------------------------------------------------------------


def rutas_de(postgres: str, municipios: int) -> dict[str, tuple[str, str | None]]:
    """The pages of the issue (address, persona), with the first municipio's own objects (the same in both)."""

    def sql(consulta: str) -> str:
        return consulta_sql(postgres, municipios, consulta)

    municipio, municipio_id = sql("SELECT slug || ',' || id FROM convenios_municipio ORDER BY id LIMIT 1").split(",")
    convenio = sql(
        "SELECT c.id FROM convenios_convenio c JOIN convenios_municipio m ON m.id = c.municipio_id "
        f"WHERE m.slug = '{municipio}' AND c.estado <> 'borrador' ORDER BY c.id LIMIT 1"
    )
    aspecto = sql(f"SELECT id FROM convenios_aspecto WHERE convenio_id = {convenio} ORDER BY id LIMIT 1")
    clave = sql(
        "SELECT p.clave FROM convenios_convenio c JOIN convenios_evaluacion e ON e.id = c.evaluacion_id "
        f"JOIN convenios_programapresupuestario p ON p.id = e.programa_id WHERE c.id = {convenio}"
    )
    anio = sql("SELECT max(anio_pae) FROM convenios_evaluacion")
    publicos = "FROM convenios_convenio c WHERE c.estado <> 'borrador'"
    convenios = int(sql(f"SELECT count(*) {publicos}"))
    de_publicos = (
        "FROM convenios_aspecto a JOIN convenios_convenio c ON c.id = a.convenio_id WHERE c.estado <> 'borrador'"
    )
    aspectos = int(sql(f"SELECT count(*) {de_publicos}"))
    # The last page with its 50 rows (the very last one holds 1 to 50, a different answer at each size).
    ultima_c, ultima_a = max(1, convenios // 50), max(1, aspectos // 50)

    def siguiente(ruta: str, pagina: int, orden: str, desde: str) -> str:
        """The page as the «siguiente» link of the one before names it: after that page's last row."""
        if pagina == 1:
            return ruta
        posicion = orden.replace(", ", " || ',' || ")
        tras = sql(f"SELECT {posicion} {desde} ORDER BY {orden} OFFSET {(pagina - 1) * 50 - 1} LIMIT 1")
        return f"{ruta}?pagina={pagina}&posicion=despues:{tras}"

    return {
        "Portal: inicio": ("/transparencia/", None),
        "Portal: municipio": (f"/transparencia/municipios/{municipio}/", None),
        "Portal: municipio, filtrado": (f"/transparencia/municipios/{municipio}/?estado=vigente&anio={anio}", None),
        "Portal: convenio": (f"/transparencia/convenios/{convenio}/", None),
        "Datos abiertos (página)": ("/transparencia/datos/", None),
        "API convenios, página 1": ("/api/v1/convenios/", None),
        "API convenios, última página llena (enlace «siguiente»)": (
            siguiente("/api/v1/convenios/", ultima_c, "c.id", publicos),
            None,
        ),
        "API convenios, última página llena por número": (f"/api/v1/convenios/?pagina={ultima_c}", None),
        "API convenios del municipio": (f"/api/v1/convenios/?municipio={municipio}", None),
        "API aspectos, página 1": ("/api/v1/aspectos/", None),
        "API aspectos, última página llena (enlace «siguiente»)": (
            siguiente("/api/v1/aspectos/", ultima_a, "a.convenio_id, a.tipo, a.numero", de_publicos),
            None,
        ),
        "API aspectos, última página llena por número": (f"/api/v1/aspectos/?pagina={ultima_a}", None),
        "API aspectos de un convenio": (f"/api/v1/aspectos/?convenio={convenio}", None),
        "Tablero de la Contraloría": ("/tablero/", "contraloria"),
        "Inicio del IMPLAN (bandeja)": ("/", "implan"),
        "Admin: cambiar convenio (IMPLAN)": (f"/admin/convenios/convenio/{convenio}/change/", "implan"),
        "Inicio estatal (superusuario)": ("/", "superusuario"),
        "Admin: convenios (superusuario)": ("/admin/convenios/convenio/", "superusuario"),
        # The same key exists in every generated municipio: the state administrator searches inside one.
        "Admin: convenios por clave en su municipio (superusuario)": (
            f"/admin/convenios/convenio/?q={clave}&municipio__id__exact={municipio_id}",
            "superusuario",
        ),
        "Admin: aspectos (superusuario)": ("/admin/convenios/aspecto/", "superusuario"),
        "Admin: cambiar convenio (superusuario)": (f"/admin/convenios/convenio/{convenio}/change/", "superusuario"),
        "Admin: cambiar aspecto (superusuario)": (f"/admin/convenios/aspecto/{aspecto}/change/", "superusuario"),
    }


DESCARGAS = {
    "aspectos.csv": "/transparencia/datos/aspectos.csv",
    "aspectos.json": "/transparencia/datos/aspectos.json",
    "convenios.csv": "/transparencia/datos/convenios.csv",
    "evaluaciones.json": "/transparencia/datos/evaluaciones.json",
}


def maquina() -> str:
    modelo = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    memoria = next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    postgres = re.search(r"\d+\.\d+", correr(os.environ.copy(), "psql", "--version")).group(0)
    carga = os.getloadavg()
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')} UTC; {os.cpu_count()} CPU ({modelo}), {int(memoria) // 1024 // 1024} GB de RAM, "
        f"Python {platform.python_version()}, PostgreSQL {postgres}; carga media al terminar {carga[0]:.1f} "
        "(máquina compartida con otras sesiones)"
    )


def medir(postgres: str, rondas: int, segundos_wrk: int) -> dict[str, Any]:
    vaciar_caches()
    entornos = {n: entorno(postgres, n) for n in TAMANOS}
    rutas = {n: rutas_de(postgres, n) for n in TAMANOS}
    resultado: dict[str, Any] = {"paginas": {}, "descargas": {}, "wrk": {}}
    consultas = {
        n: hijo(entornos[n], "consultas", *(json.dumps([persona, ruta]) for ruta, persona in rutas[n].values()))
        for n in TAMANOS
    }
    sesiones = {n: hijo(entornos[n], "sesiones") for n in TAMANOS}
    with contextlib.ExitStack() as pila:
        bases = {
            n: pila.enter_context(gunicorn(entornos[n], 2, VAR / f"gunicorn-{n}.log", "--max-requests", "0"))
            for n in TAMANOS
        }
        for fila, nombre in enumerate(rutas[1]):
            fria: dict[int, list[float]] = {n: [] for n in TAMANOS}
            tibia: dict[int, list[float]] = {n: [] for n in TAMANOS}
            for ronda in range(rondas + 2):
                orden = TAMANOS if ronda % 2 == 0 else TAMANOS[::-1]
                for n in orden:
                    ruta, persona = rutas[n][nombre]
                    url, sesion = bases[n] + ruta, sesiones[n].get(persona)
                    # A kept page (public ones, the board): a new address misses the cache, new to every row too
                    # (two rows may ask for one page: at one municipio the API's last full page is its first).
                    # Other staff pages are not kept.
                    nueva = con_parametro(url, f"ronda={fila}-{ronda}") if en_cache(persona, ruta) else url
                    ms_fria = pedir_ms(nueva, sesion)
                    ms_tibia = pedir_ms(url, sesion)
                    if ronda >= 2:  # two warm-up rounds (both workers, imports, first connection)
                        fria[n].append(ms_fria)
                        tibia[n].append(ms_tibia)
            resultado["paginas"][nombre] = {
                n: {
                    "fria_ms": round(statistics.median(fria[n]), 1),
                    "tibia_ms": round(statistics.median(tibia[n]), 1),
                    "consultas": consultas[n][rutas[n][nombre][0]],
                    "cache": en_cache(rutas[n][nombre][1], rutas[n][nombre][0]),
                }
                for n in TAMANOS
            }
            print(nombre, resultado["paginas"][nombre], file=sys.stderr, flush=True)
        for nombre in ["/salud/", *rutas[1]]:
            resultado["wrk"][nombre] = {}
            for n in TAMANOS:
                ruta, persona = (nombre, None) if nombre == "/salud/" else rutas[n][nombre]
                resultado["wrk"][nombre][n] = wrk(bases[n] + ruta, segundos_wrk, sesiones[n].get(persona))
                # wrk leaves up to 16 requests queued when it stops: the next run starts once they are served.
                pedir_ms(bases[n] + "/salud/")
            print("wrk", nombre, resultado["wrk"][nombre], file=sys.stderr, flush=True)
    for nombre, ruta in DESCARGAS.items():
        resultado["descargas"][nombre] = {n: hijo(entornos[n], "descarga", ruta) for n in TAMANOS}
        print(nombre, resultado["descargas"][nombre], file=sys.stderr, flush=True)
    resultado["maquina"] = maquina()
    return resultado


def tabla(resultado: dict[str, Any]) -> list[str]:
    chico, grande = TAMANOS
    salud = {n: resultado["wrk"]["/salud/"][n]["rps"] for n in TAMANOS}
    lineas = [
        f"Medido el {resultado['maquina']}. Generación: {resultado.get('generacion', '')}.",
        "",
        f"| Página | ms, 1.ª vez: {chico} / {grande} mun. | grande/chico | ms, repetida (caché) | consultas | "
        f"peticiones/s ({grande} mun.) | % de /salud/ |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for nombre, medida in resultado["paginas"].items():
        a, b = medida[chico], medida[grande]
        carrera = resultado["wrk"][nombre][grande]
        fallas = f" ({carrera['no_2xx']} no 2xx)" if carrera["no_2xx"] else ""
        tibia = f"{a['tibia_ms']} / {b['tibia_ms']}" if a["cache"] else "(sin caché)"
        lineas.append(
            f"| {nombre} | {a['fria_ms']} / {b['fria_ms']} | {b['fria_ms'] / a['fria_ms']:.2f}× | {tibia} | "
            f"{a['consultas']} / {b['consultas']} | {carrera['rps']:.0f}{fallas} | {100 * carrera['rps'] / salud[grande]:.1f} % |"
        )
    lineas.append(f"| `/salud/` (techo) | | | | | {salud[grande]:.0f} ({chico} mun.: {salud[chico]:.0f}) | 100 % |")
    lineas += [
        "",
        f"| Descarga | filas: {chico} / {grande} mun. | MB | s | consultas | RSS antes → pico (MB), {chico} mun. | "
        f"RSS antes → pico (MB), {grande} mun. | pico − base, {grande} mun. |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for nombre, medida in resultado["descargas"].items():
        a, b = medida[chico], medida[grande]
        lineas.append(
            f"| {nombre} | {a['lineas']} / {b['lineas']} | {a['mb']} / {b['mb']} | {a['s']} / {b['s']} | "
            f"{a['consultas']} / {b['consultas']} | {a['rss_antes_mb']} → {a['rss_pico_mb']} | "
            f"{b['rss_antes_mb']} → {b['rss_pico_mb']} | {b['rss_pico_mb'] - b['rss_antes_mb']:.1f} |"
        )
    return lineas


def escribir_readme(lineas: list[str]) -> None:
    readme = RAIZ / "README.md"
    texto = readme.read_text(encoding="utf-8")
    if MARCA_INICIO not in texto:
        sys.exit(f"El README no tiene las marcas {MARCA_INICIO} … {MARCA_FIN}")
    antes, resto = texto.split(MARCA_INICIO, 1)
    _viejo, despues = resto.split(MARCA_FIN, 1)
    readme.write_text(antes + MARCA_INICIO + "\n" + "\n".join(lineas) + "\n" + MARCA_FIN + despues, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--municipios", default="1,125", help="los dos tamaños, en municipios")
    parser.add_argument("--rondas", type=int, default=15)
    parser.add_argument("--segundos-wrk", type=int, default=8)
    parser.add_argument("--sin-generar", action="store_true", help="reusa las bases ya generadas")
    parser.add_argument("--hijo", nargs="+", help=argparse.SUPPRESS)
    opciones = parser.parse_args()
    global TAMANOS
    chico, grande = (int(n) for n in opciones.municipios.split(","))
    TAMANOS = (chico, grande)
    if opciones.hijo:
        tipo, *argumentos = opciones.hijo
        print(json.dumps(bench_escala_hijos.medir(tipo, argumentos)))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    generacion = {}
    if not opciones.sin_generar:
        for n in TAMANOS:
            generacion[n] = generar(opciones.postgres_url, n)
            print(f"generados {n} municipios en {generacion[n]} s", file=sys.stderr, flush=True)
    if not (VAR / "staticfiles" / "staticfiles.json").exists():  # compressing every file takes minutes
        manage(entorno(opciones.postgres_url, TAMANOS[0]), "collectstatic", "--noinput", "-v0")
    resultado = medir(opciones.postgres_url, opciones.rondas, opciones.segundos_wrk)
    aspectos = {n: consulta_sql(opciones.postgres_url, n, "SELECT count(*) FROM convenios_aspecto") for n in TAMANOS}
    resultado["generacion"] = ", ".join(
        f"{n} municipio{'s' if n > 1 else ''}: {aspectos[n]} aspectos"
        + (f" en {generacion[n]} s" if n in generacion else "")
        for n in TAMANOS
    )
    (VAR / "resultado.json").write_text(json.dumps(resultado, indent=1, ensure_ascii=False), encoding="utf-8")
    lineas = tabla(resultado)
    print("\n".join(lineas))
    escribir_readme(lineas)


if __name__ == "__main__":
    main()
