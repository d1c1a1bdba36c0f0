"""`verificar_integridad`: a clean run, a tampered file, a missing file, an orphan; exit code non-zero on problems."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command

from seguimiento import services
from seguimiento.models import Evidencia
from seguimiento.tests import archivos_prueba as ap
from seguridad.integridad import ArchivoVerificable, registrados, verificar

pytestmark = pytest.mark.seguridad


@pytest.fixture
def evidencias(convenio, dependencia):
    aspectos = list(convenio.aspectos.all()[:3])
    return [
        services.evidencia_subir(
            aspecto=aspecto,
            archivo=ap.subido(f"e{i}.pdf", ap.pdf(f"evidencia {i}")),
            descripcion=f"Evidencia {i}",
            usuario=dependencia,
        )
        for i, aspecto in enumerate(aspectos * 2)
    ]


def correr(*argumentos: str) -> tuple[int, str]:
    salida = io.StringIO()
    try:
        call_command("verificar_integridad", "--margen-minutos=0", *argumentos, stdout=salida)
    except CommandError as error:
        return error.returncode, salida.getvalue() + str(error)
    return 0, salida.getvalue()


def test_la_evidencia_esta_registrada_para_verificarse():
    assert (Evidencia, ArchivoVerificable("Evidencia", "archivo", "sha256", "evidencias")) in list(registrados())


def test_todo_en_orden(evidencias, informe):
    codigo, salida = correr()
    assert codigo == 0, salida
    assert "Revisados 6 archivos" in salida and "0 alterados, 0 faltantes, 0 huérfanos" in salida
    informe.medir("integridad_archivos_prueba", 6)


def test_un_archivo_alterado(evidencias):
    alterada = evidencias[2]
    with open(alterada.archivo.path, "r+b") as archivo:
        archivo.seek(20)
        archivo.write(b"X")
    codigo, salida = correr()
    assert codigo == 1
    assert f"ALTERADO  {alterada.archivo.name}" in salida
    assert f"seguimiento.Evidencia #{alterada.pk}: SHA-256 registrado {alterada.sha256[:16]}" in salida
    assert "1 alterados, 0 faltantes, 0 huérfanos" in salida


def test_un_archivo_que_falta(evidencias):
    perdida = evidencias[0]
    os.remove(perdida.archivo.path)
    codigo, salida = correr()
    assert codigo == 1
    assert f"FALTA     {perdida.archivo.name}" in salida and "0 alterados, 1 faltantes, 0 huérfanos" in salida


def test_un_archivo_huerfano(evidencias, settings):
    huerfano = os.path.join(settings.MEDIA_ROOT, "evidencias", "999", "puesto-a-mano.pdf")
    os.makedirs(os.path.dirname(huerfano))
    with open(huerfano, "wb") as archivo:
        archivo.write(ap.pdf())
    codigo, salida = correr()
    assert codigo == 1
    assert "HUÉRFANO  evidencias/999/puesto-a-mano.pdf" in salida and "0 huérfanos" not in salida


def test_un_huerfano_reciente_se_espera_antes_de_reportarlo(evidencias, settings):
    """An upload whose transaction is still committing is not reported by the nightly run."""
    import datetime

    ruta = os.path.join(settings.MEDIA_ROOT, "evidencias", "recien.pdf")
    with open(ruta, "wb") as archivo:
        archivo.write(ap.pdf())
    assert verificar(margen_huerfanos=datetime.timedelta(minutes=10)).problemas == []
    assert [p.tipo for p in verificar().problemas] == ["huerfano"]


def test_lee_por_bloques_y_no_el_archivo_entero(convenio, dependencia, settings):
    """A file larger than a block is hashed right (the command streams it in 1 MiB blocks)."""
    grande = ap.pdf("grande") + b"%" + os.urandom(3 * 1024 * 1024)
    services.evidencia_subir(
        aspecto=convenio.aspectos.first(), archivo=ap.subido("grande.pdf", grande), descripcion="x", usuario=dependencia
    )
    resultado = verificar()
    assert resultado.problemas == [] and resultado.bytes_leidos == len(grande)


def test_tiempo_de_verificacion_con_muchos_archivos(convenio, dependencia, settings, informe):
    """1,000 evidence files (64 KiB each, 62.5 MiB) written as the upload service leaves them, then verified."""
    import hashlib

    aspecto = convenio.aspectos.first()
    carpeta = os.path.join(settings.MEDIA_ROOT, "evidencias", str(convenio.pk))
    os.makedirs(carpeta)
    filas = []
    for i in range(1000):
        datos = ap.pdf(f"archivo {i}") + b"%" + os.urandom(64 * 1024)
        nombre = f"evidencias/{convenio.pk}/volumen-{i:04d}.pdf"
        with open(os.path.join(settings.MEDIA_ROOT, nombre), "wb") as archivo:
            archivo.write(datos)
        filas.append(
            Evidencia(
                aspecto=aspecto,
                archivo=nombre,
                nombre_original=f"archivo {i}.pdf",
                tamano=len(datos),
                tipo_contenido="application/pdf",
                sha256=hashlib.sha256(datos).hexdigest(),
                descripcion="Volumen",
                subida_por=dependencia,
            )
        )
    Evidencia.objects.bulk_create(filas)
    resultado = verificar()
    assert resultado.problemas == [] and resultado.revisados == 1000
    informe.medir(
        "integridad_volumen",
        {
            "archivos": resultado.revisados,
            "megabytes": round(resultado.bytes_leidos / 1024 / 1024, 1),
            "segundos": round(resultado.segundos, 2),
        },
    )
