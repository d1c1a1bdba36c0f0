"""Forgotten password: the same answer for any address, e-mails in Spanish, limits per address and per client."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.tests.fabricas import crear_usuario

pytestmark = pytest.mark.seguridad

URL = "/accounts/password_reset/"


def _pedir(client: Client, correo: str, ip: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    return client.post(URL, {"email": correo}, REMOTE_ADDR=ip)


def test_la_direccion_es_la_del_readme_y_la_pagina_esta_en_espanol(client, db):
    assert reverse("password_reset") == URL
    texto = client.get(URL).content.decode()
    assert "Restablecer contraseña" in texto and "Enviar enlace" in texto
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_misma_respuesta_para_una_direccion_conocida_y_una_desconocida(client, m):
    crear_usuario("conocida", m.dependencia)
    conocida = _pedir(client, "conocida@prueba.invalid")
    desconocida = _pedir(client, "nadie@prueba.invalid")
    assert conocida.status_code == desconocida.status_code == 302
    assert conocida["Location"] == desconocida["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["conocida@prueba.invalid"]


def test_el_correo_esta_en_espanol_y_su_enlace_restablece_la_contrasena(client, m):
    usuario = crear_usuario("olvidadiza", m.dependencia)
    _pedir(client, "olvidadiza@prueba.invalid")
    correo = mail.outbox[0]
    assert correo.subject == "Restablecer su contraseña en Seguimiento ASM"
    assert "Recibimos una solicitud para restablecer la contraseña de su cuenta «olvidadiza»" in correo.body
    assert "vence en 3 días" in correo.body and "Si usted no lo pidió" in correo.body
    enlace = re.search(r"http://testserver(/accounts/reset/\S+/)", correo.body).group(1)

    formulario = client.get(enlace, follow=True)
    assert "Contraseña nueva" in formulario.content.decode()
    nueva = "una-contraseña-larga-y-nueva-2026"
    respuesta = client.post(formulario.redirect_chain[-1][0], {"new_password1": nueva, "new_password2": nueva})
    assert respuesta.status_code == 302
    assert "Contraseña restablecida" in client.get(respuesta["Location"]).content.decode()
    usuario.refresh_from_db()
    assert usuario.check_password(nueva)
    assert RegistroAuditoria.objects.filter(tipo=TipoEvento.CAMBIO_CONTRASENA, usuario=usuario).exists()
    # The link serves once.
    assert "ya se usó o venció" in client.get(enlace, follow=True).content.decode()


def test_limite_por_direccion_de_correo_sin_revelar_nada(m, settings, informe, reloj_quieto):
    """14 requests for one address from 14 clients: 3 mails, and every answer the same redirect."""
    crear_usuario("victima", m.dependencia)
    respuestas = [_pedir(Client(), "Victima@prueba.invalid", ip=f"10.2.0.{n}") for n in range(14)]
    assert {(r.status_code, r["Location"]) for r in respuestas} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3
    # An unknown address is counted the same way: the limit says nothing about existence.
    desconocidas = [_pedir(Client(), "nadie@prueba.invalid", ip=f"10.3.0.{n}") for n in range(5)]
    assert {r.status_code for r in desconocidas} == {302}
    informe.medir(
        "endurecimiento:restablecer_correo",
        {"prueba": "Contraseña olvidada: límite por dirección de correo (misma respuesta)", "casos": 19, "fallas": 0},
    )


def test_limite_por_cliente(m, informe, reloj_quieto):
    crear_usuario("alguien", m.dependencia)
    atacante = Client()
    estados = [_pedir(atacante, f"persona{n}@prueba.invalid", ip="203.0.113.9").status_code for n in range(12)]
    assert estados == [302] * 10 + [429] * 2
    bloqueada = _pedir(atacante, "alguien@prueba.invalid", ip="203.0.113.9")
    assert bloqueada.status_code == 429 and "Demasiadas solicitudes" in bloqueada.content.decode()
    assert int(bloqueada["Retry-After"]) > 0
    assert len(mail.outbox) == 0
    # Another client is not affected.
    assert _pedir(Client(), "alguien@prueba.invalid", ip="198.51.100.9").status_code == 302
    assert len(mail.outbox) == 1
    informe.medir(
        "endurecimiento:restablecer_cliente",
        {"prueba": "Contraseña olvidada: límite por cliente (429 en español)", "casos": 14, "fallas": 0},
    )
