"""Each move of the item's state machine, each refused move, its history entry and its e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from convenios import politica
from convenios.models import EstadoAspecto, hoy
from convenios.tests.fabricas import crear_convenio
from seguimiento import services
from seguimiento.models import Accion, Movimiento

E = EstadoAspecto


def _ultimo(aspecto) -> Movimiento:  # type: ignore[no-untyped-def]
    return Movimiento.objects.filter(aspecto=aspecto).order_by("-pk").first()


def test_enviar_a_revision_requiere_evidencia(recomendacion, dependencia):
    with pytest.raises(ValidationError) as error:
        services.aspecto_enviar(aspecto=recomendacion, usuario=dependencia)
    assert error.value.code == "sin_evidencia"
    recomendacion.refresh_from_db()
    assert recomendacion.estado == E.PENDIENTE
    assert not Movimiento.objects.filter(accion=Accion.ENVIAR).exists()


def test_enviar_registra_historial_y_avisa_al_implan(
    recomendacion, subir, dependencia, implan, django_capture_on_commit_callbacks
):
    subir(recomendacion)
    with django_capture_on_commit_callbacks(execute=True):
        services.aspecto_enviar(aspecto=recomendacion, usuario=dependencia, comentario="Adjunto el 02a")
    recomendacion.refresh_from_db()
    assert recomendacion.estado == E.EN_REVISION
    movimiento = _ultimo(recomendacion)
    assert (movimiento.accion, movimiento.usuario, movimiento.estado_anterior, movimiento.estado_nuevo) == (
        Accion.ENVIAR,
        dependencia,
        E.PENDIENTE,
        E.EN_REVISION,
    )
    assert movimiento.comentario == "Adjunto el 02a"
    assert [m.to for m in mail.outbox] == [[implan.email]]
    assert "Recomendación 1" in mail.outbox[0].subject
    assert "Pendiente → En revisión" in mail.outbox[0].body


def test_validar_deja_atendida_y_avisa_a_la_dependencia(
    en_revision, implan, dependencia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=en_revision, usuario=implan)
    en_revision.refresh_from_db()
    assert en_revision.estado == E.ATENDIDA
    assert _ultimo(en_revision).usuario == implan
    assert [m.to for m in mail.outbox] == [[dependencia.email]]


def test_observar_exige_comentario(en_revision, implan):
    with pytest.raises(ValidationError) as error:
        services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=en_revision, usuario=implan, comentario="   ")
    assert error.value.code == "comentario_obligatorio"
    services.aspecto_transicionar(
        accion=Accion.OBSERVAR, aspecto=en_revision, usuario=implan, comentario="Falta la firma del titular"
    )
    en_revision.refresh_from_db()
    assert en_revision.estado == E.OBSERVADA
    assert _ultimo(en_revision).comentario == "Falta la firma del titular"


def test_observada_se_reenvia(en_revision, implan, dependencia, subir):
    services.aspecto_transicionar(
        accion=Accion.OBSERVAR, aspecto=en_revision, usuario=implan, comentario="Falta la firma"
    )
    subir(en_revision, nombre="corregido.pdf")
    services.aspecto_enviar(aspecto=en_revision, usuario=dependencia)
    en_revision.refresh_from_db()
    assert en_revision.estado == E.EN_REVISION
    assert list(Movimiento.objects.filter(aspecto=en_revision).values_list("accion", flat=True)) == [
        Accion.EVIDENCIA,
        Accion.ENVIAR,
        Accion.OBSERVAR,
        Accion.EVIDENCIA,
        Accion.ENVIAR,
    ]


def test_no_se_valida_lo_que_no_esta_en_revision(recomendacion, implan):
    with pytest.raises(ValidationError) as error:
        services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=recomendacion, usuario=implan)
    assert error.value.code == "estado_invalido"
    assert "Pendiente" in error.value.messages[0]


def test_la_dependencia_no_valida_ni_el_implan_envia(en_revision, recomendacion, dependencia, implan):
    with pytest.raises(PermissionDenied):
        services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=en_revision, usuario=dependencia)
    with pytest.raises(PermissionDenied):
        services.aspecto_enviar(aspecto=en_revision, usuario=implan)


def test_contraloria_y_tesoreria_no_cambian_nada(en_revision, contraloria, tesoreria):
    for usuario in (contraloria, tesoreria):
        for accion in politica.MOVIMIENTOS_DEL_ASPECTO:
            with pytest.raises(PermissionDenied):
                services.aspecto_transicionar(aspecto=en_revision, usuario=usuario, accion=accion, comentario="x")
    en_revision.refresh_from_db()
    assert en_revision.estado == E.EN_REVISION


def test_otra_dependencia_no_mueve_lo_ajeno(recomendacion, otra_dependencia):
    with pytest.raises(PermissionDenied):
        services.aspecto_enviar(aspecto=recomendacion, usuario=otra_dependencia)


def test_implan_de_otro_municipio_no_valida(en_revision, implan_otro_municipio):
    with pytest.raises(PermissionDenied):
        services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=en_revision, usuario=implan_otro_municipio)


def test_no_atendida_solo_si_esta_vencida(m, implan):
    futuro = crear_convenio(m, anio=hoy().year + 1)
    aspecto = futuro.aspectos.first()
    with pytest.raises(ValidationError) as error:
        services.aspecto_transicionar(
            accion=Accion.NO_ATENDER, aspecto=aspecto, usuario=implan, comentario="No entregó"
        )
    assert error.value.code == "no_vencido"


def test_no_atendida_de_un_aspecto_vencido(recomendacion, implan, hoy_vencido):
    assert recomendacion.esta_vencido(hoy_vencido)
    services.aspecto_transicionar(
        accion=Accion.NO_ATENDER,
        aspecto=recomendacion,
        usuario=implan,
        comentario="Sin evidencia al cierre",
        fecha=hoy_vencido,
    )
    recomendacion.refresh_from_db()
    assert recomendacion.estado == E.NO_ATENDIDA


def test_cancelar_exige_justificacion_y_es_final(recomendacion, implan):
    with pytest.raises(ValidationError):
        services.aspecto_transicionar(accion=Accion.CANCELAR, aspecto=recomendacion, usuario=implan, comentario="")
    services.aspecto_transicionar(
        accion=Accion.CANCELAR, aspecto=recomendacion, usuario=implan, comentario="Duplicada con la recomendación 2"
    )
    recomendacion.refresh_from_db()
    assert recomendacion.estado == E.CANCELADA
    for accion in politica.MOVIMIENTOS_DEL_ASPECTO:
        with pytest.raises((ValidationError, PermissionDenied)):
            services.aspecto_transicionar(aspecto=recomendacion, usuario=implan, accion=accion, comentario="x")


def test_el_historial_de_simple_history_registra_autor(en_revision, implan):
    services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=en_revision, usuario=implan, comentario="Cumple")
    registro = en_revision.history.first()
    assert (registro.estado, registro.history_user) == (E.ATENDIDA, implan)


def test_convenio_listo_para_oficio_cuando_todo_esta_atendido_o_cancelado(convenio, implan, dependencia, subir):
    for aspecto in convenio.aspectos.all():
        assert not politica.decidir(implan, "oficio_cumplimiento", convenio)
        subir(aspecto)
        services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
        if aspecto.numero == 1 and aspecto.tipo == "hallazgo":
            services.aspecto_transicionar(
                accion=Accion.CANCELAR, aspecto=aspecto, usuario=implan, comentario="Atendido por otra vía"
            )
        else:
            services.aspecto_transicionar(accion=Accion.VALIDAR, aspecto=aspecto, usuario=implan)
    assert politica.decidir(implan, "oficio_cumplimiento", convenio)


def test_convenio_no_vigente_no_admite_movimientos(recomendacion, subir, dependencia):
    subir(recomendacion)
    type(recomendacion.convenio).objects.filter(pk=recomendacion.convenio_id).update(estado="cumplido")
    with pytest.raises(ValidationError) as error:
        services.aspecto_enviar(aspecto=recomendacion, usuario=dependencia)
    assert error.value.code == "convenio_no_vigente"


def test_las_acciones_disponibles_dependen_del_rol_y_el_estado(en_revision, implan, dependencia, contraloria):
    assert services.acciones_disponibles(implan, en_revision) == [Accion.VALIDAR, Accion.OBSERVAR, Accion.CANCELAR]
    assert services.acciones_disponibles(dependencia, en_revision) == []
    assert services.acciones_disponibles(contraloria, en_revision) == []
