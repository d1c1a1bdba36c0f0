"""/salud/: 200 with every component up, 503 when one is down (made unreachable by configuration)."""

from __future__ import annotations

import json

import pytest

from operacion.tests.almacenamientos import CLAVE_SECRETA, configurar_s3
from operacion.tests.entorno import REDIS_PRUEBAS, entorno_produccion, exigir_redis, gunicorn, pedir, puerto_libre


@pytest.mark.django_db
def test_salud_responde_200_con_cada_componente(client):
    respuesta = client.get("/salud/")

    assert respuesta.status_code == 200
    assert respuesta.json() == {
        "estado": "ok",
        "componentes": {"base_de_datos:default": {"estado": "ok"}, "almacenamiento": {"estado": "ok"}},
    }
    assert "no-cache" in respuesta["Cache-Control"]


@pytest.mark.django_db
def test_salud_no_deja_archivos_de_sonda(client, settings):
    client.get("/salud/")

    assert not list((settings.MEDIA_ROOT / "salud").iterdir())


@pytest.mark.django_db
def test_salud_no_acepta_post(client):
    assert client.post("/salud/").status_code == 405


@pytest.mark.parametrize(
    "url_inalcanzable",
    [
        "sqlite:///{tmp}/carpeta-que-no-existe/base.sqlite3",
        "postgres://asm:clave-que-no-debe-verse@127.0.0.1:{puerto}/seguimiento_asm",
    ],
    ids=["sqlite", "postgresql"],
)
def test_salud_responde_503_con_la_base_inalcanzable_sin_revelar_secretos(tmp_path, url_inalcanzable):
    """The real app under gunicorn, its DATABASE_URL pointing where no database answers."""
    url = url_inalcanzable.format(tmp=tmp_path, puerto=puerto_libre())
    entorno = entorno_produccion(tmp_path, DATABASE_URL=url, CELERY_BROKER_URL="", WEB_CONCURRENCY="1")

    with gunicorn(entorno, tmp_path / "gunicorn.log") as base:
        estado, _, cuerpo = pedir(base + "/salud/")

    assert estado == 503
    datos = json.loads(cuerpo)
    assert datos == {
        "estado": "error",
        "componentes": {
            "base_de_datos:default": {"estado": "error", "error": "OperationalError"},
            "almacenamiento": {"estado": "ok"},
        },
    }
    assert "clave-que-no-debe-verse" not in cuerpo.decode()


@pytest.mark.django_db
def test_salud_responde_503_si_el_almacenamiento_no_acepta_archivos(client, settings, tmp_path):
    # A regular file where the media folder should be: no directory can be made in it.
    bloqueo = tmp_path / "archivo"
    bloqueo.write_text("no es carpeta")
    settings.MEDIA_ROOT = bloqueo / "media"

    respuesta = client.get("/salud/")

    assert respuesta.status_code == 503
    assert respuesta.json()["componentes"]["almacenamiento"] == {"estado": "error", "error": "NotADirectoryError"}


@pytest.mark.django_db
def test_salud_revisa_el_broker_cuando_hay_uno(client, settings):
    exigir_redis()
    settings.CELERY_BROKER_URL = REDIS_PRUEBAS

    respuesta = client.get("/salud/")

    assert respuesta.status_code == 200
    assert respuesta.json()["componentes"]["broker"] == {"estado": "ok"}


@pytest.mark.django_db
def test_salud_responde_503_con_el_broker_caido_sin_revelar_su_direccion(client, settings):
    puerto = puerto_libre()
    settings.CELERY_BROKER_URL = f"redis://:clave-del-broker@127.0.0.1:{puerto}/5"

    respuesta = client.get("/salud/")

    assert respuesta.status_code == 503
    assert respuesta.json()["componentes"]["broker"]["estado"] == "error"
    assert "clave-del-broker" not in respuesta.content.decode()
    assert str(puerto) not in respuesta.content.decode()


@pytest.mark.django_db
def test_salud_prueba_el_almacenamiento_en_disco_y_en_s3(client, almacenamiento):
    respuesta = client.get("/salud/")

    assert respuesta.status_code == 200
    assert respuesta.json()["componentes"]["almacenamiento"] == {"estado": "ok"}


@pytest.mark.django_db
def test_salud_responde_503_con_el_s3_inalcanzable_sin_revelar_sus_claves(client, settings):
    configurar_s3(settings, f"http://127.0.0.1:{puerto_libre()}", "prueba")

    respuesta = client.get("/salud/")

    assert respuesta.status_code == 503
    assert respuesta.json()["componentes"]["almacenamiento"]["estado"] == "error"
    assert CLAVE_SECRETA not in respuesta.content.decode()


def test_salud_revisa_tambien_la_replica_de_lectura(tmp_path):
    """State-wide layout: DATABASE_REPLICA_URL adds the `replica` alias; a dead replica is a 503 too."""
    replica = f"postgres://portal:clave-de-la-replica@127.0.0.1:{puerto_libre()}/seguimiento_asm"
    entorno = entorno_produccion(tmp_path, DATABASE_REPLICA_URL=replica, CELERY_BROKER_URL="", WEB_CONCURRENCY="1")

    with gunicorn(entorno, tmp_path / "gunicorn.log") as base:
        estado, _, cuerpo = pedir(base + "/salud/")

    assert estado == 503
    componentes = json.loads(cuerpo)["componentes"]
    assert componentes["base_de_datos:default"] == {"estado": "ok"}
    assert componentes["base_de_datos:replica"] == {"estado": "error", "error": "OperationalError"}
    assert "clave-de-la-replica" not in cuerpo.decode()
