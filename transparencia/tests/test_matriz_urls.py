"""Walks every URL of the public portal as every role: what a citizen reads, everyone reads, whatever their
municipio; only IMPLAN's countdown of the Anexo 1 (``plazos``) is not public. Adding a URL without adding its
row here fails ``test_la_matriz_cubre_todas_las_urls``."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile

from convenios.models import Modificacion
from convenios.tests.matriz import ROLES, nombres_de, personas, recorrer_matriz
from documentos.services import resolucion_prorroga_emitir
from seguimiento import services as seguimiento
from transparencia import urls
from transparencia.tests.conftest import crear_evidencia

# url name -> method -> expected status per role, in the order of ROLES.
#                anon implan contr tesor  dep  otra otroMun raiz
PUBLICA = {"GET": (200,) * 8, "POST": (405,) * 8}
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    **dict.fromkeys(
        (
            "inicio",
            "municipio",
            "convenio",
            "convenio_firmado",
            "anexo1",
            "anexo1_pdf",
            "informe_final",
            "evidencia",
            "modificacion",
            "datos",
            "diccionario",
            "descarga",
            "descarga_anio",
        ),
        PUBLICA,
    ),
    # A prórroga's written resolution is the dependencia's, not one of the portal's letters: not found for all.
    "documento": {"GET": (404,) * 8, "POST": (405,) * 8},
    # Any IMPLAN (of any municipio: each sees its own evaluations) and the state-level administrator.
    "plazos": {"GET": (302, 200, 404, 404, 404, 404, 200, 200), "POST": (302, 200, 404, 404, 404, 404, 200, 200)},
}


def test_la_matriz_cubre_todas_las_urls():
    assert nombres_de(urls) == set(MATRIZ)


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(request, m, convenio, rol):
    usuarios = personas(request)
    evaluacion = convenio.evaluacion
    evaluacion.informe_final.save("informe.pdf", ContentFile(b"%PDF-1.4 informe final"))
    convenio.documento_firmado.save("firmado.pdf", ContentFile(b"%PDF-1.4 convenio firmado"))
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    evidencia = crear_evidencia(aspecto, usuarios["dependencia"], b"%PDF-1.4 evidencia", publicable=True)
    modificacion = Modificacion(
        convenio=convenio,
        numero=1,
        fecha=datetime.date(2022, 12, 20),
        motivo="Cambio de área responsable",
        registrada_por=usuarios["implan"],
    )
    modificacion.documento.save("modificacion.pdf", ContentFile(b"%PDF-1.4 modificatorio"))
    prorroga = seguimiento.prorroga_solicitar(
        aspecto=aspecto,
        usuario=usuarios["dependencia"],
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="Cierre del ejercicio",
    )
    seguimiento.prorroga_resolver(prorroga=prorroga, usuario=usuarios["implan"], aprobar=True, comentario="Procede")
    documento = resolucion_prorroga_emitir(prorroga=prorroga, usuario=usuarios["implan"])
    argumentos = {
        **{nombre: {} for nombre in ("inicio", "datos", "diccionario", "plazos")},
        "municipio": {"slug": convenio.municipio.slug},
        "convenio": {"pk": convenio.pk},
        "convenio_firmado": {"pk": convenio.pk},
        "anexo1": {"pk": evaluacion.pk},
        "anexo1_pdf": {"pk": evaluacion.pk},
        "informe_final": {"pk": evaluacion.pk},
        "evidencia": {"pk": evidencia.pk},
        "documento": {"pk": documento.pk},
        "modificacion": {"pk": modificacion.pk},
        "descarga": {"conjunto": "aspectos", "formato": "csv"},
        "descarga_anio": {"anio": evaluacion.anio_pae, "conjunto": "convenios", "formato": "json"},
    }
    obtenidos, esperados = recorrer_matriz(
        espacio="transparencia", matriz=MATRIZ, argumentos=argumentos, roles=ROLES, rol=rol, usuario=usuarios[rol]
    )
    assert obtenidos == esperados
