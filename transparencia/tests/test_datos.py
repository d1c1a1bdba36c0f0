"""Open data: what is published equals what is in the database, in CSV and JSON, whole and per year."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.models import Accion, Aspecto, Convenio, EstadoAspecto, Evaluacion
from convenios.tests.fabricas import crear_convenio
from seguimiento.tests.estados import llevar_a

pytestmark = pytest.mark.django_db


def _contenido(respuesta) -> bytes:
    assert respuesta.streaming, "las descargas se transmiten, no se arman en memoria"
    return b"".join(respuesta.streaming_content)


def _json(client, conjunto: str, anio: int | None = None) -> dict:
    nombre = "transparencia:descarga_anio" if anio else "transparencia:descarga"
    argumentos = [anio, conjunto, "json"] if anio else [conjunto, "json"]
    respuesta = client.get(reverse(nombre, args=argumentos))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(_contenido(respuesta))


def test_json_de_evaluaciones_igual_a_la_base(client, datos):
    documento = _json(client, "evaluaciones")
    filas = {fila["id"]: fila for fila in documento["datos"]}
    evaluaciones = Evaluacion.objects.select_related("municipio", "programa", "dependencia_evaluada")
    assert set(filas) == {e.pk for e in evaluaciones}
    assert documento["total"] == evaluaciones.count()
    for evaluacion in evaluaciones:
        fila = filas[evaluacion.pk]
        assert fila["municipio"] == evaluacion.municipio.slug
        assert fila["anio_pae"] == evaluacion.anio_pae
        assert fila["tipo"] == evaluacion.tipo
        assert fila["tipo_nombre"] == evaluacion.get_tipo_display()
        assert fila["programa_clave"] == evaluacion.programa.clave
        assert fila["programa_nombre"] == evaluacion.programa.nombre
        assert fila["dependencia_id"] == evaluacion.dependencia_evaluada_id
        assert fila["dependencia"] == evaluacion.dependencia_evaluada.nombre
        assert fila["instancia_evaluadora"] == evaluacion.instancia_evaluadora
        assert fila["ejercicio_evaluado"] == evaluacion.ejercicio_evaluado
        assert Decimal(fila["presupuesto_programa"]) == evaluacion.presupuesto_programa
        assert Decimal(fila["costo_evaluacion"]) == evaluacion.costo_evaluacion
        assert fila["fecha_inicio"] == evaluacion.fecha_inicio.isoformat()
        assert fila["fecha_termino"] == evaluacion.fecha_termino.isoformat()
        assert fila["informe_final_url"] is None
        assert fila["anexo1_url"].endswith(reverse("transparencia:anexo1", args=[evaluacion.pk]))


def test_json_de_convenios_igual_a_la_base_sin_borradores(client, datos):
    atendido = datos.vigente.aspectos.get(tipo="hallazgo", numero=1)
    llevar_a(atendido, EstadoAspecto.ATENDIDA)
    filas = {fila["id"]: fila for fila in _json(client, "convenios")["datos"]}
    assert set(filas) == set(Convenio.objects.exclude(estado="borrador").values_list("pk", flat=True))
    assert datos.borrador.pk not in filas
    convenio = Convenio.objects.get(pk=datos.vigente.pk)
    fila = filas[convenio.pk]
    assert fila["evaluacion_id"] == convenio.evaluacion_id
    assert fila["estado"] == convenio.estado
    assert fila["fecha_firma"] == convenio.fecha_firma.isoformat()
    assert fila["fecha_limite"] == convenio.fecha_limite.isoformat()
    assert fila["dias_prorroga_max"] == convenio.dias_prorroga_max
    for parte, dependencia, titular in [
        ("implan", convenio.implan, convenio.firmante_implan),
        ("tesoreria", convenio.tesoreria, convenio.firmante_tesoreria),
        ("contraloria", convenio.contraloria, convenio.firmante_contraloria),
    ]:
        assert fila[parte] == dependencia.nombre
        assert fila[f"{parte}_titular"] == titular.nombre_con_grado
        assert fila[f"{parte}_cargo"] == titular.cargo
    assert fila["dependencia_titular"] == convenio.firmante_dependencia_evaluada.nombre_con_grado
    aspectos = list(convenio.aspectos.all())
    assert fila["total_aspectos"] == len(aspectos)
    assert fila["atendidos"] == sum(a.estado == "atendida" for a in aspectos) == 1
    assert fila["pendientes"] == sum(a.estado == "pendiente" for a in aspectos)
    assert fila["porcentaje_avance"] == round(100 * 1 / len(aspectos), 1)


def test_json_de_aspectos_igual_a_la_base(client, datos):
    filas = {fila["id"]: fila for fila in _json(client, "aspectos")["datos"]}
    publicos = Aspecto.objects.exclude(convenio__estado="borrador").select_related("convenio__evaluacion__programa")
    assert set(filas) == {a.pk for a in publicos}
    assert not set(filas) & set(datos.borrador.aspectos.values_list("pk", flat=True))
    semaforos = dict(Aspecto.objects.con_semaforo().values_list("pk", "semaforo"))
    for aspecto in publicos:
        fila = filas[aspecto.pk]
        assert fila["convenio_id"] == aspecto.convenio_id
        assert fila["tipo"] == aspecto.tipo
        assert fila["numero"] == aspecto.numero
        assert fila["texto"] == aspecto.texto
        assert fila["acciones"] == "; ".join(f"{a.numero}. {a.texto}" for a in aspecto.acciones.order_by("numero"))
        assert fila["prioridad"] == aspecto.prioridad
        assert fila["fecha_compromiso"] == aspecto.fecha_compromiso.isoformat()
        assert fila["fecha_vigente"] == aspecto.fecha_vigente.isoformat()
        assert fila["estado"] == aspecto.estado
        assert fila["semaforo"] == semaforos[aspecto.pk]
        assert fila["vencido"] == aspecto.esta_vencido()
        assert fila["programa_clave"] == aspecto.convenio.evaluacion.programa.clave


# What a citizen reads in the *_nombre columns, written out here rather than read from the model's choices.
NOMBRES_DE_ESTADO = {
    "pendiente": "Pendiente",
    "en_revision": "En revisión",
    "observada": "Observada",
    "atendida": "Atendida",
    "no_atendida": "No atendida",
    "cancelada": "Cancelada",
}


def test_cada_estado_y_tipo_se_publica_con_su_nombre_en_espanol_en_json_y_csv(client, m):
    convenio = crear_convenio(m, hallazgos=3)
    esperados = {}
    for aspecto, (estado, nombre) in zip(convenio.aspectos.all(), NOMBRES_DE_ESTADO.items(), strict=True):
        assert llevar_a(aspecto, estado).estado == estado
        esperados[aspecto.pk] = nombre

    assert {fila["id"]: fila["estado_nombre"] for fila in _json(client, "aspectos")["datos"]} == esperados
    respuesta = client.get(reverse("transparencia:descarga", args=["aspectos", "csv"]))
    lector = csv.DictReader(io.StringIO(_contenido(respuesta).decode("utf-8-sig")))
    assert {int(fila["id"]): fila["estado_nombre"] for fila in lector} == esperados

    assert [fila["estado_nombre"] for fila in _json(client, "convenios")["datos"]] == ["Vigente"]
    evaluacion = convenio.evaluacion
    for tipo, nombre in [("procesos", "Procesos"), ("desempeno", "Específica del Desempeño")]:
        Evaluacion.objects.filter(pk=evaluacion.pk).update(tipo=tipo)
        assert [fila["tipo_nombre"] for fila in _json(client, "evaluaciones")["datos"]] == [nombre]


def test_json_lleva_licencia_y_diccionario(client, datos):
    documento = _json(client, "aspectos")
    assert documento["licencia"]["clave"] == "CC-BY-4.0"
    assert documento["diccionario"].endswith(reverse("transparencia:diccionario"))
    assert documento["conjunto"] == "aspectos"


def test_por_anio_solo_ese_anio(client, m, datos):
    crear_convenio(m, anio=2023, fecha_firma=None, clave="03030303")
    del2022 = _json(client, "evaluaciones", 2022)
    del2023 = _json(client, "evaluaciones", 2023)
    assert {f["anio_pae"] for f in del2022["datos"]} == {2022}
    assert {f["anio_pae"] for f in del2023["datos"]} == {2023}
    assert del2022["total"] + del2023["total"] == Evaluacion.objects.count()
    assert _json(client, "evaluaciones", 2030)["datos"] == []


def test_csv_se_abre_en_una_hoja_de_calculo(client, datos):
    respuesta = client.get(reverse("transparencia:descarga", args=["aspectos", "csv"]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
    assert respuesta["Content-Disposition"] == 'attachment; filename="aspectos.csv"'
    contenido = _contenido(respuesta)
    assert contenido.startswith(b"\xef\xbb\xbf")  # BOM: accents read right in Excel
    filas = list(csv.DictReader(io.StringIO(contenido.decode("utf-8-sig"))))
    json_filas = _json(client, "aspectos")["datos"]
    assert len(filas) == len(json_filas) == Aspecto.objects.exclude(convenio__estado="borrador").count()
    assert list(filas[0]) == list(json_filas[0])
    for fila_csv, fila_json in zip(filas, json_filas, strict=True):
        assert fila_csv["id"] == str(fila_json["id"])
        assert fila_csv["texto"] == fila_json["texto"]
        assert fila_csv["vencido"] == ("true" if fila_json["vencido"] else "false")


def test_csv_de_evaluaciones_con_costo_vacio(client, m):
    convenio = crear_convenio(m)
    Evaluacion.objects.filter(pk=convenio.evaluacion_id).update(costo_evaluacion=None, instancia_evaluadora="Año, «ñ»")
    respuesta = client.get(reverse("transparencia:descarga_anio", args=[2022, "evaluaciones", "csv"]))
    fila = next(csv.DictReader(io.StringIO(_contenido(respuesta).decode("utf-8-sig"))))
    assert fila["costo_evaluacion"] == ""
    assert fila["instancia_evaluadora"] == "Año, «ñ»"
    assert fila["presupuesto_programa"] == "3053600.00"


@pytest.mark.parametrize(
    "ruta",
    [
        "/transparencia/datos/usuarios.csv",
        "/transparencia/datos/aspectos.xml",
        "/transparencia/datos/1999/aspectos.csv",
        "/transparencia/datos/evidencias.json",
    ],
)
def test_conjuntos_o_formatos_desconocidos_son_404(client, datos, ruta):
    assert client.get(ruta).status_code == 404


def test_diccionario_describe_cada_campo_de_cada_conjunto(client, datos):
    from transparencia.serializers import CONJUNTOS

    respuesta = client.get(reverse("transparencia:diccionario"))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    for conjunto in CONJUNTOS.values():
        for nombre, campo in conjunto["serializer"]().fields.items():
            assert f'<th scope="row" class="campo-codigo">{nombre}</th>' in contenido
            assert campo.help_text
    assert "fecha (AAAA-MM-DD)" in contenido
    assert "vigente = Vigente" in contenido
    assert "CC BY 4.0" in contenido


def test_pagina_de_datos_enlaza_cada_descarga(client, datos):
    contenido = client.get(reverse("transparencia:datos")).content.decode()
    for conjunto in ("evaluaciones", "convenios", "aspectos"):
        for formato in ("csv", "json"):
            assert reverse("transparencia:descarga", args=[conjunto, formato]) in contenido
            assert reverse("transparencia:descarga_anio", args=[2022, conjunto, formato]) in contenido


def _aspectos_adicionales(convenio: Convenio, cuantos: int) -> None:
    """``cuantos`` more recomendaciones in one convenio, in one INSERT (the size of the download, not its shape)."""
    inicio = convenio.aspectos.count() + 1
    nuevos = Aspecto.objects.bulk_create(
        Aspecto(
            convenio=convenio,
            tipo="recomendacion",
            numero=numero,
            texto=f"Recomendación número {numero}, con su texto completo: " + "ñ" * 150,
            fecha_compromiso=convenio.fecha_limite,
            fecha_vigente=convenio.fecha_limite,
        )
        for numero in range(inicio, inicio + cuantos)
    )
    Accion.objects.bulk_create(
        Accion(
            aspecto=aspecto,
            numero=1,
            texto=f"Acción de la recomendación {aspecto.numero}: " + "a" * 150,
            fecha_termino=convenio.fecha_limite,
        )
        for aspecto in nuevos
    )


def _descargar(client, conjunto: str, formato: str) -> int:
    """Bytes of the download, read chunk by chunk and thrown away as a client writing to disk would."""
    respuesta = client.get(reverse("transparencia:descarga", args=[conjunto, formato]))
    assert respuesta.status_code == 200
    return sum(len(parte) for parte in respuesta.streaming_content)


def _pico_de_memoria(client, conjunto: str, formato: str) -> tuple[int, int]:
    tracemalloc.start()
    try:
        tamano = _descargar(client, conjunto, formato)
        _actual, pico = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return pico, tamano


@pytest.mark.parametrize("formato", ["csv", "json"])
def test_memoria_de_una_descarga_no_crece_con_las_filas(client, m, formato):
    convenio = crear_convenio(m)
    _aspectos_adicionales(convenio, 995)
    _descargar(client, "aspectos", formato)  # warm up: imports, URL resolver, serializer fields
    pico_1000, tamano_1000 = _pico_de_memoria(client, "aspectos", formato)
    _aspectos_adicionales(convenio, 4000)
    pico_5000, tamano_5000 = _pico_de_memoria(client, "aspectos", formato)
    assert tamano_5000 > 4.5 * tamano_1000  # five times the rows, five times the bytes…
    # …and the same memory: a file built in memory would need at least the 4,000 extra rows' bytes more.
    assert pico_5000 < 1.3 * pico_1000, (pico_1000, pico_5000)
    # A fifth of the extra bytes: PostgreSQL's driver buffers a chunk of rows whose size varies a little
    # with the data (seen: +312 kB for +2.8 MB of CSV); a file in memory would take all of them.
    assert pico_5000 - pico_1000 < (tamano_5000 - tamano_1000) / 5, (pico_1000, pico_5000)


@pytest.mark.parametrize("conjunto", ["evaluaciones", "convenios", "aspectos"])
@pytest.mark.parametrize("formato", ["csv", "json"])
def test_consultas_de_una_descarga_no_crecen_con_las_filas(client, m, conjunto, formato):
    def consultas() -> int:
        with CaptureQueriesContext(connection) as capturadas:
            _descargar(client, conjunto, formato)
        return len(capturadas)

    crear_convenio(m)
    consultas()  # computes and caches the public fingerprint (ETag)
    pocas = consultas()
    for _ in range(3):
        _aspectos_adicionales(crear_convenio(m), 1200)
    consultas()
    assert consultas() == pocas


FORMULA = '=HYPERLINK("http://ejemplo.invalid/robar","ver")'


def test_csv_no_deja_formulas_en_ninguna_celda(client, m):
    """OWASP CSV Injection: a text that a spreadsheet would run comes out with a leading apostrophe."""
    convenio = crear_convenio(m)
    m.dependencia.__class__.objects.filter(pk=m.dependencia.pk).update(nombre=FORMULA)
    m.implan.__class__.objects.filter(pk=m.implan.pk).update(nombre="+IMPLAN")
    convenio.evaluacion.programa.__class__.objects.filter(pk=convenio.evaluacion.programa_id).update(nombre=FORMULA)
    Evaluacion.objects.filter(pk=convenio.evaluacion_id).update(instancia_evaluadora="@SUMA(A1:A9)")
    convenio.aspectos.filter(tipo="hallazgo").update(texto=FORMULA)
    convenio.aspectos.filter(tipo="recomendacion").update(texto="-1+1")
    Accion.objects.filter(aspecto__convenio=convenio).update(texto="\tcmd|' /C calc'!A0")
    celdas = []
    for conjunto in ("evaluaciones", "convenios", "aspectos"):
        respuesta = client.get(reverse("transparencia:descarga", args=[conjunto, "csv"]))
        lector = csv.reader(io.StringIO(_contenido(respuesta).decode("utf-8-sig")))
        celdas += [celda for fila in lector for celda in fila]
    assert f"'{FORMULA}" in celdas
    assert {"'+IMPLAN", "'@SUMA(A1:A9)", "'-1+1"} <= set(celdas)
    # The actions' cell starts with their number ("1. …"), so a hostile action text is never a formula.
    assert "1. \tcmd|' /C calc'!A0" in celdas
    assert not [celda for celda in celdas if celda.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # The JSON is not a spreadsheet: it keeps the text exactly as captured.
    assert {f["texto"] for f in _json(client, "aspectos")["datos"]} == {FORMULA, "-1+1"}


def test_descarga_con_consultas_acotadas(client, m, django_assert_max_num_queries):
    for _ in range(30):
        crear_convenio(m)
    for conjunto in ("evaluaciones", "convenios", "aspectos"):
        with django_assert_max_num_queries(12):
            _descargar(client, conjunto, "json")
