"""The import pages as each role: preview then confirm, a stale preview, broken uploads, the template's
download, and who is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convenios.models import Aspecto
from convenios.tests import fabricas
from convenios.tests.importacion import (
    FILAS_XLSX,
    XLSX_TIPO,
    bomba_zip,
    borrador_en_municipio_de,
    como_tuplas,
    docx_de_la_semilla,
    docx_otro_formato,
    docx_sin_clausula,
    nada_guardado,
    subir,
    xlsx_llenado,
)


def test_como_implan_vista_previa_y_luego_confirmar(client, seed):
    nuevo = borrador_en_municipio_de(seed)
    client.force_login(fabricas.crear_usuario("implan_izcalli", seed.implan))

    pagina = client.get(reverse("seguimiento:convenio", args=[nuevo.pk]))
    assert "Importar hallazgos y recomendaciones" in pagina.content.decode()
    assert client.get(reverse("convenios:importar", args=[nuevo.pk])).status_code == 200

    respuesta = subir(client, nuevo, "convenio.docx", docx_de_la_semilla())
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("convenios:importar_revisar", args=[nuevo.pk])
    vista = client.get(respuesta["Location"])
    html = vista.content.decode()
    assert vista.status_code == 200
    assert "5 hallazgos, 6 recomendaciones, 6 acciones" in html
    assert "Realizar los formatos PbRM08b y PbRM08c de acuerdo a la recomendación" in html
    assert "Fecha de término: 31 de diciembre de 2022" in html
    assert "Todavía no se ha guardado nada" in html
    assert nada_guardado(nuevo)

    token = vista.context["form"].initial["token"]
    confirmada = client.post(respuesta["Location"], {"token": token})
    assert confirmada.status_code == 302
    assert confirmada["Location"] == reverse("seguimiento:convenio", args=[nuevo.pk])
    assert como_tuplas(nuevo) == como_tuplas(seed)
    pagina = client.get(confirmada["Location"]).content.decode()
    assert "Se importaron 5 hallazgos y 6 recomendaciones, con 6 acciones, de «convenio.docx»." in pagina
    # The reading is gone from the session, and the convenio now has items: no second import.
    assert client.post(respuesta["Location"], {"token": token}).status_code == 302
    assert Aspecto.objects.filter(convenio=nuevo).count() == 11
    assert (
        "ya tiene hallazgos o recomendaciones"
        in client.get(reverse("convenios:importar", args=[nuevo.pk])).content.decode()
    )


def test_una_vista_previa_vieja_no_confirma(client, borrador, implan):
    client.force_login(implan)
    subir(client, borrador, "convenio-otro.docx", docx_otro_formato())
    vieja = client.get(reverse("convenios:importar_revisar", args=[borrador.pk])).context["form"].initial["token"]
    subir(client, borrador, "aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO)
    respuesta = client.post(reverse("convenios:importar_revisar", args=[borrador.pk]), {"token": vieja})
    assert respuesta.status_code == 200
    assert "Esta vista previa ya no es la última lectura" in respuesta.content.decode()
    assert nada_guardado(borrador)


def test_la_pagina_muestra_lo_que_no_se_leyo_y_no_ofrece_confirmar(client, borrador, implan):
    client.force_login(implan)
    filas = [*FILAS_XLSX, ["Recomendación", 3, "Texto.", "Acción.", None, "Dicembre 2023", None, None, None]]
    subir(client, borrador, "aspectos.xlsx", xlsx_llenado(filas), XLSX_TIPO)
    respuesta = client.get(reverse("convenios:importar_revisar", args=[borrador.pk]))
    html = respuesta.content.decode()
    assert "Renglones que no se pueden importar (1)" in html
    assert "Fila 6" in html and "La fecha «Dicembre 2023» no se entiende" in html
    assert "Confirmar e importar" not in html
    token = respuesta.context["form"].initial["token"]
    respuesta = client.post(reverse("convenios:importar_revisar", args=[borrador.pk]), {"token": token})
    assert "1 renglones que no se pudieron leer" in respuesta.content.decode()
    assert nada_guardado(borrador)


@pytest.mark.parametrize(
    "nombre,fabricar,mensaje",
    [
        ("convenio.docx", lambda: b"%PDF-1.4 no es Word", "no es un documento de Word (.docx)"),
        ("convenio.docx", docx_sin_clausula, "No se encontró la cláusula CUARTA"),
        ("grande.docx", lambda: bytes(50 * 1024 * 1024), "el máximo para importar es 10"),
        ("bomba.docx", bomba_zip, "contenido descomprimido desproporcionado"),
    ],
    ids=["no-docx", "sin-clausula", "50-MB", "bomba-zip"],
)
def test_la_subida_de_un_archivo_roto_se_explica_junto_al_campo(client, borrador, implan, nombre, fabricar, mensaje):
    client.force_login(implan)
    respuesta = subir(client, borrador, nombre, fabricar())
    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert respuesta.context["form"].errors["archivo"]
    assert f"convenios.importacion.{borrador.pk}" not in client.session
    assert nada_guardado(borrador)


def test_la_plantilla_se_descarga(client, borrador, implan):
    client.force_login(implan)
    respuesta = client.get(reverse("convenios:importar_plantilla", args=[borrador.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == XLSX_TIPO
    assert "attachment" in respuesta["Content-Disposition"]
    # Filled and uploaded back, it reads.
    subir(client, borrador, "aspectos.xlsx", xlsx_llenado(FILAS_XLSX, respuesta.content), XLSX_TIPO)
    vista = client.get(reverse("convenios:importar_revisar", args=[borrador.pk]))
    assert "1 hallazgos, 2 recomendaciones, 3 acciones" in vista.content.decode()


def test_un_convenio_firmado_no_ofrece_importar(client, convenio, implan):
    client.force_login(implan)
    assert (
        "Importar hallazgos y recomendaciones"
        not in client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()
    )
    pagina = client.get(reverse("convenios:importar", args=[convenio.pk]))
    assert "El convenio ya está «Vigente»" in pagina.content.decode()
    assert subir(client, convenio, "aspectos.xlsx", xlsx_llenado(FILAS_XLSX), XLSX_TIPO).status_code == 200
    assert Aspecto.objects.filter(convenio=convenio).count() == 5  # the factory's, untouched


@pytest.mark.parametrize("persona", ["contraloria", "tesoreria", "dependencia", "implan_otro_municipio"])
def test_otro_rol_u_otro_municipio_recibe_404(client, borrador, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for nombre in ("importar", "importar_revisar", "importar_plantilla"):
        url = reverse(f"convenios:{nombre}", args=[borrador.pk])
        assert client.get(url).status_code == 404, url
        if nombre != "importar_plantilla":
            assert client.post(url, {}).status_code == 404, url
    assert subir(client, borrador, "convenio.docx", docx_otro_formato()).status_code == 404
    assert "Importar hallazgos" not in client.get(reverse("seguimiento:convenio", args=[borrador.pk])).content.decode()
    assert nada_guardado(borrador)


def test_sin_sesion_lleva_a_entrar(client, borrador):
    respuesta = client.get(reverse("convenios:importar", args=[borrador.pk]))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))
