"""`manage.py check --deploy`: a production instance behind nginx needs a shared cache and its proxies declared.

Without a shared cache (Redis) each gunicorn worker keeps its own rate-limit counters, so with
4 workers a limit of 120 a minute lets about 480 through. Without the number of trusted proxies
every client is the proxy's 127.0.0.1: five wrong passwords from anyone lock everyone out
(django-axes counts per address), the rate limits treat the whole town as one client and the
audit log records 127.0.0.1 for everybody.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends every process of every machine sees alike; the rest (per process, per disk, none) are not.
CACHES_COMPARTIDAS = (
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)
IP_CLIENTE = "seguridad.red.ip_cliente"


@register(Tags.security, deploy=True)
def revisar_proxy_y_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errores: list[CheckMessage] = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in CACHES_COMPARTIDAS:
        errores.append(
            Error(
                f"La caché «default» ({backend or 'sin configurar'}) no es compartida entre procesos: los límites "
                "de tasa se contarían por separado en cada proceso de gunicorn.",
                hint="Defina DJANGO_CACHE_URL=redis://127.0.0.1:6379/1 (deploy/produccion.env.ejemplo).",
                id="seguridad.E001",
            )
        )
    if getattr(settings, "PROXIES_DE_CONFIANZA", 0) < 1:
        errores.append(
            Error(
                "No hay proxies de confianza declarados: detrás de nginx todos los clientes tendrían la dirección "
                "del proxy (bloqueo de inicio de sesión, límites de tasa y bitácora).",
                hint="Defina DJANGO_PROXIES_DE_CONFIANZA=1 (nginx en la misma máquina) o el número de proxies "
                "que agregan su entrada a X-Forwarded-For (deploy/nginx/seguimiento-asm.conf).",
                id="seguridad.E002",
            )
        )
    if getattr(settings, "AXES_CLIENT_IP_CALLABLE", None) != IP_CLIENTE:
        errores.append(
            Error(
                "El bloqueo de inicio de sesión (django-axes) no toma la dirección del cliente con la misma regla "
                "que los límites de tasa y la bitácora.",
                hint=f"AXES_CLIENT_IP_CALLABLE = {IP_CLIENTE!r}",
                id="seguridad.E003",
            )
        )
    return errores
