"""Production: everything comes from the environment; no secret key, no start.

`python manage.py check --deploy` with the sample environment of docs/deploy.md gives no
warnings (operacion/tests/test_produccion.py runs it).
"""

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import CACHE_PAGINAS, DATABASES, MIDDLEWARE, STORAGES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("Falta la variable de entorno DJANGO_SECRET_KEY: producción no arranca sin ella.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# Rate-limit counters must be seen by every gunicorn worker (seguridad/limites.py): a per-process
# cache would let WEB_CONCURRENCY times the limit through. `check --deploy` also refuses a cache
# that is not shared and a missing DJANGO_PROXIES_DE_CONFIANZA (seguridad/checks.py).
if not env("DJANGO_CACHE_URL", default=""):
    raise ImproperlyConfigured(
        "Falta la variable de entorno DJANGO_CACHE_URL (Redis, p. ej. redis://127.0.0.1:6379/1): sin una caché "
        "compartida cada proceso contaría sus propios límites de tasa."
    )
CACHES = {"default": env.cache("DJANGO_CACHE_URL"), "paginas": CACHE_PAGINAS}

# The address printed in every e-mail, notice, PDF footer and QR code: without it they would
# point at the development default, so production does not start.
SITIO_URL = env("DJANGO_SITIO_URL", default="")
if not SITIO_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "Falta la variable de entorno DJANGO_SITIO_URL (p. ej. https://asm.municipio.gob.mx): "
        "es la dirección de los enlaces de los correos, las notificaciones y los códigos QR."
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# TLS ends at nginx or the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The directive alone enrolls nothing: only the owner of the registrable domain can submit it
# to the browsers' preload list. Sending it keeps check --deploy quiet (security.W021).
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Persistent connections: a gunicorn worker keeps its connection between requests.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# State-wide layout: a read replica for the public portal (docs/deploy.md). Tests use
# the primary in its place.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

# Static files straight from the WSGI process, right after SecurityMiddleware (nginx
# may still serve /static/ itself from the same STATIC_ROOT: docs/deploy.md).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
# Hashed names (cacheable forever) and pre-compressed copies, made by `collectstatic`.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Source maps are fetched only by a browser's developer tools: served as they are, not compressed
# (Swagger UI's and Bootstrap's maps are 3.4 MB, more than the 2.3 MB of scripts and styles they describe).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default=None)
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=env("DJANGO_DEFAULT_FROM_EMAIL", default="root@localhost"))
