"""IMPLAN's admin for transparency: the Anexo 1 fields, with the 30-day publication countdown.

Which evidence files are public is decided in the follow-up admin (``seguimiento.admin``,
``Evidencia.publicable``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from auditoria.admin import HistorialSoloLecturaAdmin
from convenios.admin import MunicipioAdminMixin
from convenios.formatos import fecha_larga
from transparencia.models import Anexo1, plazo_publicacion


def _plazo_html(anexo: Anexo1) -> str:
    plazo = plazo_publicacion(anexo.evaluacion, anexo)
    return format_html('<span class="plazo plazo-{}">{}</span>', plazo.clave, plazo.texto)


@admin.register(Anexo1)
class Anexo1Admin(MunicipioAdminMixin, HistorialSoloLecturaAdmin):
    list_display = ["evaluacion", "anio_pae", "fecha_termino", "plazo", "fecha_publicacion"]
    list_filter = ["evaluacion__anio_pae"]
    search_fields = ["evaluacion__programa__clave", "evaluacion__programa__nombre"]
    list_select_related = ["evaluacion__programa", "evaluacion__municipio"]
    autocomplete_fields = ["evaluacion"]
    readonly_fields = ["plazo", "pagina_publica"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["evaluacion", "plazo", "fecha_publicacion", "pagina_publica"]}),
        (
            _("1. Descripción de la evaluación"),
            {
                "fields": [
                    "nombre_evaluacion",
                    "responsable_seguimiento",
                    "objetivo_general",
                    "objetivos_especificos",
                    (
                        "instrumento_cuestionarios",
                        "instrumento_entrevistas",
                        "instrumento_formatos",
                    ),
                    "instrumento_otros",
                    "metodologia",
                ]
            },
        ),
        (
            _("2. Principales hallazgos"),
            {"fields": ["hallazgos_relevantes", "fortalezas", "oportunidades", "debilidades", "amenazas"]},
        ),
        (_("3. Conclusiones (las recomendaciones se toman del convenio)"), {"fields": ["conclusiones"]}),
        (
            _("4. Datos de la instancia evaluadora"),
            {
                "fields": [
                    "coordinador",
                    "cargo_coordinador",
                    "colaboradores",
                    "correo_coordinador",
                    "telefono_coordinador",
                ]
            },
        ),
        (_("5. Identificación del programa"), {"fields": ["siglas_programa", "poder_publico", "ambito"]}),
        (
            _("6. Datos de contratación (el costo se toma de la evaluación)"),
            {
                "fields": [
                    "tipo_contratacion",
                    "tipo_contratacion_otro",
                    "unidad_contratante",
                    "fuente_financiamiento",
                ]
            },
        ),
        (_("7. Difusión"), {"fields": ["url_evaluacion", "url_formato"]}),
    ]

    class Media:
        css = {"all": ["css/transparencia-admin.css"]}

    @admin.display(description=_("PAE"), ordering="evaluacion__anio_pae")
    def anio_pae(self, obj: Anexo1) -> int:
        return obj.evaluacion.anio_pae

    @admin.display(description=_("término de la evaluación"), ordering="evaluacion__fecha_termino")
    def fecha_termino(self, obj: Anexo1) -> str:
        return fecha_larga(obj.evaluacion.fecha_termino) or "—"

    @admin.display(description=_("plazo de publicación (30 días, LGCG art. 79)"))
    def plazo(self, obj: Anexo1) -> str:
        if not obj.pk:
            return _("Se calcula al guardar, desde la fecha de término de la evaluación.")
        return _plazo_html(obj)

    @admin.display(description=_("página pública"))
    def pagina_publica(self, obj: Anexo1) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">PDF</a>',
            reverse("transparencia:anexo1", args=[obj.evaluacion_id]),
            _("Ver el Anexo 1 publicado"),
            reverse("transparencia:anexo1_pdf", args=[obj.evaluacion_id]),
        )

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET":
            anexo = self.get_queryset(request).filter(pk=object_id).select_related("evaluacion").first()
            if anexo is not None:
                plazo = plazo_publicacion(anexo.evaluacion, anexo)
                if plazo.es_aviso:
                    messages.warning(
                        request, _("Aviso: %(plazo)s. Publique el formato cuanto antes.") % {"plazo": plazo.texto}
                    )
        return super().change_view(request, object_id, *args, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
