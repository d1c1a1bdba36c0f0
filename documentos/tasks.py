"""Background tasks of the documents (found by config/celery.py's autodiscovery)."""

from __future__ import annotations

from operacion.tareas import tarea


@tarea()
def emitir_documento(*, tipo: str, objeto_id: int, usuario_id: int) -> int:
    """Issues one official document (documentos.services), e.g. a batch of oficios queued one task each.

    Retried on OSError (the storage failed): the service's transaction gives the folio back and leaves no
    file, so a retry takes the same number. Run twice (acks_late), the second run finds it issued and stops
    with the service's ``ya_emitido`` error, which is not retried. Returns the Documento's id.
    """
    from documentos import services  # here: the worker imports the tasks before the apps' services are ready

    return services.documento_emitir(tipo=tipo, objeto_id=objeto_id, usuario_id=usuario_id).pk
