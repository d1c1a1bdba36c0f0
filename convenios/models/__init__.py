"""The agreement and what it contains: parties, programs, evaluations, findings and recommendations.

Rules live here (``clean()``) and in the database (named constraints, and the
triggers of migration 0002 for the rules that span two tables), so neither a
form nor a script can bypass them. ``save()`` runs ``full_clean()`` for the
models whose rules span rows, so the ORM reports a violation in Spanish before
the database has to.

One module per concept: calendario, vocabulario, municipios, programas, convenio, aspectos (and restricciones,
the base that asks a row's CheckConstraints in one query); everything is importable from here."""

from __future__ import annotations

from convenios.models.aspectos import (
    Accion,
    AccionesEnTexto,
    Aspecto,
    AspectoQuerySet,
    agregar_conteos,
)
from convenios.models.calendario import (
    DIAS_AVISO_SEMAFORO,
    DiasEntre,
    Semaforo,
    condicion_vencido,
    fin_de_anio,
    hoy,
)
from convenios.models.convenio import (
    ACTO_QUE_MODIFICA,
    CONGELADOS,
    CONGELADOS_AL_REGISTRARSE,
    Convenio,
    ConvenioQuerySet,
    Modificacion,
    exigir_no_congelado,
)
from convenios.models.municipios import (
    Dependencia,
    DependenciaQuerySet,
    Municipio,
    PorMunicipioQuerySet,
    Titular,
)
from convenios.models.programas import (
    CLAVE_CONAC,
    CLAVE_EDOMEX,
    NIVEL_POR_DIGITOS,
    Evaluacion,
    EvaluacionQuerySet,
    ProgramaPresupuestario,
    ProgramaPresupuestarioQuerySet,
    nivel_de_clave,
)
from convenios.models.vocabulario import (
    NOMBRE_EVALUACION,
    PARTES,
    ClasificacionAspecto,
    EstadoAspecto,
    EstadoConvenio,
    EstructuraProgramatica,
    NivelPrograma,
    Prioridad,
    TipoAspecto,
    TipoDependencia,
    TipoEvaluacion,
)

__all__ = [
    "agregar_conteos",
    "ACTO_QUE_MODIFICA",
    "Accion",
    "AccionesEnTexto",
    "Aspecto",
    "AspectoQuerySet",
    "CLAVE_CONAC",
    "CLAVE_EDOMEX",
    "CONGELADOS",
    "CONGELADOS_AL_REGISTRARSE",
    "ClasificacionAspecto",
    "Convenio",
    "ConvenioQuerySet",
    "DIAS_AVISO_SEMAFORO",
    "Dependencia",
    "DependenciaQuerySet",
    "DiasEntre",
    "EstadoAspecto",
    "EstadoConvenio",
    "EstructuraProgramatica",
    "Evaluacion",
    "EvaluacionQuerySet",
    "Modificacion",
    "Municipio",
    "NIVEL_POR_DIGITOS",
    "NOMBRE_EVALUACION",
    "NivelPrograma",
    "PARTES",
    "PorMunicipioQuerySet",
    "Prioridad",
    "ProgramaPresupuestario",
    "ProgramaPresupuestarioQuerySet",
    "Semaforo",
    "TipoAspecto",
    "TipoDependencia",
    "TipoEvaluacion",
    "Titular",
    "condicion_vencido",
    "exigir_no_congelado",
    "fin_de_anio",
    "hoy",
    "nivel_de_clave",
]
