"""`manage.py informe_seguridad`: the table of what the security tests tried and what happened.

The numbers come from the last run of the security tests (`make seguridad-informe` runs them
first), which each write what they tried under test-artifacts/seguridad/ (seguridad/tests/informe.py).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seguridad.tests.informe import CARPETA

ARCHIVOS = ("Archivos", "Nombres de archivo")


def leer(carpeta: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(carpeta.glob("*.json"))]


def _resultado(texto: str) -> str:
    return "rechazado" if texto.startswith("rechazado") else "aceptado"


class Command(BaseCommand):
    help = "Imprime (en Markdown) el informe de seguridad y confiabilidad de la última corrida de las pruebas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--carpeta", type=Path, default=CARPETA)

    def handle(self, *args: Any, carpeta: Path, **options: Any) -> None:
        registros = leer(carpeta)
        if not registros:
            raise CommandError(f"No hay resultados en {carpeta}: corra antes `make seguridad-informe`.")
        motores = sorted({r["motor"] for r in registros})
        fecha = datetime.datetime.fromtimestamp(max(p.stat().st_mtime for p in carpeta.glob("*.json")))
        medidas: dict[str, Any] = {}
        for registro in registros:
            medidas.update(registro["medidas"])

        def escribir(texto: str = "") -> None:
            self.stdout.write(texto + "\n", ending="")

        escribir(
            f"Corrida del {fecha:%Y-%m-%d %H:%M}, base de datos: {', '.join(motores)}; {len(registros)} pruebas; "
            f"{os.cpu_count()} núcleos {platform.machine()}, Python {platform.python_version()}.\n"
        )

        por_seccion: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for registro in registros:
            for seccion, clase, resultado, n in registro["conteos"]:
                por_seccion[seccion][(clase, resultado)] += n
        total = sum(n for c in por_seccion.values() for n in c.values())

        escribir(
            "**Textos hostiles** (ninguno dio error 500 ni se ejecutó; aceptado = guardado y mostrado tal cual):\n"
        )
        escribir("| Dónde | Intentos | Aceptados | Rechazados con mensaje en español |")
        escribir("|---|---:|---:|---:|")
        por_clase: dict[str, Counter[str]] = defaultdict(Counter)
        for seccion in sorted(s for s in por_seccion if s not in ARCHIVOS):
            cuenta: Counter[str] = Counter()
            for (clase, resultado), n in por_seccion[seccion].items():
                cuenta[_resultado(resultado)] += n
                por_clase[clase][_resultado(resultado)] += n
            escribir(f"| {seccion} | {sum(cuenta.values()):,} | {cuenta['aceptado']:,} | {cuenta['rechazado']:,} |")
        escribir("\n| Tipo de texto | Intentos | Aceptados | Rechazados |")
        escribir("|---|---:|---:|---:|")
        for clase, cuenta in sorted(por_clase.items(), key=lambda x: -sum(x[1].values())):
            escribir(f"| {clase} | {sum(cuenta.values()):,} | {cuenta['aceptado']:,} | {cuenta['rechazado']:,} |")
        textos = sum(sum(c.values()) for c in por_clase.values())
        escribir(f"| **Total** | **{textos:,}** | | |\n")

        escribir("**Archivos y nombres hostiles:**\n")
        escribir("| Caso | Intentos | Resultado |")
        escribir("|---|---:|---|")
        for seccion in ARCHIVOS:
            for (clase, resultado), n in sorted(por_seccion.get(seccion, Counter()).items()):
                escribir(f"| {clase} | {n} | {resultado} |")
        escribir(f"\nEn total {total:,} entradas hostiles probadas.\n")

        escribir("**Aislamiento entre municipios y dependencias:**\n")
        escribir("| Prueba | Cantidad |")
        escribir("|---|---:|")
        if "matrices" in medidas:
            m = medidas["matrices"]
            escribir(
                f"| Celdas URL × método × rol de las matrices ({', '.join(m['modulos'])}) | {m['url_metodo_rol']:,} |"
            )
        if "aislamiento" in medidas:
            a = medidas["aislamiento"]
            escribir(
                f"| Peticiones ajenas a datos de otro municipio o dependencia ({a['urls']} URL de "
                f"{', '.join(a['espacios'])}, {a['roles']} roles, GET y POST): fugas 0 | {a['peticiones']:,} |"
            )
            if "por_acceso" in a:
                c = a["por_acceso"]
                escribir(
                    f"| URL del personal (nada de otra dependencia, ni en conteos, gráficas ni exportaciones) / "
                    f"públicas (nada privado) / públicas pedidas con un borrador o un archivo privado (404) | "
                    f"{c['personal']} / {c['publica']} / {c['oculta']} |"
                )
                escribir(f"| Documentos emitidos del otro lado, de cada tipo, pedidos por todos | {a['documentos']} |")
        escribir("")

        if "concurrencia" in medidas:
            c = medidas["concurrencia"]
            exitos = ", ".join(f"{k} {v}" for k, v in sorted(c["exitos"].items()))
            escribir("**Concurrencia** (hilos sobre un mismo convenio, PostgreSQL):\n")
            escribir(
                "| Usuarios a la vez | Operaciones | Con éxito | Rechazadas por conflicto (mensaje) | Pérdidas | Duplicados | Tiempo |"
            )
            escribir("|---:|---:|---|---:|---:|---:|---:|")
            escribir(
                f"| {c['trabajadores']} | {c['operaciones']} | {exitos} | {c['rechazos_por_conflicto']} | "
                f"{c['perdidas']} | {c['duplicados']} | {c['segundos']:.2f} s |"
            )
            escribir(f"\nDespués, `verificar_integridad`: {c['integridad_archivos']} archivos, 0 problemas.\n")
        else:
            escribir(
                "**Concurrencia:** no se corrió (requiere PostgreSQL: `DATABASE_URL=postgres://… make seguridad-informe`).\n"
            )

        if "integridad_volumen" in medidas:
            v = medidas["integridad_volumen"]
            escribir("**Integridad** (`verificar_integridad`):\n")
            escribir("| Archivos | Tamaño | Tiempo |")
            escribir("|---:|---:|---:|")
            escribir(f"| {v['archivos']:,} | {v['megabytes']:,} MB | {v['segundos']:.2f} s |")

        # Each test of the second round records one measure "endurecimiento:<test>" with what it
        # tried ("casos") and how many of those ended wrong ("fallas", 0 when it passed).
        endurecimiento: dict[str, Counter[str]] = defaultdict(Counter)
        for nombre, valor in medidas.items():
            if nombre.startswith("endurecimiento:"):
                cuenta = endurecimiento[valor["prueba"]]
                cuenta["pruebas"] += 1
                cuenta["casos"] += valor["casos"]
                cuenta["fallas"] += valor["fallas"]
        if endurecimiento:
            escribir("\n**Endurecimiento** (fórmulas, proxy, límites, descargas, imágenes, rastreo de URL):\n")
            escribir("| Prueba | Pruebas | Casos | Fallas |")
            escribir("|---|---:|---:|---:|")
            for prueba, cuenta in sorted(endurecimiento.items()):
                escribir(f"| {prueba} | {cuenta['pruebas']} | {cuenta['casos']:,} | {cuenta['fallas']} |")
        if "rastreo" in medidas:
            r = medidas["rastreo"]
            estados = ", ".join(f"{k}xx: {v:,}" for k, v in sorted(r["por_estado"].items()))
            escribir(
                f"\nRastreo de URL: {r['patrones']} patrones, {r['peticiones']:,} peticiones ({estados}); "
                f"ninguna 5xx; {r['segundos']:.1f} s "
                f"({r['segundos_cpu']:.1f} s de CPU)."
            )
