"""A row's CheckConstraints validated by one query when ``save()`` runs ``full_clean()``.

Django's ``Model.validate_constraints`` asks the database once for each CheckConstraint, each time inside
a savepoint of its own when a transaction is open: three statements per rule. An item (six rules) cost
eighteen statements before its INSERT, and capturing a convenio saves each of its items and actions.
Here the conditions become the columns of a single SELECT, in one savepoint: a false column raises that
constraint's own message, as Django would, in the same order. A NULL condition passes, as it does in the
database's CHECK. The other constraints (unique ones need a lookup each) still go through Django."""

from __future__ import annotations

import logging
from collections.abc import Collection
from contextlib import nullcontext, suppress

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


class RestriccionesEnUnaConsulta(models.Model):
    class Meta:
        abstract = True

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        using = router.db_for_write(type(self), instance=self)
        errores: dict[str, list[ValidationError]] = {}
        for modelo, restricciones in self.get_constraints():
            incumplidas = _revisiones_incumplidas(self, modelo, restricciones, exclude, using)
            for restriccion in restricciones:
                try:
                    if not isinstance(restriccion, models.CheckConstraint) or incumplidas is None:
                        restriccion.validate(modelo, self, exclude=exclude, using=using)
                    elif restriccion.name in incumplidas:
                        raise ValidationError(
                            restriccion.get_violation_error_message(), code=restriccion.violation_error_code
                        )
                except ValidationError as error:
                    campos = getattr(restriccion, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(campos) == 1:
                        errores.setdefault(campos[0], []).append(error)
                    else:
                        errores = error.update_error_dict(errores)
        if errores:
            raise ValidationError(errores)


def _revisiones_incumplidas(
    instancia: models.Model,
    modelo: type[models.Model],
    restricciones: Collection[models.BaseConstraint],
    exclude: Collection[str] | None,
    using: str,
) -> set[str] | None:
    """The names of the CheckConstraints the row breaks, or None when the query cannot say (then each is asked
    on its own, as Django does). A rule on an excluded field is not asked (Django skips it too)."""
    consulta = Query(None)
    for nombre, valor in instancia._get_field_expression_map(meta=modelo._meta, exclude=exclude).items():
        consulta.add_annotation(valor if hasattr(valor, "resolve_expression") else Value(valor), nombre, select=False)
    for restriccion in restricciones:
        if not isinstance(restriccion, models.CheckConstraint):
            continue
        condicion = Coalesce(ExpressionWrapper(Q(restriccion.condition), output_field=BooleanField()), Value(True))
        with suppress(FieldError):
            consulta.add_annotation(condicion, restriccion.name)
    if not consulta.annotation_select:
        return set()
    conexion = connections[using]
    try:
        with transaction.atomic(using=using) if conexion.in_atomic_block else nullcontext():
            fila = consulta.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as error:
        logger.warning("Las restricciones de %s no se pudieron revisar juntas: %s", modelo.__name__, error)
        return None
    return {nombre for nombre, cumple in zip(consulta.annotation_select, fila, strict=True) if not cumple}
