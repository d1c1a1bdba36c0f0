"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = "pruebas-no-es-secreto"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "test-artifacts" / "media")
# Tests run every task inline and keep files on disk; the tests of operacion/ that need
# a real worker or the local S3 server switch these themselves.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# client.login() authenticates without a request; see cuentas/tests/autenticacion.py.
AUTHENTICATION_BACKENDS = [
    "cuentas.tests.autenticacion.AxesConPeticionOpcional",
    "django.contrib.auth.backends.ModelBackend",
]

# The router of the read replica is tested against a second real PostgreSQL database
# (transparencia/tests/test_replica.py, `.ci/run`): DATABASE_REPLICA_URL names it. Unlike
# production, no TEST MIRROR: a mirror would point the alias at the primary's test database,
# and the test must see the two answer differently to prove which one did.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
