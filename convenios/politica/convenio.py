"""The convenio's own acts (DOMAIN.md, "States of a convenio"): only these change its state."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from convenios.models import PARTES, TipoAspecto
from convenios.politica.base import IMPLAN, Acto, C, Condicion, Contexto, E


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

ACTOS_DEL_CONVENIO: tuple[Acto, ...] = (
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
)
