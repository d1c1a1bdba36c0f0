"""Issue 13: a folio is spent only from the confirmation page, for each of the five kinds of document."""

from __future__ import annotations

import datetime

import pytest
from django.urls import resolve, reverse

from convenios.models import Convenio, EstadoAspecto, EstadoConvenio, TipoAspecto, hoy
from documentos.models import Documento, TipoDocumento
from seguimiento import services as seguimiento
from seguimiento.tests.estados import llevar_a


@pytest.fixture
def urls_por_tipo(convenio, implan, dependencia, m):
    """A convenio where each of the five kinds may be issued now, and the URL that issues it."""
    no_atendido = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    llevar_a(no_atendido, EstadoAspecto.NO_ATENDIDA, implan=implan)
    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    prorroga = seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="Cierre del ejercicio.",
    )
    seguimiento.prorroga_resolver(prorroga=prorroga, usuario=implan, aprobar=True)
    sesion = seguimiento.sesion_programar(usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(10))
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[{"dependencia": m.implan, "nombre": "Ana Pérez", "cargo": "Evaluación"}],
        aspectos_revisados=[aspecto],
        acuerdos="Entregar el formato 02a.",
    )
    for otro in convenio.aspectos.exclude(pk=no_atendido.pk):
        llevar_a(otro, EstadoAspecto.CANCELADA, implan=implan)
    return {
        TipoDocumento.CONVENIO: reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO]),
        TipoDocumento.VISTA_CONTRALORIA: reverse(
            "documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.VISTA_CONTRALORIA]
        ),
        TipoDocumento.RESOLUCION_PRORROGA: reverse("documentos:prorroga_emitir", args=[prorroga.pk]),
        TipoDocumento.ACTA_SESION: reverse("documentos:sesion_emitir", args=[sesion.pk]),
    }


@pytest.mark.parametrize(
    "tipo",
    [
        TipoDocumento.CONVENIO,
        TipoDocumento.VISTA_CONTRALORIA,
        TipoDocumento.RESOLUCION_PRORROGA,
        TipoDocumento.ACTA_SESION,
    ],
)
def test_emitir_pide_confirmacion_y_solo_entonces_gasta_folio(client, implan, urls_por_tipo, tipo):
    url = urls_por_tipo[tipo]
    if tipo == TipoDocumento.CONVENIO:
        # The version for signing is issued only while the convenio is a borrador (issue 16).
        Convenio.objects.filter(pk=resolve(url).kwargs["pk"]).update(estado=EstadoConvenio.BORRADOR)
    client.force_login(implan)
    siguiente = "/documentos/convenio/1/"

    pagina = client.post(url, {"siguiente": siguiente})

    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Esta acción no se puede deshacer." in html
    assert str(TipoDocumento(tipo).label) in html
    assert "siguiente folio consecutivo" in html
    assert f'<input type="hidden" name="siguiente" value="{siguiente}">' in html
    assert not Documento.objects.filter(tipo=tipo).exists()

    emitida = client.post(url, {"siguiente": siguiente, "confirmar": "si"})

    assert emitida.status_code == 302 and emitida["Location"] == siguiente
    assert Documento.objects.filter(tipo=tipo).count() == 1


def test_el_oficio_de_cumplimiento_tambien_pide_confirmacion(client, implan, convenio_atendido):
    url = reverse("documentos:convenio_emitir", args=[convenio_atendido.pk, TipoDocumento.OFICIO_CUMPLIMIENTO])
    client.force_login(implan)
    assert "Esta acción no se puede deshacer." in client.post(url).content.decode()
    assert not Documento.objects.exists()
    client.post(url, {"confirmar": "si"})
    assert Documento.objects.get().tipo == TipoDocumento.OFICIO_CUMPLIMIENTO


def test_quien_no_emite_no_ve_siquiera_la_confirmacion(client, contraloria, convenio):
    client.force_login(contraloria)
    url = reverse("documentos:convenio_emitir", args=[convenio.pk, TipoDocumento.CONVENIO])
    assert client.post(url).status_code == 403
