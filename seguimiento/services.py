"""Every write of the follow-up workflow: one keyword-only function per move.

Each is atomic, re-reads the item under a row lock (``select_for_update``) before
checking its state, writes a ``Movimiento`` with the acting user and comment,
and e-mails the other side after commit. An illegal move raises
``ValidationError`` with a Spanish message and a stable ``code``; a user without
the role raises ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convenios import politica
from convenios.formatos import fecha_larga
from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, Convenio, EstadoAspecto, TipoDependencia, calendario
from cuentas.models import Usuario
from notificaciones.services import notificar
from seguimiento import archivos
from seguimiento.models import Accion, Asistencia, EstadoProrroga, Evidencia, Movimiento, Prorroga, Sesion
from seguimiento.notificaciones import usuarios_dependencia, usuarios_implan, usuarios_partes
from seguridad.textos import texto_valido

E = EstadoAspecto
logger = logging.getLogger(__name__)


# Longest free texts a service stores (the forms say the same, with their own message).
COMENTARIO_MAXIMO = 5000
ACUERDOS_MAXIMO = 20000


def _bloquear(aspecto: Aspecto) -> Aspecto:
    """Re-reads the item under a row lock: the state checked (``politica.exigir``) is the state written over."""
    bloqueado = Aspecto.objects.select_for_update().get(pk=aspecto.pk)
    bloqueado.convenio = Convenio.objects.get(pk=bloqueado.convenio_id)
    return bloqueado


def _registrar(aspecto: Aspecto, usuario: Usuario, accion: str, anterior: str, comentario: str = "") -> Movimiento:
    return Movimiento.objects.create(
        aspecto=aspecto,
        usuario=usuario,
        accion=accion,
        estado_anterior=anterior,
        estado_nuevo=aspecto.estado,
        comentario=comentario,
    )


def _guardar_estado(aspecto: Aspecto, usuario: Usuario, comentario: str, campos: list[str]) -> None:
    # django-simple-history: the author and the reason of the change.
    aspecto._history_user = usuario  # type: ignore[attr-defined]
    aspecto._change_reason = comentario[:100]  # type: ignore[attr-defined]
    aspecto.save(update_fields=campos)


def acciones_disponibles(usuario: Usuario, aspecto: Aspecto, fecha: datetime.date | None = None) -> list[str]:
    """The state moves this user may make on this item now (for the buttons on the item page)."""
    return [
        nombre for nombre in politica.MOVIMIENTOS_DEL_ASPECTO if politica.decidir(usuario, nombre, aspecto, fecha=fecha)
    ]


@transaction.atomic
def aspecto_transicionar(
    *, aspecto: Aspecto, usuario: Usuario, accion: str, comentario: str = "", fecha: datetime.date | None = None
) -> Aspecto:
    """``fecha`` is today (Mexico City) unless a test or a command says which day the act happens."""
    if accion not in politica.MOVIMIENTOS_DEL_ASPECTO:
        raise ValidationError(_("Esa acción no existe."), code="accion_inexistente")
    fecha = fecha or calendario.hoy()
    bloqueado = _bloquear(aspecto)
    transicion = politica.exigir(usuario, accion, bloqueado, fecha=fecha)
    comentario = texto_valido(comentario, campo=_("Comentario"), maximo=COMENTARIO_MAXIMO)
    if transicion.comentario_obligatorio and not comentario:
        raise ValidationError(_("Escriba el motivo o las observaciones."), code="comentario_obligatorio")
    anterior = bloqueado.estado
    bloqueado.estado = transicion.destino
    campos = ["estado"]
    if accion == Accion.VALIDAR:
        # DOMAIN.md: an item attended after its current date keeps the delay ("fuera de plazo").
        bloqueado.dias_fuera_de_plazo = max(0, (fecha - bloqueado.fecha_vigente).days)
        campos.append("dias_fuera_de_plazo")
    _guardar_estado(bloqueado, usuario, comentario, campos)
    movimiento = _registrar(bloqueado, usuario, accion, anterior, comentario)
    destinatarios = (
        usuarios_implan(bloqueado.convenio) if accion == Accion.ENVIAR else usuarios_dependencia(bloqueado.convenio)
    )
    notificar(
        destinatarios=destinatarios,
        asunto=_("%(aspecto)s: %(accion)s")
        % {"aspecto": bloqueado.etiqueta, "accion": movimiento.get_accion_display().lower()},
        plantilla="seguimiento/correo/movimiento.txt",
        contexto={"aspecto": bloqueado, "movimiento": movimiento, "usuario": usuario},
        enlace=reverse("seguimiento:aspecto", args=[bloqueado.pk]),
    )
    return bloqueado


def aspecto_enviar(*, aspecto: Aspecto, usuario: Usuario, comentario: str = "") -> Aspecto:
    return aspecto_transicionar(aspecto=aspecto, usuario=usuario, accion=Accion.ENVIAR, comentario=comentario)


def puede_subir_evidencia(usuario: Usuario, aspecto: Aspecto) -> bool:
    return bool(politica.decidir(usuario, Accion.EVIDENCIA, aspecto))


@transaction.atomic
def evidencia_subir(
    *,
    aspecto: Aspecto,
    archivo: File,
    descripcion: str,
    formato: str = "",
    usuario: Usuario,
    accion: AccionDelAspecto | None = None,
) -> Evidencia:
    """Stores a new evidence file (SEGUNDA, dependencia h and i). Nothing is stored when a check fails."""
    bloqueado = _bloquear(aspecto)
    politica.exigir(usuario, Accion.EVIDENCIA, bloqueado)
    descripcion = texto_valido(descripcion, campo=_("Descripción"), maximo=500)
    if not descripcion:
        raise ValidationError(_("Describa qué acredita el archivo."), code="descripcion_obligatoria")
    nombre = archivos.validar_nombre(archivo.name)
    tipo = archivos.validar_archivo(archivo)
    evidencia = Evidencia(
        aspecto=bloqueado,
        nombre_original=nombre,
        tamano=archivo.size,
        tipo_contenido=tipo.tipo_contenido,
        sha256=archivos.sha256_de(archivo),
        descripcion=descripcion,
        formato=formato,
        accion=accion,
        subida_por=usuario,
    )
    evidencia.full_clean(exclude=["archivo"])
    _guardar_archivo(evidencia, archivo, f"evidencia.{tipo.extension}")
    try:
        evidencia.save()
        _registrar(bloqueado, usuario, Accion.EVIDENCIA, bloqueado.estado, f"{nombre}: {descripcion}")
    except Exception:
        _borrar_archivo(evidencia.archivo.storage, evidencia.archivo.name)
        raise
    return evidencia


@transaction.atomic
def accion_reportar_avance(
    *, accion: AccionDelAspecto, avance: int, nota: str = "", usuario: Usuario
) -> AccionDelAspecto:
    """The dependencia reports how far an action has gone (0–100 %), with a note; IMPLAN sees it on the item."""
    bloqueado = _bloquear(accion.aspecto)
    accion.aspecto = bloqueado
    politica.exigir(usuario, Accion.AVANCE, accion)
    if isinstance(avance, bool) or not isinstance(avance, int) or not 0 <= avance <= 100:
        raise ValidationError(_("El avance es un porcentaje entero entre 0 y 100."), code="avance_invalido")
    nota = texto_valido(nota, campo=_("Nota del avance"), maximo=2000)
    fila = AccionDelAspecto.objects.select_for_update().get(pk=accion.pk, aspecto=bloqueado)
    fila.avance, fila.nota_avance = avance, nota
    fila._history_user = usuario  # django-simple-history: who reported it
    fila.save()
    _registrar(bloqueado, usuario, Accion.AVANCE, bloqueado.estado, f"Acción {fila.numero}: {avance} %. {nota}".strip())
    return fila


def _guardar_archivo(evidencia: Evidencia, archivo: File, nombre: str) -> None:
    """Writes the file under a generated name (``ruta_evidencia``); a failing storage leaves nothing behind.

    A full disk or an unreachable bucket must not become a 500 nor leave half a file: what
    was written is removed and the user is told, in Spanish, that nothing was recorded.
    """
    campo = evidencia.archivo
    destino = campo.field.generate_filename(evidencia, nombre)
    try:
        guardado = campo.storage.save(destino, archivo, max_length=campo.field.max_length)
    except Exception as error:
        logger.exception("No se pudo escribir la evidencia %s en el almacenamiento", destino)
        _borrar_archivo(campo.storage, destino)
        raise ValidationError(
            _(
                "No se pudo guardar el archivo en el almacenamiento del sistema; no se registró nada. "
                "Intente de nuevo en unos minutos y, si vuelve a ocurrir, avise al IMPLAN."
            ),
            code="almacenamiento",
        ) from error
    campo.name = guardado
    campo._committed = True


def _borrar_archivo(almacenamiento: Any, nombre: str) -> None:
    try:
        if nombre and almacenamiento.exists(nombre):
            almacenamiento.delete(nombre)
    except Exception:
        logger.exception("No se pudo borrar el archivo incompleto %s", nombre)


def puede_solicitar_prorroga(usuario: Usuario, aspecto: Aspecto) -> bool:
    return bool(politica.decidir(usuario, Accion.PRORROGA_SOLICITAR, aspecto))


def _dias_aprobados(aspecto: Aspecto) -> int:
    return (aspecto.fecha_vigente - aspecto.fecha_compromiso).days


@transaction.atomic
def prorroga_solicitar(*, aspecto: Aspecto, usuario: Usuario, fecha_solicitada: datetime.date, motivo: str) -> Prorroga:
    """Cláusula SÉPTIMA: una prórroga no mayor a 15 días naturales (en total, por aspecto)."""
    bloqueado = _bloquear(aspecto)
    politica.exigir(usuario, Accion.PRORROGA_SOLICITAR, bloqueado)
    motivo = texto_valido(motivo, campo=_("Motivo"), maximo=COMENTARIO_MAXIMO)
    if not motivo:
        raise ValidationError(_("Explique el motivo de la prórroga."), code="motivo_obligatorio")
    if fecha_solicitada <= bloqueado.fecha_vigente:
        raise ValidationError(
            _("La nueva fecha debe ser posterior a la fecha vigente (%(fecha)s).")
            % {"fecha": fecha_larga(bloqueado.fecha_vigente)},
            code="fecha_no_posterior",
        )
    maximo = bloqueado.convenio.dias_prorroga_max
    total = (fecha_solicitada - bloqueado.fecha_compromiso).days
    if total > maximo:
        limite = bloqueado.fecha_compromiso + datetime.timedelta(days=maximo)
        raise ValidationError(
            _(
                "La prórroga no puede ser mayor a %(maximo)s días naturales en total (cláusula SÉPTIMA): "
                "la fecha más lejana posible es el %(limite)s; ya se han concedido %(usados)s días."
            )
            % {"maximo": maximo, "limite": fecha_larga(limite), "usados": _dias_aprobados(bloqueado)},
            code="prorroga_excede_limite",
        )
    prorroga = Prorroga.objects.create(
        aspecto=bloqueado,
        solicitada_por=usuario,
        motivo=motivo,
        fecha_anterior=bloqueado.fecha_vigente,
        fecha_solicitada=fecha_solicitada,
    )
    _registrar(
        bloqueado,
        usuario,
        Accion.PRORROGA_SOLICITAR,
        bloqueado.estado,
        _("Al %(fecha)s: %(motivo)s") % {"fecha": fecha_larga(fecha_solicitada), "motivo": motivo},
    )
    notificar(
        destinatarios=usuarios_implan(bloqueado.convenio),
        asunto=_("%(aspecto)s: solicitud de prórroga") % {"aspecto": bloqueado.etiqueta},
        plantilla="seguimiento/correo/prorroga.txt",
        contexto={"aspecto": bloqueado, "prorroga": prorroga},
        enlace=reverse("seguimiento:aspecto", args=[bloqueado.pk]),
    )
    return prorroga


@transaction.atomic
def prorroga_resolver(*, prorroga: Prorroga, usuario: Usuario, aprobar: bool, comentario: str = "") -> Prorroga:
    """IMPLAN approves or rejects; an approval is the only way an item's date moves past the original."""
    bloqueado = _bloquear(prorroga.aspecto)
    prorroga = Prorroga.objects.select_for_update().get(pk=prorroga.pk)
    prorroga.aspecto = bloqueado
    politica.exigir(usuario, "prorroga_resolver", prorroga)
    comentario = texto_valido(comentario, campo=_("Comentario"), maximo=COMENTARIO_MAXIMO)
    if not aprobar and not comentario:
        raise ValidationError(_("Explique el motivo del rechazo."), code="comentario_obligatorio")
    if aprobar and (prorroga.fecha_solicitada - bloqueado.fecha_compromiso).days > bloqueado.convenio.dias_prorroga_max:
        raise ValidationError(
            _("La prórroga excede los %(maximo)s días naturales (cláusula SÉPTIMA).")
            % {"maximo": bloqueado.convenio.dias_prorroga_max},
            code="prorroga_excede_limite",
        )
    prorroga.estado = EstadoProrroga.APROBADA if aprobar else EstadoProrroga.RECHAZADA
    prorroga.resuelta_por = usuario
    prorroga.resuelta_en = timezone.now()
    prorroga.comentario_resolucion = comentario
    prorroga.save()
    if aprobar:
        bloqueado.fecha_vigente = prorroga.fecha_solicitada
        _guardar_estado(bloqueado, usuario, comentario or _("Prórroga aprobada"), ["fecha_vigente"])
    _registrar(
        bloqueado,
        usuario,
        Accion.PRORROGA_APROBAR if aprobar else Accion.PRORROGA_RECHAZAR,
        bloqueado.estado,
        comentario,
    )
    notificar(
        destinatarios=usuarios_dependencia(bloqueado.convenio),
        asunto=_("%(aspecto)s: prórroga %(estado)s")
        % {"aspecto": bloqueado.etiqueta, "estado": prorroga.get_estado_display().lower()},
        plantilla="seguimiento/correo/prorroga.txt",
        contexto={"aspecto": bloqueado, "prorroga": prorroga},
        enlace=reverse("seguimiento:aspecto", args=[bloqueado.pk]),
    )
    return prorroga


def _exigir_implan(usuario: Usuario) -> None:
    if not politica.rol_de(usuario) == TipoDependencia.IMPLAN:
        raise PermissionDenied(_("Solo el IMPLAN programa y registra sesiones."))


@transaction.atomic
def sesion_programar(
    *,
    usuario: Usuario,
    convenios: list[Convenio],
    fecha: datetime.date,
    hora: datetime.time,
    lugar: str = "",
    hoy: datetime.date | None = None,
) -> Sesion:
    """Cláusula TERCERA: las sesiones se llevan a cabo en las instalaciones del IMPLAN, salvo que se establezca otra.

    ``hoy`` is today (Mexico City) unless a test or a command says which day the session is convened."""
    _exigir_implan(usuario)
    visibles = Convenio.objects.visibles_para(usuario)
    if not convenios:
        raise ValidationError(_("Elija al menos un convenio."), code="sin_convenios")
    if visibles.filter(pk__in=[c.pk for c in convenios]).count() != len({c.pk for c in convenios}):
        raise PermissionDenied(_("Su usuario no puede convocar a esos convenios."))
    municipios = {c.municipio_id for c in convenios}
    if len(municipios) != 1:
        raise ValidationError(_("Una sesión reúne convenios de un solo municipio."), code="varios_municipios")
    if fecha < (hoy or calendario.hoy()):
        raise ValidationError(_("La sesión no puede programarse en una fecha pasada."), code="fecha_pasada")
    lugar = texto_valido(lugar, campo=_("Lugar"), maximo=300) or convenios[0].implan.domicilio
    sesion = Sesion.objects.create(
        municipio_id=municipios.pop(), fecha=fecha, hora=hora, lugar=lugar, convocada_por=usuario
    )
    sesion.convenios.set(convenios)
    destinatarios = [u for c in convenios for u in usuarios_partes(c)]
    notificar(
        destinatarios=destinatarios,
        asunto=_("Sesión de seguimiento el %(fecha)s") % {"fecha": fecha_larga(fecha)},
        plantilla="seguimiento/correo/sesion.txt",
        contexto={"sesion": sesion, "convenios": convenios},
        enlace=reverse("seguimiento:sesion", args=[sesion.pk]),
    )
    return sesion


@transaction.atomic
def sesion_registrar(
    *,
    sesion: Sesion,
    usuario: Usuario,
    asistencias: list[dict[str, Any]],
    aspectos_revisados: list[Aspecto],
    acuerdos: str,
) -> Sesion:
    """Records who attended for each party, which items were reviewed and the agreements reached; only
    before its acta is issued (act ``sesion_registrar``: IMPLAN of the session's municipio)."""
    sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
    politica.exigir(usuario, "sesion_registrar", sesion)
    convenios = set(sesion.convenios.values_list("pk", flat=True))
    if any(a.convenio_id not in convenios for a in aspectos_revisados):
        raise ValidationError(_("Solo se revisan aspectos de los convenios de la sesión."), code="aspecto_ajeno")
    partes = {
        d
        for c in sesion.convenios.all()
        for d in (c.implan_id, c.tesoreria_id, c.contraloria_id, c.dependencia_evaluada_id)
    }
    for asistencia in asistencias:
        if asistencia["dependencia"].pk not in partes:
            raise ValidationError(_("Solo asisten las partes de los convenios."), code="parte_ajena")
    asistentes = [
        (
            a["dependencia"],
            texto_valido(a["nombre"], campo=_("Nombre del asistente"), maximo=200),
            texto_valido(a.get("cargo", ""), campo=_("Cargo"), maximo=200),
        )
        for a in asistencias
    ]
    acuerdos = texto_valido(acuerdos, campo=_("Acuerdos"), maximo=ACUERDOS_MAXIMO)
    sesion.asistencias.all().delete()
    Asistencia.objects.bulk_create(
        Asistencia(sesion=sesion, dependencia=dependencia, nombre=nombre, cargo=cargo)
        for dependencia, nombre, cargo in asistentes
        if nombre
    )
    ya_revisados = set(sesion.aspectos_revisados.values_list("pk", flat=True))
    sesion.aspectos_revisados.set(aspectos_revisados)
    sesion.acuerdos = acuerdos
    sesion.save(update_fields=["acuerdos"])
    for aspecto in aspectos_revisados:
        if aspecto.pk not in ya_revisados:
            _registrar(
                aspecto,
                usuario,
                Accion.SESION,
                aspecto.estado,
                _("Sesión del %(fecha)s") % {"fecha": fecha_larga(sesion.fecha)},
            )
    notificar(
        destinatarios=[u for c in sesion.convenios.all() for u in usuarios_partes(c)],
        asunto=_("Acuerdos de la sesión del %(fecha)s") % {"fecha": fecha_larga(sesion.fecha)},
        plantilla="seguimiento/correo/sesion.txt",
        contexto={"sesion": sesion, "convenios": list(sesion.convenios.all()), "registrada": True},
        enlace=reverse("seguimiento:sesion", args=[sesion.pk]),
    )
    return sesion


@transaction.atomic
def sesion_corregir(*, sesion: Sesion, usuario: Usuario) -> Sesion:
    """An issued acta is final: its correction is a new session, a copy of the first one to be corrected and
    issued as a new acta that supersedes the first; both stay (act ``sesion_corregir``)."""
    sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
    politica.exigir(usuario, "sesion_corregir", sesion)
    correccion = Sesion.objects.create(
        municipio_id=sesion.municipio_id,
        fecha=sesion.fecha,
        hora=sesion.hora,
        lugar=sesion.lugar,
        acuerdos=sesion.acuerdos,
        convocada_por=usuario,
        corrige=sesion,
    )
    correccion.convenios.set(sesion.convenios.all())
    correccion.aspectos_revisados.set(sesion.aspectos_revisados.all())
    Asistencia.objects.bulk_create(
        Asistencia(sesion=correccion, dependencia_id=a.dependencia_id, nombre=a.nombre, cargo=a.cargo)
        for a in sesion.asistencias.all()
    )
    return correccion
