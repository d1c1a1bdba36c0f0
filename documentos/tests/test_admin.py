"""The admin shows issued documents read-only: nobody edits or deletes one, not even a superuser."""

from __future__ import annotations

from django.urls import reverse

from convenios.tests.fabricas import crear_usuario
from documentos.tests.ayudas import emitir_version_para_firma


def test_el_implan_consulta_pero_no_cambia_ni_borra(client, convenio, implan, implan_otro_municipio):
    documento = emitir_version_para_firma(convenio, implan)
    client.force_login(implan)

    lista = client.get(reverse("admin:documentos_documento_changelist"))
    detalle = client.get(reverse("admin:documentos_documento_change", args=[documento.pk]))

    assert lista.status_code == 200 and documento.folio in lista.content.decode()
    assert detalle.status_code == 200
    assert 'name="_save"' not in detalle.content.decode()
    assert client.get(reverse("admin:documentos_documento_add")).status_code == 403
    assert (
        client.post(reverse("admin:documentos_documento_delete", args=[documento.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:documentos_documento_change", args=[documento.pk]), {"folio": "X"}).status_code
        == 403
    )
    documento.refresh_from_db()
    assert documento.folio.startswith("IMPLAN/CV/")

    client.force_login(implan_otro_municipio)
    assert documento.folio not in client.get(reverse("admin:documentos_documento_changelist")).content.decode()


def test_ni_un_superusuario_borra_un_documento(client, convenio, implan):
    documento = emitir_version_para_firma(convenio, implan)
    raiz = crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    client.force_login(raiz)

    respuesta = client.post(reverse("admin:documentos_documento_delete", args=[documento.pk]), {"post": "yes"})

    assert respuesta.status_code == 403
    assert type(documento).objects.filter(pk=documento.pk).exists()
