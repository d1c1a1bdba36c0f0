"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "pruebas-no-es-secreto"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "test-artifacts" / "media")

# client.login() authenticates without a request; see cuentas/tests/autenticacion.py.
AUTHENTICATION_BACKENDS = [
    "cuentas.tests.autenticacion.AxesConPeticionOpcional",
    "django.contrib.auth.backends.ModelBackend",
]
