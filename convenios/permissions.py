"""Access to the pages of this app, on the first line of each view: what the user may not see is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404

from convenios import politica
from convenios.models import Convenio

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


def get_convenio_para_importar(user: Usuario | AnonymousUser, pk: int) -> Convenio:
    """A convenio of the user's municipio (``visibles_para``), for IMPLAN only; anyone else gets a 404.

    The same queryset as ``seguimiento.permissions.get_convenio_for_user``, without importing the
    follow-up app: the agreement sits below it.
    """
    if not politica.es_implan(user):
        raise Http404
    return get_object_or_404(
        Convenio.objects.visibles_para(user).select_related("municipio", "evaluacion__programa"), pk=pk
    )
