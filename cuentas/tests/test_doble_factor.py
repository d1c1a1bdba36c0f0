"""Second factor (TOTP): optional for anyone, required by IMPLAN for chosen users; codes from a real TOTP."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from auditoria.models import RegistroAuditoria, TipoEvento

CONFIGURAR = "/cuentas/segundo-factor/configurar/"
VERIFICAR = "/cuentas/segundo-factor/"


def codigo(dispositivo: TOTPDevice, pasos_adelante: int = 0) -> str:
    """What the phone app shows now (or ``pasos_adelante`` periods of 30 s later)."""
    totp = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, dispositivo.digits, dispositivo.drift)
    totp.time = time.time() + pasos_adelante * dispositivo.step
    return f"{totp.token():06d}"


def configurar(client: Client, usuario) -> TOTPDevice:  # type: ignore[no-untyped-def]
    respuesta = client.get(CONFIGURAR)
    assert respuesta.status_code == 200
    dispositivo = TOTPDevice.objects.get(user=usuario, confirmed=False)
    respuesta = client.post(CONFIGURAR, {"codigo": codigo(dispositivo)})
    assert respuesta.status_code == 302, respuesta.content.decode()
    dispositivo.refresh_from_db()
    assert dispositivo.confirmed
    return dispositivo


def test_la_configuracion_muestra_un_qr_y_la_clave_y_no_cambia_al_recargar(client, dependencia):
    client.force_login(dependencia)
    primera = client.get(CONFIGURAR).content.decode()
    segunda = client.get(CONFIGURAR).content.decode()
    assert TOTPDevice.objects.filter(user=dependencia).count() == 1
    assert '<svg width="' in primera and 'class="qrline"' in primera

    def qr(html: str) -> str:
        return html[html.index("<svg") : html.index("</svg>")]

    assert qr(primera) == qr(segunda)
    dispositivo = TOTPDevice.objects.get(user=dependencia)
    import base64

    clave = base64.b32encode(dispositivo.bin_key).decode()
    assert clave[:4] + " " + clave[4:8] in primera


def test_un_usuario_lo_activa_y_desde_entonces_se_le_pide_un_codigo(client, dependencia, entrar):
    # A stated clock, frozen: the codes and django-otp's wait after a wrong one are read from it.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False) as reloj:
        entrar(client, "dependencia")
        dispositivo = configurar(client, dependencia)
        assert RegistroAuditoria.objects.filter(tipo=TipoEvento.DOBLE_FACTOR_ACTIVADO, usuario=dependencia).count() == 1
        assert client.get(reverse("seguimiento:inicio")).status_code == 200

        nueva = Client()
        assert entrar(nueva, "dependencia").status_code == 302
        respuesta = nueva.get(reverse("seguimiento:sesiones"))
        assert respuesta.status_code == 302
        assert respuesta["Location"] == f"{VERIFICAR}?next=%2Fsesiones%2F"
        for ruta in (reverse("seguimiento:inicio"), reverse("admin:index"), reverse("password_change")):
            assert nueva.get(ruta)["Location"].startswith(VERIFICAR)

        respuesta = nueva.post(
            VERIFICAR + "?next=/sesiones/", {"codigo": "000000" if codigo(dispositivo) != "000000" else "111111"}
        )
        assert respuesta.status_code == 400
        assert "El código no es válido." in respuesta.content.decode()
        reloj.shift(datetime.timedelta(seconds=2))  # django-otp makes the next try wait 1 s after a wrong code
        # The code of the next period (the one just used at set-up cannot be used twice).
        respuesta = nueva.post(VERIFICAR, {"codigo": codigo(dispositivo, 1), "next": "/sesiones/"})
        assert respuesta.status_code == 302 and respuesta["Location"] == "/sesiones/"
        assert nueva.get(reverse("seguimiento:sesiones")).status_code == 200
        assert RegistroAuditoria.objects.filter(tipo=TipoEvento.DOBLE_FACTOR_FALLIDO, usuario=dependencia).count() == 1


def test_codigos_seguidos_equivocados_se_frenan(client, dependencia, entrar):
    entrar(client, "dependencia")
    dispositivo = configurar(client, dependencia)
    nueva = Client()
    entrar(nueva, "dependencia")
    malo = "123456" if codigo(dispositivo, 1) != "123456" else "654321"
    nueva.post(VERIFICAR, {"codigo": malo})
    respuesta = nueva.post(VERIFICAR, {"codigo": codigo(dispositivo, 1)})  # right, but too soon
    assert respuesta.status_code == 400
    assert "Demasiados códigos incorrectos seguidos" in respuesta.content.decode()
    assert nueva.get(reverse("seguimiento:inicio")).status_code == 302


def test_un_codigo_mal_escrito_recibe_un_mensaje_claro(client, dependencia):
    client.force_login(dependencia)
    client.get(CONFIGURAR)
    for texto in ("", "12345", "abcdef", "12 34 56", "1234567"):
        respuesta = client.post(CONFIGURAR, {"codigo": texto})
        assert respuesta.status_code == 400
        contenido = respuesta.content.decode()
        assert any(
            m in contenido
            for m in ("Escriba el código que muestra", "Escriba los 6 dígitos", "como mínimo 6", "como máximo 6")
        ), texto
    assert not TOTPDevice.objects.filter(user=dependencia, confirmed=True).exists()


@pytest.fixture
def contraloria_con_2fa_obligatorio(contraloria):
    contraloria.doble_factor_obligatorio = True
    contraloria.save()
    return contraloria


def test_si_el_implan_lo_exige_el_usuario_lo_configura_antes_que_nada(
    client, contraloria_con_2fa_obligatorio, entrar, captura, settings
):
    entrar(client, "contraloria")
    for ruta in (reverse("seguimiento:inicio"), reverse("admin:index"), reverse("seguimiento:sesiones")):
        respuesta = client.get(ruta)
        assert respuesta.status_code == 302 and respuesta["Location"].startswith(CONFIGURAR), ruta
    # A POST anywhere else is refused too (redirected, nothing done).
    assert client.post(reverse("password_change"), {})["Location"] == CONFIGURAR
    respuesta = client.get(CONFIGURAR)
    assert "El IMPLAN exige a su cuenta un segundo factor" in respuesta.content.decode()
    configurar(client, contraloria_con_2fa_obligatorio)
    assert client.get(reverse("seguimiento:inicio")).status_code == 200
    # Leaving is always possible.
    assert client.post(reverse("logout")).status_code == 200


def test_el_implan_lo_exige_desde_la_administracion(client, implan, contraloria, dependencia):
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:cuentas_usuario_changelist"),
        {"action": "exigir_doble_factor", "_selected_action": [contraloria.pk]},
    )
    assert respuesta.status_code == 302
    contraloria.refresh_from_db()
    dependencia.refresh_from_db()
    assert contraloria.doble_factor_obligatorio and not dependencia.doble_factor_obligatorio
    # Already signed-in sessions are sent to set it up at their next request.
    otra = Client()
    otra.force_login(contraloria)
    assert otra.get(reverse("seguimiento:inicio"))["Location"].startswith(CONFIGURAR)


def test_la_administracion_no_muestra_la_clave_de_ningun_dispositivo(client, implan, dependencia):
    dispositivo = TOTPDevice.objects.create(user=dependencia, name="Teléfono", confirmed=True)
    client.force_login(implan)
    lista = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert lista.status_code == 200 and "dependencia" in lista.content.decode()
    detalle = client.get(reverse("admin:otp_totp_totpdevice_change", args=[dispositivo.pk]))
    assert detalle.status_code == 200
    assert dispositivo.key not in detalle.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_otro_municipio_no_ve_los_dispositivos(client, implan_otro_municipio, dependencia):
    TOTPDevice.objects.create(user=dependencia, name="Teléfono", confirmed=True)
    client.force_login(implan_otro_municipio)
    lista = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert lista.status_code == 200
    assert lista.context["cl"].result_count == 0
