"""The child processes of ``bench_escala``: Django set up with one instance's settings, each
measuring one thing and printing it as JSON on its last line (``bench_escala.hijo`` reads it)."""

from __future__ import annotations

import json
import resource
import time
from typing import Any


def con_parametro(ruta: str, parametro: str) -> str:
    return ruta + ("&" if "?" in ruta else "?") + parametro


def en_cache(persona: str | None, ruta: str) -> bool:
    """Pages kept rendered: the public ones and the board (a new address misses the cache)."""
    return persona is None or ruta.startswith("/tablero/")


PERSONAS = {"contraloria": "gen001-cont", "implan": "gen001-implan"}
ROLES = (*PERSONAS, "superusuario")


def _cliente(persona: str | None) -> Any:
    from django.test import Client

    cliente = Client(HTTP_HOST="127.0.0.1")
    if persona is not None:
        cliente.force_login(_usuario(persona))
    return cliente


def _usuario(persona: str) -> Any:
    """The first municipio's Contraloría or IMPLAN user (the same in both databases), or a superuser."""
    from cuentas.models import Usuario
    from cuentas.roles import aplicar_rol

    if persona == "superusuario":
        usuario, _creado = Usuario.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
        )
        return usuario
    usuario = Usuario.objects.get(username=PERSONAS[persona])
    aplicar_rol(usuario)  # generar_datos creates users in bulk: staff status and group as an account gets them
    return usuario


def _hijo_consultas(pedidas: list[str]) -> dict[str, int]:
    """Queries of each address on a warm process (fingerprint cached), rendering the page (not cached)."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resultado = {}
    for indice, pedida in enumerate(pedidas):
        persona, ruta = json.loads(pedida)
        cliente = _cliente(persona)
        cliente.get(con_parametro(ruta, "calentar=1") if en_cache(persona, ruta) else ruta)
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = cliente.get(con_parametro(ruta, f"contar={indice}") if en_cache(persona, ruta) else ruta)
            if respuesta.streaming:
                for _parte in respuesta.streaming_content:
                    pass
        assert respuesta.status_code == 200, (ruta, respuesta.status_code)
        resultado[ruta] = len(capturadas.captured_queries)
    return resultado


def _hijo_sesiones() -> dict[str, str]:
    """A session cookie for each persona, stored in the database the instance reads its sessions from."""
    import django

    django.setup()
    from django.conf import settings

    return {persona: _cliente(persona).cookies[settings.SESSION_COOKIE_NAME].value for persona in ROLES}


def _hijo_descarga(ruta: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cliente = _cliente(None)
    assert cliente.get("/transparencia/datos/").status_code == 200  # Django loaded, one request served
    rss_antes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    inicio = time.perf_counter()
    tamano = filas = 0
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = cliente.get(ruta)
        assert respuesta.status_code == 200, respuesta.status_code
        for parte in respuesta.streaming_content:
            tamano += len(parte)
            filas += parte.count(b"\n")
    return {
        "s": round(time.perf_counter() - inicio, 2),
        "mb": round(tamano / 1024 / 1024, 1),
        "lineas": filas,
        "consultas": len(capturadas.captured_queries),
        "rss_antes_mb": round(rss_antes, 1),
        "rss_pico_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def medir(tipo: str, argumentos: list[str]) -> Any:
    if tipo == "consultas":
        return _hijo_consultas(argumentos)
    if tipo == "sesiones":
        return _hijo_sesiones()
    return _hijo_descarga(argumentos[0])
