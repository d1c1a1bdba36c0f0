"""IMPLAN's admin. Every list, object, choice, filter and autocomplete starts from
``visibles_para(request.user)`` (``auditoria.admin.AlcanceAdminMixin``), and every change
leaves an audit row. The state-level administrator (a superuser) works one municipio at a time:
the choices and filters of a page are those of the municipio it is about (``alcance``).

- ``alcance``: the mixins that keep each page inside its municipio;
- ``catalogos``: municipios, dependencias and titulares, programs, evaluations;
- ``captura``: convenios with their hallazgos and recomendaciones, items with their actions.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from convenios.admin import captura, catalogos
from convenios.admin.alcance import CapturaAdmin, MunicipioAdminMixin

admin.site.site_header = _("Seguimiento de Aspectos Susceptibles de Mejora")
admin.site.site_title = _("Seguimiento ASM")
admin.site.index_title = _("Administración del IMPLAN")

__all__ = ["CapturaAdmin", "MunicipioAdminMixin", "captura", "catalogos"]
