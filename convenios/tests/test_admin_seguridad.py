"""The admin walked as the IMPLAN officer of municipio A over everything of municipio B.

Every registered model's change, delete and history pages (Django's and django-simple-history's
``history/<n>/``) and the ``r/`` shortcut answer 404 for B's objects; no page of A's admin (index,
lists with their filters, add and change forms with their choices, autocomplete answers) names
anything of B. B's records are made by the workflow's services (``seguridad.tests.test_aislamiento``)
and then marked, so that a leak of any of its names is found by one word.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from convenios.models import Convenio, Dependencia, EstadoConvenio, Municipio, Titular
from convenios.tests import fabricas
from convenios.tests.matriz import url_del_admin
from cuentas.models import Usuario
from seguridad.tests.test_aislamiento import _poblar
from transparencia.models import Anexo1

MARCAS = ("marca-b", "privado-b")


def _modelos() -> list[tuple[type[Model], Any]]:
    return list(admin.site._registry.items())


def _pks() -> dict[type[Model], set]:
    return {modelo: set(modelo._default_manager.values_list("pk", flat=True)) for modelo, _a in _modelos()}


def _fugas(texto: str, donde: str) -> list[str]:
    texto = texto.lower()
    return [f"{donde} muestra {marca}" for marca in MARCAS if marca in texto]


def _municipio_b_marcado() -> tuple[fabricas.MunicipioDePrueba, dict[str, Usuario]]:
    b = fabricas.crear_municipio("MARCA-B Municipio")
    roles = ("implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia")
    usuarios = {
        rol: fabricas.crear_usuario(f"marca-b-{rol}", getattr(b, rol), first_name="MARCA-B", last_name=rol)
        for rol in roles
    }
    _poblar(b, "B", usuarios)
    Dependencia.objects.filter(municipio=b.municipio).update(nombre=Concat(Value("MARCA-B "), F("nombre")))
    Titular.objects.filter(dependencia__municipio=b.municipio).update(nombre=Concat(Value("MARCA-B "), F("nombre")))
    borrador = Convenio.objects.filter(municipio=b.municipio, estado=EstadoConvenio.BORRADOR).get()
    Anexo1.objects.create(evaluacion=borrador.evaluacion, nombre_evaluacion="MARCA-B anexo")
    TOTPDevice.objects.create(user=usuarios["implan"], name="MARCA-B teléfono", confirmed=True)
    return b, usuarios


@pytest.fixture
def a_y_b(db, settings):
    settings.LIMITES_DE_TASA = {**settings.LIMITES_DE_TASA, "verificacion": "100000/m"}
    a = fabricas.crear_municipio("Municipio A")
    implan_a = fabricas.crear_usuario("implan_a", a.implan)
    fabricas.crear_convenio(a)
    fabricas.crear_usuario("enlace_a", a.dependencia)
    antes = _pks()
    b, usuarios_b = _municipio_b_marcado()
    de_b = {modelo: pks - antes[modelo] for modelo, pks in _pks().items()}
    return a, implan_a, b, de_b


def test_los_objetos_de_otro_municipio_no_existen_en_el_admin(client, a_y_b):
    _a, implan_a, _b, de_b = a_y_b
    client.force_login(implan_a)
    respuestas: dict[str, int] = {}
    for modelo, model_admin in _modelos():
        tipo = ContentType.objects.get_for_model(modelo)
        for pk in de_b[modelo]:
            urls = [url_del_admin(modelo, v, quote(pk)) for v in ("change", "delete", "history")]
            urls.append(f"/admin/r/{tipo.pk}/{pk}/")
            if isinstance(model_admin, SimpleHistoryAdmin):
                for version in modelo.history.filter(pk=pk).values_list("history_id", flat=True):
                    urls.append(url_del_admin(modelo, "simple_history", quote(pk), version))
            for url in urls:
                respuesta = client.get(url)
                respuestas[url] = respuesta.status_code
                assert not _fugas(respuesta.content.decode(), url)
    assert len(respuestas) > 150
    no_404 = {url: estado for url, estado in respuestas.items() if estado != 404}
    assert no_404 == {}
    for modelo in (Convenio, Dependencia, Usuario, Municipio):
        assert de_b[modelo], modelo


def test_ninguna_pagina_del_admin_de_a_nombra_algo_de_b(client, a_y_b):
    a, implan_a, b, _de_b = a_y_b
    client.force_login(implan_a)
    paginas = [reverse("admin:index")]
    for modelo, model_admin in _modelos():
        paginas += [url_del_admin(modelo, "changelist"), url_del_admin(modelo, "add")]
        propio = model_admin.get_queryset(_peticion(implan_a)).first()
        if propio is not None:
            paginas += [
                url_del_admin(modelo, "change", quote(propio.pk)),
                url_del_admin(modelo, "history", quote(propio.pk)),
            ]
        for campo in model_admin.autocomplete_fields:
            consulta = f"app_label={modelo._meta.app_label}&model_name={modelo._meta.model_name}&field_name={campo}"
            paginas += [f"/admin/autocomplete/?{consulta}&term=", f"/admin/autocomplete/?{consulta}&term=MARCA"]
    vistas = 0
    fugas: list[str] = []
    for url in filter(None, paginas):
        respuesta = client.get(url)
        if respuesta.status_code == 200:
            vistas += 1
        fugas += _fugas(respuesta.content.decode(), url)
    assert fugas == []
    assert vistas > 30
    # The detector works: the same pages as a superuser show B.
    raiz = fabricas.crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    client.force_login(raiz)
    assert _fugas(client.get(reverse("admin:convenios_convenio_changelist")).content.decode(), "lista")


def test_los_filtros_de_la_lista_solo_ofrecen_lo_del_municipio(client, a_y_b):
    a, implan_a, b, _de_b = a_y_b
    fabricas.crear_convenio(a, dependencia=a.otra_dependencia)
    client.force_login(implan_a)
    respuesta = client.get(reverse("admin:convenios_convenio_changelist"))
    enlaces = re.findall(r"dependencia_evaluada__id__exact=(\d+)", respuesta.content.decode())
    assert enlaces and {int(pk) for pk in enlaces} <= set(
        Dependencia.objects.filter(municipio=a.municipio).values_list("pk", flat=True)
    )


def test_cambiar_un_convenio_de_otro_municipio_no_cambia_nada(client, a_y_b):
    a, implan_a, b, _de_b = a_y_b
    ajeno = Convenio.objects.filter(municipio=b.municipio).first()
    client.force_login(implan_a)

    respuesta = client.post(reverse("admin:convenios_convenio_change", args=[ajeno.pk]), {"fojas": 1})
    borrado = client.post(reverse("admin:convenios_convenio_delete", args=[ajeno.pk]), {"post": "yes"})

    assert (respuesta.status_code, borrado.status_code) == (404, 404)
    assert Convenio.objects.get(pk=ajeno.pk).fojas == ajeno.fojas


def _peticion(usuario: Usuario) -> Any:
    from django.test import RequestFactory

    peticion = RequestFactory().get("/admin/")
    peticion.user = usuario
    return peticion


def test_el_atajo_r_lleva_a_lo_propio(client, implan, convenio):
    from documentos.tests.ayudas import emitir_version_para_firma

    documento = emitir_version_para_firma(convenio, implan)
    tipo = ContentType.objects.get_for_model(documento)
    client.force_login(implan)

    respuesta = client.get(f"/admin/r/{tipo.pk}/{documento.pk}/")

    assert respuesta.status_code == 302
    assert respuesta["Location"].endswith(documento.get_absolute_url())
    assert client.get(f"/admin/r/{tipo.pk}/no-es-un-numero/").status_code == 404
    assert client.get("/admin/r/999999/1/").status_code == 404
