"""Behind nginx: lockout per real client, rate limits shared by every process, a deploy check that insists on both.

nginx connects from 127.0.0.1 and writes the client's address in X-Forwarded-For
(deploy/nginx/seguimiento-asm.conf); with ``DJANGO_PROXIES_DE_CONFIANZA=1`` and a Redis cache
(deploy/produccion.env.ejemplo) the lockout, the rate limits and the audit log see that address.
"""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.tests.fabricas import CONTRASENA, crear_usuario
from operacion.tests.entorno import entorno_produccion, exigir_redis, gunicorn, manage, pedir
from operacion.tests.instalacion import instalar_base

pytestmark = pytest.mark.seguridad

REDIS_CACHE = "redis://127.0.0.1:6379/10"
NGINX = "127.0.0.1"


@pytest.fixture
def como_en_produccion(settings):
    """The two settings of the production example that matter here: one trusted proxy and Redis as the cache."""
    exigir_redis()
    settings.PROXIES_DE_CONFIANZA = 1
    # Not cleared here: the lockout keeps no key in the cache (axes counts in the database), and the
    # two-process test may be counting in this same Redis database on another pytest worker.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE}}
    return settings


def _entrar(client: Client, nombre: str, contrasena: str, cliente_real: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"),
        {"username": nombre, "password": contrasena},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=cliente_real,
    )


def test_el_bloqueo_detras_del_proxy_es_por_cliente_no_para_todos(como_en_produccion, m, informe):
    atacado = crear_usuario("atacado", m.dependencia)
    crear_usuario("vecina", m.otra_dependencia)
    atacante, vecina = Client(), Client()
    for n in range(5):
        _entrar(atacante, f"inventado-{n}" if n % 2 else "atacado", "equivocada", "203.0.113.50")

    # The attacker's address is locked, even with a right password...
    assert _entrar(atacante, "vecina", CONTRASENA, "203.0.113.50").status_code == 429
    # ...the other client, through the same nginx, signs in.
    respuesta = _entrar(vecina, "vecina", CONTRASENA, "198.51.100.77")
    assert respuesta.status_code == 302
    assert "_auth_user_id" in vecina.session
    # And the audit log has each client's own address, not the proxy's.
    fallidas = set(RegistroAuditoria.objects.filter(tipo=TipoEvento.ENTRADA_FALLIDA).values_list("ip", flat=True))
    assert fallidas == {"203.0.113.50"}
    entrada = RegistroAuditoria.objects.get(tipo=TipoEvento.ENTRADA)
    assert entrada.ip == "198.51.100.77"
    assert not RegistroAuditoria.objects.filter(ip=NGINX).exists()
    assert atacado.pk
    informe.medir(
        "endurecimiento:bloqueo_proxy",
        {
            "prueba": "Bloqueo de inicio de sesión detrás del proxy (un cliente bloqueado, el otro no)",
            "casos": 7,
            "fallas": 0,
        },
    )


def test_un_cliente_que_inventa_x_forwarded_for_no_escapa_del_bloqueo(como_en_produccion, m):
    """nginx overwrites the header; were it appended to, the right-most entry is still nginx's."""
    crear_usuario("vecina", m.otra_dependencia)
    atacante = Client()
    for n in range(5):
        _entrar(atacante, f"inventado-{n}", "x", f"10.{n}.0.1, 203.0.113.60")
    assert _entrar(atacante, "vecina", CONTRASENA, "1.1.1.1, 203.0.113.60").status_code == 429


def _api_en_dos_procesos(tmp_path, base_migrada, tasa: int, peticiones: int) -> list[int]:
    """Two gunicorn instances (production settings, one worker each) sharing Redis db 10; requests alternate."""
    entorno = entorno_produccion(
        tmp_path,
        DJANGO_CACHE_URL=REDIS_CACHE,
        # Per day: a window that could close in the middle of the test once in ~8,000 runs, not once in 300.
        DJANGO_TASA_API=f"{tasa}/d",
        WEB_CONCURRENCY="1",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    instalar_base(entorno, base_migrada)
    assert manage(entorno, "shell", "-c", "from django.core.cache import cache; cache.clear()").returncode == 0
    estados: list[int] = []
    with gunicorn(entorno, tmp_path / "a.log") as a, gunicorn(entorno, tmp_path / "b.log") as b:
        for n in range(peticiones):
            base = (a, b)[n % 2]
            estado, cabeceras, cuerpo = pedir(
                base + "/api/v1/no-existe/", **{"X-Forwarded-For": "198.51.100.200", "X-Forwarded-Proto": "https"}
            )
            estados.append(estado)
            if estado == 429:
                assert int(cabeceras["Retry-After"]) > 0
                assert "Demasiadas solicitudes" in json.loads(cuerpo)["detail"]
        # Another client, through the same proxy, is not affected.
        otro, _, _ = pedir(
            a + "/api/v1/no-existe/", **{"X-Forwarded-For": "198.51.100.201", "X-Forwarded-Proto": "https"}
        )
    assert otro == 404
    return estados


@pytest.mark.lento
def test_el_limite_de_tasa_se_cumple_entre_dos_procesos(tmp_path, base_migrada, informe):
    exigir_redis()
    inicio = time.monotonic()
    estados = _api_en_dos_procesos(tmp_path, base_migrada, tasa=12, peticiones=30)
    # 12 a day for this client, counted once across both processes (per process it would be 24).
    assert estados[:12] == [404] * 12
    assert estados[12:] == [429] * 18
    informe.medir(
        "endurecimiento:tasa_dos_procesos",
        {"prueba": "Límite de tasa con dos procesos de gunicorn y Redis compartido", "casos": 30, "fallas": 0},
    )
    informe.medir("tasa_dos_procesos_segundos", round(time.monotonic() - inicio, 1))


def test_check_deploy_falla_sin_proxies_de_confianza(tmp_path):
    entorno = entorno_produccion(tmp_path, DJANGO_PROXIES_DE_CONFIANZA="0")
    resultado = manage(entorno, "check", "--deploy")
    assert resultado.returncode != 0
    assert "seguridad.E002" in resultado.stderr and "seguridad.E001" not in resultado.stderr


def test_check_deploy_falla_con_una_cache_por_proceso(tmp_path):
    entorno = entorno_produccion(tmp_path, DJANGO_CACHE_URL="locmemcache://")
    resultado = manage(entorno, "check", "--deploy")
    assert resultado.returncode != 0
    assert "seguridad.E001" in resultado.stderr and "seguridad.E002" not in resultado.stderr


def test_produccion_no_arranca_sin_cache_compartida(tmp_path):
    entorno = entorno_produccion(tmp_path)
    del entorno["DJANGO_CACHE_URL"]
    resultado = manage(entorno, "check")
    assert resultado.returncode != 0
    assert "Falta la variable de entorno DJANGO_CACHE_URL" in resultado.stderr
