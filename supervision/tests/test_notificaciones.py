"""Each notice links to what it is about: the e-mail with an absolute address on settings.SITIO_URL, the
copy in the app through a link that marks it read and takes its owner to the object."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse

from convenios.models import hoy
from notificaciones.models import Notificacion
from seguimiento import services
from seguimiento.tests import archivos_prueba as ap
from supervision import services as supervision
from supervision.models import ResultadoVerificacion, TipoActuacion, TipoVerificacion

SITIO = "https://asm.ejemplo.gob.mx"


@pytest.fixture
def avisos(
    settings, django_capture_on_commit_callbacks, convenio, implan, contraloria, tesoreria, dependencia
) -> dict[str, tuple[str, int]]:
    """One notice of each kind; asunto -> (view name, pk) of the object it must open."""
    settings.SITIO_URL = SITIO
    with django_capture_on_commit_callbacks(execute=True):
        return _mover(convenio, implan, contraloria, tesoreria, dependencia)


def _mover(convenio, implan, contraloria, tesoreria, dependencia) -> dict[str, tuple[str, int]]:
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto, archivo=ap.subido("a.pdf", ap.pdf()), descripcion="x", usuario=dependencia
    )
    services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    otro = convenio.aspectos.get(tipo="recomendacion", numero=2)
    services.prorroga_solicitar(
        aspecto=otro, usuario=dependencia, fecha_solicitada=otro.fecha_vigente + datetime.timedelta(days=5), motivo="x"
    )
    sesion = services.sesion_programar(
        usuario=implan, convenios=[convenio], fecha=hoy() + datetime.timedelta(days=3), hora=datetime.time(10)
    )
    supervision.actuacion_registrar(
        convenio=convenio, usuario=contraloria, tipo=TipoActuacion.OBSERVACION, texto="Revisar", fecha=hoy()
    )
    supervision.verificacion_registrar(
        convenio=convenio,
        usuario=tesoreria,
        tipo=TipoVerificacion.RECURSOS_EJERCIDOS,
        resultado=ResultadoVerificacion.CONFORME,
        nota="Conforme con lo ejercido",
        fecha=hoy(),
    )
    return {
        f"{aspecto.etiqueta}: envió a revisión": ("seguimiento:aspecto", aspecto.pk),
        f"{otro.etiqueta}: solicitud de prórroga": ("seguimiento:aspecto", otro.pk),
        "Sesión de seguimiento el": ("seguimiento:sesion", sesion.pk),
        "La Contraloría registró una actuación": ("supervision:convenio", convenio.pk),
        "La Tesorería registró una verificación": ("supervision:convenio", convenio.pk),
    }


def _esperado(avisos, asunto: str) -> tuple[str, int]:
    return next(destino for inicio, destino in avisos.items() if asunto.lower().startswith(inicio.lower()))


def test_cada_notificacion_abre_su_objeto_y_queda_leida(avisos, implan, dependencia):
    notificaciones = list(Notificacion.objects.filter(usuario__in=[implan, dependencia]))
    assert {_esperado(avisos, n.asunto) for n in notificaciones} == set(avisos.values())
    for n in notificaciones:
        cliente = Client()
        cliente.force_login(n.usuario)
        lista = cliente.get(reverse("supervision:notificaciones")).content.decode()
        assert f'href="{reverse("supervision:notificacion_abrir", args=[n.pk])}"' in lista
        respuesta = cliente.get(reverse("supervision:notificacion_abrir", args=[n.pk]))
        assert respuesta.status_code == 302
        destino = resolve(respuesta["Location"])
        assert (f"{destino.namespace}:{destino.url_name}", destino.kwargs["pk"]) == _esperado(avisos, n.asunto)
        assert cliente.get(respuesta["Location"]).status_code == 200, n.asunto
        n.refresh_from_db()
        assert n.leida_en is not None


def test_los_correos_llevan_la_direccion_absoluta_del_sitio(avisos, implan):
    assert mail.outbox
    for correo in mail.outbox:
        assert "127.0.0.1" not in correo.body
        assert "del convenio Convenio" not in correo.body
    for n in Notificacion.objects.filter(usuario=implan):
        assert SITIO + n.enlace in n.cuerpo
        # The address in the body is a link in the app too.
        cliente = Client()
        cliente.force_login(implan)
        assert f'<a href="{SITIO}{n.enlace}"' in cliente.get(reverse("supervision:notificaciones")).content.decode()


def test_la_notificacion_de_otra_persona_no_existe_para_usted(avisos, implan, otra_dependencia):
    ajena = Notificacion.objects.filter(usuario=implan).first()
    cliente = Client()
    cliente.force_login(otra_dependencia)
    assert cliente.get(reverse("supervision:notificacion_abrir", args=[ajena.pk])).status_code == 404
    assert cliente.post(reverse("supervision:notificacion_abrir", args=[ajena.pk])).status_code == 405
    ajena.refresh_from_db()
    assert ajena.leida_en is None
    assert Client().get(reverse("supervision:notificacion_abrir", args=[ajena.pk])).status_code == 302  # to login
