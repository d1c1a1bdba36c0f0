"""Writes on a convenio's contents and its own acts. Keyword-only, atomic; the model rules and the policy
(``convenios.politica``) are asked, never repeated."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios import politica
from convenios.formatos import fecha_larga
from convenios.importar import FilaNoLeida, Lectura
from convenios.models import (
    ACTO_QUE_MODIFICA,
    Accion,
    Aspecto,
    Convenio,
    Dependencia,
    EstadoConvenio,
    Modificacion,
)
from seguridad.textos import texto_valido

if TYPE_CHECKING:
    from cuentas.models import Usuario


def motivo_para_no_importar(usuario: Usuario, convenio: Convenio) -> str | None:
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
def convenio_importar(*, convenio: Convenio, lectura: Lectura, usuario: Usuario) -> list[Aspecto]:
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


# --- The convenio's own acts (convenios.politica): signing and modificación -------------------------------


def bloquear_convenio(convenio: Convenio) -> Convenio:
    # Only the convenio's own row: FOR UPDATE may not reach the nullable side of the firmantes' joins.
    return Convenio.objects.select_for_update(of=("self",)).get(pk=convenio.pk)


def _guardar_con_historia(instancia: Any, usuario: Usuario, motivo: str, **opciones: Any) -> None:
    # django-simple-history: the author and the reason of the change (the convenio's history page).
    instancia._history_user = usuario
    instancia._change_reason = motivo[:100]
    instancia.save(**opciones)


@transaction.atomic
def convenio_datos_de_firma(
    *, convenio: Convenio, usuario: Usuario, fecha_firma: datetime.date, fojas: int, documento_firmado: File | None
) -> Convenio:
    """What signing needs besides the parties (cláusula DÉCIMA: the fojas; the signed scan), on the borrador."""
    convenio = bloquear_convenio(convenio)
    politica.exigir(usuario, "datos_de_firma", convenio)
    convenio.fecha_firma = fecha_firma
    convenio.fojas = fojas
    if documento_firmado is not None:
        convenio.documento_firmado = documento_firmado
    _guardar_con_historia(convenio, usuario, "Datos de la firma")
    return convenio


@transaction.atomic
def convenio_firmar(*, convenio: Convenio, usuario: Usuario, fecha: datetime.date | None = None) -> Convenio:
    """Borrador → vigente: the four signatories, the signed scan, its fojas and the items with their actions
    (act ``firmar``). From here on the convenio is frozen (``CONGELADOS``)."""
    convenio = bloquear_convenio(convenio)
    politica.exigir(usuario, "firmar", convenio, fecha=fecha)
    convenio.estado = EstadoConvenio.VIGENTE
    _guardar_con_historia(convenio, usuario, "Firma registrada: vigente", update_fields=["estado"])
    auditar(
        tipo=TipoEvento.ACTO_CONVENIO,
        usuario=usuario,
        objeto=convenio,
        detalle=f"Firma registrada el {convenio.fecha_firma:%Y-%m-%d}, {convenio.fojas} fojas: borrador → vigente",
    )
    return convenio


@dataclass(frozen=True)
class Cambio:
    """One field a modificación changes: the object (the convenio, an item or an action), the field, the value."""

    objeto: Convenio | Aspecto | Accion
    campo: str
    valor: Any


def _mostrar(objeto: Any, campo: str, valor: Any) -> str:
    if isinstance(valor, datetime.date):
        return fecha_larga(valor)
    if valor in (None, ""):
        return "—"
    return str(valor)


def _nombre(objeto: Any) -> str:
    if isinstance(objeto, Convenio):
        return str(_("Convenio"))
    if isinstance(objeto, Aspecto):
        return objeto.etiqueta
    return _("%(aspecto)s, acción %(n)s") % {"aspecto": objeto.aspecto.etiqueta, "n": objeto.numero}


def _aplicar(cambio: Cambio, usuario: Usuario, motivo: str) -> None:
    objeto = cambio.objeto
    objeto._acto = ACTO_QUE_MODIFICA
    if isinstance(objeto, Aspecto) and cambio.campo == "fecha_compromiso":
        # An approved prórroga keeps its days, as when an action's date moves the item's (Aspecto).
        objeto.fecha_vigente = cambio.valor + (objeto.fecha_vigente - objeto.fecha_compromiso)
    setattr(objeto, cambio.campo, cambio.valor)
    _guardar_con_historia(objeto, usuario, motivo)


@transaction.atomic
def convenio_modificar(
    *,
    convenio: Convenio,
    usuario: Usuario,
    fecha: datetime.date,
    motivo: str,
    documento: File,
    cambios: list[Cambio],
) -> Modificacion:
    """Cláusula NOVENA: the parties' signed modifying agreement changes what a signed convenio froze.

    Every field it changes is saved through the model's own rules (dates within the deadline…); the
    before and after of each stays in ``Modificacion.cambios``, and each object's history row names it.
    A change that breaks a rule raises ``ValidationError`` keyed ``"<model>-<pk>-<field>"`` and nothing is kept.
    """
    convenio = bloquear_convenio(convenio)
    politica.exigir(usuario, "modificar", convenio)
    motivo = texto_valido(motivo, campo=_("Motivo"), maximo=5000)
    if not motivo:
        raise ValidationError({"motivo": _("Escriba el motivo de la modificación.")}, code="sin_motivo")
    if fecha < convenio.fecha_firma:
        raise ValidationError(
            {
                "fecha": _("La modificación no puede ser anterior a la firma del convenio (%(f)s).")
                % {"f": fecha_larga(convenio.fecha_firma)}
            },
            code="fecha_anterior",
        )
    reales = [c for c in cambios if getattr(c.objeto, c.campo) != c.valor]
    if not reales:
        raise ValidationError(_("La modificación no cambia nada: modifique al menos un campo."), code="sin_cambios")
    numero = convenio.modificaciones.count() + 1
    etiqueta = f"Modificación {numero} (cláusula NOVENA)"
    registro = [
        {
            "objeto": _nombre(c.objeto),
            "campo": str(c.objeto._meta.get_field(c.campo).verbose_name),
            "antes": _mostrar(c.objeto, c.campo, getattr(c.objeto, c.campo)),
            "despues": _mostrar(c.objeto, c.campo, c.valor),
        }
        for c in reales
    ]

    # A later deadline first, so the items' new dates fit in it; an earlier one last, once they moved.
    def orden(c: Cambio) -> int:
        if isinstance(c.objeto, Convenio):
            return 0 if c.campo != "fecha_limite" or c.valor >= convenio.fecha_limite else 2
        return 1

    for cambio in sorted(reales, key=orden):
        objeto = (
            convenio if isinstance(cambio.objeto, Convenio) else type(cambio.objeto).objects.get(pk=cambio.objeto.pk)
        )
        try:
            _aplicar(Cambio(objeto, cambio.campo, cambio.valor), usuario, etiqueta)
        except ValidationError as error:
            clave = f"{objeto._meta.model_name}-{objeto.pk}-{cambio.campo}"
            mensajes = error.message_dict.get(cambio.campo) if hasattr(error, "error_dict") else None
            raise ValidationError({clave: mensajes or error.messages}) from error
    # The convenio's history names the act even when only its items or actions changed.
    convenio._acto = ACTO_QUE_MODIFICA
    _guardar_con_historia(convenio, usuario, etiqueta)
    modificacion = Modificacion(
        convenio=convenio, numero=numero, fecha=fecha, motivo=motivo, cambios=registro, registrada_por=usuario
    )
    modificacion.documento = documento
    modificacion.full_clean()
    modificacion.save()
    auditar(
        tipo=TipoEvento.ACTO_CONVENIO,
        usuario=usuario,
        objeto=convenio,
        detalle=f"{etiqueta} del {fecha:%Y-%m-%d}: " + "; ".join(f"{r['objeto']}, {r['campo']}" for r in registro),
    )
    return modificacion
