"""Walks every URL of the follow-up app as every role and as an anonymous visitor.

Adding a URL without adding its row here fails ``test_la_matriz_cubre_todas_las_urls``.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from convenios.models import Accion as AccionDelAspecto
from convenios.models import hoy
from convenios.tests.fabricas import crear_usuario
from convenios.tests.matriz import recorrer_matriz
from seguimiento import services, urls

ROLES = ["anonimo", "implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia", "implan_otro"]

# url name -> method -> expected status per role, in the order of ROLES.
#              anon implan contr tesor  dep  otra  otroMun
MATRIZ: dict[str, dict[str, tuple[int, ...]]] = {
    "inicio": {"GET": (302, 200, 200, 200, 200, 200, 200)},
    "buscar": {"GET": (302, 200, 200, 200, 200, 200, 200)},
    "convenio": {"GET": (302, 200, 200, 200, 200, 404, 404)},
    "aspecto": {"GET": (302, 200, 200, 200, 200, 404, 404)},
    "entrega": {"GET": (302, 403, 403, 403, 200, 404, 404), "POST": (302, 403, 403, 403, 400, 404, 404)},
    "enviar_varios": {"GET": (405,) * 7, "POST": (302, 403, 403, 403, 302, 302, 403)},
    "validar_varios": {"GET": (405,) * 7, "POST": (302, 302, 403, 403, 403, 403, 302)},
    "evidencia_subir": {"GET": (405,) * 7, "POST": (302, 403, 403, 403, 400, 404, 404)},
    # An empty report is refused with a message on the item page (302).
    "accion_avance": {"GET": (405,) * 7, "POST": (302, 403, 403, 403, 302, 404, 404)},
    "prorroga_solicitar": {"GET": (302, 403, 403, 403, 200, 404, 404), "POST": (302, 403, 403, 403, 400, 404, 404)},
    # IMPLAN gets the confirmation page (200); an empty decision form is a 400 with its errors.
    "aspecto_transicion": {"GET": (405,) * 7, "POST": (302, 200, 403, 403, 403, 404, 404)},
    "aspecto_decidir": {"GET": (405,) * 7, "POST": (302, 400, 403, 403, 403, 404, 404)},
    "evidencia_descargar": {"GET": (302, 200, 200, 200, 200, 404, 404), "POST": (405,) * 7},
    "evidencia_ver": {"GET": (302, 200, 200, 200, 200, 404, 404), "POST": (405,) * 7},
    "prorroga_resolver": {"GET": (405,) * 7, "POST": (302, 302, 403, 403, 403, 404, 404)},
    "sesiones": {"GET": (302, 200, 200, 200, 200, 200, 200)},
    "sesion_programar": {"GET": (302, 200, 403, 403, 403, 403, 200), "POST": (302, 400, 403, 403, 403, 403, 400)},
    "sesion": {"GET": (302, 200, 200, 200, 200, 404, 404)},
    "sesion_registrar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 302, 403, 403, 403, 404, 404)},
    # No acta issued yet: the correction is refused with its reason on the session page (302).
    "sesion_corregir": {"GET": (405,) * 7, "POST": (302, 302, 403, 403, 403, 404, 404)},
    # The convenio is vigente: the signature page says why it no longer applies; an empty POST is a 400.
    "convenio_firmar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 400, 403, 403, 403, 404, 404)},
    "convenio_modificar": {"GET": (302, 200, 403, 403, 403, 404, 404), "POST": (302, 400, 403, 403, 403, 404, 404)},
}


def test_la_matriz_cubre_todas_las_urls():
    nombres = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert nombres == set(MATRIZ)


@pytest.fixture
def escenario(m, convenio, implan, contraloria, tesoreria, dependencia, otra_dependencia, otro_municipio):
    from seguimiento.tests import archivos_prueba as ap

    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    evidencia = services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=dependencia,
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="x",
    )
    sesion = services.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy() + datetime.timedelta(days=2), hora=datetime.time(10)
    )
    usuarios = {
        "anonimo": None,
        "implan": implan,
        "contraloria": contraloria,
        "tesoreria": tesoreria,
        "dependencia": dependencia,
        "otra_dependencia": otra_dependencia,
        "implan_otro": crear_usuario("implan_otro", otro_municipio.implan),
    }
    argumentos = {
        "inicio": {},
        "buscar": {},
        "convenio": {"pk": convenio.pk},
        "aspecto": {"pk": aspecto.pk},
        "evidencia_subir": {"pk": aspecto.pk},
        "accion_avance": {"pk": AccionDelAspecto.objects.filter(aspecto__convenio=convenio).first().pk},
        "entrega": {"pk": convenio.pk},
        "enviar_varios": {},
        "validar_varios": {},
        "prorroga_solicitar": {"pk": aspecto.pk},
        "aspecto_transicion": {"pk": aspecto.pk, "accion": "validar"},
        "aspecto_decidir": {"pk": aspecto.pk},
        "evidencia_descargar": {"pk": evidencia.pk},
        "evidencia_ver": {"pk": evidencia.pk},
        "prorroga_resolver": {"pk": prorroga.pk},
        "sesiones": {},
        "sesion_programar": {},
        "sesion": {"pk": sesion.pk},
        "sesion_registrar": {"pk": sesion.pk},
        "sesion_corregir": {"pk": sesion.pk},
        "convenio_firmar": {"pk": convenio.pk},
        "convenio_modificar": {"pk": convenio.pk},
    }
    return usuarios, argumentos


@pytest.mark.parametrize("rol", ROLES)
def test_cada_url_como_cada_rol(escenario, rol):
    usuarios, argumentos = escenario
    obtenidos, esperados = recorrer_matriz(
        espacio="seguimiento", matriz=MATRIZ, argumentos=argumentos, roles=ROLES, rol=rol, usuario=usuarios[rol]
    )
    assert obtenidos == esperados


def test_csrf_en_cada_formulario(escenario):
    usuarios, argumentos = escenario
    client = Client(enforce_csrf_checks=True)
    client.force_login(usuarios["implan"])
    respuesta = client.post(reverse("seguimiento:aspecto_transicion", kwargs=argumentos["aspecto_transicion"]), {})
    assert respuesta.status_code == 403


def test_una_accion_desconocida_es_404(client, escenario):
    usuarios, argumentos = escenario
    client.force_login(usuarios["implan"])
    url = reverse("seguimiento:aspecto_transicion", kwargs={"pk": argumentos["aspecto"]["pk"], "accion": "borrar"})
    assert client.post(url).status_code == 404
