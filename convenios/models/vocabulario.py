"""The agreement's vocabulary: the kinds and states every model, form and page names (DOMAIN.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EstructuraProgramatica(models.TextChoices):
    """The form of a program key, a setting of the municipio's state (DOMAIN.md, "Program keys")."""

    EDOMEX = "edomex", _("Estado de México: 8, 10 o 12 dígitos")
    CONAC = "conac", _("CONAC: una letra y tres dígitos (p. ej. E001)")


class TipoDependencia(models.TextChoices):
    IMPLAN = "implan", _("IMPLAN / UIPPE")
    TESORERIA = "tesoreria", _("Tesorería")
    CONTRALORIA = "contraloria", _("Contraloría")
    DEPENDENCIA = "dependencia", _("Dependencia u organismo")


class NivelPrograma(models.TextChoices):
    """Level of the estructura programática a key names, from its length (DOMAIN.md, "Program keys")."""

    PROGRAMA = "programa", _("Programa")
    SUBPROGRAMA = "subprograma", _("Subprograma")
    PROYECTO = "proyecto", _("Proyecto")


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


class EstadoConvenio(models.TextChoices):
    BORRADOR = "borrador", _("Borrador")
    VIGENTE = "vigente", _("Vigente")
    CUMPLIDO = "cumplido", _("Cumplido")
    INCUMPLIDO = "incumplido", _("Incumplido")

    @classmethod
    def firmados(cls) -> tuple[str, ...]:
        """Every state after the signature: what the portal publishes and what the Anexo 1 reports."""
        return tuple(estado for estado in cls.values if estado != cls.BORRADOR)


# (party, kind its dependencia must be) for the four parties of a convenio (proemio).
PARTES: tuple[tuple[str, str], ...] = (
    ("implan", TipoDependencia.IMPLAN),
    ("tesoreria", TipoDependencia.TESORERIA),
    ("contraloria", TipoDependencia.CONTRALORIA),
    ("dependencia_evaluada", TipoDependencia.DEPENDENCIA),
)


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
