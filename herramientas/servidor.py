"""A production instance for the measurements: gunicorn with ``config/gunicorn.conf.py`` on a free
loopback port, up once ``/salud/`` answers, stopped on the way out."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], trabajadores: int, bitacora: Path, *argumentos: str) -> Iterator[str]:
    """The instance's base address (``http://127.0.0.1:<puerto>``); its output goes to ``bitacora``."""
    puerto = puerto_libre()
    env = {**env, "WEB_CONCURRENCY": str(trabajadores), "GUNICORN_BIND": f"127.0.0.1:{puerto}"}
    with bitacora.open("w") as salida:
        proceso = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", *argumentos],
            cwd=RAIZ,
            env=env,
            stdout=salida,
            stderr=salida,
        )
    base = f"http://127.0.0.1:{puerto}"
    try:
        limite = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(base + "/salud/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > limite or proceso.poll() is not None:
                    sys.exit(f"gunicorn no arrancó:\n{bitacora.read_text()}")
                time.sleep(0.3)
        yield base
    finally:
        proceso.terminate()
        proceso.wait(timeout=60)
