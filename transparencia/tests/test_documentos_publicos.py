"""A citizen reads and downloads the issued letters of a public convenio from the portal: the convenio,
the oficio de cumplimiento, the actas; the vista is listed, and readable only where the municipio says so."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from convenios.models import EstadoAspecto, EstadoConvenio, hoy
from documentos import services as documentos
from documentos.models import TipoDocumento
from documentos.tests.ayudas import atender_todo, emitir_version_para_firma
from seguimiento import services as seguimiento
from seguimiento.tests.estados import llevar_a


def _texto(respuesta) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(respuesta.getvalue())).pages)


@pytest.fixture
def emitidos(convenio, implan, dependencia) -> dict[str, object]:
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    sesion = seguimiento.sesion_programar(usuario=implan, convenios=[convenio], fecha=hoy(), hora=datetime.time(0, 1))
    seguimiento.sesion_registrar(
        sesion=sesion,
        usuario=implan,
        asistencias=[{"dependencia": convenio.implan, "nombre": "Lic. Ana Pérez", "cargo": "Evaluación"}],
        aspectos_revisados=[],
        acuerdos="Se revisó el avance.",
    )
    return {
        "convenio": emitir_version_para_firma(convenio, implan),
        "oficio": documentos.oficio_cumplimiento_emitir(convenio=convenio, usuario=implan),
        "acta": documentos.acta_sesion_emitir(sesion=sesion, usuario=implan),
    }


def test_el_ciudadano_lee_y_descarga_el_oficio_y_el_acta(client, convenio, emitidos):
    pagina = client.get(reverse("transparencia:convenio", args=[convenio.pk])).content.decode()
    # A signed convenio's public text is its signed scan (issue 16), not the version issued for signing.
    version_para_firma = emitidos.pop("convenio")
    assert f'href="{reverse("transparencia:documento", args=[version_para_firma.pk])}"' not in pagina
    for documento in emitidos.values():
        assert documento.folio in pagina
        enlace = reverse("transparencia:documento", args=[documento.pk])
        assert f'href="{enlace}"' in pagina
        respuesta = Client().get(enlace)
        assert respuesta.status_code == 200
        assert respuesta["Content-Type"] == "application/pdf"
        assert respuesta["Content-Disposition"] == f'inline; filename="{documento.nombre_descarga}"'
        assert documento.folio in _texto(respuesta)


def test_la_vista_se_lista_y_su_contenido_depende_del_municipio(client, m, convenio, implan, dependencia):
    hallazgo = convenio.aspectos.get(tipo="hallazgo", numero=1)
    llevar_a(hallazgo, EstadoAspecto.NO_ATENDIDA, implan=implan)
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    vista = documentos.vista_contraloria_emitir(convenio=convenio, usuario=implan)
    enlace = reverse("transparencia:documento", args=[vista.pk])

    pagina = client.get(reverse("transparencia:convenio", args=[convenio.pk])).content.decode()
    assert vista.folio in pagina and f'href="{enlace}"' not in pagina
    assert "El municipio no publica el contenido de los oficios de vista" in pagina
    assert client.get(enlace).status_code == 404

    m.municipio.publicar_vista = True
    m.municipio.save()
    # The rendered public pages are cached per public data (transparencia.views.en_cache); a municipio's
    # setting reaches them when the cache expires, here at once.
    cache.clear()
    assert f'href="{enlace}"' in client.get(reverse("transparencia:convenio", args=[convenio.pk])).content.decode()
    assert client.get(enlace).status_code == 200


def test_nada_de_un_borrador_ni_de_otro_tipo_se_descarga(client, convenio, implan, emitidos):
    convenio.estado = EstadoConvenio.BORRADOR
    convenio.save(update_fields=["estado"])
    for documento in emitidos.values():
        assert client.get(reverse("transparencia:documento", args=[documento.pk])).status_code == 404
    assert client.post(reverse("transparencia:documento", args=[emitidos["oficio"].pk])).status_code == 405
    assert client.get(reverse("transparencia:documento", args=[999_999])).status_code == 404
    assert TipoDocumento.RESOLUCION_PRORROGA not in {d.tipo for d in emitidos.values()}
