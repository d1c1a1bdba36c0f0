"""Folios: consecutive per municipio, kind and year; never repeated, never skipped, also under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from convenios.models import hoy
from convenios.tests import fabricas
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.services import oficio_cumplimiento_emitir
from documentos.tests.ayudas import atender_todo, emitir_version_para_firma

solo_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializa toda escritura: el bloqueo de fila que se prueba aquí solo existe en PostgreSQL",
)


def test_folios_consecutivos_por_municipio_tipo_y_anio(m, implan, dependencia, otro_municipio, implan_otro_municipio):
    anio = hoy().year
    convenios = [fabricas.crear_convenio(m) for _ in range(3)]
    for c in convenios:
        atender_todo(c, implan=implan, dependencia=dependencia)
    ajeno = fabricas.crear_convenio(otro_municipio)

    oficios = [oficio_cumplimiento_emitir(convenio=c, usuario=implan).folio for c in convenios]
    documento_convenio = emitir_version_para_firma(convenios[0], implan).folio
    del_otro_municipio = emitir_version_para_firma(ajeno, implan_otro_municipio).folio

    assert oficios == [f"IMPLAN/OC/{anio}/001", f"IMPLAN/OC/{anio}/002", f"IMPLAN/OC/{anio}/003"]
    assert documento_convenio == "IMPLAN/CV/2022/001"  # the convenio's own year
    assert del_otro_municipio == "IMPLAN/CV/2022/001"


def test_el_prefijo_son_las_siglas_de_la_unidad_de_planeacion(m, implan):
    m.implan.siglas = "U.I.P.P.E."
    m.implan.save()
    convenio = fabricas.crear_convenio(m)

    documento = emitir_version_para_firma(convenio, implan)

    assert documento.folio == "UIPPE/CV/2022/001"
    assert documento.archivo.name.endswith("UIPPE-CV-2022-001.pdf")


def test_una_emision_que_falla_no_consume_folio_ni_deja_archivo(seed, implan_seed, settings, tmp_path):
    """The template breaks after the folio was taken: the transaction gives the number back."""
    carpeta = tmp_path / "plantillas" / "documentos" / "pdf" / "convenio"
    carpeta.mkdir(parents=True)
    (carpeta / "clausulas_2022.html").write_text('{% include "documentos/pdf/no-existe.html" %}', encoding="utf-8")
    original = settings.TEMPLATES
    settings.TEMPLATES = [{**original[0], "DIRS": [tmp_path / "plantillas", *original[0]["DIRS"]]}]

    with pytest.raises(Exception, match="no-existe"):
        emitir_version_para_firma(seed, implan_seed)
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.filter(ultimo__gt=0).exists()

    settings.TEMPLATES = original
    documento = emitir_version_para_firma(seed, implan_seed)
    assert documento.folio.endswith("/001")
    archivos = list((settings.MEDIA_ROOT / "documentos").rglob("*.pdf"))
    assert [a.name for a in archivos] == [documento.archivo.name.rsplit("/", 1)[1]]


def _en_paralelo(*tareas):
    """Runs each task in its own thread and database connection, released at the same moment."""
    barrera = threading.Barrier(len(tareas))
    resultados: list[object] = [None] * len(tareas)

    def correr(i: int, tarea) -> None:
        try:
            barrera.wait(timeout=10)
            resultados[i] = tarea()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            resultados[i] = error
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=correr, args=(i, t)) for i, t in enumerate(tareas)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    return resultados


@solo_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dos_emisiones_simultaneas_reciben_folios_distintos_y_consecutivos():
    m = fabricas.crear_municipio()
    implan = fabricas.crear_usuario("implan_concurrente", m.implan)
    dependencia = fabricas.crear_usuario("dependencia_concurrente", m.dependencia)
    a, b = fabricas.crear_convenio(m), fabricas.crear_convenio(m)
    for c in (a, b):
        atender_todo(c, implan=implan, dependencia=dependencia)

    resultados = _en_paralelo(
        lambda: oficio_cumplimiento_emitir(convenio=a, usuario=implan),
        lambda: oficio_cumplimiento_emitir(convenio=b, usuario=implan),
    )

    assert all(isinstance(r, Documento) for r in resultados), resultados
    anio = hoy().year
    assert sorted(r.folio for r in resultados) == [f"IMPLAN/OC/{anio}/001", f"IMPLAN/OC/{anio}/002"]
    assert SerieFolio.objects.get(tipo=TipoDocumento.OFICIO_CUMPLIMIENTO).ultimo == 2


@solo_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_doble_clic_en_emitir_da_un_solo_oficio():
    m = fabricas.crear_municipio()
    implan = fabricas.crear_usuario("implan_doble", m.implan)
    dependencia = fabricas.crear_usuario("dependencia_doble", m.dependencia)
    convenio = fabricas.crear_convenio(m)
    atender_todo(convenio, implan=implan, dependencia=dependencia)

    resultados = _en_paralelo(
        lambda: oficio_cumplimiento_emitir(convenio=convenio, usuario=implan),
        lambda: oficio_cumplimiento_emitir(convenio=convenio, usuario=implan),
    )

    emitidos = [r for r in resultados if isinstance(r, Documento)]
    rechazos = [r for r in resultados if isinstance(r, ValidationError)]
    assert len(emitidos) == 1 and len(rechazos) == 1, resultados
    assert rechazos[0].code == "ya_emitido"
    assert Documento.objects.count() == 1
    assert SerieFolio.objects.get().ultimo == 1
