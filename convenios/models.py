"""The agreement and what it contains: parties, programs, evaluations, findings and recommendations.

Rules live here (``clean()``) and in the database (named constraints, and the
triggers of migration 0002 for the rules that span two tables), so neither a
form nor a script can bypass them. ``save()`` runs ``full_clean()`` for the
models whose rules span rows, so the ORM reports a violation in Spanish before
the database has to.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convenios.formatos import fecha_larga
from seguridad.validadores import ImagenLimitada, validar_pdf

if TYPE_CHECKING:
    from cuentas.models import Usuario

DIAS_AVISO_SEMAFORO = 15
"""DOMAIN.md: semáforo amarillo with 15 days or fewer left."""


def hoy(momento: datetime.datetime | None = None) -> datetime.date:
    """Today in America/Mexico_City (settings.TIME_ZONE), the only "today" the rules use.

    ``momento`` (an aware datetime, default now) is the instant whose local date is wanted.
    """
    return timezone.localdate(momento)


def fin_de_anio(fecha: datetime.date) -> datetime.date:
    return datetime.date(fecha.year, 12, 31)


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


class EstructuraProgramatica(models.TextChoices):
    """The form of a program key, a setting of the municipio's state (DOMAIN.md, "Program keys")."""

    EDOMEX = "edomex", _("Estado de México: 8, 10 o 12 dígitos")
    CONAC = "conac", _("CONAC: una letra y tres dígitos (p. ej. E001)")


class Municipio(models.Model):
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


class TipoDependencia(models.TextChoices):
    IMPLAN = "implan", _("IMPLAN / UIPPE")
    TESORERIA = "tesoreria", _("Tesorería")
    CONTRALORIA = "contraloria", _("Contraloría")
    DEPENDENCIA = "dependencia", _("Dependencia u organismo")


class DependenciaQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "pk"


class Dependencia(models.Model):
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


class Titular(models.Model):
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


class NivelPrograma(models.TextChoices):
    """Level of the estructura programática a key names, from its length (DOMAIN.md, "Program keys")."""

    PROGRAMA = "programa", _("Programa")
    SUBPROGRAMA = "subprograma", _("Subprograma")
    PROYECTO = "proyecto", _("Proyecto")


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


class ProgramaPresupuestario(models.Model):
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


class TipoEvaluacion(models.TextChoices):
    DISENO = "diseno", _("Diseño Programático")
    PROCESOS = "procesos", _("Procesos")
    CONSISTENCIA = "consistencia", _("Consistencia y Resultados")
    IMPACTO = "impacto", _("Impacto")
    DESEMPENO = "desempeno", _("Específica del Desempeño")
    ESPECIFICA = "especifica", _("Específica")
    ESTRATEGICA = "estrategica", _("Estratégica")


# The full name of each kind, as the Lineamientos and CONAC write it: "Evaluación de Diseño
# Programático", but "Evaluación Específica del Desempeño" (no "de" before an adjective).
NOMBRE_EVALUACION: dict[str, str] = {
    TipoEvaluacion.DISENO: _("Evaluación de Diseño Programático"),
    TipoEvaluacion.PROCESOS: _("Evaluación de Procesos"),
    TipoEvaluacion.CONSISTENCIA: _("Evaluación de Consistencia y Resultados"),
    TipoEvaluacion.IMPACTO: _("Evaluación de Impacto"),
    TipoEvaluacion.DESEMPENO: _("Evaluación Específica del Desempeño"),
    TipoEvaluacion.ESPECIFICA: _("Evaluación Específica"),
    TipoEvaluacion.ESTRATEGICA: _("Evaluación Estratégica"),
}


class EvaluacionQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "dependencia_evaluada"


class Evaluacion(models.Model):
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


class EstadoConvenio(models.TextChoices):
    BORRADOR = "borrador", _("Borrador")
    VIGENTE = "vigente", _("Vigente")
    CUMPLIDO = "cumplido", _("Cumplido")
    INCUMPLIDO = "incumplido", _("Incumplido")

    @classmethod
    def firmados(cls) -> tuple[str, ...]:
        """Every state after the signature: what the portal publishes and what the Anexo 1 reports."""
        return tuple(estado for estado in cls.values if estado != cls.BORRADOR)


class ConvenioQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "dependencia_evaluada"

    def con_conteos(self) -> ConvenioQuerySet:
        """Counts of items per status, in the same query (admin list, home pages)."""
        conteos = {
            f"n_{estado}": Count("aspectos", filter=Q(aspectos__estado=estado)) for estado in EstadoAspecto.values
        }
        return self.annotate(n_aspectos=Count("aspectos"), **conteos)


# (party, kind its dependencia must be) for the four parties of a convenio (proemio).
PARTES: tuple[tuple[str, str], ...] = (
    ("implan", TipoDependencia.IMPLAN),
    ("tesoreria", TipoDependencia.TESORERIA),
    ("contraloria", TipoDependencia.CONTRALORIA),
    ("dependencia_evaluada", TipoDependencia.DEPENDENCIA),
)


def _partes_distintas() -> Q:
    nombres = [parte for parte, _tipo in PARTES]
    condicion = Q()
    for i, a in enumerate(nombres):
        for b in nombres[i + 1 :]:
            condicion &= ~Q(**{a: F(b)})
    return condicion


class Convenio(models.Model):
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    evaluacion = models.ForeignKey(
        Evaluacion, verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="convenios"
    )
    fecha_firma = models.DateField(
        _("fecha de firma"),
        null=True,
        blank=True,
        help_text=_("El cierre del convenio: «…a los 6 días del mes de diciembre de 2022». Vacía en un borrador."),
    )
    fecha_limite = models.DateField(
        _("fecha límite de cumplimiento"),
        blank=True,
        help_text=_(
            "Cláusula QUINTA: «las fechas de cumplimiento … no podrán exceder del …». Si la deja vacía es el "
            "31 de diciembre del año de firma; puede ser posterior si el convenio firmado lo dice."
        ),
    )
    dias_prorroga_max = models.PositiveSmallIntegerField(
        _("días máximos de prórroga"),
        default=15,
        validators=[MaxValueValidator(15)],
        help_text=_("Cláusula SÉPTIMA: prórroga no mayor a 15 días naturales."),
    )
    estado = models.CharField(
        _("estado"), max_length=12, choices=EstadoConvenio.choices, default=EstadoConvenio.BORRADOR
    )
    fojas = models.PositiveSmallIntegerField(
        _("número de fojas"),
        null=True,
        blank=True,
        help_text=_("«El presente convenio que consta de 6 fojas…»: las hojas del documento firmado."),
    )
    documento_firmado = models.FileField(
        _("convenio firmado (escaneado)"),
        upload_to="convenios/firmados/",
        blank=True,
        help_text=_("El PDF del convenio con las cuatro firmas autógrafas o electrónicas."),
    )

    implan = models.ForeignKey(
        Dependencia,
        verbose_name=_("IMPLAN"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«EL IMPLAN» del proemio: el instituto o unidad de planeación del municipio."),
    )
    tesoreria = models.ForeignKey(
        Dependencia,
        verbose_name=_("Tesorería"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«LA TESORERÍA» del proemio."),
    )
    contraloria = models.ForeignKey(
        Dependencia,
        verbose_name=_("Contraloría"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«LA CONTRALORÍA» del proemio."),
    )
    dependencia_evaluada = models.ForeignKey(
        Dependencia,
        verbose_name=_("dependencia evaluada"),
        on_delete=models.PROTECT,
        related_name="convenios",
        help_text=_("«LA DEPENDENCIA EVALUADA» del proemio: la que ejecuta el programa evaluado."),
    )
    firmante_implan = models.ForeignKey(
        Titular,
        verbose_name=_("firma por el IMPLAN"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «EL IMPLAN» en el bloque de firmas: su titular a la fecha de firma."),
    )
    firmante_tesoreria = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la Tesorería"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA TESORERÍA»: su titular a la fecha de firma."),
    )
    firmante_contraloria = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la Contraloría"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA CONTRALORÍA»: su titular a la fecha de firma."),
    )
    firmante_dependencia_evaluada = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la dependencia evaluada"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA DEPENDENCIA EVALUADA»: su titular a la fecha de firma."),
    )
    # Cláusula TERCERA: each party designates a responsable to attend the sesiones.
    responsable_implan = models.CharField(_("responsable designado por el IMPLAN"), max_length=200, blank=True)
    responsable_tesoreria = models.CharField(_("responsable designado por la Tesorería"), max_length=200, blank=True)
    responsable_contraloria = models.CharField(
        _("responsable designado por la Contraloría"), max_length=200, blank=True
    )
    responsable_dependencia_evaluada = models.CharField(
        _("responsable designado por la dependencia evaluada"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    objects = ConvenioQuerySet.as_manager()

    class Meta:
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")
        ordering = ["-fecha_firma", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_partes_distintas(),
                name="convenio_partes_distintas",
                violation_error_message=_("Las cuatro partes del convenio deben ser dependencias distintas."),
            ),
            models.CheckConstraint(
                condition=Q(fecha_firma__isnull=True) | Q(fecha_limite__gte=F("fecha_firma")),
                name="convenio_limite_posterior_a_firma",
                violation_error_message=_("La fecha límite de cumplimiento no puede ser anterior a la firma."),
            ),
            models.CheckConstraint(
                condition=Q(estado="borrador") | Q(fecha_firma__isnull=False),
                name="convenio_firmado_tiene_fecha",
                violation_error_message=_("Un convenio que no es borrador debe tener fecha de firma."),
            ),
            models.CheckConstraint(
                condition=Q(dias_prorroga_max__lte=15),
                name="convenio_prorroga_maxima_15_dias",
                violation_error_message=_("La prórroga no puede ser mayor a 15 días naturales (cláusula SÉPTIMA)."),
            ),
            models.CheckConstraint(
                condition=Q(fojas__isnull=True) | Q(fojas__gte=1),
                name="convenio_fojas_positivas",
                violation_error_message=_("El número de fojas debe ser al menos 1."),
            ),
            models.CheckConstraint(
                condition=Q(estado__in=EstadoConvenio.values),
                name="convenio_estado_valido",
                violation_error_message=_("El estado del convenio no es válido."),
            ),
        ]
        indexes = [models.Index(fields=["municipio", "estado"], name="convenio_municipio_estado")]

    def __str__(self) -> str:
        fecha = f" ({fecha_larga(self.fecha_firma)})" if self.fecha_firma else ""
        return f"Convenio {self.evaluacion.programa}{fecha}" if self.evaluacion_id else f"Convenio {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.fecha_limite and self.fecha_firma:
            self.fecha_limite = fin_de_anio(self.fecha_firma)
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.pk)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.fecha_limite and self.fecha_firma:
            self.fecha_limite = fin_de_anio(self.fecha_firma)
        errores: dict[str, list[str]] = {}

        def error(campo: str, mensaje: str) -> None:
            errores.setdefault(campo, []).append(mensaje)

        if not self.fecha_limite:
            error("fecha_limite", _("Indique la fecha límite de cumplimiento o la fecha de firma."))
        if self.evaluacion_id:
            if self.municipio_id and self.evaluacion.municipio_id != self.municipio_id:
                error("evaluacion", _("La evaluación es de otro municipio."))
            if self.dependencia_evaluada_id and self.evaluacion.dependencia_evaluada_id != self.dependencia_evaluada_id:
                error("dependencia_evaluada", _("La dependencia evaluada debe ser la de la evaluación."))
        ids = [getattr(self, f"{parte}_id") for parte, _tipo in PARTES if getattr(self, f"{parte}_id")]
        if len(ids) != len(set(ids)):
            error("__all__", _("Las cuatro partes del convenio deben ser dependencias distintas."))
        for parte, tipo in PARTES:
            dependencia: Dependencia | None = getattr(self, parte) if getattr(self, f"{parte}_id") else None
            if dependencia is None:
                continue
            if self.municipio_id and dependencia.municipio_id != self.municipio_id:
                error(parte, _("La parte «%(parte)s» es de otro municipio.") % {"parte": dependencia})
            if dependencia.tipo != tipo:
                error(
                    parte,
                    _("«%(dependencia)s» no es de tipo %(tipo)s.")
                    % {"dependencia": dependencia, "tipo": TipoDependencia(tipo).label},
                )
            firmante: Titular | None = (
                getattr(self, f"firmante_{parte}") if getattr(self, f"firmante_{parte}_id") else None
            )
            if firmante is not None:
                if firmante.dependencia_id != dependencia.pk:
                    error(f"firmante_{parte}", _("El firmante no es titular de «%(d)s».") % {"d": dependencia})
                elif self.fecha_firma and not firmante.vigente_en(self.fecha_firma):
                    error(
                        f"firmante_{parte}",
                        _("%(t)s no era titular el %(f)s.") % {"t": firmante, "f": fecha_larga(self.fecha_firma)},
                    )
        if self.estado != EstadoConvenio.BORRADOR:
            for parte, _tipo in PARTES:
                if not getattr(self, f"firmante_{parte}_id"):
                    error(f"firmante_{parte}", _("Un convenio firmado debe registrar a sus cuatro firmantes."))
        if self.pk and self.fecha_limite:
            fuera = self.aspectos.filter(fecha_compromiso__gt=self.fecha_limite).order_by("tipo", "numero").first()
            if fuera is not None:
                error(
                    "fecha_limite",
                    _("%(aspecto)s vence el %(fecha)s, después de la fecha límite (cláusula QUINTA).")
                    % {"aspecto": fuera.etiqueta, "fecha": fecha_larga(fuera.fecha_compromiso)},
                )
        if errores:
            raise ValidationError(errores)

    def firmantes(self) -> list[tuple[str, Dependencia, Titular | None]]:
        """(party label, dependencia, signatory) in the order of the signature blocks."""
        return [
            (Convenio._meta.get_field(parte).verbose_name, getattr(self, parte), getattr(self, f"firmante_{parte}"))
            for parte, _tipo in PARTES
        ]

    @property
    def listo_para_oficio(self) -> bool:
        """Every item atendida or cancelada (cláusula QUINTA): the oficio de cumplimiento may be issued."""
        return self.estado == EstadoConvenio.VIGENTE and todos_cumplidos(a.estado for a in self.aspectos.all())


# DOMAIN.md: a signed convenio's parties, items, actions, texts and dates change only by prórroga
# (SÉPTIMA, its own service moves ``fecha_vigente``) or modificación (NOVENA). What stays open is
# the follow-up: states, current dates, the delay kept, an action's avance.
CONGELADOS: dict[str, tuple[str, ...]] = {
    "convenio": (
        "municipio",
        "evaluacion",
        "fecha_firma",
        "fecha_limite",
        "dias_prorroga_max",
        "fojas",
        "documento_firmado",
        *(parte for parte, _tipo in PARTES),
        *(f"firmante_{parte}" for parte, _tipo in PARTES),
    ),
    "aspecto": ("convenio", "tipo", "numero", "texto", "prioridad", "clasificacion", "fecha_compromiso", "repite_a"),
    "accion": (
        "aspecto",
        "numero",
        "texto",
        "area_responsable",
        "area_responsable_texto",
        "fecha_termino",
        "producto_esperado",
    ),
}
ACTO_QUE_MODIFICA = "modificar"
# Registered once after signing if they were still empty (the scan often arrives after the signature);
# once registered they are frozen like the rest.
CONGELADOS_AL_REGISTRARSE = frozenset({"documento_firmado", "fojas"})


def exigir_no_congelado(instancia: models.Model, *, convenio_id: int | None, borrar: bool = False) -> None:
    """Refuses a change to what a signed convenio froze, unless it comes from its modificación act.

    The modificación service marks what it saves (``instancia._acto = "modificar"``); the state
    compared is the stored one, so the act that signs a borrador may still save it.
    """
    if getattr(instancia, "_acto", None) == ACTO_QUE_MODIFICA or convenio_id is None:
        return
    estado = Convenio.objects.filter(pk=convenio_id).values_list("estado", flat=True).first()
    if estado in (None, EstadoConvenio.BORRADOR):
        return
    mensaje = _(
        "El convenio está firmado: sus partes, hallazgos, recomendaciones, acciones, textos y fechas solo "
        "cambian por prórroga (cláusula SÉPTIMA) o por modificación (cláusula NOVENA)."
    )
    nombre = instancia._meta.model_name
    if instancia.pk is None or borrar:
        raise ValidationError(mensaje, code="convenio_firmado")
    campos = [instancia._meta.get_field(c) for c in CONGELADOS[nombre]]
    original = type(instancia)._default_manager.filter(pk=instancia.pk).values(*(c.attname for c in campos)).first()
    if original is None:
        return
    cambiados = [
        c.name
        for c in campos
        if original[c.attname] != _valor_guardable(getattr(instancia, c.attname))
        and not (c.name in CONGELADOS_AL_REGISTRARSE and original[c.attname] in (None, ""))
    ]
    if cambiados:
        raise ValidationError(dict.fromkeys(cambiados, ValidationError(mensaje, code="convenio_firmado")))


def _valor_guardable(valor: Any) -> Any:
    # A FieldFile compares with the stored name.
    return valor.name if hasattr(valor, "name") and hasattr(valor, "storage") else valor


class TipoAspecto(models.TextChoices):
    HALLAZGO = "hallazgo", _("Hallazgo")
    RECOMENDACION = "recomendacion", _("Recomendación")


class Prioridad(models.TextChoices):
    ALTA = "alta", _("Alta")
    MEDIA = "media", _("Media")
    BAJA = "baja", _("Baja")


class ClasificacionAspecto(models.TextChoices):
    """CONEVAL's classification of an ASM by who must act to attend it."""

    ESPECIFICO = "especifico", _("Específico")
    INSTITUCIONAL = "institucional", _("Institucional")
    INTERINSTITUCIONAL = "interinstitucional", _("Interinstitucional")
    INTERGUBERNAMENTAL = "intergubernamental", _("Intergubernamental")


class EstadoAspecto(models.TextChoices):
    PENDIENTE = "pendiente", _("Pendiente")
    EN_REVISION = "en_revision", _("En revisión")
    OBSERVADA = "observada", _("Observada")
    ATENDIDA = "atendida", _("Atendida")
    NO_ATENDIDA = "no_atendida", _("No atendida")
    CANCELADA = "cancelada", _("Cancelada")

    @classmethod
    def finales_cumplidos(cls) -> tuple[str, ...]:
        """States that count as done for the oficio de cumplimiento and for "vencida"."""
        return (cls.ATENDIDA, cls.CANCELADA)

    @classmethod
    def finales(cls) -> tuple[str, ...]:
        return (cls.ATENDIDA, cls.CANCELADA, cls.NO_ATENDIDA)


def todos_cumplidos(estados: Iterable[str]) -> bool:
    """Cláusula QUINTA: there is at least one item and every one is atendida or cancelada."""
    estados = set(estados)
    return bool(estados) and estados <= set(EstadoAspecto.finales_cumplidos())


class Semaforo(models.TextChoices):
    VERDE = "verde", _("Verde")
    AMARILLO = "amarillo", _("Amarillo")
    ROJO = "rojo", _("Rojo")


class AccionesEnTexto(models.Func):
    """An item's actions in one text cell, in SQL: "1. texto; 2. texto" in their order.

    The exports and the open data stream row by row; a correlated subquery gives each row its
    actions in the same query (a prefetch would be one more query per chunk of rows).
    """

    output_field = models.TextField()
    arity = 1

    def __init__(self, **extra: Any) -> None:
        super().__init__(F("pk"), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        pk, params = compiler.compile(self.source_expressions[0])
        return (
            "COALESCE((SELECT group_concat(linea, '; ') FROM (SELECT a.numero || '. ' || a.texto AS linea "
            f"FROM convenios_accion a WHERE a.aspecto_id = {pk} ORDER BY a.numero)), '')",
            params,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        pk, params = compiler.compile(self.source_expressions[0])
        return (
            "COALESCE((SELECT string_agg(a.numero || '. ' || a.texto, '; ' ORDER BY a.numero) "
            f"FROM convenios_accion a WHERE a.aspecto_id = {pk}), '')",
            params,
        )


class DiasEntre(models.Func):
    """Whole days from ``desde`` to ``hasta`` (two date expressions), as an integer, in SQL.

    Django's date subtraction yields a duration that SQLite cannot turn back into days,
    so each supported database gets its own expression.
    """

    output_field = IntegerField()
    arity = 2

    def __init__(self, desde: Any, hasta: Any, **extra: Any) -> None:
        super().__init__(hasta, desde, **extra)  # the SQL reads "hasta - desde"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s::date)", arg_joiner="::date - ", **extra)


def condicion_vencido(fecha: datetime.date | None = None) -> Q:
    """Overdue: today (Mexico City) is after the current date and the item is not atendida/cancelada.

    The rule written once, as a ``Q`` so that filters, annotations and aggregates
    (``vencidos``, ``con_semaforo``, ``con_dias_vencido``, the board's counts) share it.
    ``Aspecto.esta_vencido`` is its instance twin.
    """
    return Q(fecha_vigente__lt=fecha or hoy()) & ~Q(estado__in=EstadoAspecto.finales_cumplidos())


class AspectoQuerySet(PorMunicipioQuerySet):
    ruta_municipio = "convenio__municipio"
    ruta_dependencia = "convenio__dependencia_evaluada"

    def vencidos(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Overdue items (``condicion_vencido``)."""
        return self.filter(condicion_vencido(fecha))

    def con_semaforo(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Annotate ``semaforo`` (DOMAIN.md) in SQL, from dates and status only."""
        fecha = fecha or hoy()
        return self.annotate(
            semaforo=Case(
                When(estado__in=EstadoAspecto.finales_cumplidos(), then=Value(Semaforo.VERDE)),
                When(estado=EstadoAspecto.NO_ATENDIDA, then=Value(Semaforo.ROJO)),
                When(condicion_vencido(fecha), then=Value(Semaforo.ROJO)),
                When(
                    fecha_vigente__lte=fecha + datetime.timedelta(days=DIAS_AVISO_SEMAFORO),
                    then=Value(Semaforo.AMARILLO),
                ),
                default=Value(Semaforo.VERDE),
                output_field=models.CharField(),
            ),
            orden_tipo=Case(
                When(tipo=TipoAspecto.HALLAZGO, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )

    def con_dias_vencido(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Annotate ``n_dias_vencido`` in SQL: days past the current date for an overdue item, else 0.

        Same condition as ``vencidos``; ``Aspecto.dias_vencido`` is the instance twin (the
        annotation has another name so that it does not hide that method on the instance).
        """
        fecha = fecha or hoy()
        return self.annotate(
            n_dias_vencido=Case(
                When(
                    condicion_vencido(fecha),
                    then=DiasEntre(F("fecha_vigente"), Value(fecha, output_field=models.DateField())),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )


class Aspecto(models.Model):
    """A hallazgo (CUARTA a) or a recomendación with its acciones (CUARTA b): an item to follow up.

    Both kinds share this one model, and so one workflow (states in DOMAIN.md).
    """

    convenio = models.ForeignKey(
        Convenio, verbose_name=_("convenio"), on_delete=models.PROTECT, related_name="aspectos"
    )
    tipo = models.CharField(_("tipo"), max_length=15, choices=TipoAspecto.choices)
    numero = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1)])
    texto = models.TextField(_("texto"), help_text=_("Como lo redacta la cláusula CUARTA del convenio."))
    prioridad = models.CharField(_("prioridad"), max_length=5, choices=Prioridad.choices, blank=True)
    clasificacion = models.CharField(
        _("clasificación del ASM"),
        max_length=20,
        choices=ClasificacionAspecto.choices,
        blank=True,
        help_text=_("Según el mecanismo del CONEVAL: quién debe intervenir para atenderlo."),
    )
    fecha_compromiso = models.DateField(
        _("fecha de cumplimiento"),
        help_text=_(
            "La «Fecha de cumplimiento» del cuadro de la cláusula CUARTA (la original). Si el aspecto tiene "
            "acciones, es la más tardía de sus fechas de término."
        ),
    )
    # The current date: the original one moved by approved prórrogas. Stored (not
    # summed on the fly) because the overdue board filters and sorts on it.
    fecha_vigente = models.DateField(_("fecha de cumplimiento vigente"), blank=True)
    estado = models.CharField(
        _("estado"), max_length=12, choices=EstadoAspecto.choices, default=EstadoAspecto.PENDIENTE
    )
    # Kept when IMPLAN validates an item after its current date (DOMAIN.md: "atendida fuera de plazo").
    dias_fuera_de_plazo = models.PositiveIntegerField(_("días fuera de plazo"), null=True, blank=True, editable=False)
    repite_a = models.ForeignKey(
        "self",
        verbose_name=_("repite el aspecto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeticiones",
        help_text=_("El aspecto del convenio de la evaluación anterior que vuelve a señalarse en este."),
    )
    history = HistoricalRecords()

    objects = AspectoQuerySet.as_manager()

    class Meta:
        verbose_name = _("aspecto susceptible de mejora")
        verbose_name_plural = _("aspectos susceptibles de mejora")
        ordering = ["convenio", "-tipo", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["convenio", "tipo", "numero"],
                name="aspecto_numero_unico",
                violation_error_message=_("Ya existe un hallazgo o recomendación con ese número en el convenio."),
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="aspecto_numero_positivo",
                violation_error_message=_("El número debe ser 1 o mayor."),
            ),
            models.CheckConstraint(
                condition=Q(fecha_vigente__gte=F("fecha_compromiso")),
                name="aspecto_fecha_vigente_no_anterior",
                violation_error_message=_("La fecha vigente no puede ser anterior a la fecha compromiso original."),
            ),
            models.CheckConstraint(
                condition=Q(clasificacion__in=["", *ClasificacionAspecto.values]),
                name="aspecto_clasificacion_valida",
                violation_error_message=_(
                    "La clasificación debe ser específico, institucional, interinstitucional o intergubernamental."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=TipoAspecto.values),
                name="aspecto_tipo_valido",
                violation_error_message=_("El tipo debe ser hallazgo o recomendación."),
            ),
            models.CheckConstraint(
                condition=Q(estado__in=EstadoAspecto.values),
                name="aspecto_estado_valido",
                violation_error_message=_("El estado no es válido."),
            ),
            models.CheckConstraint(
                condition=Q(prioridad__in=["", *Prioridad.values]),
                name="aspecto_prioridad_valida",
                violation_error_message=_("La prioridad debe ser alta, media o baja."),
            ),
        ]
        indexes = [
            # The overdue board filters by status and sorts by the current date.
            models.Index(fields=["estado", "fecha_vigente"], name="aspecto_estado_fecha"),
            models.Index(fields=["fecha_vigente"], name="aspecto_fecha_vigente"),
        ]

    def __str__(self) -> str:
        return f"{self.etiqueta} — {self.texto[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.fecha_vigente:
            self.fecha_vigente = self.fecha_compromiso
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.convenio_id)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.fecha_vigente:
            self.fecha_vigente = self.fecha_compromiso
        # The convenio may still be unsaved (the admin's add page validates its rows before saving
        # it): the cached instance carries the deadline typed in the same form.
        convenio: Convenio | None = self._state.fields_cache.get("convenio") or (
            self.convenio if self.convenio_id else None
        )
        if convenio is None or not self.fecha_compromiso:
            return
        errores: dict[str, str] = {}
        if self.repite_a_id:
            anterior = self.repite_a
            evaluacion_anterior = convenio.evaluacion.evaluacion_anterior_id if convenio.evaluacion_id else None
            if evaluacion_anterior is None:
                errores["repite_a"] = _("Indique primero en la evaluación cuál es la evaluación anterior que revisa.")
            elif anterior.convenio.evaluacion_id != evaluacion_anterior:
                errores["repite_a"] = _("El aspecto repetido debe ser del convenio de la evaluación anterior.")
        if convenio.fecha_limite and self.fecha_compromiso > convenio.fecha_limite:
            errores["fecha_compromiso"] = _(
                "La fecha de cumplimiento no puede exceder el %(limite)s (cláusula QUINTA)."
            ) % {"limite": fecha_larga(convenio.fecha_limite)}
        elif self.fecha_vigente and (self.fecha_vigente - self.fecha_compromiso).days > convenio.dias_prorroga_max:
            errores["fecha_vigente"] = _(
                "La prórroga total no puede ser mayor a %(dias)s días naturales (cláusula SÉPTIMA)."
            ) % {"dias": convenio.dias_prorroga_max}
        if errores:
            raise ValidationError(errores, code="fecha_fuera_de_plazo")

    @property
    def etiqueta(self) -> str:
        return f"{self.get_tipo_display()} {self.numero}"

    def esta_vencido(self, fecha: datetime.date | None = None) -> bool:
        """Instance twin of ``AspectoQuerySet.vencidos``."""
        return self.fecha_vigente < (fecha or hoy()) and self.estado not in EstadoAspecto.finales_cumplidos()

    def semaforo_en(self, fecha: datetime.date | None = None) -> str:
        """Instance twin of ``AspectoQuerySet.con_semaforo`` (used when the annotation is absent)."""
        fecha = fecha or hoy()
        if self.estado in EstadoAspecto.finales_cumplidos():
            return Semaforo.VERDE
        if self.estado == EstadoAspecto.NO_ATENDIDA or self.esta_vencido(fecha):
            return Semaforo.ROJO
        if (self.fecha_vigente - fecha).days <= DIAS_AVISO_SEMAFORO:
            return Semaforo.AMARILLO
        return Semaforo.VERDE

    def dias_vencido(self, fecha: datetime.date | None = None) -> int:
        """Instance twin of ``AspectoQuerySet.con_dias_vencido``."""
        return max(0, ((fecha or hoy()) - self.fecha_vigente).days) if self.esta_vencido(fecha) else 0

    @property
    def fuera_de_plazo(self) -> str:
        """ "atendida fuera de plazo (12 días)": the semáforo stays green, this mark stays with it."""
        if self.estado != EstadoAspecto.ATENDIDA or not self.dias_fuera_de_plazo:
            return ""
        dias = self.dias_fuera_de_plazo
        return _("atendida fuera de plazo (%(n)s día%(s)s)") % {"n": dias, "s": "" if dias == 1 else "s"}

    @property
    def repetido_de(self) -> str:
        """ "repetido de PAE 2021" (the Contraloría looks for ASM that come back cycle after cycle)."""
        if not self.repite_a_id:
            return ""
        return _("repetido de PAE %(anio)s") % {"anio": self.repite_a.convenio.evaluacion.anio_pae}

    def ajustar_fecha_a_acciones(self) -> None:
        """DOMAIN.md, "Items and their actions": the item's date is the latest of its actions' dates.

        An approved prórroga keeps its days: the current date moves with the original one.
        """
        ultima = self.acciones.aggregate(ultima=Max("fecha_termino"))["ultima"]
        if ultima is None or ultima == self.fecha_compromiso:
            return
        prorrogado = self.fecha_vigente - self.fecha_compromiso if self.fecha_vigente else datetime.timedelta(0)
        self.fecha_compromiso = ultima
        self.fecha_vigente = ultima + prorrogado
        self.save(update_fields=["fecha_compromiso", "fecha_vigente"])


class Accion(models.Model):
    """One action of an item (CUARTA b's "Acciones" column), with its own area, end date and product.

    Real ASM documents list several per item; the seed has one per recomendación.
    """

    aspecto = models.ForeignKey(Aspecto, verbose_name=_("aspecto"), on_delete=models.CASCADE, related_name="acciones")
    numero = models.PositiveSmallIntegerField(_("número"), default=1, validators=[MinValueValidator(1)])
    texto = models.TextField(_("acción"), help_text=_("La columna «Acciones» del cuadro de la cláusula CUARTA b."))
    area_responsable = models.ForeignKey(
        Dependencia,
        verbose_name=_("área responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Una dependencia del municipio; o escriba el área abajo si no está en el catálogo."),
    )
    area_responsable_texto = models.CharField(
        _("área responsable (texto)"),
        max_length=200,
        blank=True,
        help_text=_("P. ej. «Coordinación de Capacitación», si el área no es una dependencia del catálogo."),
    )
    fecha_termino = models.DateField(
        _("fecha de término"), help_text=_("La «Fecha de cumplimiento» de esta acción en el convenio.")
    )
    producto_esperado = models.TextField(
        _("producto o evidencia esperada"),
        blank=True,
        help_text=_("Lo que la dependencia entregará como evidencia, p. ej. «formato PbRM-02a»."),
    )
    avance = models.PositiveSmallIntegerField(
        _("avance (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Porcentaje que reporta la dependencia evaluada."),
    )
    nota_avance = models.TextField(_("nota del avance"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acción")
        verbose_name_plural = _("acciones")
        ordering = ["aspecto", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspecto", "numero"],
                name="accion_numero_unico",
                violation_error_message=_("Ya existe una acción con ese número en el aspecto."),
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="accion_numero_positivo",
                violation_error_message=_("El número debe ser 1 o mayor."),
            ),
            models.CheckConstraint(
                condition=Q(avance__gte=0, avance__lte=100),
                name="accion_avance_porcentaje",
                violation_error_message=_("El avance es un porcentaje entre 0 y 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero}. {self.texto[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.aspecto.convenio_id)
        super().save(*args, **kwargs)
        self.aspecto._acto = getattr(self, "_acto", None)
        self.aspecto.ajustar_fecha_a_acciones()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        aspecto = self.aspecto
        exigir_no_congelado(self, convenio_id=aspecto.convenio_id, borrar=True)
        resultado = super().delete(*args, **kwargs)
        aspecto._acto = getattr(self, "_acto", None)
        aspecto.ajustar_fecha_a_acciones()
        return resultado

    def clean(self) -> None:
        aspecto: Aspecto | None = self._state.fields_cache.get("aspecto") or (self.aspecto if self.aspecto_id else None)
        convenio = aspecto._state.fields_cache.get("convenio") if aspecto is not None else None
        if convenio is None and aspecto is not None and aspecto.convenio_id:
            convenio = aspecto.convenio
        if convenio is None:
            return
        errores: dict[str, str] = {}
        if convenio.fecha_limite and self.fecha_termino and self.fecha_termino > convenio.fecha_limite:
            errores["fecha_termino"] = _(
                "La fecha de término no puede exceder el %(limite)s, fecha límite del convenio (cláusula QUINTA)."
            ) % {"limite": fecha_larga(convenio.fecha_limite)}
        if (
            self.area_responsable_id
            and convenio.municipio_id
            and self.area_responsable.municipio_id != convenio.municipio_id
        ):
            errores["area_responsable"] = _("El área responsable es de otro municipio.")
        if errores:
            raise ValidationError(errores, code="accion_invalida")

    @property
    def area(self) -> str:
        """The responsible area as the documents print it."""
        if self.area_responsable_id:
            return self.area_responsable.nombre
        return self.area_responsable_texto


def usuario_es_implan(user: Usuario | Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or getattr(user, "rol", None) == TipoDependencia.IMPLAN
    )
