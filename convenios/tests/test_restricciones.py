"""The CheckConstraints of a row asked in one query (convenios/models/restricciones.py): the same answer as
Django's own validate_constraints, which asks once per rule, in fewer statements."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convenios.models import Accion, Aspecto, ClasificacionAspecto, EstadoAspecto, Prioridad, TipoAspecto
from convenios.models.restricciones import RestriccionesEnUnaConsulta

AJUSTES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

fechas = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31))


def _valores(opciones: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(opciones), st.text(max_size=12))


def _errores(validar, instancia: models.Model, excluidos: set[str]) -> dict[str, list[str]] | str:  # type: ignore[no-untyped-def]
    """The messages of the rules broken, or the exception that is not a rule's (PostgreSQL takes no NUL
    character in a text: Django's own validation raises psycopg's ValueError, and so must this one; a form
    rejects the NUL before, with a message)."""
    try:
        validar(instancia, exclude=excluidos)
    except ValidationError as error:
        return error.message_dict
    except ValueError as error:
        return f"ValueError: {error}"
    return {}


def _como_django(instancia: models.Model, excluidos: set[str]) -> dict[str, list[str]] | str:
    return _errores(models.Model.validate_constraints, instancia, excluidos)


def _en_una_consulta(instancia: models.Model, excluidos: set[str]) -> dict[str, list[str]] | str:
    return _errores(RestriccionesEnUnaConsulta.validate_constraints, instancia, excluidos)


@AJUSTES
@given(
    numero=st.integers(min_value=-3, max_value=4),
    tipo=_valores(TipoAspecto.values),
    estado=_valores(EstadoAspecto.values),
    clasificacion=_valores(["", *ClasificacionAspecto.values]),
    prioridad=_valores(["", *Prioridad.values]),
    compromiso=fechas,
    vigente=fechas,
    excluidos=st.sets(st.sampled_from(["numero", "tipo", "estado", "fecha_vigente", "convenio"])),
)
def test_un_aspecto_recibe_los_mismos_mensajes_que_de_django(
    convenio, numero, tipo, estado, clasificacion, prioridad, compromiso, vigente, excluidos
):
    aspecto = Aspecto.objects.filter(convenio=convenio).first()
    aspecto.pk = None  # a new item: its number may repeat one of the convenio's (the unique rule)
    aspecto.numero, aspecto.tipo, aspecto.estado = numero, tipo, estado
    aspecto.clasificacion, aspecto.prioridad = clasificacion, prioridad
    aspecto.fecha_compromiso, aspecto.fecha_vigente = compromiso, vigente
    assert _en_una_consulta(aspecto, excluidos) == _como_django(aspecto, excluidos)


@AJUSTES
@given(numero=st.integers(min_value=-2, max_value=3), avance=st.integers(min_value=-5, max_value=105))
def test_una_accion_recibe_los_mismos_mensajes_que_de_django(convenio, numero, avance):
    accion = Accion.objects.filter(aspecto__convenio=convenio).first()
    accion.numero, accion.avance = numero, avance
    for excluidos in (set(), {"avance"}, {"aspecto"}):
        assert _en_una_consulta(accion, excluidos) == _como_django(accion, excluidos)


def test_una_accion_fuera_de_regla_dice_cada_regla_que_rompe(convenio):
    accion = Accion.objects.filter(aspecto__convenio=convenio).first()
    accion.numero, accion.avance = 0, 150
    with pytest.raises(ValidationError) as error:
        accion.validate_constraints()
    assert error.value.message_dict["__all__"] == [
        "El número debe ser 1 o mayor.",
        "El avance es un porcentaje entre 0 y 100.",
    ]
    accion.validate_constraints(exclude=["numero", "avance"])  # the rules on the fields left out are not asked


def test_las_reglas_de_un_aspecto_cuestan_una_consulta_y_no_una_por_regla(convenio):
    """Inside a transaction (as every save runs) Django wraps each rule in a savepoint: the item's six rules
    were 18 statements; now they are a savepoint, one SELECT and its release. The unique rule is one more."""
    aspecto = Aspecto.objects.filter(convenio=convenio).first()
    assert sum(isinstance(r, models.CheckConstraint) for r in aspecto._meta.constraints) == 6
    with CaptureQueriesContext(connection) as como_django:
        models.Model.validate_constraints(aspecto)
    with CaptureQueriesContext(connection) as juntas:
        aspecto.validate_constraints()
    assert len(como_django) == 1 + 6 * 3
    assert len(juntas) == 1 + 3


def test_si_la_base_no_puede_revisar_las_reglas_juntas_se_revisan_una_por_una(convenio, caplog):
    """A condition the database cannot evaluate (an invalid regular expression, on SQLite and PostgreSQL): the
    joint query is given up, logged, and each rule is asked on its own as Django does, so the others still
    answer, and the transaction goes on (the failed query ran in its own savepoint)."""
    accion = Accion.objects.filter(aspecto__convenio=convenio).first()
    accion.numero = 0
    rota = models.CheckConstraint(condition=Q(texto__regex="("), name="regla_que_la_base_no_evalua")
    accion.get_constraints = lambda: [(Accion, [*Accion._meta.constraints, rota])]
    with caplog.at_level(logging.WARNING, logger="convenios.models.restricciones"):
        errores = _en_una_consulta(accion, set())
    assert errores == {"__all__": ["El número debe ser 1 o mayor."]}
    assert "no se pudieron revisar juntas" in caplog.text
    assert Accion.objects.filter(pk=accion.pk).exists()
