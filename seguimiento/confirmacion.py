"""One confirmation step for every irreversible act (issue a document with folio, validate, declare not
attended, cancel...): the act's own POST, sent without ``confirmar=si``, answers with a page that says what
will happen and that it cannot be undone; that page re-posts the same fields plus the confirm field.

It works without JavaScript (the CSP forbids inline script) and a view uses it in two lines::

    if not confirmacion.confirmado(request):
        return confirmacion.pedir(request, titulo=..., consecuencias=[...], boton=..., volver=...)
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CAMPO = "confirmar"
VALOR = "si"
# Never re-posted as data: the token is rendered afresh, the confirm field only by the confirm button.
_NO_REPETIR = frozenset({"csrfmiddlewaretoken", CAMPO})


def confirmado(request: HttpRequest) -> bool:
    """True only when the POST carries the explicit confirm field (sent by the confirmation page's button)."""
    return request.method == "POST" and request.POST.get(CAMPO) == VALOR


def pedir(
    request: HttpRequest,
    *,
    titulo: str,
    consecuencias: list[str],
    boton: str,
    volver: str,
    elementos: list[str] | None = None,
    comentario: str = "",
    peligro: bool = True,
) -> HttpResponse:
    """The confirmation page for the POST in ``request``: it changes nothing and re-posts the same fields.

    ``consecuencias`` says what will happen, ``elementos`` lists what the act concerns (the items of a bulk act),
    ``comentario`` is shown as it will be recorded, ``volver`` is where "Volver sin cambios" goes.
    """
    campos = [
        (nombre, valor) for nombre, valores in request.POST.lists() if nombre not in _NO_REPETIR for valor in valores
    ]
    return render(
        request,
        "seguimiento/confirmar.html",
        {
            "titulo": titulo,
            "consecuencias": consecuencias,
            "elementos": elementos or [],
            "comentario": comentario,
            "boton": boton,
            "volver": volver,
            "peligro": peligro,
            "accion": request.get_full_path(),
            "campos": campos,
            "campo_confirmar": CAMPO,
            "valor_confirmar": VALOR,
        },
    )
