"""The convenio's own acts on IMPLAN's pages: register the signature (borrador → vigente), then change a signed
convenio only by modificación (cláusula NOVENA), with the before and after kept and public."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.forms import ModificacionForm
from convenios.models import Accion, EstadoConvenio, Modificacion, TipoAspecto
from documentos.tests.ayudas import en_borrador
from seguimiento.tests import archivos_prueba


def _pdf(nombre: str = "firmado.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, archivos_prueba.pdf("Convenio firmado"), content_type="application/pdf")


@pytest.fixture
def borrador(convenio):
    return en_borrador(convenio)


def test_registrar_la_firma_paso_a_paso(client, borrador, implan):
    url = reverse("seguimiento:convenio_firmar", args=[borrador.pk])
    client.force_login(implan)
    pagina = client.get(url).content.decode()
    assert "Aún no procede:" in pagina and "el convenio firmado (escaneado)" in pagina

    client.post(url, {"paso": "datos", "fecha_firma": "2022-12-06", "fojas": "6", "documento_firmado": _pdf()})
    borrador.refresh_from_db()
    assert borrador.documento_firmado and borrador.fojas == 6
    assert borrador.estado == EstadoConvenio.BORRADOR

    confirmacion = client.post(url, {"paso": "firmar"})
    assert "Esta acción no se puede deshacer" in confirmacion.content.decode()
    borrador.refresh_from_db()
    assert borrador.estado == EstadoConvenio.BORRADOR

    client.post(url, {"paso": "firmar", "confirmar": "si"})
    borrador.refresh_from_db()
    assert borrador.estado == EstadoConvenio.VIGENTE
    assert borrador.history.first().history_change_reason == "Firma registrada: vigente"
    assert RegistroAuditoria.objects.filter(tipo=TipoEvento.ACTO_CONVENIO, usuario=implan).exists()
    # Signed, it is frozen: the items change only by modificación.
    aspecto = borrador.aspectos.first()
    aspecto.texto = "Otro texto"
    with pytest.raises(ValidationError, match="cláusula NOVENA"):
        aspecto.save()


def test_un_archivo_que_no_es_pdf_se_rechaza_junto_al_campo_con_lo_escrito(client, borrador, implan):
    client.force_login(implan)
    respuesta = client.post(
        reverse("seguimiento:convenio_firmar", args=[borrador.pk]),
        {
            "paso": "datos",
            "fecha_firma": "2022-12-06",
            "fojas": "7",
            "documento_firmado": SimpleUploadedFile("x.pdf", b"<html>no</html>", content_type="application/pdf"),
        },
    )
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors["documento_firmado"]
    assert 'value="7"' in respuesta.content.decode()
    borrador.refresh_from_db()
    assert not borrador.documento_firmado


def test_solo_el_implan_registra_la_firma(client, borrador, dependencia, contraloria):
    for usuario in (dependencia, contraloria):
        client.force_login(usuario)
        url = reverse("seguimiento:convenio_firmar", args=[borrador.pk])
        assert client.post(url, {"paso": "firmar", "confirmar": "si"}).status_code == 403
    borrador.refresh_from_db()
    assert borrador.estado == EstadoConvenio.BORRADOR


def _datos_actuales(convenio) -> dict[str, str]:
    form = ModificacionForm(convenio=convenio)
    datos = {}
    for nombre, campo in form.fields.items():
        valor = campo.initial
        if isinstance(valor, datetime.date):
            valor = valor.isoformat()
        if valor is not None:
            datos[nombre] = valor
    return datos


@pytest.fixture
def accion(convenio) -> Accion:
    return Accion.objects.get(aspecto__convenio=convenio, aspecto__tipo=TipoAspecto.RECOMENDACION, aspecto__numero=1)


def test_una_modificacion_cambia_lo_que_dice_y_lo_deja_a_la_vista(client, convenio, implan, accion):
    datos = _datos_actuales(convenio)
    datos.update(
        {
            "fecha": "2023-01-20",
            "motivo": "Las partes amplían el plazo por el cambio de administración.",
            "documento": _pdf("modificatorio.pdf"),
            f"convenio-{convenio.pk}-fecha_limite": "2023-06-30",
            f"accion-{accion.pk}-fecha_termino": "2023-03-31",
            f"accion-{accion.pk}-texto": "Incorporar el indicador al PbRM-01a.",
        }
    )
    client.force_login(implan)
    respuesta = client.post(reverse("seguimiento:convenio_modificar", args=[convenio.pk]), datos)
    assert respuesta.status_code == 302

    modificacion = Modificacion.objects.get(convenio=convenio)
    assert modificacion.numero == 1
    assert {(c["objeto"], c["antes"], c["despues"]) for c in modificacion.cambios} == {
        ("Convenio", "31 de diciembre de 2022", "30 de junio de 2023"),
        ("Recomendación 1, acción 1", "31 de diciembre de 2022", "31 de marzo de 2023"),
        ("Recomendación 1, acción 1", "Acción de la recomendación 1", "Incorporar el indicador al PbRM-01a."),
    }
    accion.refresh_from_db()
    accion.aspecto.refresh_from_db()
    assert accion.texto == "Incorporar el indicador al PbRM-01a."
    assert accion.aspecto.fecha_compromiso == accion.aspecto.fecha_vigente == datetime.date(2023, 3, 31)
    convenio.refresh_from_db()
    assert convenio.fecha_limite == datetime.date(2023, 6, 30)
    assert convenio.history.first().history_change_reason == "Modificación 1 (cláusula NOVENA)"

    pagina = client.get(reverse("seguimiento:convenio", args=[convenio.pk])).content.decode()
    assert "Modificación 1, firmada el 20 de enero de 2023" in pagina and "30 de junio de 2023" in pagina
    client.logout()
    portal = client.get(reverse("transparencia:convenio", args=[convenio.pk])).content.decode()
    assert "Las partes amplían el plazo" in portal and "31 de marzo de 2023" in portal
    archivo = client.get(reverse("transparencia:modificacion", args=[modificacion.pk]))
    assert archivo.status_code == 200 and b"".join(archivo.streaming_content).startswith(b"%PDF")


def test_un_cambio_que_rompe_una_regla_se_explica_junto_al_campo_y_no_guarda_nada(client, convenio, implan, accion):
    datos = _datos_actuales(convenio)
    campo = f"accion-{accion.pk}-fecha_termino"
    datos.update({"fecha": "2023-01-20", "motivo": "Ampliar", "documento": _pdf(), campo: "2024-01-15"})
    client.force_login(implan)
    respuesta = client.post(reverse("seguimiento:convenio_modificar", args=[convenio.pk]), datos)
    assert respuesta.status_code == 400
    assert "no puede exceder el 31 de diciembre de 2022" in " ".join(respuesta.context["form"].errors[campo])
    assert 'value="2024-01-15"' in respuesta.content.decode()
    assert not Modificacion.objects.exists()
    accion.refresh_from_db()
    assert accion.fecha_termino == datetime.date(2022, 12, 31)


def test_una_modificacion_que_no_cambia_nada_se_rechaza(client, convenio, implan):
    datos = _datos_actuales(convenio)
    datos.update({"fecha": "2023-01-20", "motivo": "Nada", "documento": _pdf()})
    client.force_login(implan)
    respuesta = client.post(reverse("seguimiento:convenio_modificar", args=[convenio.pk]), datos)
    assert respuesta.status_code == 400
    assert "no cambia nada" in respuesta.content.decode()


def test_un_borrador_no_se_modifica_se_corrige_en_la_captura(client, borrador, implan):
    client.force_login(implan)
    pagina = client.get(reverse("seguimiento:convenio_modificar", args=[borrador.pk])).content.decode()
    assert "Borrador" in pagina and "no admite esta acción" in pagina
