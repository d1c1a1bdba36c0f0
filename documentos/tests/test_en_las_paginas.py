"""The follow-up pages offer each document where it belongs: the convenio's letters, the prórroga's resolución,
the sesión's acta and the oficio de vista on a no_atendida item."""

from __future__ import annotations

import datetime

from django.urls import reverse

from convenios.models import EstadoAspecto, hoy
from documentos import services as documentos
from documentos.tests.ayudas import emitir_version_para_firma
from seguimiento import services
from seguimiento.tests.estados import llevar_a


def test_la_resolucion_de_prorroga_se_ofrece_al_implan_y_luego_se_descarga(client, convenio, implan, dependencia):
    aspecto = convenio.aspectos.first()
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=5),
        motivo="x",
    )
    url = reverse("seguimiento:aspecto", args=[aspecto.pk])
    emitir = reverse("documentos:prorroga_emitir", args=[prorroga.pk])
    client.force_login(implan)
    assert emitir not in client.get(url).content.decode()  # not decided yet: nothing to resolve in a letter
    services.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True, comentario="Procede")
    assert emitir in client.get(url).content.decode()
    documento = documentos.resolucion_prorroga_emitir(prorroga=prorroga, usuario=implan)
    pagina = client.get(url).content.decode()
    assert documento.folio in pagina and emitir not in pagina
    client.force_login(dependencia)
    pagina = client.get(url).content.decode()
    assert reverse("documentos:descargar", args=[documento.pk]) in pagina and emitir not in pagina


def test_el_acta_en_la_pagina_de_la_sesion(client, convenio, implan, contraloria):
    sesion = services.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy() + datetime.timedelta(days=1), hora=datetime.time(10)
    )
    url = reverse("seguimiento:sesion", args=[sesion.pk])
    client.force_login(implan)
    assert reverse("documentos:sesion_emitir", args=[sesion.pk]) not in client.get(url).content.decode()
    type(sesion).objects.filter(pk=sesion.pk).update(fecha=hoy())  # the sesión has been held
    sesion.refresh_from_db()
    services.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[{"dependencia": convenio.implan, "nombre": "Lic. Ana Pérez", "cargo": "Evaluación"}],
        aspectos_revisados=[],
        acuerdos="Se revisó el avance.",
    )
    client.force_login(contraloria)
    assert "Acta de sesión: aún no se ha emitido." in client.get(url).content.decode()
    client.force_login(implan)
    assert reverse("documentos:sesion_emitir", args=[sesion.pk]) in client.get(url).content.decode()
    documento = documentos.acta_sesion_emitir(sesion=sesion, usuario=implan)
    assert documento.folio in client.get(url).content.decode()


def test_la_pagina_del_convenio_lista_sus_documentos(client, convenio, implan, dependencia):
    client.force_login(implan)
    url = reverse("seguimiento:convenio", args=[convenio.pk])
    assert "Documentos oficiales" in client.get(url).content.decode()
    documento = emitir_version_para_firma(convenio, implan)
    client.force_login(dependencia)
    pagina = client.get(url).content.decode()
    assert documento.folio in pagina and "Emitir con folio" not in pagina


def test_el_oficio_de_vista_en_el_aspecto_no_atendido(client, convenio, implan, contraloria):
    aspecto = convenio.aspectos.first()
    llevar_a(aspecto, EstadoAspecto.NO_ATENDIDA, implan=implan)
    url = reverse("seguimiento:aspecto", args=[aspecto.pk])
    client.force_login(contraloria)
    assert "aún no se ha emitido" in client.get(url).content.decode()
    documento = documentos.vista_contraloria_emitir(convenio=convenio, usuario=implan)
    pagina = client.get(url).content.decode()
    assert documento.folio in pagina and reverse("documentos:descargar", args=[documento.pk]) in pagina
