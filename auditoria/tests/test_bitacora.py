"""The audit log: written by auditar() and the login signals, read in the admin, never changed or deleted."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from auditoria.admin import HistorialSoloLecturaAdmin
from auditoria.models import RegistroAuditoria, RegistroInalterable, TipoEvento
from auditoria.services import auditar
from convenios.models import Aspecto, EstadoAspecto
from seguimiento.models import Movimiento
from seguimiento.tests import archivos_prueba as ap
from seguimiento.tests.estados import llevar_a


@pytest.fixture
def registro(implan) -> RegistroAuditoria:
    return auditar(tipo=TipoEvento.EMISION_DOCUMENTO, usuario=implan, detalle="Oficio de cumplimiento")


def test_auditar_guarda_quien_que_cuando_desde_donde_y_sobre_que(rf, dependencia, convenio):
    request = rf.get("/alguna/ruta/", REMOTE_ADDR="192.0.2.33", HTTP_USER_AGENT="Firefox")
    aspecto = convenio.aspectos.first()
    registro = auditar(
        tipo=TipoEvento.DESCARGA_EVIDENCIA, usuario=dependencia, request=request, objeto=aspecto, detalle="x"
    )
    registro = RegistroAuditoria.objects.get(pk=registro.pk)
    assert registro.usuario == dependencia and registro.nombre_usuario == "dependencia"
    assert (registro.ip, registro.agente, registro.ruta) == ("192.0.2.33", "Firefox", "/alguna/ruta/")
    assert registro.tipo_objeto.model_class() is Aspecto
    assert (registro.objeto_id, registro.objeto_texto) == (str(aspecto.pk), str(aspecto))
    assert registro.municipio == dependencia.municipio


def test_sin_usuario_el_municipio_sale_del_objeto(convenio):
    registro = auditar(tipo=TipoEvento.EMISION_DOCUMENTO, usuario=None, objeto=convenio.aspectos.first())
    assert registro.municipio == convenio.municipio and registro.usuario is None


def test_un_registro_no_se_cambia_ni_se_borra_desde_el_codigo(registro):
    registro.detalle = "otra cosa"
    with pytest.raises(RegistroInalterable):
        registro.save()
    with pytest.raises(RegistroInalterable):
        registro.delete()
    with pytest.raises(RegistroInalterable):
        RegistroAuditoria.objects.filter(pk=registro.pk).update(detalle="otra cosa")
    with pytest.raises(RegistroInalterable):
        RegistroAuditoria.objects.all().delete()
    assert RegistroAuditoria.objects.get(pk=registro.pk).detalle == "Oficio de cumplimiento"


def test_la_base_de_datos_rechaza_reescribir_la_bitacora(registro):
    tabla = RegistroAuditoria._meta.db_table
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tabla} SET detalle = 'alterado' WHERE id = %s", [registro.pk])
    assert "auditoria_inalterable" in str(error.value)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {tabla} WHERE id = %s", [registro.pk])
    assert RegistroAuditoria.objects.get(pk=registro.pk).detalle == "Oficio de cumplimiento"


def test_la_descarga_de_evidencia_queda_registrada(client, dependencia, contraloria, convenio):
    from seguimiento import services

    aspecto = convenio.aspectos.first()
    evidencia = services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("acta.pdf", ap.pdf()), descripcion="Acta", usuario=dependencia
    )
    client.force_login(contraloria)
    respuesta = client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk]), REMOTE_ADDR="10.2.2.2")
    assert respuesta.status_code == 200
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.DESCARGA_EVIDENCIA)
    assert (registro.usuario, registro.ip, registro.objeto_id, registro.objeto_texto) == (
        contraloria,
        "10.2.2.2",
        str(evidencia.pk),
        "acta.pdf",
    )


def test_una_descarga_negada_no_se_registra_como_descarga(client, otra_dependencia, dependencia, convenio):
    from seguimiento import services

    evidencia = services.evidencia_subir(
        aspecto=convenio.aspectos.first(), archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    client.force_login(otra_dependencia)
    assert client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk])).status_code == 404
    assert not RegistroAuditoria.objects.filter(tipo=TipoEvento.DESCARGA_EVIDENCIA).exists()


# --- The admin -------------------------------------------------------------------------


def test_el_admin_muestra_la_bitacora_y_no_permite_agregar_cambiar_ni_borrar(client, admin_user, registro):
    client.force_login(admin_user)
    lista = client.get(reverse("admin:auditoria_registroauditoria_changelist"))
    assert lista.status_code == 200 and "Oficio de cumplimiento" not in lista.content.decode()
    assert "Emisión de documento" in lista.content.decode()
    detalle = client.get(reverse("admin:auditoria_registroauditoria_change", args=[registro.pk]))
    assert detalle.status_code == 200 and "Oficio de cumplimiento" in detalle.content.decode()
    assert 'name="_save"' not in detalle.content.decode()
    assert client.get(reverse("admin:auditoria_registroauditoria_add")).status_code == 403
    assert (
        client.post(reverse("admin:auditoria_registroauditoria_change", args=[registro.pk]), {"detalle": "x"})
    ).status_code == 403
    borrar = client.post(reverse("admin:auditoria_registroauditoria_delete", args=[registro.pk]), {"post": "yes"})
    assert borrar.status_code == 403
    assert RegistroAuditoria.objects.get(pk=registro.pk).detalle == "Oficio de cumplimiento"
    assert "delete_selected" not in lista.content.decode()


def test_el_implan_lee_solo_la_bitacora_de_su_municipio(client, implan, implan_otro_municipio, registro):
    ajeno = auditar(tipo=TipoEvento.EMISION_DOCUMENTO, usuario=implan_otro_municipio)
    client.force_login(implan)  # its own login is a row of its municipio too
    lista = client.get(reverse("admin:auditoria_registroauditoria_changelist"))
    assert lista.status_code == 200
    vistos = list(lista.context["cl"].result_list)
    assert registro in vistos and ajeno not in vistos
    assert {r.municipio_id for r in vistos} == {implan.municipio.pk}
    assert client.get(reverse("admin:auditoria_registroauditoria_change", args=[ajeno.pk])).status_code == 404


def test_los_usuarios_sin_personal_no_entran_a_la_bitacora(client, dependencia, contraloria):
    for usuario in (dependencia, contraloria):
        client.force_login(usuario)
        respuesta = client.get(reverse("admin:auditoria_registroauditoria_changelist"))
        assert respuesta.status_code == 302 and "/admin/login/" in respuesta["Location"]


SOLO_LECTURA = ["auditoria.RegistroAuditoria", "seguimiento.Movimiento"]


@pytest.mark.parametrize("modelo", SOLO_LECTURA)
def test_ni_un_superusuario_agrega_cambia_o_borra_historial_o_bitacora(rf, admin_user, modelo):
    from django.apps import apps

    modelo_admin = admin.site._registry[apps.get_model(modelo)]
    request = rf.get("/")
    request.user = admin_user
    assert not modelo_admin.has_add_permission(request)
    assert not modelo_admin.has_change_permission(request)
    assert not modelo_admin.has_delete_permission(request)


def test_ningun_historial_del_admin_se_puede_revertir():
    """Every admin with a history (today's and any other app's later) must be the read-only one."""
    con_historial = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert con_historial, "se esperaban modelos con historial en la administración"
    faltan = [type(a).__name__ for a in con_historial if not isinstance(a, HistorialSoloLecturaAdmin)]
    assert faltan == []
    historicos = [m for m in admin.site._registry if m.__name__.startswith("Historical")]
    assert historicos == []  # no history table is editable as a model of its own


def test_revertir_un_aspecto_desde_su_historial_se_rechaza(client, admin_user, convenio, dependencia, implan):

    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    version_pendiente = aspecto.history.latest().history_id
    llevar_a(aspecto, EstadoAspecto.ATENDIDA, dependencia=dependencia, implan=implan)
    client.force_login(admin_user)
    url = reverse("admin:convenios_aspecto_simple_history", args=[aspecto.pk, version_pendiente])
    pagina = client.get(url)
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Revertir" not in html and '<input type="submit"' not in html
    datos = {"texto": aspecto.texto, "numero": aspecto.numero, "fecha_compromiso": aspecto.fecha_compromiso}
    assert client.post(url, datos).status_code == 403
    aspecto.refresh_from_db()
    assert aspecto.estado == EstadoAspecto.ATENDIDA
    assert Movimiento.objects.filter(aspecto=aspecto).count() == 3
