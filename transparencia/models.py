"""What the public portal needs that the convenio data does not hold: the CONAC Anexo 1 fields.

The "Formato para la difusión de los resultados de las evaluaciones" (CONAC, Anexo 1)
asks for things the system cannot know (objectives, methodology, FODA, contracting
data, publication addresses). IMPLAN completes them in the admin; everything the
system does know (program, type, dates, evaluator, cost, recommendations) is read
from the evaluation and its convenio when the format is rendered, never copied here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from convenios.formatos import fecha_larga
from convenios.models import Evaluacion, PorMunicipioQuerySet, hoy

DIAS_PUBLICACION = 30
"""LGCG art. 79 and the CONAC norm: results published within 30 days of the evaluation's end."""


class TipoContratacion(models.TextChoices):
    ADJUDICACION_DIRECTA = "adjudicacion_directa", _("Adjudicación directa")
    INVITACION_TRES = "invitacion_tres", _("Invitación a cuando menos tres personas")
    LICITACION_NACIONAL = "licitacion_nacional", _("Licitación pública nacional")
    LICITACION_INTERNACIONAL = "licitacion_internacional", _("Licitación pública internacional")
    OTRO = "otro", _("Otro")


class PoderPublico(models.TextChoices):
    EJECUTIVO = "ejecutivo", _("Poder Ejecutivo")
    LEGISLATIVO = "legislativo", _("Poder Legislativo")
    JUDICIAL = "judicial", _("Poder Judicial")
    AUTONOMO = "autonomo", _("Ente autónomo")


class AmbitoGubernamental(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    ESTATAL = "estatal", _("Estatal")
    LOCAL = "local", _("Local")


class Anexo1QuerySet(PorMunicipioQuerySet):
    ruta_municipio = "evaluacion__municipio"
    ruta_dependencia = "evaluacion__dependencia_evaluada"


class Anexo1(models.Model):
    """The fields of the CONAC Anexo 1 that IMPLAN captures; numbered as in the format."""

    evaluacion = models.OneToOneField(
        Evaluacion, verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="anexo1"
    )
    # 1. Descripción de la evaluación
    nombre_evaluacion = models.CharField(
        _("1.1 nombre de la evaluación"),
        max_length=300,
        blank=True,
        help_text=_("Si se deja vacío se publica «Evaluación <tipo> del programa <clave y nombre>»."),
    )
    responsable_seguimiento = models.CharField(
        _("1.4 responsable de dar seguimiento a la evaluación"),
        max_length=200,
        blank=True,
        help_text=_("Nombre y cargo. Si se deja vacío se publica el titular del IMPLAN."),
    )
    objetivo_general = models.TextField(_("1.5 objetivo general de la evaluación"), blank=True)
    objetivos_especificos = models.TextField(_("1.6 objetivos específicos de la evaluación"), blank=True)
    instrumento_cuestionarios = models.BooleanField(_("cuestionarios"), default=False)
    instrumento_entrevistas = models.BooleanField(_("entrevistas"), default=False)
    instrumento_formatos = models.BooleanField(_("formatos"), default=False)
    instrumento_otros = models.CharField(_("otros instrumentos (especifique)"), max_length=300, blank=True)
    metodologia = models.TextField(_("1.7 descripción de las técnicas y modelos utilizados"), blank=True)
    # 2. Principales hallazgos
    hallazgos_relevantes = models.TextField(
        _("2.1 hallazgos más relevantes"),
        blank=True,
        help_text=_("Si se deja vacío se publican los hallazgos registrados en el convenio."),
    )
    fortalezas = models.TextField(_("2.2.1 fortalezas"), blank=True)
    oportunidades = models.TextField(_("2.2.2 oportunidades"), blank=True)
    debilidades = models.TextField(_("2.2.3 debilidades"), blank=True)
    amenazas = models.TextField(_("2.2.4 amenazas"), blank=True)
    # 3. Conclusiones (the recommendations, 3.2, come from the convenio)
    conclusiones = models.TextField(_("3.1 conclusiones de la evaluación"), blank=True)
    # 4. Instancia evaluadora (the institution's name comes from the evaluation)
    coordinador = models.CharField(_("4.1 coordinador de la evaluación"), max_length=200, blank=True)
    cargo_coordinador = models.CharField(_("4.2 cargo"), max_length=200, blank=True)
    colaboradores = models.TextField(_("4.4 principales colaboradores"), blank=True)
    # The format asks for a contact; it is published, so the help text asks for an
    # institutional address and switchboard, never a personal one.
    correo_coordinador = models.EmailField(
        _("4.5 correo electrónico institucional de contacto"),
        blank=True,
        help_text=_("Se publica. Use un correo institucional de la instancia evaluadora, no uno personal."),
    )
    telefono_coordinador = models.CharField(
        _("4.6 teléfono institucional (con clave lada)"), max_length=40, blank=True, help_text=_("Se publica.")
    )
    # 5. Identificación del programa
    siglas_programa = models.CharField(_("5.2 siglas del programa"), max_length=40, blank=True)
    poder_publico = models.CharField(
        _("5.4 poder público"), max_length=12, choices=PoderPublico.choices, default=PoderPublico.EJECUTIVO
    )
    ambito = models.CharField(
        _("5.5 ámbito gubernamental"),
        max_length=8,
        choices=AmbitoGubernamental.choices,
        default=AmbitoGubernamental.LOCAL,
    )
    # 6. Datos de contratación (the cost, 6.3, comes from the evaluation)
    tipo_contratacion = models.CharField(
        _("6.1 tipo de contratación"), max_length=25, choices=TipoContratacion.choices, blank=True
    )
    tipo_contratacion_otro = models.CharField(_("otro tipo de contratación (señale)"), max_length=200, blank=True)
    unidad_contratante = models.CharField(
        _("6.2 unidad administrativa responsable de contratar la evaluación"), max_length=200, blank=True
    )
    fuente_financiamiento = models.CharField(_("6.4 fuente de financiamiento"), max_length=200, blank=True)
    # 7. Difusión
    url_evaluacion = models.URLField(_("7.1 difusión en internet de la evaluación"), max_length=500, blank=True)
    url_formato = models.URLField(_("7.2 difusión en internet del formato"), max_length=500, blank=True)
    fecha_publicacion = models.DateField(
        _("fecha de publicación"),
        null=True,
        blank=True,
        help_text=_("Día en que se publicó el formato en internet; detiene el aviso del plazo de 30 días."),
    )
    history = HistoricalRecords()

    objects = Anexo1QuerySet.as_manager()

    class Meta:
        verbose_name = _("Anexo 1 CONAC")
        verbose_name_plural = _("Anexos 1 CONAC")
        ordering = ["-evaluacion__anio_pae", "evaluacion__programa__clave"]

    def __str__(self) -> str:
        return f"Anexo 1 · {self.evaluacion}"


def limite_publicacion(evaluacion: Evaluacion) -> datetime.date | None:
    """LGCG art. 79: the last day to publish the results, 30 días naturales after the evaluation ends."""
    if evaluacion.fecha_termino is None:
        return None
    return evaluacion.fecha_termino + datetime.timedelta(days=DIAS_PUBLICACION)


@dataclass(frozen=True)
class PlazoPublicacion:
    """What IMPLAN sees about the 30-day limit: a countdown, or a warning once it has passed."""

    clave: str  # "publicado", "en_plazo", "por_vencer", "vencido", "sin_fecha"
    texto: str
    limite: datetime.date | None
    dias: int | None

    @property
    def es_aviso(self) -> bool:
        return self.clave == "vencido"


DIAS_AVISO_PUBLICACION = 7
"""With a week or less left the countdown turns into a reminder."""


def plazo_publicacion(
    evaluacion: Evaluacion, anexo: Anexo1 | None = None, fecha: datetime.date | None = None
) -> PlazoPublicacion:
    limite = limite_publicacion(evaluacion)
    if anexo is not None and anexo.fecha_publicacion:
        return PlazoPublicacion(
            "publicado", _("Publicado el %(f)s") % {"f": fecha_larga(anexo.fecha_publicacion)}, limite, None
        )
    if limite is None:
        return PlazoPublicacion("sin_fecha", _("Sin fecha de término: capture la fecha en la evaluación"), None, None)
    dias = (limite - (fecha or hoy())).days
    if dias < 0:
        texto = ngettext(
            "Plazo vencido hace %(n)d día (límite: %(f)s)", "Plazo vencido hace %(n)d días (límite: %(f)s)", -dias
        ) % {"n": -dias, "f": fecha_larga(limite)}
        return PlazoPublicacion("vencido", texto, limite, dias)
    if dias == 0:
        return PlazoPublicacion("por_vencer", _("Vence hoy (%(f)s)") % {"f": fecha_larga(limite)}, limite, dias)
    texto = ngettext("Queda %(n)d día (límite: %(f)s)", "Quedan %(n)d días (límite: %(f)s)", dias) % {
        "n": dias,
        "f": fecha_larga(limite),
    }
    return PlazoPublicacion("por_vencer" if dias <= DIAS_AVISO_PUBLICACION else "en_plazo", texto, limite, dias)
