"""Writes on a convenio's contents. Keyword-only, atomic; the model rules are asked, never repeated."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from convenios import politica
from convenios.importar import FilaNoLeida, Lectura
from convenios.models import Accion, Aspecto, Convenio, Dependencia


def motivo_para_no_importar(usuario: Any, convenio: Convenio) -> str | None:
    """Why this user cannot import items into this convenio now (None: it can); the rule is the
    act "importar" of ``convenios.politica`` (an empty borrador: a signed convenio's items change
    only by prórroga or modificación, and importing over captured items would mix two cláusulas CUARTA)."""
    decision = politica.decidir(usuario, "importar", convenio)
    return None if decision else decision.razon


def _areas(convenio: Convenio) -> dict[str, Dependencia]:
    """The municipio's dependencias by name and by siglas, lowercased: an "Área responsable" that
    names one becomes a link to it; any other text is kept as text."""
    por_nombre: dict[str, Dependencia] = {}
    for dependencia in Dependencia.objects.filter(municipio=convenio.municipio_id):
        por_nombre[dependencia.nombre.strip().lower()] = dependencia
        if dependencia.siglas:
            por_nombre.setdefault(dependencia.siglas.strip().lower(), dependencia)
    return por_nombre


def _construir(
    convenio: Convenio, lectura: Lectura, areas: dict[str, Dependencia]
) -> list[tuple[Aspecto, list[Accion]]]:
    """Unsaved model instances for what was read. A hallazgo without actions nor a date of its own
    takes the convenio's deadline (cláusula QUINTA), as the seed's hallazgos do."""
    construidos = []
    for leido in lectura.aspectos:
        aspecto = Aspecto(
            convenio=convenio,
            tipo=leido.tipo,
            numero=leido.numero,
            texto=leido.texto,
            prioridad=leido.prioridad,
            clasificacion=leido.clasificacion,
            fecha_compromiso=leido.fecha_compromiso or convenio.fecha_limite,
        )
        acciones = []
        for a in leido.acciones:
            area = areas.get(a.area_responsable.strip().lower())
            acciones.append(
                Accion(
                    aspecto=aspecto,
                    numero=a.numero,
                    texto=a.texto,
                    area_responsable=area,
                    area_responsable_texto="" if area else a.area_responsable,
                    fecha_termino=a.fecha_termino,
                    producto_esperado=a.producto_esperado,
                )
            )
        construidos.append((aspecto, acciones))
    return construidos


def _mensajes(error: ValidationError, modelo: Any) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    partes = []
    for campo, errores in error.message_dict.items():
        textos = " ".join(errores)
        if campo == "__all__":
            partes.append(textos)
        else:
            partes.append(f"{modelo._meta.get_field(campo).verbose_name}: {textos}")
    return " ".join(partes)


def lectura_revisar(*, convenio: Convenio, lectura: Lectura) -> list[FilaNoLeida]:
    """What the model rules refuse in a reading (dates past the deadline, cláusula QUINTA; lengths;
    areas of another municipio), per item and action. Saves nothing."""
    problemas: list[FilaNoLeida] = []
    for aspecto, acciones in _construir(convenio, lectura, _areas(convenio)):
        for accion in acciones:
            try:
                accion.full_clean(exclude=["aspecto"])
            except ValidationError as error:
                problemas.append(
                    FilaNoLeida(
                        lugar=_("%(aspecto)s, acción %(n)s") % {"aspecto": aspecto.etiqueta, "n": accion.numero},
                        motivo=_mensajes(error, Accion),
                    )
                )
        try:
            aspecto.full_clean()
        except ValidationError as error:
            problemas.append(FilaNoLeida(lugar=aspecto.etiqueta, motivo=_mensajes(error, Aspecto)))
    return problemas


@transaction.atomic
def convenio_importar(*, convenio: Convenio, lectura: Lectura, usuario: Any) -> list[Aspecto]:
    """Saves the hallazgos and recomendaciones read from a file, with their actions: all or nothing.

    Refused (``ValidationError``, nothing saved) when the convenio is not an empty borrador, when
    the file had rows that could not be read, or when a model rule refuses any item or action.
    """
    # The row lock makes two confirmations of the same import (two tabs, a double click) wait for
    # each other: the second finds the items of the first and is refused.
    convenio = Convenio.objects.select_for_update().get(pk=convenio.pk)
    politica.exigir(usuario, "importar", convenio)
    if lectura.no_leidas:
        raise ValidationError(
            _(
                "El archivo tiene %(n)s renglones que no se pudieron leer; corríjalos y vuelva a subirlo. "
                "No se guardó nada."
            )
            % {"n": len(lectura.no_leidas)},
            code="lectura_incompleta",
        )
    if not lectura.aspectos:
        raise ValidationError(_("El archivo no contiene hallazgos ni recomendaciones."), code="sin_aspectos")
    problemas = lectura_revisar(convenio=convenio, lectura=lectura)
    if problemas:
        raise ValidationError([str(p) for p in problemas], code="reglas_del_convenio")
    guardados = []
    try:
        for aspecto, acciones in _construir(convenio, lectura, _areas(convenio)):
            aspecto._history_user = usuario
            aspecto.save()
            for accion in acciones:
                accion.aspecto = aspecto
                accion._history_user = usuario
                accion.save()
            guardados.append(aspecto)
    except IntegrityError as error:
        # A database rule (constraint or trigger) the models did not foresee: the whole import rolls back.
        raise ValidationError(
            _("La base de datos rechazó la importación (%(detalle)s). No se guardó nada.") % {"detalle": error},
            code="rechazo_de_la_base",
        ) from error
    return guardados
