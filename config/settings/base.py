"""Settings shared by every environment, read from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import drf_spectacular_sidecar
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.almacenamiento_s3 import opciones_s3

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "django_otp",
    "cuentas.apps_totp.SegundoFactorTotpConfig",
    "cuentas",
    "convenios",
    "seguimiento",
    # Its own app because oversight reads across convenios and seguimiento (board,
    # progress, reminders) and writes only its own records (actuaciones, verificaciones).
    "supervision",
    # STYLE.md puts letters under seguimiento; a separate app keeps rendering, folios and the archive in one place.
    "documentos",
    "transparencia",
    "notificaciones",
    "operacion",
    "auditoria",
    "seguridad",
    # Tooling (benchmarks, generated data, reports); installed only so its commands run through manage.py.
    "herramientas",
]

MIDDLEWARE = [
    # First, so the logged duration covers every other middleware and the view.
    "operacion.middleware.BitacoraDePeticiones",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "seguridad.middleware.EncabezadosDeSeguridadMiddleware",
    "seguridad.middleware.SubidasInterrumpidasMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "cuentas.middleware.DobleFactorMiddleware",
    "cuentas.middleware.SesionInactivaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user as the author of every history row (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out login attempt into the Spanish lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# With a read replica (production.py, DATABASE_REPLICA_URL) the public side reads from it.
DATABASE_ROUTERS = ["operacion.replica.EnrutadorReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cuentas.Usuario"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "seguimiento:inicio"

# django-axes first: it refuses a locked-out user or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login lockout (django-axes) -----------------------------------------------------
# Five failures lock the user name, and five failures lock the address, each on its own
# (a password guessed across many names from one address is stopped too), for 15 minutes.
# Every failure also goes to the audit log (auditoria). An administrator unlocks earlier
# with `manage.py axes_reset_username <usuario>` or `axes_reset_ip <ip>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTOS", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cuentas.views.bloqueado"
AXES_ENABLE_ADMIN = True
AXES_VERBOSE = False
# Behind a reverse proxy the client address comes from X-Forwarded-For, set by the proxy;
# without one, REMOTE_ADDR. The same function gives the address to the audit log.
AXES_CLIENT_IP_CALLABLE = "seguridad.red.ip_cliente"
# Number of trusted proxies in front of the application (0: none, use REMOTE_ADDR).
PROXIES_DE_CONFIANZA = env.int("DJANGO_PROXIES_DE_CONFIANZA", default=0)

# --- Sessions ------------------------------------------------------------------------
# Staff who see the whole municipio (IMPLAN, Contraloría, Tesorería, admins) are signed
# out after 30 minutes without activity (cuentas.middleware.SesionInactivaMiddleware).
# Dependencia staff keep a session for a working day counted from the login: they fill
# long forms and upload large files, and they reach only their own dependencia's data.
SESION_INACTIVA_PERSONAL = timedelta(minutes=env.int("SESION_INACTIVA_MINUTOS", default=30))
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Second factor (django-otp, TOTP) ------------------------------------------------
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Seguimiento ASM")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-mx"
# Our corrections to Django's Spanish (lower-case months, the admin's messages): read before Django's.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("es-mx", _("Español (México)"))]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
# Swagger UI from drf-spectacular-sidecar, not the whole package as an app: it also ships Redoc, which the
# API's documentation does not use (4.8 MB that collectstatic would copy, hash and compress).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    (
        "drf_spectacular_sidecar/swagger-ui-dist",
        Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist",
    ),
]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")

# Uploaded files (evidence, signed convenios, final reports, logos) live outside
# any publicly served path: they are only handed out by permission-checked views.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/archivos/"

# Evidence and issued documents go through Django's storage API: the local filesystem
# by default, an S3-compatible bucket when DJANGO_S3_BUCKET is set (docs/deploy.md).
S3_BUCKET = env("DJANGO_S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": opciones_s3(
            bucket=S3_BUCKET,
            endpoint_url=env("DJANGO_S3_ENDPOINT_URL", default=None),
            access_key=env("DJANGO_S3_ACCESS_KEY_ID", default=None),
            secret_key=env("DJANGO_S3_SECRET_ACCESS_KEY", default=None),
            region=env("DJANGO_S3_REGION", default=None),
            prefijo=env("DJANGO_S3_PREFIX", default=""),
            # MinIO, Ceph and most non-AWS stores want path-style addresses.
            addressing_style=env("DJANGO_S3_ADDRESSING_STYLE", default="path"),
            expira=env.int("DJANGO_S3_URL_EXPIRA", default=60),
        ),
    }

# Where `manage.py respaldar` writes its .tar.gz files (operacion/respaldos.py).
RESPALDOS_DIR = env.path("DJANGO_RESPALDOS_DIR", default=BASE_DIR / "respaldos")

# `dumpdata --format json-exacto`: JSON that keeps microseconds, for backups.
SERIALIZATION_MODULES = {"json-exacto": "operacion.serializacion"}

# Uploads stream to a temporary file on disk instead of being held in memory.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
EVIDENCIA_TAMANO_MAXIMO = env.int("EVIDENCIA_TAMANO_MAXIMO", default=50 * 1024 * 1024)
# Uploaded images (the municipio's logo, drawn in every PDF): bytes and pixels (seguridad/validadores.py).
IMAGEN_TAMANO_MAXIMO = env.int("IMAGEN_TAMANO_MAXIMO", default=2 * 1024 * 1024)
IMAGEN_PIXELES_MAXIMOS = env.int("IMAGEN_PIXELES_MAXIMOS", default=4000 * 4000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Seguimiento ASM <no-responder@localhost>")
# Absolute address of the site, for the links in e-mails, notifications, PDF footers and QR codes
# (`make run` sets it to its own address; production requires it).
SITIO_URL = env("DJANGO_SITIO_URL", default="http://127.0.0.1:8000")

# e.firma (documentos.firma): a time-stamp authority makes the signatures PAdES B-T (empty: B-B); the folder of
# CA certificates (.cer/.crt/.pem: the SAT's, the state's) that the public verification trusts; the TrueType
# font of the visible signature stamps (embedded in the PDF).
FIRMA_TSA_URL = env("DJANGO_FIRMA_TSA_URL", default="")
FIRMA_RAICES = env.path("DJANGO_FIRMA_RAICES", default=BASE_DIR / "var" / "raices_firma")
FIRMA_FUENTE = env("DJANGO_FIRMA_FUENTE", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The public API (transparencia/api.py) is read-only and anonymous: no authentication
# (so no session nor CSRF is involved), JSON only (the browsable API renders forms).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": _("API de transparencia · Seguimiento de Aspectos Susceptibles de Mejora"),
    "DESCRIPTION": _(
        "Datos públicos de las evaluaciones de programas presupuestarios municipales, de sus convenios para la "
        "mejora del desempeño y de los aspectos susceptibles de mejora (hallazgos y recomendaciones). Solo "
        "lectura, sin autenticación. Licencia: CC BY 4.0."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI served from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # Deep links put an <a> inside each operation's toggle button (axe: nested-interactive, WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background work (config/celery.py). Without a broker every task runs inline, in the
# request that asks for it, so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-way goes back to the queue
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged task back after this many seconds; longer than any task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# No result backend: nobody waits for a task's return value (and beat has nothing to clean up).
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None
# How often a failing task is tried again (exponential backoff, operacion/tareas.py). Inline
# (no broker) a retry would run at once, inside the user's request: there it fails at once.
TAREAS_REINTENTOS_MAXIMOS = env.int("TAREAS_REINTENTOS_MAXIMOS", default=6 if CELERY_BROKER_URL else 0)
CELERY_BEAT_SCHEDULE = {
    # Replaces the daily cron line when a worker and beat run (docs/deploy.md).
    "recordatorios-diarios": {
        "task": "supervision.tasks.enviar_recordatorios",
        "schedule": crontab(hour=env.int("RECORDATORIOS_HORA", default=7), minute=0),
    },
}

CSRF_FAILURE_VIEW = "operacion.views.fallo_csrf"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is a record, not an undo button: reverting from the admin would move an item's
# state without its Movimiento and without the workflow's checks (see auditoria.admin).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Browser security headers --------------------------------------------------------
# No inline script or style anywhere (STYLE.md): everything comes from our own static files.
# Images also from data: because Bootstrap's CSS draws its form icons as data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by seguridad.middleware.EncabezadosDeSeguridadMiddleware: no page needs these devices.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Rate limits (seguridad.limites.limitar_tasa) ------------------------------------
# Counters live in the cache: with several processes it must be a shared one (Redis,
# DJANGO_CACHE_URL=redis://127.0.0.1:6379/1); the per-process default is for one process.
# "paginas": each process's own copy of the public pages it served last (transparencia.views.en_cache),
# in front of the shared cache: a page visited again costs no round trip to Redis. The key carries the
# public data's fingerprint, so a copy is never stale; 100 pages of ~60 KB at most per process.
CACHE_PAGINAS = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "paginas-publicas",
    "OPTIONS": {"MAX_ENTRIES": 100},
}
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://"), "paginas": CACHE_PAGINAS}
# Rates per group, overriding the ones written at each view ("10/m", "100/h", "5/15m").
# verificacion: PDFs uploaded to /verificar/<código>/ per address (hashing a 20 MB upload costs
# CPU and disk; a person checks a few letters, not dozens a minute). api: GETs under /api/v1/ per
# address (a client paging the open data at 2 pages a second is not slowed; a scraper looping is).
LIMITES_DE_TASA: dict[str, str] = {
    "verificacion": env("DJANGO_TASA_VERIFICACION", default="10/m"),
    "api": env("DJANGO_TASA_API", default="120/m"),
    # Forgotten password: requests per client address, and mails per e-mail address (past this
    # one the page answers as usual and sends nothing: cuentas.views.RestablecerContrasenaView).
    "restablecer": env("DJANGO_TASA_RESTABLECER", default="10/h"),
    "restablecer_correo": env("DJANGO_TASA_RESTABLECER_CORREO", default="3/h"),
}

# Everything to stdout, one line per event; systemd/journald or the container runtime
# keeps it and adds the timestamp of arrival.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"linea": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "linea"}},
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # The request line comes from operacion.middleware; this one would repeat it for 4xx/5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; its warnings (a refused URL) still show.
        "weasyprint": {"level": "WARNING"},
        # pyHanko subsets the stamp font with fontTools, which logs every table it drops.
        "fontTools": {"level": "ERROR"},
    },
}
