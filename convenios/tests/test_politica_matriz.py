"""Every act of the policy × every role × every state, against a table written here from DOMAIN.md (not read
from ``politica.ACTOS``): who may, from which states, and that every refusal says why in Spanish."""

from __future__ import annotations

import datetime
import itertools

import pytest

from convenios import politica
from convenios.models import Accion, Aspecto, Convenio, EstadoAspecto, EstadoConvenio, TipoAspecto
from convenios.tests.fabricas import crear_usuario

E = EstadoAspecto
C = EstadoConvenio
DESPUES_DEL_PLAZO = datetime.date(2023, 1, 15)

# act -> (the one role that may, the item states it starts from)
ACTOS_DEL_ASPECTO: dict[str, tuple[str, set[str]]] = {
    "enviar": ("dependencia", {E.PENDIENTE, E.OBSERVADA}),
    "validar": ("implan", {E.EN_REVISION}),
    "observar": ("implan", {E.EN_REVISION}),
    "no_atender": ("implan", {E.PENDIENTE, E.OBSERVADA}),
    "cancelar": ("implan", {E.PENDIENTE, E.EN_REVISION, E.OBSERVADA}),
    "evidencia": ("dependencia", {E.PENDIENTE, E.OBSERVADA}),
    "prorroga_solicitar": ("dependencia", {E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
    "avance": ("dependencia", {E.PENDIENTE, E.OBSERVADA, E.EN_REVISION}),
}
# act -> the convenio states it is possible in (IMPLAN only)
ACTOS_DEL_CONVENIO: dict[str, set[str]] = {
    "importar": {C.BORRADOR},
    "datos_de_firma": {C.BORRADOR},
    "firmar": {C.BORRADOR},
    "modificar": {C.VIGENTE},
    "oficio_cumplimiento": {C.VIGENTE},
    "vista": {C.VIGENTE},
    "incumplimiento": {C.VIGENTE},
}
# "superusuario" is the state-level administrator, who acts as IMPLAN of any municipio.
ROLES = ["implan", "superusuario", "dependencia", "otra_dependencia", "contraloria", "tesoreria", "implan_otro"]
COMO_IMPLAN = {"implan", "superusuario"}


@pytest.fixture
def usuarios(m, implan, dependencia, otra_dependencia, contraloria, tesoreria, implan_otro_municipio):
    return {
        "implan": implan,
        "superusuario": crear_usuario("estatal", None, is_superuser=True, is_staff=True),
        "dependencia": dependencia,
        "otra_dependencia": otra_dependencia,
        "contraloria": contraloria,
        "tesoreria": tesoreria,
        "implan_otro": implan_otro_municipio,
    }


def _aspecto_en(convenio: Convenio, estado: str) -> Aspecto:
    Aspecto.objects.filter(convenio=convenio).update(estado=estado)
    aspecto = Aspecto.objects.select_related("convenio").get(
        convenio=convenio, tipo=TipoAspecto.RECOMENDACION, numero=1
    )
    aspecto.tiene_evidencia = True  # the annotation a list puts on its items (the evidence precondition)
    return aspecto


def _objeto(acto: str, aspecto: Aspecto):
    return Accion.objects.select_related("aspecto__convenio").get(aspecto=aspecto) if acto == "avance" else aspecto


def test_cada_acto_del_aspecto_por_rol_y_estado(convenio, usuarios):
    for estado in E.values:
        aspecto = _aspecto_en(convenio, estado)
        for (acto, (rol_que_puede, origenes)), rol in itertools.product(ACTOS_DEL_ASPECTO.items(), ROLES):
            decision = politica.decidir(usuarios[rol], acto, _objeto(acto, aspecto), fecha=DESPUES_DEL_PLAZO)
            puede_el_rol = rol == rol_que_puede or (rol_que_puede == "implan" and rol in COMO_IMPLAN)
            esperado = puede_el_rol and estado in origenes
            assert bool(decision) == esperado, (acto, rol, estado, decision)
            if not decision:
                assert decision.razon and decision.codigo
                assert decision.codigo == ("sin_permiso" if not puede_el_rol else "estado_invalido")


def test_ningun_acto_del_aspecto_fuera_de_un_convenio_vigente(convenio, usuarios):
    for estado_convenio in (C.BORRADOR, C.CUMPLIDO, C.INCUMPLIDO):
        Convenio.objects.filter(pk=convenio.pk).update(estado=estado_convenio)
        aspecto = _aspecto_en(convenio, E.PENDIENTE)
        for acto, (rol, _origenes) in ACTOS_DEL_ASPECTO.items():
            decision = politica.decidir(usuarios[rol], acto, _objeto(acto, aspecto), fecha=DESPUES_DEL_PLAZO)
            assert not decision and decision.codigo == "convenio_no_vigente"
            assert aspecto.convenio.get_estado_display() in decision.razon


def test_cada_acto_del_convenio_por_rol_y_estado(convenio, usuarios):
    for estado in C.values:
        Convenio.objects.filter(pk=convenio.pk).update(estado=estado)
        convenio.refresh_from_db()
        for (acto, estados), rol in itertools.product(ACTOS_DEL_CONVENIO.items(), ROLES):
            decision = politica.decidir(usuarios[rol], acto, convenio)
            if rol not in COMO_IMPLAN:
                assert not decision and decision.codigo == "sin_permiso", (acto, rol, estado)
            elif estado not in estados:
                assert not decision and decision.codigo in ("convenio_no_vigente", "estado_invalido"), (acto, estado)
                assert convenio.get_estado_display() in decision.razon
            else:
                # Possible in this state: allowed, or refused by a named precondition with its reason.
                assert decision or decision.codigo not in ("sin_permiso", "convenio_no_vigente", "estado_invalido")
            if not decision:
                assert decision.razon


def test_las_precondiciones_del_convenio_dicen_que_falta(convenio, implan):
    # Vigente with every item pending: no oficio, no vista, no incumplimiento, each with its reason.
    assert "falta: Hallazgo 1 (pendiente)" in politica.decidir(implan, "oficio_cumplimiento", convenio).razon
    assert "no atendidos" in politica.decidir(implan, "vista", convenio).razon
    assert "abiertos: Hallazgo 1 (pendiente)" in politica.decidir(implan, "incumplimiento", convenio).razon
    Convenio.objects.filter(pk=convenio.pk).update(estado=C.BORRADOR, documento_firmado="")
    convenio.refresh_from_db()
    razon = politica.decidir(implan, "firmar", convenio).razon
    assert razon == "Registre la fecha de firma, el número de fojas y el convenio firmado (escaneado)."


def test_los_actos_de_la_sesion_solo_para_el_implan_de_su_municipio(convenio, usuarios):
    from seguimiento.models import Sesion

    sesion = Sesion.objects.create(
        municipio=convenio.municipio,
        fecha=datetime.date(2023, 1, 10),
        hora=datetime.time(10),
        lugar="IMPLAN",
        convocada_por=usuarios["implan"],
    )
    for rol in ROLES:
        registrar = politica.decidir(usuarios[rol], "sesion_registrar", sesion)
        assert bool(registrar) == (rol in COMO_IMPLAN), rol
        corregir = politica.decidir(usuarios[rol], "sesion_corregir", sesion)
        assert not corregir
        assert corregir.codigo == ("sin_acta_o_ya_corregida" if rol in COMO_IMPLAN else "sin_permiso")
