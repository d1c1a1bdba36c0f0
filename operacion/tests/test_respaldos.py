"""Backup and restore round trip: every row of the project's tables and every stored file, identical."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from convenios.models import Aspecto, Convenio, EstadoAspecto
from convenios.tests import fabricas
from operacion.tests.almacenamientos import CLAVE_ACCESO, CLAVE_SECRETA, CUBETA, REGION
from operacion.tests.entorno import entorno_produccion, manage
from seguimiento.models import Accion, Evidencia, Movimiento

pytestmark = pytest.mark.django_db

ARCHIVOS_SUELTOS = {
    "oficios/2022/oficio-cumplimiento-Defensoría.pdf": b"%PDF-1.4\n% oficio \xc3\xa1\n%%EOF\n",
    "convenios/firmados/convenio-01020401.pdf": b"%PDF-1.4\n% convenio firmado\n%%EOF\n" * 500,
}


def tablas_del_proyecto() -> list[str]:
    """Every table of the project's own apps (not Django's), including the history tables."""
    return sorted(
        m._meta.db_table for m in apps.get_models() if not m.__module__.startswith(("django.", "simple_history."))
    )


def filas(cursor, tabla: str) -> list[tuple]:
    cursor.execute(f"SELECT * FROM {tabla} ORDER BY 1")  # noqa: S608 - table names from our own models
    return [tuple(fila) for fila in cursor.fetchall()]


def tablas_en(conexion) -> list[str]:
    cursor = conexion.cursor()
    if isinstance(conexion, sqlite3.Connection):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    return [fila[0] for fila in cursor.fetchall()]


def hashes_en_disco(carpeta: Path) -> dict[str, str]:
    return {
        str(ruta.relative_to(carpeta)): hashlib.sha256(ruta.read_bytes()).hexdigest()
        for ruta in carpeta.rglob("*")
        if ruta.is_file()
    }


@pytest.fixture
def datos(m) -> dict[str, str]:
    # A gap before the users that stay: a restore that renumbered rows would show.
    fabricas.crear_usuario("usuario-borrado", m.otra_dependencia).delete()
    dependencia = fabricas.crear_usuario("dependencia", m.dependencia)
    fabricas.crear_usuario("implan", m.implan)
    convenio = fabricas.crear_convenio(m)
    """Two convenios with items, moves, evidence files and loose files; returns {name: sha256} of every file."""
    otro = fabricas.crear_convenio(m, dependencia=m.otra_dependencia, hallazgos=1, recomendaciones=4)
    aspecto = Aspecto.objects.filter(convenio=convenio).first()
    Aspecto.objects.filter(pk=aspecto.pk).update(estado=EstadoAspecto.EN_REVISION)
    Movimiento.objects.create(
        aspecto=aspecto,
        usuario=dependencia,
        accion=Accion.ENVIAR,
        estado_anterior=EstadoAspecto.PENDIENTE,
        estado_nuevo=EstadoAspecto.EN_REVISION,
        comentario="Se entrega el PbRM-01a con la corrección del indicador.",
    )
    hashes = {}
    for numero, destino in enumerate([aspecto, Aspecto.objects.filter(convenio=otro).last()], start=1):
        contenido = f"evidencia {numero} — acción atendida".encode() * (numero * 1000)
        evidencia = Evidencia(
            aspecto=destino,
            nombre_original=f"Evidencia {numero}.pdf",
            tamano=len(contenido),
            tipo_contenido="application/pdf",
            sha256=hashlib.sha256(contenido).hexdigest(),
            descripcion="Formato PbRM",
            subida_por=dependencia,
        )
        evidencia.archivo.save(f"evidencia-{numero}.pdf", ContentFile(contenido), save=True)
        hashes[evidencia.archivo.name] = evidencia.sha256
    for nombre, contenido in ARCHIVOS_SUELTOS.items():
        assert default_storage.save(nombre, ContentFile(contenido)) == nombre
        hashes[nombre] = hashlib.sha256(contenido).hexdigest()
    return hashes


@pytest.fixture
def base_nueva(tmp_path):
    """A fresh, empty database of the same engine as the tests: another SQLite file, or another PostgreSQL database."""
    ajustes = connection.settings_dict
    if connection.vendor == "sqlite":
        ruta = tmp_path / "restaurada.sqlite3"
        # Same column types as Django's own SQLite connection (its converters are registered globally).
        yield f"sqlite:///{ruta}", lambda: sqlite3.connect(ruta, detect_types=sqlite3.PARSE_DECLTYPES)
        return
    import psycopg2

    nombre = f"{ajustes['NAME']}_restaurada_{uuid.uuid4().hex[:8]}"
    servidor = {
        "host": ajustes["HOST"] or "127.0.0.1",
        "port": ajustes["PORT"] or 5432,
        "user": ajustes["USER"],
        "password": ajustes["PASSWORD"],
    }
    administracion = psycopg2.connect(dbname="postgres", **servidor)
    administracion.autocommit = True
    with administracion.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{nombre}"')
    credenciales = f"{servidor['user']}:{servidor['password']}" if servidor["password"] else servidor["user"]
    abiertas = []

    def conectar():
        abiertas.append(psycopg2.connect(dbname=nombre, **servidor))
        return abiertas[-1]

    yield f"postgres://{credenciales}@{servidor['host']}:{servidor['port']}/{nombre}", conectar
    for conexion in abiertas:
        conexion.close()
    with administracion.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{nombre}"')
    administracion.close()


def test_respaldo_y_restauracion_dejan_datos_y_archivos_identicos(datos, base_nueva, tmp_path, settings):
    url, conectar = base_nueva
    resultado_respaldo = call_command("respaldar", destino=tmp_path / "respaldos")
    (archivo,) = (tmp_path / "respaldos").glob("respaldo-*.tar.gz")
    assert oct(archivo.stat().st_mode & 0o777) == "0o600"  # the dump holds password hashes
    assert resultado_respaldo is None

    # The operator's restore: another process, production settings, a fresh database and media folder.
    media_nueva = tmp_path / "media-restaurada"
    entorno = entorno_produccion(tmp_path, DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(media_nueva))
    resultado = manage(entorno, "restaurar", str(archivo))
    assert resultado.returncode == 0, resultado.stderr
    assert "Respaldo restaurado y verificado" in resultado.stdout

    with connection.cursor() as original:
        esperado = {tabla: filas(original, tabla) for tabla in tablas_del_proyecto()}
    restaurada = conectar()
    obtenido = {tabla: filas(restaurada.cursor(), tabla) for tabla in tablas_del_proyecto()}
    for tabla in esperado:
        assert obtenido[tabla] == esperado[tabla], tabla
    assert len(esperado["convenios_convenio"]) == Convenio.objects.count() == 2
    assert len(esperado["convenios_aspecto"]) == 10
    assert esperado["convenios_historicalconvenio"]  # the history travels too

    assert hashes_en_disco(media_nueva) == datos
    assert hashes_en_disco(settings.MEDIA_ROOT) == datos
    for evidencia in Evidencia.objects.all():
        assert hashlib.sha256((media_nueva / evidencia.archivo.name).read_bytes()).hexdigest() == evidencia.sha256


def test_el_manifiesto_registra_el_sha256_de_cada_archivo(datos, tmp_path):
    call_command("respaldar", destino=tmp_path)
    (archivo,) = tmp_path.glob("respaldo-*.tar.gz")

    with tarfile.open(archivo) as tar:
        manifiesto = json.loads(tar.extractfile("manifiesto.json").read())
        datos_json = tar.extractfile("datos.json").read()

    assert {nombre: a["sha256"] for nombre, a in manifiesto["archivos"].items()} == datos
    assert manifiesto["datos"]["sha256"] == hashlib.sha256(datos_json).hexdigest()
    assert "convenios.0003_reglas_entre_tablas" in manifiesto["migraciones"]


def reempaquetar(origen: Path, destino: Path, cambiar: str, contenido: bytes) -> None:
    """The same archive with one member's bytes replaced (and the manifest untouched): a damaged backup."""
    with tarfile.open(origen) as entrada, tarfile.open(destino, "w:gz") as salida:
        for miembro in entrada.getmembers():
            datos = entrada.extractfile(miembro).read()
            if miembro.name == cambiar:
                datos = contenido
            miembro.size = len(datos)
            salida.addfile(miembro, io.BytesIO(datos))


def test_un_respaldo_danado_se_rechaza_sin_tocar_nada(datos, base_nueva, tmp_path):
    call_command("respaldar", destino=tmp_path / "respaldos")
    (archivo,) = (tmp_path / "respaldos").glob("respaldo-*.tar.gz")
    danado = tmp_path / "danado.tar.gz"
    nombre = next(iter(ARCHIVOS_SUELTOS))
    reempaquetar(archivo, danado, f"media/{nombre}", b"%PDF-1.4\n% alterado\n%%EOF\n")
    url, conectar = base_nueva
    media_nueva = tmp_path / "media-restaurada"

    resultado = manage(
        entorno_produccion(tmp_path, DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(media_nueva)), "restaurar", str(danado)
    )

    assert resultado.returncode != 0
    assert f"«media/{nombre}» no coincide con su SHA-256 en el manifiesto: respaldo dañado." in resultado.stderr
    assert not media_nueva.exists()
    assert tablas_en(conectar()) == []  # verified before migrating: the fresh database is still untouched


def test_no_restaura_sobre_una_base_con_datos(datos, tmp_path):
    call_command("respaldar", destino=tmp_path)
    (archivo,) = tmp_path.glob("respaldo-*.tar.gz")

    with pytest.raises(CommandError, match="La base de datos destino ya tiene datos"):
        call_command("restaurar", str(archivo))

    assert Convenio.objects.count() == 2


def test_un_archivo_que_no_es_respaldo_se_rechaza_en_espanol(db, tmp_path):
    falso = tmp_path / "falso.tar.gz"
    falso.write_bytes(b"esto no es un respaldo")

    with pytest.raises(CommandError, match="No se pudo abrir .* como respaldo"):
        call_command("restaurar", str(falso))


@pytest.mark.parametrize("almacenamiento", ["s3"], indirect=True)
def test_respaldo_y_restauracion_con_archivos_en_s3(almacenamiento, datos, base_nueva, tmp_path):
    """Files read from one bucket prefix, restored into another, through the same commands."""
    call_command("respaldar", destino=tmp_path)
    (archivo,) = tmp_path.glob("respaldo-*.tar.gz")
    assert not (tmp_path / "media").exists()  # the files really were on S3
    url, _conectar = base_nueva
    prefijo_nuevo = f"restaurado-{uuid.uuid4().hex}"
    entorno = entorno_produccion(
        tmp_path,
        DATABASE_URL=url,
        DJANGO_S3_BUCKET=CUBETA,
        DJANGO_S3_ENDPOINT_URL=almacenamiento.servidor.url,
        DJANGO_S3_ACCESS_KEY_ID=CLAVE_ACCESO,
        DJANGO_S3_SECRET_ACCESS_KEY=CLAVE_SECRETA,
        DJANGO_S3_REGION=REGION,
        DJANGO_S3_PREFIX=prefijo_nuevo,
    )

    resultado = manage(entorno, "restaurar", str(archivo))

    assert resultado.returncode == 0, resultado.stderr
    cliente = almacenamiento.servidor.cliente()
    restaurados = {
        objeto["Key"].removeprefix(prefijo_nuevo + "/"): hashlib.sha256(
            cliente.get_object(Bucket=CUBETA, Key=objeto["Key"])["Body"].read()
        ).hexdigest()
        for objeto in cliente.list_objects_v2(Bucket=CUBETA, Prefix=prefijo_nuevo + "/")["Contents"]
    }
    assert restaurados == datos


def test_un_respaldo_truncado_se_rechaza_en_espanol(datos, tmp_path):
    """As if the disk filled up while copying it: half the bytes."""
    call_command("respaldar", destino=tmp_path)
    (archivo,) = tmp_path.glob("respaldo-*.tar.gz")
    truncado = tmp_path / "truncado.tar.gz"
    truncado.write_bytes(archivo.read_bytes()[: archivo.stat().st_size // 2])

    with pytest.raises(CommandError, match="está incompleto o dañado|no tiene un manifiesto legible"):
        call_command("restaurar", str(truncado))
