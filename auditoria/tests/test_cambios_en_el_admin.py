"""Every add, change and delete made in the admin leaves an audit row: who, what, before and after,
written in the same transaction as the change."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.models import Convenio, Dependencia, EstadoConvenio, ProgramaPresupuestario, Titular
from convenios.tests.fabricas import crear_convenio, crear_usuario
from convenios.tests.formularios import datos_del_formulario
from cuentas.models import Usuario


@pytest.fixture
def raiz(db) -> Usuario:
    return crear_usuario("raiz", None, is_superuser=True, is_staff=True)


def _ultimo(tipo: str, objeto: Any) -> RegistroAuditoria:
    return RegistroAuditoria.objects.filter(tipo=tipo, objeto_id=str(objeto.pk)).latest("pk")


def test_cambiar_una_dependencia_y_agregar_su_titular(client, implan, m):
    url = reverse("admin:convenios_dependencia_change", args=[m.dependencia.pk])
    client.force_login(implan)
    datos = datos_del_formulario(client.get(url))
    datos["nombre"] = "Dirección de Bienestar"
    datos.update(
        {
            "titulares-TOTAL_FORMS": "2",
            "titulares-1-nombre": "María López",
            "titulares-1-cargo": "Directora de Bienestar",
            "titulares-1-grado": "Mtra.",
            "titulares-1-desde": "2025-01-01",
            "titulares-1-dependencia": str(m.dependencia.pk),
        }
    )

    with CaptureQueriesContext(connection) as consultas:
        respuesta = client.post(url, datos)

    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors
    assert Titular.objects.filter(dependencia=m.dependencia, nombre="María López").exists()
    registro = _ultimo(TipoEvento.CAMBIO_ADMIN, m.dependencia)
    assert (registro.usuario, registro.municipio, registro.tipo_objeto.model) == (implan, m.municipio, "dependencia")
    assert registro.ruta == url
    assert "«Dirección de Desarrollo Social» → «Dirección de Bienestar»" in registro.detalle
    assert "titular «Mtra. María López» agregado" in registro.detalle
    assert "«Directora de Bienestar»" in registro.detalle
    _en_la_misma_transaccion(consultas, "convenios_dependencia", "auditoria_registroauditoria")


def _en_la_misma_transaccion(consultas: CaptureQueriesContext, tabla: str, bitacora: str) -> None:
    """The change and its audit row are written inside one savepoint of the admin's atomic block."""
    sql = [c["sql"] for c in consultas.captured_queries]
    cambio = next(i for i, s in enumerate(sql) if s.startswith("UPDATE") and tabla in s)
    fila = next(i for i, s in enumerate(sql) if s.startswith("INSERT") and bitacora in s)
    abiertos = {re.search(r'"(\w+)"', s).group(1): i for i, s in enumerate(sql) if s.startswith("SAVEPOINT")}
    cerrados = {re.search(r'"(\w+)"', s).group(1): i for i, s in enumerate(sql) if s.startswith("RELEASE")}
    envolventes = [n for n, i in abiertos.items() if i < min(cambio, fila) and cerrados.get(n, -1) > max(cambio, fila)]
    assert envolventes, "el cambio y su registro no están en un mismo bloque atómico"


def test_un_formulario_rechazado_no_deja_registro(client, implan, m):
    url = reverse("admin:convenios_dependencia_change", args=[m.dependencia.pk])
    client.force_login(implan)
    datos = datos_del_formulario(client.get(url))
    datos["nombre"] = ""

    assert client.post(url, datos).status_code == 200
    assert not RegistroAuditoria.objects.filter(tipo=TipoEvento.CAMBIO_ADMIN).exists()


def test_cambiar_un_convenio_queda_en_la_bitacora(client, implan, m):
    convenio = crear_convenio(m, estado=EstadoConvenio.BORRADOR)
    url = reverse("admin:convenios_convenio_change", args=[convenio.pk])
    client.force_login(implan)
    datos = datos_del_formulario(client.get(url))
    datos["fojas"] = "7"

    respuesta = client.post(url, datos)

    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors
    assert Convenio.objects.get(pk=convenio.pk).fojas == 7
    registro = _ultimo(TipoEvento.CAMBIO_ADMIN, convenio)
    assert registro.usuario == implan and "«6» → «7»" in registro.detalle
    assert str(convenio) in registro.objeto_texto


def test_dar_de_alta_un_programa_queda_en_la_bitacora(client, implan, m):
    client.force_login(implan)

    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_add"),
        {"municipio": m.municipio.pk, "clave": "01020401", "nombre": "Derechos Humanos"},
    )

    assert respuesta.status_code == 302
    programa = ProgramaPresupuestario.objects.get(clave="01020401")
    registro = _ultimo(TipoEvento.ALTA_ADMIN, programa)
    assert "«01020401»" in registro.detalle and "«Derechos Humanos»" in registro.detalle


def test_los_permisos_y_grupos_de_un_usuario_quedan_en_la_bitacora(client, raiz, dependencia):
    url = reverse("admin:cuentas_usuario_change", args=[dependencia.pk])
    permiso = Permission.objects.get(codename="view_convenio")
    grupo = Group.objects.create(name="Consulta estatal")
    client.force_login(raiz)
    datos = datos_del_formulario(client.get(url))
    datos.update({"user_permissions": [str(permiso.pk)], "groups": [str(grupo.pk)]})

    respuesta = client.post(url, datos)

    assert respuesta.status_code == 302, respuesta.context["adminform"].form.errors
    registro = _ultimo(TipoEvento.CAMBIO_ADMIN, dependencia)
    assert registro.usuario == raiz
    assert f"«—» → «{permiso}»" in registro.detalle
    assert "«—» → «Consulta estatal»" in registro.detalle


def test_cambiar_los_permisos_de_un_grupo_queda_en_la_bitacora(client, raiz):
    grupo = Group.objects.create(name="Consulta estatal")
    permiso = Permission.objects.get(codename="view_convenio")
    client.force_login(raiz)

    respuesta = client.post(
        reverse("admin:auth_group_change", args=[grupo.pk]),
        {"name": "Consulta estatal", "permissions": [permiso.pk]},
    )

    assert respuesta.status_code == 302
    assert f"«—» → «{permiso}»" in _ultimo(TipoEvento.CAMBIO_ADMIN, grupo).detalle


def test_borrar_en_el_admin_guarda_lo_borrado(client, raiz, m):
    uno, otro = (
        ProgramaPresupuestario.objects.create(municipio=m.municipio, clave=clave, nombre=f"Programa {clave}")
        for clave in ("01020401", "01020402")
    )
    tercero = Dependencia.objects.create(municipio=m.municipio, nombre="Dirección Temporal", tipo="dependencia")
    client.force_login(raiz)

    assert (
        client.post(reverse("admin:convenios_dependencia_delete", args=[tercero.pk]), {"post": "yes"}).status_code
        == 302
    )
    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_changelist"),
        {"action": "delete_selected", "_selected_action": [uno.pk, otro.pk], "post": "yes"},
    )

    assert respuesta.status_code == 302
    assert not ProgramaPresupuestario.objects.filter(pk__in=[uno.pk, otro.pk]).exists()
    bajas = RegistroAuditoria.objects.filter(tipo=TipoEvento.BAJA_ADMIN)
    assert {b.objeto_texto for b in bajas} == {
        "01020401.- Programa 01020401",
        "01020402.- Programa 01020402",
        "Dirección Temporal",
    }
    assert all(b.usuario == raiz for b in bajas)
    assert "«Dirección Temporal»" in bajas.get(objeto_id=str(tercero.pk)).detalle


def test_marcar_una_evidencia_como_publicable_queda_en_la_bitacora(client, implan, convenio, dependencia):
    from seguimiento import services
    from seguimiento.tests import archivos_prueba

    aspecto = convenio.aspectos.first()
    evidencia = services.evidencia_subir(
        aspecto=aspecto,
        archivo=archivos_prueba.subido("oficio.pdf", archivos_prueba.pdf("Oficio")),
        descripcion="Oficio",
        usuario=dependencia,
    )
    client.force_login(implan)

    respuesta = client.post(
        reverse("admin:seguimiento_evidencia_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(evidencia.pk),
            "form-0-publicable": "on",
            "_save": "Guardar",
        },
    )

    assert respuesta.status_code == 302
    registro = _ultimo(TipoEvento.CAMBIO_ADMIN, evidencia)
    assert "«no» → «sí»" in registro.detalle and registro.municipio == convenio.municipio
