"""The demo fixture is the seed agreement, exactly."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from convenios.models import Aspecto, Convenio, EstadoConvenio, TipoAspecto, TipoEvaluacion
from cuentas.models import Usuario

SEED = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.txt"
SEED_COMPARTIDO = settings.BASE_DIR.parent / "shared" / "seed" / "000_e86cfbba756d5f6c.txt"


def _normalizar(texto: str) -> str:
    return re.sub(r"\s+", " ", texto).strip()


@pytest.fixture(scope="module")
def documento() -> str:
    return _normalizar(SEED.read_text(encoding="utf-8"))


def test_la_copia_del_seed_es_identica_al_original():
    if not SEED_COMPARTIDO.exists():
        pytest.skip("shared/seed no está junto a esta copia del repositorio")
    assert SEED.read_bytes() == SEED_COMPARTIDO.read_bytes()


def test_conteos(seed):
    assert seed.aspectos.filter(tipo=TipoAspecto.HALLAZGO).count() == 5
    assert seed.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).count() == 6


def test_cada_hallazgo_aparece_literal_y_en_orden_en_la_clausula_cuarta_a(seed, documento):
    cuarta_a = documento[documento.index("a) Del contenido") : documento.index("b) De las recomendaciones")]
    for hallazgo in seed.aspectos.filter(tipo=TipoAspecto.HALLAZGO).order_by("numero"):
        assert f"{hallazgo.numero}. {_normalizar(hallazgo.texto)}" in cuarta_a


def test_cada_recomendacion_y_accion_aparece_literal_en_el_cuadro(seed, documento):
    cuadro = documento[documento.index("b) De las recomendaciones") : documento.index("QUINTA. Cumplimiento")]
    posicion = 0
    for rec in seed.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero"):
        fila = f"{rec.numero} {_normalizar(rec.texto)} {_normalizar(rec.acciones.get().texto)} Diciembre 2022"
        assert fila in cuadro, fila
        assert cuadro.index(fila) > posicion
        posicion = cuadro.index(fila)


def test_textos_escritos_a_mano(seed):
    primero = seed.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    assert primero.texto.startswith("De acuerdo con la información presentada en los formatos PbRM-01ª")
    assert "3 millones 53.6 mil pesos" in primero.texto
    sexta = seed.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=6)
    assert sexta.acciones.get().texto == "Elaborar material de propaganda, con mensajes asequibles y concisos."


def test_fechas_montos_y_estado(seed):
    assert seed.fecha_firma == datetime.date(2022, 12, 6)
    assert seed.fecha_limite == datetime.date(2022, 12, 31)
    assert seed.fojas == 6
    assert seed.dias_prorroga_max == 15
    assert seed.estado == EstadoConvenio.VIGENTE
    assert set(seed.aspectos.values_list("fecha_compromiso", flat=True)) == {datetime.date(2022, 12, 31)}
    evaluacion = seed.evaluacion
    assert evaluacion.anio_pae == 2022
    assert evaluacion.ejercicio_evaluado == 2021
    assert evaluacion.tipo == TipoEvaluacion.DESEMPENO
    assert evaluacion.presupuesto_programa == Decimal("3053600.00")
    assert str(evaluacion.programa) == "01020401.- Derechos Humanos"


def test_partes_firmantes_y_domicilios(seed, documento):
    firmas = documento[documento.rindex("diciembre de 2022.") :]
    for _etiqueta, dependencia, titular in seed.firmantes():
        assert f"{titular.grado} {titular.nombre}".upper() in firmas
        assert titular.cargo.upper() in firmas
        assert dependencia.domicilio in documento
    assert seed.implan.municipio.nombre == "Cuautitlán Izcalli"
    assert seed.dependencia_evaluada.nombre == "Defensoría Municipal de Derechos Humanos"
    assert seed.firmante_dependencia_evaluada.nombre == "Gonzalo Levi Obregón Salinas"


def test_cargar_demo_es_idempotente_y_crea_un_usuario_por_rol(db, settings, capsys):
    settings.DEBUG = True
    call_command("cargar_demo", password="Otra.Clave.Larga.2026")
    call_command("cargar_demo", password="Otra.Clave.Larga.2026")
    assert Convenio.objects.count() == 1
    assert Aspecto.objects.count() == 11
    roles = {u.username: u.rol for u in Usuario.objects.select_related("dependencia")}
    assert roles == {
        "implan": "implan",
        "contraloria": "contraloria",
        "tesoreria": "tesoreria",
        "defensoria": "dependencia",
    }
    assert Usuario.objects.get(username="defensoria").check_password("Otra.Clave.Larga.2026")
    assert "Otra.Clave.Larga.2026" in capsys.readouterr().out


def test_cargar_demo_se_niega_sin_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="solo se ejecuta con DEBUG"):
        call_command("cargar_demo")
    assert not Convenio.objects.exists()


def test_cargar_demo_rechaza_una_contrasena_debil(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="Contraseña no válida"):
        call_command("cargar_demo", password="corta")
    assert not Usuario.objects.exists()
