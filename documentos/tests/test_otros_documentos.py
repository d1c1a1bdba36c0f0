"""Vista a la Contraloría (QUINTA/SEXTA), resolución de prórroga (SÉPTIMA) and acta de sesión (TERCERA)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from convenios.models import EstadoAspecto, EstadoConvenio, TipoAspecto, hoy
from documentos.models import Documento, TipoDocumento
from documentos.services import acta_sesion_emitir, resolucion_prorroga_emitir, vista_contraloria_emitir
from documentos.tests.ayudas import atender_todo, fecha_en_espanol, texto_pdf
from seguimiento import services as seguimiento
from seguimiento.tests.estados import llevar_a


def _texto(documento: Documento) -> str:
    with documento.archivo.open("rb") as archivo:
        return texto_pdf(archivo.read())


# --- Vista a la Contraloría ---------------------------------------------------------------------------


def test_vista_a_la_contraloria_por_los_aspectos_no_atendidos(convenio, implan, dependencia, m):
    h1 = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    r2 = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=2)
    for aspecto in (h1, r2):
        llevar_a(
            aspecto,
            EstadoAspecto.NO_ATENDIDA,
            implan=implan,
            comentario=f"No presentó evidencia de {aspecto.etiqueta}.",
        )
    atender_todo(convenio, implan=implan, dependencia=dependencia)

    documento = vista_contraloria_emitir(convenio=convenio, usuario=implan)

    assert documento.tipo == TipoDocumento.VISTA_CONTRALORIA
    assert documento.folio == f"IMPLAN/VC/{hoy().year}/001"
    convenio.refresh_from_db()
    assert convenio.estado == EstadoConvenio.INCUMPLIDO
    texto = _texto(documento)
    titular_contraloria = m.titular(m.contraloria)
    assert titular_contraloria.nombre.upper() in texto  # addressed to the Contraloría's titular
    assert "cláusulas QUINTA y SEXTA" in texto
    assert "Hallazgo 1 Hallazgo 1" in texto and "No presentó evidencia de Hallazgo 1." in texto
    assert "Recomendación 2 Recomendación 2" in texto and "No presentó evidencia de Recomendación 2." in texto
    assert "Recomendación 1 Recomendación 1" not in texto  # attended items are not part of the notice
    assert "31 de diciembre de 2022" in texto
    assert fecha_en_espanol(hoy()) in texto


def test_sin_aspectos_no_atendidos_no_hay_vista(convenio, implan):
    with pytest.raises(ValidationError) as error:
        vista_contraloria_emitir(convenio=convenio, usuario=implan)
    assert error.value.code == "sin_no_atendidos"
    assert not Documento.objects.exists()


def test_la_contraloria_no_se_da_vista_a_si_misma(convenio, implan, contraloria):
    llevar_a(convenio.aspectos.first(), EstadoAspecto.NO_ATENDIDA, implan=implan)
    with pytest.raises(PermissionDenied):
        vista_contraloria_emitir(convenio=convenio, usuario=contraloria)


# --- Resolución de prórroga ---------------------------------------------------------------------------


@pytest.fixture
def prorroga(convenio, dependencia):
    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=3)
    return seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=10),
        motivo="El cabildo aprueba el formato 02a en su sesión de enero.",
    )


def test_no_se_emite_la_resolucion_de_una_prorroga_sin_resolver(prorroga, implan):
    with pytest.raises(ValidationError) as error:
        resolucion_prorroga_emitir(prorroga=prorroga, usuario=implan)
    assert error.value.code == "prorroga_sin_resolver"


def test_resolucion_de_prorroga_aprobada_con_fechas_anterior_y_nueva(prorroga, implan):
    seguimiento.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True, comentario="Procede.")

    documento = resolucion_prorroga_emitir(prorroga=prorroga, usuario=implan)

    assert documento.folio == f"IMPLAN/RP/{hoy().year}/001"
    assert documento.prorroga == prorroga and documento.convenio == prorroga.aspecto.convenio
    texto = _texto(documento)
    assert "APROBAR" in texto
    assert "pasa del 31 de diciembre de 2022 al 10 de enero de 2023" in texto
    assert "(10 días naturales)" in texto
    assert "El cabildo aprueba el formato 02a en su sesión de enero." in texto
    assert "Recomendación 3" in texto
    assert "cláusula SÉPTIMA" in texto

    with pytest.raises(ValidationError) as error:
        resolucion_prorroga_emitir(prorroga=prorroga, usuario=implan)
    assert error.value.code == "ya_emitido"


def test_resolucion_de_prorroga_rechazada(prorroga, implan):
    seguimiento.prorroga_resolver(
        prorroga=prorroga, usuario=implan, aprobar=False, comentario="El motivo no justifica el retraso."
    )

    texto = _texto(resolucion_prorroga_emitir(prorroga=prorroga, usuario=implan))

    assert "NO APROBAR" in texto
    assert "se mantiene el 31 de diciembre de 2022" in texto
    assert "El motivo no justifica el retraso." in texto


# --- Acta de sesión -----------------------------------------------------------------------------------


@pytest.fixture
def sesion(convenio, implan, m):
    sesion = seguimiento.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10, 30), lugar="Sala de juntas del IMPLAN"
    )
    return sesion


def test_acta_con_asistentes_aspectos_revisados_y_acuerdos(sesion, convenio, implan, m):
    revisados = list(convenio.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).order_by("numero")[:2])
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[
            {"dependencia": m.implan, "nombre": "Ana Pérez Ruiz", "cargo": "Jefa de Evaluación"},
            {"dependencia": m.dependencia, "nombre": "Luis Gómez Díaz", "cargo": "Enlace"},
            {"dependencia": m.contraloria, "nombre": "Rosa Méndez", "cargo": "Auditora"},
        ],
        aspectos_revisados=revisados,
        acuerdos="1. La dependencia entrega el formato 02a.\n2. <b>Nueva sesión</b> en dos semanas.",
    )

    documento = acta_sesion_emitir(sesion=sesion, usuario=implan)

    assert documento.folio == f"IMPLAN/AS/{hoy().year}/001"
    assert documento.convenio is None and documento.sesion == sesion
    texto = _texto(documento)
    assert f"siendo las 10:30 horas del {fecha_en_espanol(hoy())}" in texto
    assert "Sala de juntas del IMPLAN" in texto
    for nombre in ("Ana Pérez Ruiz", "Luis Gómez Díaz", "Rosa Méndez"):
        assert nombre in texto and nombre.upper() in texto  # attendance table and signature block
    assert "Recomendación 1 Recomendación 1" in texto and "Recomendación 2 Recomendación 2" in texto
    assert "Recomendación 3 Recomendación 3" not in texto
    assert "1. La dependencia entrega el formato 02a." in texto
    assert "2. <b>Nueva sesión</b> en dos semanas." in texto
    assert "cláusula TERCERA" in texto


def test_el_acta_pide_la_asistencia_registrada(sesion, implan):
    with pytest.raises(ValidationError) as error:
        acta_sesion_emitir(sesion=sesion, usuario=implan)
    assert error.value.code == "sesion_sin_asistencia"


def test_el_acta_de_una_sesion_futura_espera_a_que_se_celebre(convenio, implan, m):
    sesion = seguimiento.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy() + datetime.timedelta(days=3), hora=datetime.time(9)
    )
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[{"dependencia": m.implan, "nombre": "Ana", "cargo": ""}],
        aspectos_revisados=[],
        acuerdos="",
    )
    with pytest.raises(ValidationError) as error:
        acta_sesion_emitir(sesion=sesion, usuario=implan)
    assert error.value.code == "sesion_futura"
