"""The IMPLAN officer's user admin: accounts of its own municipio only, and no way to escalate.

The role comes from the dependencia (``cuentas.roles``): posting superuser or staff status, groups,
permissions or another municipio's dependencia changes nothing.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.models import Municipio
from convenios.tests.fabricas import CONTRASENA, crear_usuario
from convenios.tests.formularios import datos_del_formulario
from cuentas.models import Usuario
from cuentas.roles import GRUPO_IMPLAN

ALTA = reverse("admin:cuentas_usuario_add")
LISTA = reverse("admin:cuentas_usuario_changelist")
NUEVA = "Una-contraseña-inicial-2022"


def _cambio(usuario: Usuario) -> str:
    return reverse("admin:cuentas_usuario_change", args=[usuario.pk])


def _escalada() -> dict:
    """What a hostile officer adds to any user form."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [Group.objects.get_or_create(name="Todo el estado")[0].pk],
        "user_permissions": [Permission.objects.get(codename="delete_convenio").pk],
    }


def _alta(dependencia, **extra) -> dict:
    datos = {
        "username": "enlace.dds",
        "usable_password": "true",
        "password1": NUEVA,
        "password2": NUEVA,
        "first_name": "Ana",
        "last_name": "Pérez",
        "email": "ana@prueba.invalid",
        "dependencia": dependencia.pk,
        "is_active": "on",
    }
    datos.update(extra)
    return datos


def _datos_de(usuario: Usuario, **extra) -> dict:
    datos = {
        "username": usuario.username,
        "first_name": usuario.first_name,
        "last_name": usuario.last_name,
        "email": usuario.email,
        "dependencia": usuario.dependencia_id or "",
    }
    if usuario.is_active:
        datos["is_active"] = "on"
    datos.update(extra)
    return {k: v for k, v in datos.items() if v is not None}


@pytest.fixture
def raiz(db) -> Usuario:
    return crear_usuario("raiz", None, is_superuser=True, is_staff=True)


def test_el_implan_crea_un_usuario_de_su_municipio_y_lo_ve_en_la_lista(client, implan, m):
    client.force_login(implan)

    respuesta = client.post(ALTA, _alta(m.dependencia))

    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    nuevo = Usuario.objects.get(username="enlace.dds")
    assert (nuevo.dependencia, nuevo.is_active, nuevo.is_staff, nuevo.is_superuser) == (
        m.dependencia,
        True,
        False,
        False,
    )
    assert nuevo.check_password(NUEVA)
    lista = client.get(LISTA)
    assert nuevo in lista.context["cl"].result_list
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.ALTA_ADMIN, objeto_id=str(nuevo.pk))
    assert (registro.usuario, registro.municipio) == (implan, m.municipio)
    assert "Dirección de Desarrollo Social" in registro.detalle and "ana@prueba.invalid" in registro.detalle
    assert NUEVA not in registro.detalle and "contraseña: (establecida)" in registro.detalle
    assert "true" not in registro.detalle


def test_el_formulario_del_implan_no_muestra_superusuario_personal_grupos_ni_permisos(client, implan, dependencia):
    client.force_login(implan)
    for url in (ALTA, _cambio(dependencia)):
        contenido = client.get(url).content.decode()
        for campo in ("is_superuser", "is_staff", "groups", "user_permissions"):
            assert f'name="{campo}"' not in contenido, (url, campo)
        assert 'name="dependencia"' in contenido
    assert "is_staff" not in client.get(LISTA).content.decode()


def test_dar_de_alta_con_escalada_no_concede_nada(client, implan, m):
    client.force_login(implan)

    respuesta = client.post(ALTA, _alta(m.dependencia, **_escalada()))

    assert respuesta.status_code == 302
    nuevo = Usuario.objects.get(username="enlace.dds")
    assert (nuevo.is_superuser, nuevo.is_staff) == (False, False)
    assert not nuevo.groups.exists() and not nuevo.user_permissions.exists()
    assert not nuevo.has_perm("convenios.delete_convenio")


def test_el_implan_no_se_hace_superusuario_ni_se_da_permisos(client, implan, m):
    client.force_login(implan)

    respuesta = client.post(_cambio(implan), _datos_de(implan, **_escalada()))

    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    implan = Usuario.objects.get(pk=implan.pk)
    assert implan.is_superuser is False
    assert list(implan.groups.values_list("name", flat=True)) == [GRUPO_IMPLAN]
    assert not implan.user_permissions.exists()
    assert not implan.has_perm("convenios.delete_convenio")


def test_una_dependencia_de_otro_municipio_no_se_acepta(client, implan, m, dependencia, otro_municipio):
    client.force_login(implan)

    alta = client.post(ALTA, _alta(otro_municipio.dependencia))
    cambio = client.post(_cambio(dependencia), _datos_de(dependencia, dependencia=otro_municipio.implan.pk))

    assert alta.status_code == 200 and cambio.status_code == 200
    assert "Seleccione una opción válida" in alta.content.decode()
    assert not Usuario.objects.filter(username="enlace.dds").exists()
    assert Usuario.objects.get(pk=dependencia.pk).dependencia == m.dependencia
    opciones = re.findall(r'<option value="(\d+)"', client.get(ALTA).content.decode())
    assert sorted(map(int, opciones)) == sorted(d.pk for d in m.municipio.dependencia_set.all())


def test_el_rol_sigue_a_la_dependencia(client, implan, m, dependencia):
    """Moved to IMPLAN, the user enters the admin with IMPLAN's group; moved out, it loses both."""
    client.force_login(implan)

    client.post(_cambio(dependencia), _datos_de(dependencia, dependencia=m.implan.pk))
    promovido = Usuario.objects.get(pk=dependencia.pk)
    grupos_promovido = list(promovido.groups.values_list("name", flat=True))
    client.post(_cambio(promovido), _datos_de(promovido, dependencia=m.tesoreria.pk))
    devuelto = Usuario.objects.get(pk=dependencia.pk)

    assert promovido.is_staff and grupos_promovido == [GRUPO_IMPLAN]
    assert not devuelto.is_staff and not devuelto.groups.exists()
    cambios = RegistroAuditoria.objects.filter(tipo=TipoEvento.CAMBIO_ADMIN, objeto_id=str(dependencia.pk))
    primero, segundo = cambios.order_by("pk")
    assert "«Dirección de Desarrollo Social» → «Instituto Municipal de Planeación»" in primero.detalle
    assert (
        "entra a la administración: «no» → «sí»" in primero.detalle
        and f"grupo {GRUPO_IMPLAN}: agregado" in primero.detalle
    )
    assert f"grupo {GRUPO_IMPLAN}: quitado" in segundo.detalle


def test_el_implan_desactiva_un_usuario_y_queda_en_la_bitacora(client, implan, dependencia):
    client.force_login(implan)

    respuesta = client.post(_cambio(dependencia), _datos_de(dependencia, is_active=None))

    assert respuesta.status_code == 302
    assert Usuario.objects.get(pk=dependencia.pk).is_active is False
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.CAMBIO_ADMIN, objeto_id=str(dependencia.pk))
    assert registro.usuario == implan
    assert re.search(r"activo: «sí» → «no»", registro.detalle, re.IGNORECASE), registro.detalle
    assert client.post(reverse("login"), {"username": dependencia.username, "password": CONTRASENA}).status_code == 200


def test_alta_con_correo_para_establecer_la_contrasena(
    client, implan, m, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(implan)

    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(ALTA, _alta(m.dependencia, usable_password="false", password1="", password2=""))

    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    nuevo = Usuario.objects.get(username="enlace.dds")
    assert not nuevo.has_usable_password()
    assert [c.to for c in mailoutbox] == [["ana@prueba.invalid"]]
    enlace = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    assert "enlace.dds" in mailoutbox[0].body

    client.logout()
    formulario = client.get(enlace, follow=True)
    elegida = "Mi-contraseña-elegida-2022"
    fijada = client.post(formulario.redirect_chain[-1][0], {"new_password1": elegida, "new_password2": elegida})

    assert fijada.status_code == 302
    assert Usuario.objects.get(pk=nuevo.pk).check_password(elegida)


def test_el_correo_es_obligatorio_para_enviar_el_enlace(client, implan, m, mailoutbox):
    client.force_login(implan)

    respuesta = client.post(ALTA, _alta(m.dependencia, usable_password="false", password1="", password2="", email=""))

    assert respuesta.status_code == 200
    assert "Escriba el correo al que se enviará el enlace." in respuesta.content.decode()
    assert 'value="Ana"' in respuesta.content.decode()
    assert not Usuario.objects.filter(username="enlace.dds").exists() and not mailoutbox


def test_el_implan_no_abre_cuentas_de_otro_municipio_ni_de_un_superusuario(client, implan, m, implan_otro_municipio):
    estatal = crear_usuario("estatal", m.implan, is_superuser=True)
    client.force_login(implan)

    for usuario in (implan_otro_municipio, estatal):
        assert usuario not in client.get(LISTA).context["cl"].result_list
        assert client.get(_cambio(usuario)).status_code == 404
        contrasena = reverse("admin:auth_user_password_change", args=[usuario.pk])
        assert client.get(contrasena).status_code == 404
        respuesta = client.post(contrasena, {"password1": NUEVA, "password2": NUEVA})
        assert respuesta.status_code == 404
        assert not Usuario.objects.get(pk=usuario.pk).check_password(NUEVA)


def test_solo_el_superusuario_crea_municipios(client, implan, raiz):
    datos = {
        "nombre": "Tultitlán",
        "estado": "Estado de México",
        "slug": "tultitlan",
        "estructura_programatica": "edomex",
    }
    client.force_login(implan)
    assert client.get(reverse("admin:convenios_municipio_add")).status_code == 403
    assert client.post(reverse("admin:convenios_municipio_add"), datos).status_code == 403
    assert not Municipio.objects.filter(slug="tultitlan").exists()

    client.force_login(raiz)
    assert client.post(reverse("admin:convenios_municipio_add"), datos).status_code == 302
    assert Municipio.objects.filter(slug="tultitlan").exists()
    assert RegistroAuditoria.objects.filter(tipo=TipoEvento.ALTA_ADMIN, nombre_usuario="raiz").exists()


def test_el_superusuario_crea_el_implan_de_un_municipio(client, raiz, m):
    client.force_login(raiz)
    contenido = client.get(ALTA).content.decode()
    assert f"{m.implan.nombre} ({m.municipio.nombre})" in contenido

    respuesta = client.post(ALTA, _alta(m.implan, username="titular.implan"))

    assert respuesta.status_code == 302
    nuevo = Usuario.objects.get(username="titular.implan")
    assert nuevo.is_staff and list(nuevo.groups.values_list("name", flat=True)) == [GRUPO_IMPLAN]
    assert 'name="is_superuser"' in client.get(_cambio(nuevo)).content.decode()


def test_exigir_segundo_factor_queda_en_la_bitacora(client, implan, dependencia, tesoreria):
    client.force_login(implan)

    respuesta = client.post(
        LISTA, {"action": "exigir_doble_factor", "_selected_action": [dependencia.pk, tesoreria.pk]}
    )

    assert respuesta.status_code == 302
    registros = RegistroAuditoria.objects.filter(tipo=TipoEvento.CAMBIO_ADMIN)
    assert {r.objeto_id for r in registros} == {str(dependencia.pk), str(tesoreria.pk)}
    assert all("exigir segundo factor: «no» → «sí»" in r.detalle for r in registros)


def test_solo_el_superusuario_hace_o_deshace_un_implan(client, implan, m, raiz):
    """The role comes from the dependencia's kind: the officer can neither raise one to IMPLAN nor demote its own."""
    client.force_login(implan)
    url_dds = reverse("admin:convenios_dependencia_change", args=[m.dependencia.pk])
    datos = datos_del_formulario(client.get(url_dds))
    datos["tipo"] = "implan"
    url_implan = reverse("admin:convenios_dependencia_change", args=[m.implan.pk])
    pagina_implan = client.get(url_implan)
    datos_implan = datos_del_formulario(pagina_implan)

    assert client.post(url_dds, datos).status_code == 200
    assert 'name="tipo"' not in pagina_implan.content.decode()
    assert client.post(url_implan, {**datos_implan, "tipo": "dependencia"}).status_code == 302
    m.dependencia.refresh_from_db()
    m.implan.refresh_from_db()
    assert (m.dependencia.tipo, m.implan.tipo) == ("dependencia", "implan")
    alta = client.post(
        reverse("admin:convenios_dependencia_add"),
        {"municipio": m.municipio.pk, "nombre": "Otro IMPLAN", "tipo": "implan", "titulares-TOTAL_FORMS": "0"},
    )
    assert alta.status_code == 200 and not m.municipio.dependencia_set.filter(nombre="Otro IMPLAN").exists()

    client.force_login(raiz)
    assert 'value="implan"' in client.get(reverse("admin:convenios_dependencia_add")).content.decode()
