"""Login lockout (django-axes): five failures lock the user name, and five lock the address."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from auditoria.models import RegistroAuditoria, TipoEvento
from convenios.tests.fabricas import CONTRASENA, crear_usuario


def test_cinco_fallos_bloquean_al_usuario_aun_con_la_contrasena_correcta(client, dependencia, entrar, settings):
    for intento in range(1, 5):
        respuesta = entrar(client, "dependencia", "equivocada", ip=f"10.0.1.{intento}")
        assert respuesta.status_code == 200
        assert "Por favor introduzca nombre de usuario y contraseña correctos" in respuesta.content.decode()
    respuesta = entrar(client, "dependencia", "equivocada", ip="10.0.1.5")
    assert respuesta.status_code == 429
    texto = respuesta.content.decode()
    assert "Acceso bloqueado temporalmente" in texto
    assert "Hubo 5 intentos fallidos" in texto and "durante 15 minutos" in texto
    assert respuesta["Retry-After"] == str(15 * 60)
    # Now even the right password, from yet another address, is refused before being checked.
    respuesta = entrar(client, "dependencia", CONTRASENA, ip="10.0.1.6")
    assert respuesta.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("seguimiento:inicio")).status_code == 302


def test_cinco_fallos_desde_una_direccion_la_bloquean_para_cualquier_usuario(m, dependencia, implan, entrar):
    atacante = Client()
    for n in range(5):
        entrar(atacante, f"nombre-inventado-{n}", "equivocada", ip="203.0.113.7")
    # A real user behind the same address is stopped too...
    respuesta = entrar(Client(), "implan", CONTRASENA, ip="203.0.113.7")
    assert respuesta.status_code == 429
    # ...but not from another address: the user name itself had no failures.
    otra = Client()
    respuesta = entrar(otra, "implan", CONTRASENA, ip="198.51.100.2")
    assert respuesta.status_code == 302
    assert otra.get(reverse("seguimiento:inicio")).status_code == 200


def test_los_fallos_quedan_en_la_bitacora_con_direccion_y_el_bloqueo_tambien(client, dependencia, entrar):
    for _ in range(5):
        entrar(client, "dependencia", "equivocada", ip="192.0.2.10", HTTP_USER_AGENT="Navegador de prueba")
    entrar(client, "nadie-se-llama-asi", "x", ip="192.0.2.11")
    fallidos = RegistroAuditoria.objects.filter(tipo=TipoEvento.ENTRADA_FALLIDA).order_by("pk")
    assert [(r.nombre_usuario, r.usuario, r.ip) for r in fallidos] == [
        *[("dependencia", dependencia, "192.0.2.10")] * 5,
        ("nadie-se-llama-asi", None, "192.0.2.11"),
    ]
    assert fallidos[0].agente == "Navegador de prueba"
    assert fallidos[0].municipio == dependencia.municipio
    bloqueo = RegistroAuditoria.objects.get(tipo=TipoEvento.BLOQUEO)
    assert bloqueo.usuario == dependencia and "192.0.2.10" in bloqueo.detalle


def test_la_entrada_correcta_queda_en_la_bitacora(client, implan, entrar):
    respuesta = entrar(client, "implan", ip="192.0.2.20")
    assert respuesta.status_code == 302
    registro = RegistroAuditoria.objects.get(tipo=TipoEvento.ENTRADA)
    assert (registro.usuario, registro.ip, registro.ruta) == (implan, "192.0.2.20", reverse("login"))
    client.post(reverse("logout"))
    assert RegistroAuditoria.objects.filter(tipo=TipoEvento.SALIDA, usuario=implan).count() == 1


def test_x_forwarded_for_solo_cuenta_detras_de_un_proxy_de_confianza(client, implan, entrar, settings):
    entrar(client, "implan", "equivocada", ip="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.PROXIES_DE_CONFIANZA = 1
    # The client wrote "1.2.3.4"; the proxy appended the real address, 198.51.100.9.
    entrar(client, "implan", "equivocada", ip="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    entrar(client, "implan", "equivocada", ip="10.9.9.9", HTTP_X_FORWARDED_FOR="no-es-una-ip")
    ips = list(
        RegistroAuditoria.objects.filter(tipo=TipoEvento.ENTRADA_FALLIDA).order_by("pk").values_list("ip", flat=True)
    )
    assert ips == ["10.9.9.9", "198.51.100.9", "10.9.9.9"]


def test_client_login_y_force_login_siguen_funcionando(client, dependencia):
    assert client.login(username="dependencia", password=CONTRASENA)
    assert client.get(reverse("seguimiento:inicio")).status_code == 200
    otro = Client()
    otro.force_login(crear_usuario("otro_usuario", dependencia.dependencia))
    assert otro.get(reverse("seguimiento:inicio")).status_code == 200
    assert not Client().login(username="dependencia", password="equivocada")
