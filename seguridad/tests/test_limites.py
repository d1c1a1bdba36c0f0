"""The rate-limit helper: N requests per window and key, then 429 with Retry-After and a Spanish message."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.urls import reverse

from documentos.tests.ayudas import emitir_version_para_firma
from seguridad.limites import Tasa, consumir, limitar_tasa, por_usuario_o_ip

pytestmark = pytest.mark.usefixtures("reloj_quieto")


@limitar_tasa("prueba", "3/m")
def vista(request):  # type: ignore[no-untyped-def]
    return HttpResponse("hecho")


@pytest.mark.parametrize(
    "texto,esperado", [("10/m", Tasa(10, 60)), ("100/h", Tasa(100, 3600)), ("5/15m", Tasa(5, 900)), ("1/s", Tasa(1, 1))]
)
def test_la_tasa_se_escribe_como_en_la_documentacion(texto, esperado):
    assert Tasa.de_texto(texto) == esperado


@pytest.mark.parametrize("texto", ["", "10", "diez/m", "10/semana", "-1/m"])
def test_una_tasa_mal_escrita_falla_al_importar(texto):
    with pytest.raises(ValueError):
        limitar_tasa("x", texto)


def test_al_pasar_el_limite_responde_429_en_espanol_con_retry_after(rf, db):
    for _ in range(3):
        assert vista(rf.post("/", REMOTE_ADDR="10.0.0.1")).status_code == 200
    respuesta = vista(rf.post("/", REMOTE_ADDR="10.0.0.1"))
    assert respuesta.status_code == 429
    assert 1 <= int(respuesta["Retry-After"]) <= 60
    texto = respuesta.content.decode()
    assert "Demasiadas solicitudes seguidas desde su conexión" in texto and "su información no se modificó" in texto
    # Another address is not affected; GETs are not counted.
    assert vista(rf.post("/", REMOTE_ADDR="10.0.0.2")).status_code == 200
    assert vista(rf.get("/", REMOTE_ADDR="10.0.0.1")).status_code == 200


def test_un_cliente_de_api_recibe_json(rf, db):
    for _ in range(3):
        vista(rf.post("/", REMOTE_ADDR="10.0.0.3"))
    respuesta = vista(rf.post("/", REMOTE_ADDR="10.0.0.3", HTTP_ACCEPT="application/json"))
    assert respuesta.status_code == 429
    assert "Demasiadas solicitudes" in json.loads(respuesta.content)["detail"]


def test_la_tasa_de_un_grupo_se_cambia_en_la_configuracion(rf, db, settings):
    settings.LIMITES_DE_TASA = {"prueba": "1/h"}
    assert vista(rf.post("/", REMOTE_ADDR="10.0.0.4")).status_code == 200
    respuesta = vista(rf.post("/", REMOTE_ADDR="10.0.0.4"))
    assert respuesta.status_code == 429 and int(respuesta["Retry-After"]) > 60


def test_la_ventana_siguiente_empieza_de_cero():
    tasa = Tasa(2, 60)
    assert [consumir("v", "k", tasa, ahora=1200.0 + s) for s in (0, 10, 20)] == [0, 0, 40]
    assert consumir("v", "k", tasa, ahora=1260.0) == 0
    assert consumir("v", "otra", tasa, ahora=1220.0) == 0


def test_por_usuario_cuenta_a_la_persona_no_a_la_oficina(rf, dependencia, otra_dependencia):
    a, b = rf.post("/", REMOTE_ADDR="10.0.0.5"), rf.post("/", REMOTE_ADDR="10.0.0.5")
    a.user, b.user = dependencia, otra_dependencia
    assert por_usuario_o_ip(a) != por_usuario_o_ip(b)


def test_el_codigo_del_segundo_factor_esta_limitado(client, dependencia):
    client.force_login(dependencia)
    url = reverse("cuentas:doble_factor_configurar")
    estados = [client.post(url, {"codigo": "000000"}).status_code for _ in range(11)]
    assert estados[:10] == [400] * 10 and estados[10] == 429


def test_las_tasas_de_verificacion_y_api_estan_en_la_configuracion():
    from django.conf import settings

    assert Tasa.de_texto(settings.LIMITES_DE_TASA["verificacion"]) == Tasa(10, 60)
    assert Tasa.de_texto(settings.LIMITES_DE_TASA["api"]) == Tasa(120, 60)


def test_la_subida_a_la_verificacion_publica_esta_limitada(client, convenio, implan, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    documento = emitir_version_para_firma(convenio, implan)
    settings.LIMITES_DE_TASA = {**settings.LIMITES_DE_TASA, "verificacion": "2/m"}
    url = reverse("documentos:verificar", args=[documento.codigo_verificacion])
    with documento.archivo.open("rb") as archivo:
        pdf = archivo.read()

    def subir():  # type: ignore[no-untyped-def]
        return client.post(url, {"archivo": SimpleUploadedFile("oficio.pdf", pdf, "application/pdf")})

    assert [subir().status_code for _ in range(2)] == [200, 200]
    respuesta = subir()
    assert respuesta.status_code == 429 and 1 <= int(respuesta["Retry-After"]) <= 60
    assert "Demasiadas solicitudes seguidas desde su conexión" in respuesta.content.decode()
    # Reading the page (no upload) is not counted; another address may still upload.
    assert client.get(url).status_code == 200
    assert client.post(url, {"archivo": SimpleUploadedFile("o.pdf", pdf)}, REMOTE_ADDR="10.9.9.9").status_code == 200


@pytest.mark.parametrize("ruta", ["/api/v1/convenios/", "/api/v1/esquema/", "/api/v1/no-existe/"])
def test_la_api_esta_limitada_y_responde_json(client, db, settings, ruta):
    settings.LIMITES_DE_TASA = {**settings.LIMITES_DE_TASA, "api": "3/m"}
    assert 429 not in [client.get(ruta).status_code for _ in range(3)]
    respuesta = client.get(ruta, HTTP_ACCEPT="*/*")
    assert respuesta.status_code == 429 and 1 <= int(respuesta["Retry-After"]) <= 60
    assert respuesta["Content-Type"] == "application/json"
    assert "Demasiadas solicitudes seguidas" in json.loads(respuesta.content)["detail"]
    assert "public" not in respuesta.get("Cache-Control", "")  # a proxy must not keep serving the 429


def test_la_api_sigue_documentando_sus_recursos(client, db):
    esquema = client.get("/api/v1/esquema/", HTTP_ACCEPT="application/json").content.decode()
    for recurso in ("/api/v1/convenios/", "/api/v1/aspectos/", "/api/v1/evaluaciones/"):
        assert recurso in esquema
