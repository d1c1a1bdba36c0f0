"""Each role lands on its own page; pages show what they must with a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from convenios.tests.fabricas import crear_convenio
from convenios.tests.reloj import el_dia
from seguimiento import services


def test_login_en_espanol_y_redireccion_a_inicio(client, dependencia):
    pagina = client.get(reverse("login")).content.decode()
    assert "Iniciar sesión" in pagina and "Contraseña" in pagina
    respuesta = client.post(reverse("login"), {"username": "dependencia", "password": "contraseña-de-prueba-larga"})
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("seguimiento:inicio")


def test_login_fallido_con_mensaje_en_espanol(client, dependencia):
    respuesta = client.post(reverse("login"), {"username": "dependencia", "password": "equivocada"})
    assert respuesta.status_code == 200
    assert "Por favor introduzca nombre de usuario y contraseña correctos" in respuesta.content.decode()


@el_dia(datetime.date(2023, 1, 2))  # the 2022 dates are past
def test_inicio_de_la_dependencia_muestra_sus_aspectos_con_semaforo(
    client, dependencia, convenio, m, django_assert_max_num_queries
):
    ajeno = crear_convenio(m, dependencia=m.otra_dependencia)
    client.force_login(dependencia)
    with django_assert_max_num_queries(8):
        respuesta = client.get(reverse("seguimiento:inicio"))
    contenido = respuesta.content.decode()
    assert "Convenios de Dirección de Desarrollo Social" in contenido
    # the 2022 dates are all past: the semáforo column (the phone layout repeats it under the item's text)
    columna = '<td class="d-none d-md-table-cell"><span class="semaforo semaforo-rojo"'
    assert contenido.count(columna) == convenio.aspectos.count()
    assert "Subir evidencia y enviarla a revisión" in contenido
    assert reverse("seguimiento:convenio", args=[ajeno.pk]) not in contenido


def test_inicio_de_la_dependencia_con_muchos_convenios_no_crece_en_consultas(
    client, dependencia, m, django_assert_max_num_queries
):
    for _ in range(12):
        crear_convenio(m)
    client.force_login(dependencia)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("seguimiento:inicio")).status_code == 200


def test_inicio_del_implan_lista_por_revisar_y_prorrogas(
    client, implan, dependencia, convenio, subir, django_assert_max_num_queries
):
    import datetime

    aspectos = list(convenio.aspectos.filter(tipo="recomendacion").order_by("numero"))
    for aspecto in reversed(aspectos):  # sent in reverse order: the oldest request is recomendación 3
        subir(aspecto)
        services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    services.prorroga_solicitar(
        aspecto=convenio.aspectos.get(tipo="hallazgo", numero=1),
        usuario=dependencia,
        fecha_solicitada=convenio.fecha_limite + datetime.timedelta(days=7),
        motivo="Cierre del ejercicio",
    )
    client.force_login(implan)
    with django_assert_max_num_queries(16):  # the dashboard: constant in the data (test_inicio.py)
        respuesta = client.get(reverse("seguimiento:inicio"))
    assert [a.numero for a in respuesta.context["por_revisar"]] == [3, 2, 1]
    contenido = respuesta.content.decode()
    assert "Prórrogas por decidir" in contenido and "7 de enero de 2023" in contenido


@pytest.mark.parametrize("persona", ["contraloria", "tesoreria"])
def test_contraloria_y_tesoreria_ven_todo_sin_botones(client, request, convenio, m, persona):
    otro = crear_convenio(m, dependencia=m.otra_dependencia)
    usuario = request.getfixturevalue(persona)
    client.force_login(usuario)
    contenido = client.get(reverse("seguimiento:inicio")).content.decode()
    for c in (convenio, otro):
        assert reverse("seguimiento:convenio", args=[c.pk]) in contenido
    aspecto = convenio.aspectos.first()
    pagina = client.get(reverse("seguimiento:aspecto", args=[aspecto.pk])).content.decode()
    assert "<form" not in pagina.split('id="contenido"')[1]


def test_pagina_del_aspecto_con_historial_y_consultas_acotadas(
    client, implan, en_revision, django_assert_max_num_queries
):
    client.force_login(implan)
    with django_assert_max_num_queries(15):
        respuesta = client.get(reverse("seguimiento:aspecto", args=[en_revision.pk]))
    contenido = respuesta.content.decode()
    assert "Envió a revisión" in contenido and "Subió evidencia" in contenido
    assert "Validar: la evidencia es suficiente y clara" in contenido and "Devolver con observaciones" in contenido
    assert "31 de diciembre de 2022" in contenido


def test_pagina_del_convenio_de_la_semilla(client, seed):
    from convenios.tests.fabricas import crear_usuario

    client.force_login(crear_usuario("contralor", seed.contraloria))
    contenido = client.get(reverse("seguimiento:convenio", args=[seed.pk])).content.decode()
    for texto in (
        "Gonzalo Levi Obregón Salinas",
        "Defensor Municipal de los Derechos Humanos",
        "L.E. Alfredo Oropeza Méndez",
        "6 de diciembre de 2022",
        "$3,053,600.00",
        "01020401.- Derechos Humanos",
    ):
        assert texto in contenido
    for aspecto in seed.aspectos.all():
        assert aspecto.texto[:50] in contenido.replace("&quot;", '"')


def test_texto_hostil_se_muestra_literal(client, implan, convenio):
    aspecto = convenio.aspectos.first()
    type(aspecto).objects.filter(pk=aspecto.pk).update(
        texto='<script>alert("x")</script><img src="http://evil.invalid/x">'
    )
    client.force_login(implan)
    contenido = client.get(reverse("seguimiento:aspecto", args=[aspecto.pk])).content.decode()
    assert "<script>alert" not in contenido and '<img src="http://evil' not in contenido
    assert "&lt;script&gt;alert" in contenido


def test_cambio_de_contrasena_y_cierre_de_sesion(client, dependencia):
    client.force_login(dependencia)
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": "contraseña-de-prueba-larga", "new_password1": "corta", "new_password2": "corta"},
    )
    assert respuesta.status_code == 200 and "La contraseña es demasiado corta" in respuesta.content.decode()
    nueva = "una-contraseña-nueva-muy-larga"
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": "contraseña-de-prueba-larga", "new_password1": nueva, "new_password2": nueva},
    )
    assert respuesta.status_code == 302
    assert "Sesión cerrada" in client.post(reverse("logout")).content.decode()
    assert client.get(reverse("seguimiento:inicio")).status_code == 302


def test_en_el_admin_el_seguimiento_es_de_solo_lectura_salvo_publicable(client, implan, en_revision):
    evidencia = en_revision.evidencias.get()
    client.force_login(implan)
    for modelo in ("evidencia", "movimiento", "prorroga", "sesion"):
        assert client.get(reverse(f"admin:seguimiento_{modelo}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:seguimiento_{modelo}_add")).status_code == 403
    respuesta = client.post(
        reverse("admin:seguimiento_evidencia_change", args=[evidencia.pk]),
        {"publicable": "on", "descripcion": "cambiada", "sha256": "0" * 64},
    )
    assert respuesta.status_code == 302
    evidencia.refresh_from_db()
    assert evidencia.publicable is True
    assert evidencia.descripcion != "cambiada" and evidencia.sha256 != "0" * 64
    movimiento = en_revision.movimientos.first()
    assert (
        client.post(reverse("admin:seguimiento_movimiento_delete", args=[movimiento.pk]), {"post": "yes"}).status_code
        == 403
    )
