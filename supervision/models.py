"""Oversight records: the Contraloría's actuaciones, the Tesorería's verifications, reminders and notifications.

Nothing here is edited or deleted by a user: a correction or a new status is a new row,
and the latest row is the current one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convenios.models import Aspecto, Convenio, Dependencia, PorMunicipioQuerySet, TipoDependencia

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


class TipoActuacion(models.TextChoices):
    OBSERVACION = "observacion", _("Observación")
    PROCEDIMIENTO = "procedimiento", _("Procedimiento formal")


class EstadoProcedimiento(models.TextChoices):
    ABIERTO = "abierto", _("Abierto")
    EN_TRAMITE = "en_tramite", _("En trámite")
    CONCLUIDO = "concluido", _("Concluido")


class ActuacionQuerySet(PorMunicipioQuerySet):
    ruta_municipio = "convenio__municipio"
    ruta_dependencia = "convenio__dependencia_evaluada"

    def visibles_para(self, user: Usuario | AnonymousUser) -> models.QuerySet:
        """IMPLAN, Contraloría and Tesorería of the municipio; not the dependencia under review.

        An observation or a procedure may concern the dependencia's own public servants
        (SEXTA), so it is reserved to the supervising parties.
        """
        if getattr(user, "rol", None) == TipoDependencia.DEPENDENCIA and not user.is_superuser:
            return self.none()
        return super().visibles_para(user)


class ActuacionContraloria(models.Model):
    """What the Contraloría recorded on a convenio or one of its items (SEGUNDA, Contraloría; SEXTA).

    An observation, or the reference of a formal procedure it opened (expediente, date, status).
    A procedure's new status is a new row with the same expediente.
    """

    convenio = models.ForeignKey(
        Convenio, verbose_name=_("convenio"), on_delete=models.PROTECT, related_name="actuaciones"
    )
    aspecto = models.ForeignKey(
        Aspecto,
        verbose_name=_("aspecto"),
        on_delete=models.PROTECT,
        related_name="actuaciones",
        null=True,
        blank=True,
        help_text=_("Vacío cuando la actuación es sobre el convenio completo."),
    )
    tipo = models.CharField(_("tipo"), max_length=15, choices=TipoActuacion.choices)
    texto = models.TextField(_("texto"))
    expediente = models.CharField(_("número de expediente"), max_length=60, blank=True)
    fecha = models.DateField(_("fecha"))
    estado_procedimiento = models.CharField(
        _("estado del procedimiento"), max_length=12, choices=EstadoProcedimiento.choices, blank=True
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="+"
    )
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    objects = ActuacionQuerySet.as_manager()

    class Meta:
        verbose_name = _("actuación de la Contraloría")
        verbose_name_plural = _("actuaciones de la Contraloría")
        ordering = ["-fecha", "-registrada_en", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TipoActuacion.values),
                name="actuacion_tipo_valido",
                violation_error_message=_("El tipo de actuación no es válido."),
            ),
            models.CheckConstraint(
                condition=Q(tipo=TipoActuacion.OBSERVACION, expediente="", estado_procedimiento="")
                | Q(
                    tipo=TipoActuacion.PROCEDIMIENTO,
                    estado_procedimiento__in=EstadoProcedimiento.values,
                )
                & ~Q(expediente=""),
                name="actuacion_procedimiento_con_expediente",
                violation_error_message=_(
                    "Un procedimiento formal lleva número de expediente y estado; una observación, ninguno."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.tipo == TipoActuacion.PROCEDIMIENTO:
            return gettext("Expediente %(expediente)s (%(estado)s)") % {
                "expediente": self.expediente,
                "estado": self.get_estado_procedimiento_display(),
            }
        return gettext("Observación del %(fecha)s") % {"fecha": self.fecha}


class TipoVerificacion(models.TextChoices):
    # SEGUNDA, Tesorería a) and c).
    RECURSOS_EJERCIDOS = "recursos", _("Los recursos del programa corresponden a lo ejercido en el año evaluado")
    PRESUPUESTO_SIGUIENTE = "presupuesto", _("El presupuesto del año siguiente atiende las recomendaciones")


class ResultadoVerificacion(models.TextChoices):
    CONFORME = "conforme", _("Conforme")
    PARCIAL = "parcial", _("Parcialmente conforme")
    NO_CONFORME = "no_conforme", _("No conforme")


class VerificacionQuerySet(PorMunicipioQuerySet):
    ruta_municipio = "convenio__municipio"
    ruta_dependencia = "convenio__dependencia_evaluada"


class VerificacionTesoreria(models.Model):
    """One of the Tesorería's two checks on a convenio (SEGUNDA, Tesorería a and c). Latest row per kind counts."""

    convenio = models.ForeignKey(
        Convenio, verbose_name=_("convenio"), on_delete=models.PROTECT, related_name="verificaciones"
    )
    tipo = models.CharField(_("verificación"), max_length=12, choices=TipoVerificacion.choices)
    resultado = models.CharField(_("resultado"), max_length=12, choices=ResultadoVerificacion.choices)
    nota = models.TextField(_("nota"))
    fecha = models.DateField(_("fecha de la verificación"))
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="+"
    )
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    objects = VerificacionQuerySet.as_manager()

    class Meta:
        verbose_name = _("verificación de la Tesorería")
        verbose_name_plural = _("verificaciones de la Tesorería")
        ordering = ["convenio", "tipo", "-fecha", "-registrada_en", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TipoVerificacion.values),
                name="verificacion_tipo_valido",
                violation_error_message=_("El tipo de verificación no es válido."),
            ),
            models.CheckConstraint(
                condition=Q(resultado__in=ResultadoVerificacion.values),
                name="verificacion_resultado_valido",
                violation_error_message=_("El resultado de la verificación no es válido."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.get_resultado_display()}"


class NivelAviso(models.TextChoices):
    """How close an item is to its date when the dependencia is warned (15, 5 and 1 days, then overdue)."""

    DIAS_15 = "15", _("Faltan 15 días o menos")
    DIAS_5 = "5", _("Faltan 5 días o menos")
    DIAS_1 = "1", _("Vence mañana o hoy")
    VENCIDO = "vencido", _("Vencido")


class Aviso(models.Model):
    """The claim on one reminder: item × level × the date it warned about.

    The unique constraint plus the claim-by-update on ``lote`` (see
    ``supervision.recordatorios``) make each reminder go out once, even with two runs at
    the same time. ``fecha_vigente`` is part of the key so that an approved prórroga,
    which moves the date, earns new reminders for the new date.
    """

    aspecto = models.ForeignKey(Aspecto, verbose_name=_("aspecto"), on_delete=models.CASCADE, related_name="avisos")
    nivel = models.CharField(_("nivel"), max_length=8, choices=NivelAviso.choices)
    fecha_vigente = models.DateField(_("fecha que se avisó"))
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)
    lote = models.UUIDField(_("ejecución que lo envió"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("aviso enviado")
        verbose_name_plural = _("avisos enviados")
        constraints = [
            models.UniqueConstraint(fields=["aspecto", "nivel", "fecha_vigente"], name="aviso_unico_por_nivel_y_fecha"),
        ]

    def __str__(self) -> str:
        return f"{self.get_nivel_display()} · {self.aspecto_id}"


class ResumenSemanal(models.Model):
    """The claim on a Contraloría's weekly digest of overdue items: one per Contraloría and ISO week."""

    contraloria = models.ForeignKey(
        Dependencia, verbose_name=_("Contraloría"), on_delete=models.CASCADE, related_name="+"
    )
    semana = models.DateField(_("lunes de la semana"))
    creado_en = models.DateTimeField(_("creado el"), auto_now_add=True)
    lote = models.UUIDField(_("ejecución que lo envió"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("resumen semanal enviado")
        verbose_name_plural = _("resúmenes semanales enviados")
        constraints = [
            models.UniqueConstraint(fields=["contraloria", "semana"], name="resumen_unico_por_semana"),
        ]

    def __str__(self) -> str:
        return gettext("Resumen de la semana del %(semana)s") % {"semana": self.semana}
