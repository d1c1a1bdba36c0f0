"""One policy for "may this happen now?" (STYLE.md, point 13): every act of the workflow, declared once.

An act names the kind of object it acts on, the states it starts from, the state it
leads to, who may do it, and its named preconditions, each with the Spanish reason shown
when it fails. Views, template tags, templates and the admin ask ``decidir()`` (to show a
button, or a disabled button with its reason); services call ``exigir()`` under the row
lock, so the rule that shows the button is the rule that lets the write happen.

To add an act: declare an ``Acto`` in ``ACTOS`` (its preconditions as ``Condicion``s over
the object), call ``exigir(usuario, "<nombre>", objeto)`` in its service once the row is
locked, and give the page the ``decidir(usuario, "<nombre>", objeto)`` of its button (a
``Decision``: true, or false with ``razon`` shown beside the disabled button).

The objects are reached through their relations (``aspecto.convenio``,
``aspecto.prorrogas``…), so this module imports no app above the agreement.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from convenios.formatos import fecha_larga
from convenios.models import PARTES, EstadoAspecto, EstadoConvenio, TipoAspecto, TipoDependencia, hoy

E = EstadoAspecto
C = EstadoConvenio
IMPLAN = TipoDependencia.IMPLAN
DEPENDENCIA = TipoDependencia.DEPENDENCIA
CONTRALORIA = TipoDependencia.CONTRALORIA
TESORERIA = TipoDependencia.TESORERIA


@dataclass(frozen=True)
class Contexto:
    """What a precondition may look at besides the object: today (Mexico City), injectable in tests."""

    usuario: Any
    hoy: datetime.date


@dataclass(frozen=True)
class Condicion:
    nombre: str
    prueba: Callable[[Any, Contexto], bool]
    razon: Any  # a lazy Spanish string; may use %(campo)s from ``datos``
    datos: Callable[[Any, Contexto], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Acto:
    nombre: str
    etiqueta: Any
    sobre: str  # "aspecto", "convenio", "prorroga", "accion", "sesion"
    roles: frozenset[str]
    origenes: frozenset[str] = frozenset()
    destino: str = ""
    condiciones: tuple[Condicion, ...] = ()
    comentario_obligatorio: bool = False
    # Cannot be undone: the page asks for a confirmation first (issue with folio, validate, vista…).
    irreversible: bool = False
    convenio_en: frozenset[str] = frozenset({C.VIGENTE})
    # The reason given when the convenio's state does not admit the act (default: a generic one).
    razon_convenio: Any = None


@dataclass(frozen=True)
class Decision:
    permitido: bool
    razon: str = ""
    codigo: str = ""

    def __bool__(self) -> bool:
        return self.permitido


# --- How an object reaches its convenio and its state ------------------------------------


def _convenio(objeto: Any, sobre: str) -> Any:
    if sobre == "sesion":
        return None
    if sobre == "convenio":
        return objeto
    if sobre == "aspecto":
        return objeto.convenio
    # A prórroga, an action or an evidence reaches it through its item.
    return objeto.aspecto.convenio


def _estado(objeto: Any, sobre: str) -> str:
    if sobre != "aspecto" and sobre != "convenio":
        return objeto.aspecto.estado
    return getattr(objeto, "estado", "")


def rol_de(usuario: Any) -> str | None:
    """The role of a user is the kind of its dependencia; the state-level administrator acts as IMPLAN."""
    if not getattr(usuario, "is_authenticated", False):
        return None
    if usuario.is_superuser:
        return IMPLAN
    return usuario.rol


def _alcanza_sesion(usuario: Any, sesion: Any) -> bool:
    # A session is IMPLAN's, of one municipio (only IMPLAN acts on it).
    if usuario.is_superuser:
        return True
    return usuario.dependencia_id is not None and usuario.dependencia.municipio_id == sesion.municipio_id


def es_implan(usuario: Any) -> bool:
    """IMPLAN, or the state-level administrator acting as IMPLAN: who captures, reviews and issues."""
    return rol_de(usuario) == IMPLAN


def alcanza(usuario: Any, convenio: Any) -> bool:
    """The user's municipio (and, for a dependencia, its own convenios): the same border as ``visibles_para``."""
    if usuario.is_superuser:
        return True
    if usuario.dependencia_id is None:
        return False
    dependencia = usuario.dependencia
    if dependencia.municipio_id != convenio.municipio_id:
        return False
    return dependencia.tipo != DEPENDENCIA or convenio.dependencia_evaluada_id == dependencia.pk


# --- Preconditions, each named once -------------------------------------------------------


def _vencido(aspecto: Any, ctx: Contexto) -> bool:
    return aspecto.esta_vencido(ctx.hoy)


def _con_evidencia(aspecto: Any, ctx: Contexto) -> bool:
    # A list may have annotated it for all its items at once (seguimiento.selectors).
    anotado = getattr(aspecto, "tiene_evidencia", None)
    return anotado if anotado is not None else aspecto.evidencias.exists()


def _sin_prorroga_pendiente(objeto: Any, ctx: Contexto) -> bool:
    aspecto = objeto if hasattr(objeto, "prorrogas") else objeto.aspecto
    return not aspecto.prorrogas.filter(estado="solicitada").exists()


def _prorroga_solicitada(prorroga: Any, ctx: Contexto) -> bool:
    return prorroga.estado == "solicitada"


def _no_la_pidio_quien_decide(prorroga: Any, ctx: Contexto) -> bool:
    return prorroga.solicitada_por_id != ctx.usuario.pk


def _firmantes_completos(convenio: Any, ctx: Contexto) -> bool:
    return all(getattr(convenio, f"firmante_{parte}_id") for parte, _tipo in PARTES)


def _faltan_firmantes(convenio: Any, ctx: Contexto) -> dict[str, Any]:
    faltan = [
        str(convenio._meta.get_field(parte).verbose_name)
        for parte, _tipo in PARTES
        if not getattr(convenio, f"firmante_{parte}_id")
    ]
    return {"faltan": ", ".join(faltan)}


def _con_escaneo_y_fojas(convenio: Any, ctx: Contexto) -> bool:
    return bool(convenio.documento_firmado) and bool(convenio.fojas) and convenio.fecha_firma is not None


def _con_aspectos_y_acciones(convenio: Any, ctx: Contexto) -> bool:
    aspectos = list(convenio.aspectos.all())
    if not aspectos:
        return False
    return all(a.acciones.exists() for a in aspectos if a.tipo == TipoAspecto.RECOMENDACION)


def _sin_aspectos(convenio: Any, ctx: Contexto) -> bool:
    return not convenio.aspectos.exists()


def _etiquetas(aspectos: Any) -> str:
    return "; ".join(f"{a.etiqueta} ({a.get_estado_display().lower()})" for a in aspectos)


def _todos_atendidos_o_cancelados(convenio: Any, ctx: Contexto) -> bool:
    estados = set(convenio.aspectos.values_list("estado", flat=True))
    return bool(estados) and estados <= set(E.finales_cumplidos())


def _faltan_por_atender(convenio: Any, ctx: Contexto) -> dict[str, Any]:
    faltan = convenio.aspectos.exclude(estado__in=E.finales_cumplidos()).order_by("tipo", "numero")
    return {"lista": _etiquetas(faltan) or _("el convenio no tiene hallazgos ni recomendaciones")}


def _todos_finales_con_alguno_no_atendido(convenio: Any, ctx: Contexto) -> bool:
    estados = set(convenio.aspectos.values_list("estado", flat=True))
    return bool(estados) and estados <= set(E.finales()) and E.NO_ATENDIDA in estados


def _abiertos(convenio: Any, ctx: Contexto) -> dict[str, Any]:
    abiertos = convenio.aspectos.exclude(estado__in=E.finales()).order_by("tipo", "numero")
    return {"lista": _etiquetas(abiertos) or _("ninguno está declarado no atendido")}


def _no_atendidos_sin_vista(convenio: Any) -> Any:
    return convenio.aspectos.filter(estado=E.NO_ATENDIDA, vista_dada_en__isnull=True).order_by("tipo", "numero")


def _algun_no_atendido_sin_vista(convenio: Any, ctx: Contexto) -> bool:
    return _no_atendidos_sin_vista(convenio).exists()


def _cada_no_atendido_con_vista(convenio: Any, ctx: Contexto) -> bool:
    return not _no_atendidos_sin_vista(convenio).exists()


def _sin_vista(convenio: Any, ctx: Contexto) -> dict[str, Any]:
    return {"lista": "; ".join(a.etiqueta for a in _no_atendidos_sin_vista(convenio))}


def _sin_acta(sesion: Any, ctx: Contexto) -> bool:
    return not sesion.documentos.filter(tipo="acta_sesion").exists()


def _con_acta_sin_correccion(sesion: Any, ctx: Contexto) -> bool:
    return not _sin_acta(sesion, ctx) and not type(sesion).objects.filter(corrige=sesion).exists()


VENCIDO = Condicion(
    "no_vencido",
    _vencido,
    _("Solo un aspecto vencido puede declararse no atendido; vence el %(fecha)s."),
    lambda a, ctx: {"fecha": fecha_larga(a.fecha_vigente)},
)
CON_EVIDENCIA = Condicion(
    "sin_evidencia", _con_evidencia, _("Suba al menos un archivo de evidencia antes de enviar a revisión.")
)
SIN_PRORROGA_PENDIENTE = Condicion(
    "prorroga_pendiente", _sin_prorroga_pendiente, _("Este aspecto ya tiene una solicitud de prórroga pendiente.")
)
PRORROGA_SOLICITADA = Condicion("prorroga_resuelta", _prorroga_solicitada, _("Esta prórroga ya fue resuelta."))
OTRA_PERSONA_DECIDE = Condicion(
    "misma_persona", _no_la_pidio_quien_decide, _("Quien solicitó la prórroga no puede resolverla.")
)
FIRMANTES = Condicion(
    "faltan_firmantes",
    _firmantes_completos,
    _("Faltan los firmantes de: %(faltan)s."),
    _faltan_firmantes,
)
ESCANEO_Y_FOJAS = Condicion(
    "falta_escaneo",
    _con_escaneo_y_fojas,
    _("Registre la fecha de firma, el número de fojas y el convenio firmado (escaneado)."),
)
ASPECTOS_CON_ACCIONES = Condicion(
    "sin_aspectos",
    _con_aspectos_y_acciones,
    _("El convenio necesita sus hallazgos y recomendaciones, y cada recomendación al menos una acción (CUARTA b)."),
)
BORRADOR_VACIO = Condicion(
    "con_aspectos",
    _sin_aspectos,
    _(
        "El convenio ya tiene hallazgos o recomendaciones capturados; la importación solo llena un "
        "borrador vacío. Corríjalos en la captura o quítelos antes de importar."
    ),
)
TODOS_CUMPLIDOS = Condicion(
    "aspectos_pendientes",
    _todos_atendidos_o_cancelados,
    _("Todos los hallazgos y recomendaciones deben estar atendidos o cancelados (cláusula QUINTA); falta: %(lista)s."),
    _faltan_por_atender,
)
TODOS_FINALES = Condicion(
    "aspectos_abiertos",
    _todos_finales_con_alguno_no_atendido,
    _(
        "El convenio sigue vigente mientras algún aspecto pueda atenderse: cada uno debe estar atendido, "
        "cancelado o declarado no atendido, y alguno no atendido; abiertos: %(lista)s."
    ),
    _abiertos,
)
VISTAS_DADAS = Condicion(
    "vista_pendiente",
    _cada_no_atendido_con_vista,
    _("Falta dar vista a la Contraloría (cláusula QUINTA) de: %(lista)s."),
    _sin_vista,
)
ALGUN_NO_ATENDIDO_SIN_VISTA = Condicion(
    "sin_no_atendidos",
    _algun_no_atendido_sin_vista,
    _(
        "La vista a la Contraloría se da sobre aspectos declarados no atendidos (cláusula QUINTA), y no hay "
        "ninguno del que no se haya dado ya."
    ),
)
SIN_ACTA = Condicion(
    "acta_emitida",
    _sin_acta,
    _(
        "El acta de esta sesión ya se emitió: la sesión es de solo lectura. Para corregirla, registre una "
        "corrección (una nueva acta que sustituye a la anterior; ambas se conservan)."
    ),
)
ACTA_SIN_CORRECCION = Condicion(
    "sin_acta_o_ya_corregida",
    _con_acta_sin_correccion,
    _("Solo se corrige un acta emitida, y una sola vez: corrija, en su caso, la corrección."),
)


# --- The acts (DOMAIN.md, "States of an item" and "States of a convenio") ------------------

ACTOS: dict[str, Acto] = {
    a.nombre: a
    for a in (
        # Items
        Acto(
            "enviar",
            _("Enviar a revisión"),
            "aspecto",
            frozenset({DEPENDENCIA}),
            frozenset({E.PENDIENTE, E.OBSERVADA}),
            E.EN_REVISION,
            (CON_EVIDENCIA,),
        ),
        Acto(
            "validar",
            _("Validar"),
            "aspecto",
            frozenset({IMPLAN}),
            frozenset({E.EN_REVISION}),
            E.ATENDIDA,
            irreversible=True,
        ),
        Acto(
            "observar",
            _("Devolver con observaciones"),
            "aspecto",
            frozenset({IMPLAN}),
            frozenset({E.EN_REVISION}),
            E.OBSERVADA,
            comentario_obligatorio=True,
        ),
        Acto(
            "no_atender",
            _("Declarar no atendida"),
            "aspecto",
            frozenset({IMPLAN}),
            frozenset({E.PENDIENTE, E.OBSERVADA}),
            E.NO_ATENDIDA,
            (VENCIDO,),
            comentario_obligatorio=True,
            irreversible=True,
        ),
        Acto(
            "cancelar",
            _("Cancelar"),
            "aspecto",
            frozenset({IMPLAN}),
            frozenset({E.PENDIENTE, E.EN_REVISION, E.OBSERVADA}),
            E.CANCELADA,
            comentario_obligatorio=True,
            irreversible=True,
        ),
        Acto(
            "evidencia",
            _("Subir evidencia"),
            "aspecto",
            frozenset({DEPENDENCIA}),
            frozenset({E.PENDIENTE, E.OBSERVADA}),
        ),
        Acto(
            "avance",
            _("Reportar avance"),
            "accion",
            frozenset({DEPENDENCIA}),
            frozenset({E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
        ),
        Acto(
            "prorroga_solicitar",
            _("Solicitar prórroga"),
            "aspecto",
            frozenset({DEPENDENCIA}),
            frozenset({E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
            condiciones=(SIN_PRORROGA_PENDIENTE,),
        ),
        Acto(
            "prorroga_resolver",
            _("Resolver la prórroga"),
            "prorroga",
            frozenset({IMPLAN}),
            condiciones=(PRORROGA_SOLICITADA, OTRA_PERSONA_DECIDE),
        ),
        # The convenio's own acts; only these change its state.
        Acto(
            "importar",
            _("Importar hallazgos y recomendaciones"),
            "convenio",
            frozenset({IMPLAN}),
            condiciones=(BORRADOR_VACIO,),
            convenio_en=frozenset({C.BORRADOR}),
            razon_convenio=_(
                "El convenio ya está «%(estado)s»: sus hallazgos y recomendaciones solo cambian por prórroga "
                "(cláusula SÉPTIMA) o modificación (cláusula NOVENA)."
            ),
        ),
        Acto(
            "datos_de_firma",
            _("Registrar la fecha de firma, las fojas y el convenio firmado"),
            "convenio",
            frozenset({IMPLAN}),
            convenio_en=frozenset({C.BORRADOR}),
            razon_convenio=_(
                "El convenio ya está «%(estado)s»: su firma ya se registró; sus datos solo cambian por "
                "modificación (cláusula NOVENA)."
            ),
        ),
        Acto(
            "firmar",
            _("Registrar la firma"),
            "convenio",
            frozenset({IMPLAN}),
            frozenset({C.BORRADOR}),
            C.VIGENTE,
            (FIRMANTES, ESCANEO_Y_FOJAS, ASPECTOS_CON_ACCIONES),
            irreversible=True,
            convenio_en=frozenset({C.BORRADOR}),
        ),
        Acto(
            "modificar",
            _("Registrar una modificación (cláusula NOVENA)"),
            "convenio",
            frozenset({IMPLAN}),
            frozenset({C.VIGENTE}),
            C.VIGENTE,
            irreversible=True,
        ),
        Acto(
            "oficio_cumplimiento",
            _("Emitir el oficio de cumplimiento"),
            "convenio",
            frozenset({IMPLAN}),
            frozenset({C.VIGENTE}),
            C.CUMPLIDO,
            (TODOS_CUMPLIDOS,),
            irreversible=True,
        ),
        Acto(
            "vista",
            _("Dar vista a la Contraloría"),
            "convenio",
            frozenset({IMPLAN}),
            frozenset({C.VIGENTE}),
            C.VIGENTE,
            (ALGUN_NO_ATENDIDO_SIN_VISTA,),
            irreversible=True,
        ),
        # LGCG art. 79: the Anexo 1 publishes the signed convenio's recommendations, in any state after signing.
        Acto(
            "anexo1",
            _("Emitir el Anexo 1 CONAC"),
            "convenio",
            frozenset({IMPLAN}),
            irreversible=True,
            convenio_en=frozenset(C.firmados()),
            razon_convenio=_(
                "El convenio está «%(estado)s»: el Anexo 1 difunde las recomendaciones del convenio firmado; se "
                "emite una vez firmado."
            ),
        ),
        Acto(
            "incumplimiento",
            _("Declarar el incumplimiento"),
            "convenio",
            frozenset({IMPLAN}),
            frozenset({C.VIGENTE}),
            C.INCUMPLIDO,
            (TODOS_FINALES, VISTAS_DADAS),
            irreversible=True,
        ),
        # Sessions (cláusula TERCERA) and their acta.
        Acto(
            "sesion_registrar",
            _("Registrar asistencia y acuerdos"),
            "sesion",
            frozenset({IMPLAN}),
            condiciones=(SIN_ACTA,),
        ),
        Acto(
            "sesion_corregir",
            _("Corregir el acta"),
            "sesion",
            frozenset({IMPLAN}),
            condiciones=(ACTA_SIN_CORRECCION,),
        ),
    )
}

# The item's state moves (DOMAIN.md, "States of an item"): the acts on an item that lead to a state.
MOVIMIENTOS_DEL_ASPECTO: tuple[str, ...] = tuple(a.nombre for a in ACTOS.values() if a.sobre == "aspecto" and a.destino)


def decidir(usuario: Any, acto: str, objeto: Any, *, fecha: datetime.date | None = None) -> Decision:
    """Whether ``usuario`` may do ``acto`` on ``objeto`` now, and if not, why (in Spanish)."""
    definicion = ACTOS[acto]
    rol = rol_de(usuario)
    sin_permiso = Decision(False, str(_("Su usuario no puede realizar esta acción.")), "sin_permiso")
    if rol not in definicion.roles:
        return sin_permiso
    ctx = Contexto(usuario=usuario, hoy=fecha or hoy())
    if definicion.sobre == "sesion":
        return _decidir_condiciones(definicion, objeto, ctx) if _alcanza_sesion(usuario, objeto) else sin_permiso
    convenio = _convenio(objeto, definicion.sobre)
    if convenio is None or not alcanza(usuario, convenio):
        return sin_permiso
    if convenio.estado not in definicion.convenio_en:
        razon = definicion.razon_convenio or _("El convenio está «%(estado)s»: no admite esta acción.")
        return Decision(False, str(razon) % {"estado": convenio.get_estado_display()}, "convenio_no_vigente")
    estado = _estado(objeto, definicion.sobre)
    if definicion.origenes and estado not in definicion.origenes:
        etiqueta = (
            objeto.aspecto.get_estado_display()
            if definicion.sobre in ("prorroga", "accion")
            else objeto.get_estado_display()
        )
        return Decision(
            False,
            str(
                _("No se puede «%(acto)s»: ya está «%(estado)s» (quizá otra persona acaba de moverlo).")
                % {"acto": str(definicion.etiqueta).lower(), "estado": etiqueta}
            ),
            "estado_invalido",
        )
    return _decidir_condiciones(definicion, objeto, ctx)


def _decidir_condiciones(definicion: Acto, objeto: Any, ctx: Contexto) -> Decision:
    for condicion in definicion.condiciones:
        if not condicion.prueba(objeto, ctx):
            datos = condicion.datos(objeto, ctx) if condicion.datos else {}
            return Decision(False, str(condicion.razon) % datos if datos else str(condicion.razon), condicion.nombre)
    return Decision(True)


def exigir(usuario: Any, acto: str, objeto: Any, *, fecha: datetime.date | None = None) -> Acto:
    """``decidir`` for services, under the row lock: a refusal raises (PermissionDenied or ValidationError)."""
    decision = decidir(usuario, acto, objeto, fecha=fecha)
    if decision.codigo == "sin_permiso":
        raise PermissionDenied(decision.razon)
    if not decision:
        raise ValidationError(decision.razon, code=decision.codigo)
    return ACTOS[acto]


def actos_permitidos(usuario: Any, objeto: Any, *, sobre: str, fecha: datetime.date | None = None) -> list[Acto]:
    """The acts on an object of kind ``sobre`` that this user may do now (the buttons of a page)."""
    return [a for a in ACTOS.values() if a.sobre == sobre and decidir(usuario, a.nombre, objeto, fecha=fecha)]
