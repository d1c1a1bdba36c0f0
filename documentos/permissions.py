"""Access to issued documents. Convenios, prórrogas and sesiones use ``seguimiento.permissions``: one helper
per object type, on the first line of every view; what the user may not see is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from convenios import politica
from documentos.models import Documento

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


def get_documento_for_user(user: Usuario | AnonymousUser, pk: int) -> Documento:
    return get_object_or_404(Documento.objects.visibles_para(user), pk=pk)


def has_emitir_permission(user: Usuario | AnonymousUser, municipio_id: int) -> bool:
    """Only IMPLAN of the object's own municipio issues (and previews) official documents."""
    return politica.es_implan(user) and (user.is_superuser or user.dependencia.municipio_id == municipio_id)


def exigir_emitir_permission(user: Usuario | AnonymousUser, municipio_id: int) -> None:
    """For an object the user can see but not act on (Contraloría, Tesorería, the dependencia): 403."""
    if not has_emitir_permission(user, municipio_id):
        raise PermissionDenied
