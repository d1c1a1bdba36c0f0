"""A storage that fails its first writes, to see what a failed issue leaves behind (used only by tests).

``FallaAlGuardar`` is a real FileSystemStorage whose first ``FALLAS`` saves raise OSError, as a full disk
or an unreachable bucket would. The count lives in a file (``PRUEBAS_FALLAS_ARCHIVO``, one line per
failure) so a worker process and its retries share it; without that variable it never fails.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage


class FallaAlGuardar(FileSystemStorage):
    def __init__(self, *args: Any, fallas: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fallas = fallas

    def _save(self, name: str, content: Any) -> str:
        cuenta = os.environ.get("PRUEBAS_FALLAS_ARCHIVO")
        if cuenta:
            ruta = Path(cuenta)
            ocurridas = len(ruta.read_text().splitlines()) if ruta.exists() else 0
            if ocurridas < self.fallas:
                with ruta.open("a") as f:
                    f.write(name + "\n")
                raise OSError(28, "No space left on device (falla de prueba)")
        return super()._save(name, content)
