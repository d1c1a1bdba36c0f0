"""Open data: what is published equals what is in the database, in CSV and JSON, whole and per year."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from convenios.models import Aspecto, Convenio, EstadoAspecto, Evaluacion
from convenios.tests.fabricas import crear_convenio

pytestmark = pytest.mark.django_db


def _json(client, conjunto: str, anio: int | None = None) -> dict:
    nombre = "transparencia:descarga_anio" if anio else "transparencia:descarga"
    argumentos = [anio, conjunto, "json"] if anio else [conjunto, "json"]
    respuesta = client.get(reverse(nombre, args=argumentos))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(respuesta.content)


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
    atendido.estado = EstadoAspecto.ATENDIDA
    atendido.save()
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
        assert fila["acciones"] == aspecto.acciones
        assert fila["prioridad"] == aspecto.prioridad
        assert fila["fecha_compromiso"] == aspecto.fecha_compromiso.isoformat()
        assert fila["fecha_vigente"] == aspecto.fecha_vigente.isoformat()
        assert fila["estado"] == aspecto.estado
        assert fila["semaforo"] == semaforos[aspecto.pk]
        assert fila["vencido"] == aspecto.esta_vencido()
        assert fila["programa_clave"] == aspecto.convenio.evaluacion.programa.clave


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
    assert respuesta.content.startswith(b"\xef\xbb\xbf")  # BOM: accents read right in Excel
    filas = list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))
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
    fila = next(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig"))))
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


def test_descarga_con_consultas_acotadas(client, m, django_assert_max_num_queries):
    for _ in range(30):
        crear_convenio(m)
    for conjunto in ("evaluaciones", "convenios", "aspectos"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("transparencia:descarga", args=[conjunto, "json"])).status_code == 200
