"""Cláusula QUINTA: the vista names the items declared no atendida; it does not freeze the rest. The convenio
stays vigente until every item is final, then it is incumplido (some no_atendida, each named by a vista)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from convenios import politica
from convenios.models import EstadoAspecto, EstadoConvenio, TipoAspecto
from documentos.services import convenio_declarar_incumplido, vista_contraloria_emitir
from documentos.tests.ayudas import atender_todo, texto_pdf
from seguimiento.tests.estados import llevar_a


def _texto(documento) -> str:
    with documento.archivo.open("rb") as archivo:
        return texto_pdf(archivo.read())


def test_la_vista_con_aspectos_pendientes_deja_el_convenio_vigente_y_sus_acciones(
    client, convenio, implan, dependencia
):
    h1 = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    r1 = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)

    vista = vista_contraloria_emitir(convenio=convenio, usuario=implan)

    convenio.refresh_from_db()
    h1.refresh_from_db()
    assert convenio.estado == EstadoConvenio.VIGENTE
    assert h1.vista_dada_en is not None
    assert "Hallazgo 1 Hallazgo 1" in _texto(vista) and "Recomendación 1 Recomendación 1" not in _texto(vista)
    # The pending items keep their actions: the dependencia still uploads and sends them.
    assert politica.decidir(dependencia, "evidencia", r1)
    client.force_login(dependencia)
    pagina = client.get(reverse("seguimiento:aspecto", args=[r1.pk])).content.decode()
    assert "Subir evidencia" in pagina
    # Nothing new is declared no atendida: a second vista has nothing to name.
    decision = politica.decidir(implan, "vista", convenio)
    assert not decision and "no hay ninguno del que no se haya dado ya" in decision.razon
    with pytest.raises(ValidationError):
        vista_contraloria_emitir(convenio=convenio, usuario=implan)


def test_una_segunda_vista_nombra_solo_los_nuevos(convenio, implan):
    h1, h2 = convenio.aspectos.filter(tipo=TipoAspecto.HALLAZGO).order_by("numero")
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)
    primera = vista_contraloria_emitir(convenio=convenio, usuario=implan)
    llevar_a(h2, EstadoAspecto.NO_ATENDIDA, implan=implan)
    segunda = vista_contraloria_emitir(convenio=convenio, usuario=implan)
    assert primera.folio != segunda.folio
    assert "Hallazgo 2 Hallazgo 2" in _texto(segunda) and "Hallazgo 1 Hallazgo 1" not in _texto(segunda)


def test_la_vista_del_ultimo_aspecto_abierto_declara_el_incumplimiento(convenio, implan, dependencia):
    h1 = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    vista_contraloria_emitir(convenio=convenio, usuario=implan)
    convenio.refresh_from_db()
    assert convenio.estado == EstadoConvenio.INCUMPLIDO
    assert convenio.history.first().history_change_reason.startswith("Vista a la Contraloría")


def test_el_incumplimiento_espera_a_que_todo_sea_final_y_con_vista(client, convenio, implan, dependencia):
    h1 = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)
    vista_contraloria_emitir(convenio=convenio, usuario=implan)
    decision = politica.decidir(implan, "incumplimiento", convenio)
    assert not decision and "Hallazgo 2 (pendiente)" in decision.razon
    with pytest.raises(ValidationError):
        convenio_declarar_incumplido(convenio=convenio, usuario=implan)

    atender_todo(convenio, implan=implan, dependencia=dependencia)
    client.force_login(implan)
    url = reverse("documentos:convenio_incumplimiento", args=[convenio.pk])
    confirmacion = client.post(url)
    assert "no se puede deshacer" in confirmacion.content.decode()
    convenio.refresh_from_db()
    assert convenio.estado == EstadoConvenio.VIGENTE  # one click asks; it does not act
    client.post(url, {"confirmar": "si"})
    convenio.refresh_from_db()
    assert convenio.estado == EstadoConvenio.INCUMPLIDO
    assert convenio.history.first().history_user == implan


def test_sin_vista_del_no_atendido_no_hay_incumplimiento(convenio, implan, dependencia):
    h1 = convenio.aspectos.get(tipo=TipoAspecto.HALLAZGO, numero=1)
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)
    atender_todo(convenio, implan=implan, dependencia=dependencia)
    decision = politica.decidir(implan, "incumplimiento", convenio)
    assert not decision and decision.razon == "Falta dar vista a la Contraloría (cláusula QUINTA) de: Hallazgo 1."


def test_el_tablero_marca_vista_dada_solo_si_se_dio(client, convenio, implan, contraloria):
    h1, h2 = convenio.aspectos.filter(tipo=TipoAspecto.HALLAZGO).order_by("numero")
    llevar_a(h1, EstadoAspecto.NO_ATENDIDA, implan=implan)
    client.force_login(contraloria)
    assert "Vista dada" not in client.get(reverse("supervision:tablero"), {"estado": "no_atendida"}).content.decode()
    vista_contraloria_emitir(convenio=convenio, usuario=implan)
    assert "Vista dada" in client.get(reverse("supervision:tablero"), {"estado": "no_atendida"}).content.decode()
