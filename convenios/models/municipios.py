"""The municipio, its dependencias and their titulares; ``visibles_para``, the one border of every query."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seguridad.validadores import ImagenLimitada

if TYPE_CHECKING:
    from cuentas.models import Usuario
from convenios.models.restricciones import RestriccionesEnUnaConsulta
from convenios.models.vocabulario import EstructuraProgramatica, TipoDependencia


class PorMunicipioQuerySet(models.QuerySet):
    """One ``visibles_para(user)`` shared by every list, view, export and the admin.

    ``ruta_municipio`` and ``ruta_dependencia`` say how a row reaches its municipio
    and its evaluated dependencia; a dependencia user only sees rows of its own.
    """

    ruta_municipio: str = "municipio"
    ruta_dependencia: str | None = None

    def visibles_para(self, user: Usuario | Any) -> models.QuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        if user.dependencia_id is None:
            return self.none()
        dependencia = user.dependencia
        qs = self.filter(**{self.ruta_municipio: dependencia.municipio_id})
        if dependencia.tipo == TipoDependencia.DEPENDENCIA:
            if self.ruta_dependencia is None:
                return qs
            qs = qs.filter(**{self.ruta_dependencia: dependencia.pk})
        return qs


class Municipio(RestriccionesEnUnaConsulta):
    nombre = models.CharField(_("nombre"), max_length=120)
    estado = models.CharField(_("entidad federativa"), max_length=80, default="Estado de México")
    estructura_programatica = models.CharField(
        _("estructura programática"),
        max_length=10,
        choices=EstructuraProgramatica.choices,
        default=EstructuraProgramatica.EDOMEX,
        help_text=_("La forma de las claves de programa que usa la entidad federativa del municipio."),
    )
    slug = models.SlugField(_("identificador"), unique=True)
    logo = ImagenLimitada(_("logotipo"), upload_to="municipios/logos/", blank=True)
    pie_de_pagina = models.TextField(
        _("pie de página de los documentos"), blank=True, help_text=_("Dirección, teléfono y sitio web del membrete.")
    )
    publicar_vista = models.BooleanField(
        _("publicar el contenido de los oficios de vista"),
        default=False,
        help_text=_(
            "El portal de transparencia siempre lista los oficios de vista a la Contraloría (folio y fecha); "
            "con esta casilla también se pueden leer y descargar."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        ordering = ["nombre"]
        constraints = [
            models.UniqueConstraint(fields=["nombre", "estado"], name="municipio_nombre_unico"),
            models.CheckConstraint(
                condition=Q(estructura_programatica__in=EstructuraProgramatica.values),
                name="municipio_estructura_valida",
                violation_error_message=_("La estructura programática no es válida."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nombre}, {self.estado}"


class DependenciaQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "pk"


class TitularQuerySet(PorMunicipioQuerySet):
    """A titular is seen through its dependencia."""

    ruta_municipio = "dependencia__municipio"
    ruta_dependencia = "dependencia"


class Dependencia(RestriccionesEnUnaConsulta):
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    nombre = models.CharField(_("nombre"), max_length=200)
    siglas = models.CharField(_("siglas"), max_length=30, blank=True)
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoDependencia.choices)
    clave = models.CharField(
        _("clave Edomex"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][0-9]{2}$", _("La clave Edomex es una letra y dos dígitos (p. ej. L00)."))],
    )
    domicilio = models.CharField(_("domicilio"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = DependenciaQuerySet.as_manager()

    class Meta:
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        ordering = ["municipio", "nombre"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipio", "nombre"],
                name="dependencia_nombre_unico",
                violation_error_message=_("Ya existe una dependencia con ese nombre en el municipio."),
            ),
            models.UniqueConstraint(
                fields=["municipio", "clave"],
                condition=~Q(clave=""),
                name="dependencia_clave_unica",
                violation_error_message=_("Ya existe una dependencia con esa clave en el municipio."),
            ),
            # IMPLAN, Tesorería and Contraloría are unique in a municipio: the letters
            # and the folio series are addressed to "the" IMPLAN.
            models.UniqueConstraint(
                fields=["municipio", "tipo"],
                condition=Q(tipo__in=["implan", "tesoreria", "contraloria"]),
                name="dependencia_general_unica",
                violation_error_message=_("El municipio ya tiene una dependencia de ese tipo."),
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=TipoDependencia.values),
                name="dependencia_tipo_valido",
                violation_error_message=_("El tipo de dependencia no es válido."),
            ),
        ]

    def __str__(self) -> str:
        return self.nombre

    def titular_en(self, fecha: datetime.date) -> Titular | None:
        """The public servant heading this dependencia on ``fecha``."""
        return (
            self.titulares.filter(desde__lte=fecha)
            .filter(Q(hasta__isnull=True) | Q(hasta__gte=fecha))
            .order_by("-desde")
            .first()
        )


class Titular(RestriccionesEnUnaConsulta):
    """The public servant heading a dependencia over a period.

    A convenio points at the titulars who signed it, so it keeps its signatories
    after the administration changes (every three years).
    """

    dependencia = models.ForeignKey(
        Dependencia, verbose_name=_("dependencia"), on_delete=models.PROTECT, related_name="titulares"
    )
    grado = models.CharField(_("grado"), max_length=20, blank=True, help_text=_("Abreviatura: Lic., Mtro., Dr., C.P."))
    tratamiento = models.CharField(
        _("tratamiento"),
        max_length=40,
        blank=True,
        help_text=_("Como se le nombra en el proemio del convenio, p. ej. «el Licenciado», «la Licenciada»."),
    )
    nombre = models.CharField(_("nombre completo"), max_length=200)
    cargo = models.CharField(_("cargo"), max_length=200)
    # The SAT's RFC: 13 characters for a person, 12 for a legal entity (letters, date YYMMDD, homoclave). It is
    # what an e.firma certificate carries in x500UniqueIdentifier, so a signature is matched to the titular by it.
    rfc = models.CharField(
        _("RFC"),
        max_length=13,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-ZÑ&]{3,4}[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[A-Z0-9]{2}[0-9A]$",
                _("El RFC no tiene el formato del SAT: 12 o 13 caracteres en mayúsculas, p. ej. GOMA800101AB1."),
                code="rfc_invalido",
            )
        ],
        help_text=_("Con homoclave, como aparece en su e.firma; con él se reconoce su firma electrónica."),
    )
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"), null=True, blank=True)
    history = HistoricalRecords()

    objects = TitularQuerySet.as_manager()

    class Meta:
        verbose_name = _("titular")
        verbose_name_plural = _("titulares")
        ordering = ["dependencia", "-desde"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hasta__isnull=True) | Q(hasta__gte=F("desde")),
                name="titular_fechas_en_orden",
                violation_error_message=_("La fecha «hasta» no puede ser anterior a la fecha «desde»."),
            ),
        ]

    def __str__(self) -> str:
        return self.nombre_con_grado

    @property
    def nombre_con_grado(self) -> str:
        return f"{self.grado} {self.nombre}".strip()

    def vigente_en(self, fecha: datetime.date) -> bool:
        return self.desde <= fecha and (self.hasta is None or fecha <= self.hasta)
