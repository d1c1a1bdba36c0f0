"""Production settings with the storage of operacion/tests/almacenamiento_fallido.py (only for a test's worker)."""

from config.settings.production import *  # noqa: F403
from config.settings.production import STORAGES

STORAGES = {**STORAGES, "default": {"BACKEND": "operacion.tests.almacenamiento_fallido.FallaAlGuardar"}}
