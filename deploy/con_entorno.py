#!/usr/bin/env python3
"""Run a command with the variables of an environment file, read as systemd's EnvironmentFile= reads it.

    sudo -u seguimiento .venv/bin/python deploy/con_entorno.py /etc/seguimiento-asm/entorno \\
        .venv/bin/python manage.py migrate --noinput

So `manage.py` sees exactly what the systemd units see, without `source` (which breaks on
values with spaces or `<`, such as DJANGO_DEFAULT_FROM_EMAIL). KEY=value per line; blank
lines and lines starting with # or ; are ignored; one pair of surrounding quotes is removed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def leer(ruta: Path) -> dict[str, str]:
    valores: dict[str, str] = {}
    for numero, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), start=1):
        linea = linea.strip()
        if not linea or linea.startswith(("#", ";")):
            continue
        clave, separador, valor = linea.partition("=")
        if not separador or not clave.strip().isidentifier():
            sys.exit(f"{ruta}:{numero}: se esperaba CLAVE=valor")
        valor = valor.strip()
        if len(valor) >= 2 and valor[0] == valor[-1] and valor[0] in "\"'":
            valor = valor[1:-1]
        valores[clave.strip()] = valor
    return valores


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit("uso: con_entorno.py ARCHIVO_DE_ENTORNO COMANDO [ARGUMENTOS...]")
    entorno = {**os.environ, **leer(Path(sys.argv[1]))}
    os.execvpe(sys.argv[2], sys.argv[2:], entorno)


if __name__ == "__main__":
    main()
