"""Budget programs (their key and level) and their evaluations in the PAE."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convenios.models.municipios import Dependencia, Municipio, PorMunicipioQuerySet
from convenios.models.restricciones import RestriccionesEnUnaConsulta
from convenios.models.vocabulario import (
    NOMBRE_EVALUACION,
    EstructuraProgramatica,
    NivelPrograma,
    TipoDependencia,
    TipoEvaluacion,
)
from seguridad.validadores import validar_pdf

# Edomex: 8 digits programa (01020401), 10 subprograma, 12 proyecto. CONAC: modalidad and number (E001).
NIVEL_POR_DIGITOS = {8: NivelPrograma.PROGRAMA, 10: NivelPrograma.SUBPROGRAMA, 12: NivelPrograma.PROYECTO}
CLAVE_EDOMEX = r"^([0-9]{8}|[0-9]{10}|[0-9]{12})$"
CLAVE_CONAC = r"^[A-Z][0-9]{3}$"


def nivel_de_clave(clave: str, estructura: str = EstructuraProgramatica.EDOMEX) -> str:
    """The level a key names, or a ``ValidationError`` that says which forms are valid.

    The one place that reads a program key: the model's ``clean()``, the admin and the importers use it.
    """
    if estructura == EstructuraProgramatica.CONAC:
        if re.fullmatch(CLAVE_CONAC, clave or ""):
            return NivelPrograma.PROGRAMA
        raise ValidationError(
            _("La clave CONAC es una letra mayúscula y tres dígitos (p. ej. E001, K003)."), code="clave_invalida"
        )
    if re.fullmatch(CLAVE_EDOMEX, clave or ""):
        return NIVEL_POR_DIGITOS[len(clave)]
    raise ValidationError(
        _(
            "La clave de la estructura programática del Estado de México tiene 8 dígitos (programa, p. ej. "
            "01020401), 10 (subprograma) o 12 (proyecto); «%(clave)s» tiene %(n)s caracteres."
        )
        % {"clave": clave, "n": len(clave or "")},
        code="clave_invalida",
    )


class ProgramaPresupuestarioQuerySet(PorMunicipioQuerySet):
    pass


class ProgramaPresupuestario(RestriccionesEnUnaConsulta):
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    clave = models.CharField(
        _("clave"),
        max_length=12,
        help_text=_(
            "Como la cita el convenio («programa 01020401.- Derechos Humanos»): 8 dígitos para un programa, "
            "10 para un subprograma o 12 para un proyecto (en otras entidades, la forma CONAC: E001)."
        ),
    )
    nivel = models.CharField(
        _("nivel"),
        max_length=12,
        choices=NivelPrograma.choices,
        editable=False,
        default=NivelPrograma.PROGRAMA,
        help_text=_("Se deduce de la clave."),
    )
    nombre = models.CharField(_("nombre"), max_length=200, help_text=_("Como lo nombra el convenio."))
    history = HistoricalRecords()

    objects = ProgramaPresupuestarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("programa presupuestario")
        verbose_name_plural = _("programas presupuestarios")
        ordering = ["clave"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipio", "clave"],
                name="programa_clave_unica",
                violation_error_message=_("Ya existe un programa con esa clave en el municipio."),
            ),
            models.CheckConstraint(
                condition=(Q(clave__regex=r"^[0-9]{8}$") | Q(clave__regex=CLAVE_CONAC))
                & Q(nivel=NivelPrograma.PROGRAMA)
                | Q(clave__regex=r"^[0-9]{10}$", nivel=NivelPrograma.SUBPROGRAMA)
                | Q(clave__regex=r"^[0-9]{12}$", nivel=NivelPrograma.PROYECTO),
                name="programa_clave_y_nivel",
                violation_error_message=_(
                    "La clave tiene 8 dígitos (programa), 10 (subprograma), 12 (proyecto) o la forma CONAC (E001)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clave}.- {self.nombre}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.clave:
            return
        estructura = self.municipio.estructura_programatica if self.municipio_id else EstructuraProgramatica.EDOMEX
        try:
            self.nivel = nivel_de_clave(self.clave, estructura)
        except ValidationError as error:
            raise ValidationError({"clave": error}) from error


class EvaluacionQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "dependencia_evaluada"


class Evaluacion(RestriccionesEnUnaConsulta):
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    anio_pae = models.PositiveSmallIntegerField(
        _("año del PAE"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    tipo = models.CharField(_("tipo de evaluación"), max_length=20, choices=TipoEvaluacion.choices)
    programa = models.ForeignKey(
        ProgramaPresupuestario, verbose_name=_("programa presupuestario"), on_delete=models.PROTECT
    )
    dependencia_evaluada = models.ForeignKey(
        Dependencia, verbose_name=_("dependencia evaluada"), on_delete=models.PROTECT, related_name="evaluaciones"
    )
    instancia_evaluadora = models.CharField(_("instancia evaluadora"), max_length=200, blank=True)
    ejercicio_evaluado = models.PositiveSmallIntegerField(
        _("ejercicio fiscal evaluado"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    presupuesto_programa = models.DecimalField(
        _("presupuesto del programa"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    costo_evaluacion = models.DecimalField(
        _("costo de la evaluación"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    fecha_inicio = models.DateField(_("fecha de inicio"), null=True, blank=True)
    fecha_termino = models.DateField(_("fecha de término"), null=True, blank=True)
    informe_final = models.FileField(
        _("informe final"), upload_to="evaluaciones/informes/", blank=True, validators=[validar_pdf]
    )
    evaluacion_anterior = models.ForeignKey(
        "self",
        verbose_name=_("evaluación anterior revisada"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posteriores",
        help_text=_(
            "La evaluación anterior del mismo programa cuyos aspectos susceptibles de mejora revisa esta "
            "(p. ej. la del PAE 2021)."
        ),
    )
    history = HistoricalRecords()

    objects = EvaluacionQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        ordering = ["-anio_pae", "programa__clave"]
        # The portal of the whole state counts its list by (year, municipio) and reads a page's groups,
        # and the PAE years come one probe per year: from this index, never a read of every evaluation.
        indexes = [models.Index(fields=["anio_pae", "municipio"], name="evaluacion_anio_municipio")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fecha_inicio__isnull=True)
                | Q(fecha_termino__isnull=True)
                | Q(fecha_termino__gte=F("fecha_inicio")),
                name="evaluacion_fechas_en_orden",
                violation_error_message=_("La fecha de término no puede ser anterior a la de inicio."),
            ),
            models.CheckConstraint(
                condition=Q(ejercicio_evaluado__lte=F("anio_pae")),
                name="evaluacion_ejercicio_no_posterior_al_pae",
                violation_error_message=_("El ejercicio evaluado no puede ser posterior al año del PAE."),
            ),
            models.CheckConstraint(
                condition=Q(presupuesto_programa__gte=0)
                & (Q(costo_evaluacion__isnull=True) | Q(costo_evaluacion__gte=0)),
                name="evaluacion_montos_no_negativos",
                violation_error_message=_("Los montos no pueden ser negativos."),
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=TipoEvaluacion.values),
                name="evaluacion_tipo_valido",
                violation_error_message=_("El tipo de evaluación no es válido."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nombre_tipo} {self.programa} (PAE {self.anio_pae})"

    @property
    def nombre_tipo(self) -> str:
        """«Evaluación de Diseño Programático», «Evaluación Específica del Desempeño»…"""
        return str(NOMBRE_EVALUACION[self.tipo])

    def clean(self) -> None:
        errores: dict[str, str] = {}
        if self.programa_id and self.municipio_id and self.programa.municipio_id != self.municipio_id:
            errores["programa"] = _("El programa presupuestario es de otro municipio.")
        if self.dependencia_evaluada_id and self.municipio_id:
            if self.dependencia_evaluada.municipio_id != self.municipio_id:
                errores["dependencia_evaluada"] = _("La dependencia evaluada es de otro municipio.")
            elif self.dependencia_evaluada.tipo != TipoDependencia.DEPENDENCIA:
                errores["dependencia_evaluada"] = _(
                    "La dependencia evaluada debe ser de tipo «Dependencia u organismo»."
                )
        if self.evaluacion_anterior_id:
            anterior = self.evaluacion_anterior
            if self.pk and anterior.pk == self.pk:
                errores["evaluacion_anterior"] = _("Una evaluación no puede revisarse a sí misma.")
            elif self.programa_id and anterior.programa_id != self.programa_id:
                errores["evaluacion_anterior"] = _("La evaluación anterior debe ser del mismo programa presupuestario.")
            elif self.anio_pae and anterior.anio_pae >= self.anio_pae:
                errores["evaluacion_anterior"] = _("La evaluación anterior debe ser de un PAE anterior a %(anio)s.") % {
                    "anio": self.anio_pae
                }
        if errores:
            raise ValidationError(errores, code="evaluacion_invalida")
