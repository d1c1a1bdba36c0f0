"""``celda_segura()``: the one rule every export (CSV, XLSX, open data) applies to a text cell.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or a carriage return) as a formula: a dependencia name or an item text
like ``=HYPERLINK("…")`` would become a live link or a command in the Contraloría's copy.
OWASP's rule (CSV Injection): such a text cell is written with a leading apostrophe, so
the spreadsheet shows it as text. Numbers, dates and empty cells pass unchanged.
"""

from __future__ import annotations

from typing import Any

DISPARADORES = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a text cell as a formula (OWASP, CSV Injection)."""


def celda_segura(valor: Any) -> Any:
    """``valor`` as an export should write it: text that would start a formula is prefixed with ``'``."""
    if isinstance(valor, str) and valor.startswith(DISPARADORES):
        return "'" + valor
    return valor
