"""``texto_valido()``: the check every service applies to free text it stores.

Forms already refuse NUL characters (Django's ProhibitNullCharactersValidator) and enforce
their ``max_length``, but a service may be called from a command, a test or another app:
PostgreSQL refuses NUL and unpaired surrogates in text columns with an error that would
reach the user as a 500, and a ``max_length`` is only enforced there, not by SQLite.
Everything else (HTML, template syntax, right-to-left marks, any script) is stored as
given and escaped when shown.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def texto_valido(valor: str | None, *, campo: str, maximo: int | None = None, obligatorio: bool = False) -> str:
    texto = (valor or "").strip()
    if "\x00" in texto:
        raise ValidationError(
            _("«%(campo)s» contiene caracteres nulos, que no se aceptan; quítelos y vuelva a intentarlo.")
            % {"campo": campo},
            code="caracter_nulo",
        )
    try:
        texto.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(
            _("«%(campo)s» contiene caracteres que no son texto válido.") % {"campo": campo}, code="texto_invalido"
        ) from error
    if maximo is not None and len(texto) > maximo:
        raise ValidationError(
            _("«%(campo)s» admite como máximo %(maximo)s caracteres (tiene %(largo)s).")
            % {"campo": campo, "maximo": f"{maximo:,}", "largo": f"{len(texto):,}"},
            code="texto_largo",
        )
    if obligatorio and not texto:
        raise ValidationError(_("Escriba «%(campo)s».") % {"campo": campo}, code="texto_obligatorio")
    return texto
