from django.contrib import admin

from auditoria.admin import AlcanceAdminMixin
from notificaciones.models import Notificacion
from supervision.models import ActuacionContraloria, Aviso, ResumenSemanal, VerificacionTesoreria


class SoloLecturaAdmin(AlcanceAdminMixin, admin.ModelAdmin):
    """Oversight records are written by their services only; the admin shows them (IMPLAN audits)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ActuacionContraloria)
class ActuacionAdmin(SoloLecturaAdmin):
    list_display = ["fecha", "tipo", "expediente", "estado_procedimiento", "convenio", "aspecto", "autor"]
    list_filter = ["tipo", "estado_procedimiento"]
    list_select_related = ["convenio__evaluacion__programa", "aspecto", "autor"]


@admin.register(VerificacionTesoreria)
class VerificacionAdmin(SoloLecturaAdmin):
    list_display = ["fecha", "tipo", "resultado", "convenio", "autor"]
    list_filter = ["tipo", "resultado"]
    list_select_related = ["convenio__evaluacion__programa", "autor"]


@admin.register(Aviso)
class AvisoAdmin(SoloLecturaAdmin):
    list_display = ["creado_en", "nivel", "fecha_vigente", "aspecto", "lote"]
    list_filter = ["nivel"]
    list_select_related = ["aspecto"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.none()


@admin.register(ResumenSemanal)
class ResumenSemanalAdmin(AvisoAdmin):
    list_display = ["creado_en", "semana", "contraloria", "lote"]
    list_filter = []
    list_select_related = ["contraloria"]


@admin.register(Notificacion)
class NotificacionAdmin(AvisoAdmin):
    list_display = ["creada_en", "usuario", "asunto", "leida_en"]
    list_filter = []
    list_select_related = ["usuario"]
