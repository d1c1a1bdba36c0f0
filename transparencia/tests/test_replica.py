"""The read replica answers the public side; the primary answers every write and every read of a write.

Two real PostgreSQL databases whose data differ on purpose: the primary's and the
replica's test databases (``DATABASE_REPLICA_URL``, without ``TEST: MIRROR``, see
``config/settings/test.py``) hold the same convenio with another name for its evaluated
dependencia, so each page says which database answered. The tests are transactional:
inside the test case's own transaction every read would go to the primary, as the
router wants for a read inside a write's transaction.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from convenios.models import Aspecto, Convenio, Dependencia, TipoDependencia
from convenios.tests.fabricas import crear_usuario
from operacion.replica import lectura_en_replica

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "replica" not in settings.DATABASES or "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="necesita dos bases PostgreSQL: DATABASE_URL y DATABASE_REPLICA_URL (véase .ci/run)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

EN_EL_PRIMARIO = "Defensoría del PRIMARIO"
EN_LA_REPLICA = "Defensoría de la RÉPLICA"


@pytest.fixture
def convenio() -> Convenio:
    fixture = str(settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.json")
    for alias, nombre in (("default", EN_EL_PRIMARIO), ("replica", EN_LA_REPLICA)):
        call_command("loaddata", fixture, database=alias, verbosity=0)
        convenio = Convenio.objects.using(alias).get()
        Dependencia.objects.using(alias).filter(pk=convenio.dependencia_evaluada_id).update(nombre=nombre)
    return Convenio.objects.get()


def _texto(respuesta) -> str:
    assert respuesta.status_code == 200
    cuerpo = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    return cuerpo.decode("utf-8-sig")


@pytest.mark.parametrize(
    "ruta",
    [
        lambda c: reverse("transparencia:inicio"),
        lambda c: reverse("transparencia:convenio", args=[c.pk]),
        lambda c: reverse("transparencia:anexo1", args=[c.evaluacion_id]),
        lambda c: reverse("transparencia:descarga", args=["aspectos", "csv"]),
        lambda c: reverse("transparencia:descarga", args=["convenios", "json"]),
        lambda c: reverse("api:convenio-list"),
        lambda c: reverse("api:aspecto-detail", args=[c.aspectos.first().pk]),
    ],
    ids=["portal", "convenio", "anexo1", "aspectos.csv", "convenios.json", "api-convenios", "api-aspecto"],
)
def test_lo_publico_se_lee_de_la_replica(client, convenio, ruta):
    texto = _texto(client.get(ruta(convenio)))
    assert EN_LA_REPLICA in texto
    assert EN_EL_PRIMARIO not in texto


def test_la_exportacion_del_tablero_se_lee_de_la_replica_y_el_tablero_del_primario(client, convenio):
    contraloria = Dependencia.objects.get(municipio=convenio.municipio, tipo=TipoDependencia.CONTRALORIA)
    # The account exists only on the primary: sessions and users are always read there.
    client.force_login(crear_usuario("contraloria", contraloria))
    exportacion = _texto(client.get(reverse("supervision:tablero_csv")))
    assert EN_LA_REPLICA in exportacion and EN_EL_PRIMARIO not in exportacion
    tablero = _texto(client.get(reverse("supervision:tablero")))
    assert EN_EL_PRIMARIO in tablero and EN_LA_REPLICA not in tablero


def test_escrituras_y_lecturas_de_una_escritura_van_al_primario(convenio):
    dependencia = convenio.dependencia_evaluada_id
    with lectura_en_replica():
        assert Dependencia.objects.get(pk=dependencia).nombre == EN_LA_REPLICA
        with transaction.atomic():
            # A read that decides a write sees the primary's row.
            assert Dependencia.objects.select_for_update().get(pk=dependencia).nombre == EN_EL_PRIMARIO
            Aspecto.objects.filter(convenio=convenio).update(texto="Escrito en el primario")
        # After a write, the rest of the request reads what it wrote.
        assert Dependencia.objects.get(pk=dependencia).nombre == EN_EL_PRIMARIO
        assert set(Aspecto.objects.values_list("texto", flat=True)) == {"Escrito en el primario"}
    assert not Aspecto.objects.using("replica").filter(texto="Escrito en el primario").exists()
    with lectura_en_replica():
        assert Dependencia.objects.get(pk=dependencia).nombre == EN_LA_REPLICA


def test_fuera_de_lo_publico_todo_se_lee_del_primario(convenio):
    assert Dependencia.objects.get(pk=convenio.dependencia_evaluada_id).nombre == EN_EL_PRIMARIO
