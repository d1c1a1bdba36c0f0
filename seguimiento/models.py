"""What happens after signing: evidence, the item's history of moves, prórrogas and sesiones.

Nothing here is edited or deleted by a user: a correction is a new row.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, Convenio, Dependencia, EstadoAspecto, Municipio, PorMunicipioQuerySet


def ruta_evidencia(instancia: Evidencia, nombre: str) -> str:
    """A generated name: the user's file name never reaches the disk (it is kept in ``nombre_original``)."""
    extension = PurePosixPath(nombre).suffix.lower()[:10]
    return f"evidencias/{instancia.aspecto.convenio_id}/{uuid.uuid4().hex}{extension}"


class PorAspectoQuerySet(PorMunicipioQuerySet):
    """For the rows that hang from an item: evidence, history entries, prórrogas."""

    ruta_municipio = "aspecto__convenio__municipio"
    ruta_dependencia = "aspecto__convenio__dependencia_evaluada"


class FormatoEvidencia(models.TextChoices):
    PBRM_01A = "01a", _("PbRM-01a")
    PBRM_01B = "01b", _("PbRM-01b")
    PBRM_02A = "02a", _("PbRM-02a")
    PBRM_08B = "08b", _("PbRM-08b")
    PBRM_08C = "08c", _("PbRM-08c")
    ACTA = "acta", _("Acta")
    OFICIO = "oficio", _("Oficio")
    OTRO = "otro", _("Otro")


class Evidencia(models.Model):
    """A file handed in for an item (SEGUNDA, dependencia h and i). Never overwritten nor deleted."""

    aspecto = models.ForeignKey(Aspecto, verbose_name=_("aspecto"), on_delete=models.PROTECT, related_name="evidencias")
    archivo = models.FileField(_("archivo"), upload_to=ruta_evidencia, max_length=200)
    nombre_original = models.CharField(_("nombre original"), max_length=255)
    tamano = models.PositiveBigIntegerField(_("tamaño en bytes"))
    tipo_contenido = models.CharField(_("tipo de contenido"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    descripcion = models.CharField(_("descripción"), max_length=500)
    formato = models.CharField(_("formato que evidencia"), max_length=6, choices=FormatoEvidencia.choices, blank=True)
    accion = models.ForeignKey(
        AccionDelAspecto,
        verbose_name=_("acción que acredita"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidencias",
        help_text=_("La acción del aspecto que esta evidencia respalda, si es una en particular."),
    )
    publicable = models.BooleanField(
        _("publicable"), default=False, help_text=_("Solo el IMPLAN la marca; por omisión la evidencia es privada.")
    )
    subida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subida por"), on_delete=models.PROTECT, related_name="+"
    )
    subida_en = models.DateTimeField(_("subida el"), auto_now_add=True)

    objects = PorAspectoQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ["aspecto", "subida_en", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["archivo"], name="evidencia_archivo_unico"),
            models.CheckConstraint(condition=Q(tamano__gt=0), name="evidencia_no_vacia"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidencia_sha256_valido"),
        ]
        # The public portal reads only publicable evidence (its fingerprint, each convenio's page):
        # a partial index holds just those rows, a few among the state's private files.
        indexes = [models.Index(fields=["aspecto"], condition=Q(publicable=True), name="evidencia_publicable")]

    def __str__(self) -> str:
        return self.nombre_original

    def clean(self) -> None:
        if self.accion_id and self.aspecto_id and self.accion.aspecto_id != self.aspecto_id:
            raise ValidationError({"accion": _("La acción no es de este aspecto.")}, code="accion_de_otro_aspecto")


class Accion(models.TextChoices):
    """What a history entry records. Each act and its rule are declared once in ``convenios.politica``."""

    EVIDENCIA = "evidencia", _("Subió evidencia")
    ENVIAR = "enviar", _("Envió a revisión")
    VALIDAR = "validar", _("Validó")
    OBSERVAR = "observar", _("Devolvió con observaciones")
    NO_ATENDER = "no_atender", _("Declaró no atendida")
    CANCELAR = "cancelar", _("Canceló")
    PRORROGA_SOLICITAR = "prorroga_solicitar", _("Solicitó prórroga")
    PRORROGA_APROBAR = "prorroga_aprobar", _("Aprobó prórroga")
    PRORROGA_RECHAZAR = "prorroga_rechazar", _("Rechazó prórroga")
    SESION = "sesion", _("Revisado en sesión")
    AVANCE = "avance", _("Reportó avance de una acción")


class Movimiento(models.Model):
    """One entry of an item's history: who did what, when, from which state to which, with which comment."""

    aspecto = models.ForeignKey(
        Aspecto, verbose_name=_("aspecto"), on_delete=models.PROTECT, related_name="movimientos"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.PROTECT, related_name="+"
    )
    fecha = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    accion = models.CharField(_("acción"), max_length=20, choices=Accion.choices)
    estado_anterior = models.CharField(_("estado anterior"), max_length=12, choices=EstadoAspecto.choices)
    estado_nuevo = models.CharField(_("estado nuevo"), max_length=12, choices=EstadoAspecto.choices)
    comentario = models.TextField(_("comentario"), blank=True)

    objects = PorAspectoQuerySet.as_manager()

    class Meta:
        verbose_name = _("movimiento")
        verbose_name_plural = _("historial de movimientos")
        ordering = ["aspecto", "fecha", "pk"]
        indexes = [models.Index(fields=["aspecto", "accion"], name="movimiento_aspecto_accion")]

    def __str__(self) -> str:
        return f"{self.get_accion_display()} · {self.aspecto.etiqueta}"


class EstadoProrroga(models.TextChoices):
    SOLICITADA = "solicitada", _("Solicitada")
    APROBADA = "aprobada", _("Aprobada")
    RECHAZADA = "rechazada", _("Rechazada")


class Prorroga(models.Model):
    """A request to move an item's date (cláusula SÉPTIMA: no mayor a 15 días naturales en total)."""

    aspecto = models.ForeignKey(Aspecto, verbose_name=_("aspecto"), on_delete=models.PROTECT, related_name="prorrogas")
    solicitada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("solicitada por"), on_delete=models.PROTECT, related_name="+"
    )
    solicitada_en = models.DateTimeField(_("solicitada el"), auto_now_add=True)
    motivo = models.TextField(_("motivo"))
    fecha_anterior = models.DateField(_("fecha anterior"))
    fecha_solicitada = models.DateField(_("nueva fecha solicitada"))
    estado = models.CharField(
        _("estado"), max_length=10, choices=EstadoProrroga.choices, default=EstadoProrroga.SOLICITADA
    )
    resuelta_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resuelta por"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    resuelta_en = models.DateTimeField(_("resuelta el"), null=True, blank=True)
    comentario_resolucion = models.TextField(_("comentario de la resolución"), blank=True)

    objects = PorAspectoQuerySet.as_manager()

    class Meta:
        verbose_name = _("prórroga")
        verbose_name_plural = _("prórrogas")
        ordering = ["solicitada_en", "pk"]
        constraints = [
            # One open request per item: IMPLAN decides it before another can be asked.
            models.UniqueConstraint(
                fields=["aspecto"],
                condition=Q(estado="solicitada"),
                name="prorroga_una_pendiente_por_aspecto",
                violation_error_message=_("Este aspecto ya tiene una solicitud de prórroga pendiente."),
            ),
            models.CheckConstraint(
                condition=Q(fecha_solicitada__gt=F("fecha_anterior")),
                name="prorroga_fecha_posterior",
                violation_error_message=_("La nueva fecha debe ser posterior a la fecha vigente."),
            ),
            models.CheckConstraint(
                condition=Q(estado="solicitada") | (Q(resuelta_por__isnull=False) & Q(resuelta_en__isnull=False)),
                name="prorroga_resuelta_con_autor",
            ),
            models.CheckConstraint(
                condition=Q(resuelta_por__isnull=True) | ~Q(resuelta_por=F("solicitada_por")),
                name="prorroga_no_la_resuelve_quien_la_pide",
                violation_error_message=_("Quien solicita una prórroga no puede resolverla."),
            ),
        ]

    def __str__(self) -> str:
        return gettext("Prórroga de %(aspecto)s al %(fecha)s") % {
            "aspecto": self.aspecto.etiqueta,
            "fecha": self.fecha_solicitada,
        }

    @property
    def dias(self) -> int:
        return (self.fecha_solicitada - self.fecha_anterior).days


class SesionQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "convenios__dependencia_evaluada"

    def visibles_para(self, user):  # type: ignore[no-untyped-def]
        # A session may hold several convenios: the join could repeat a row.
        return super().visibles_para(user).distinct()


class Sesion(models.Model):
    """A session at IMPLAN where evidence is shown (cláusula TERCERA; SEGUNDA e/g)."""

    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    convenios = models.ManyToManyField(Convenio, verbose_name=_("convenios"), related_name="sesiones")
    fecha = models.DateField(_("fecha"))
    hora = models.TimeField(_("hora"))
    lugar = models.CharField(_("lugar"), max_length=300)
    aspectos_revisados = models.ManyToManyField(
        Aspecto, verbose_name=_("aspectos revisados"), related_name="sesiones", blank=True
    )
    acuerdos = models.TextField(_("acuerdos"), blank=True)
    convocada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("convocada por"), on_delete=models.PROTECT, related_name="+"
    )
    creada_en = models.DateTimeField(_("creada el"), auto_now_add=True)
    # An issued acta is final; a correction is a new session (a copy) whose acta supersedes it, both kept.
    corrige = models.OneToOneField(
        "self",
        verbose_name=_("corrige el acta de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="correccion",
    )

    objects = SesionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-fecha", "-hora"]

    def __str__(self) -> str:
        return gettext("Sesión del %(fecha)s a las %(hora)s") % {"fecha": self.fecha, "hora": f"{self.hora:%H:%M}"}


class Asistencia(models.Model):
    """Who attended a session for each party (cláusula TERCERA: un responsable por parte)."""

    sesion = models.ForeignKey(Sesion, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="asistencias")
    dependencia = models.ForeignKey(Dependencia, verbose_name=_("parte"), on_delete=models.PROTECT, related_name="+")
    nombre = models.CharField(_("nombre"), max_length=200)
    cargo = models.CharField(_("cargo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        ordering = ["sesion", "pk"]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.dependencia})"
