"""Each rule of the data model, violated through the model and directly through the ORM/database."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from convenios.models import (
    Accion,
    Aspecto,
    Convenio,
    Dependencia,
    ProgramaPresupuestario,
    TipoAspecto,
    TipoDependencia,
    Titular,
)
from convenios.tests import fabricas

FUERA_DE_PLAZO = datetime.date(2023, 1, 15)


def _rechazado_por_la_base(accion) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        accion()


def test_clave_de_programa_de_8_digitos_rechazada_por_el_modelo(m):
    for clave in ["0102040", "010204011", "0102040A", "01 02 04"]:
        programa = ProgramaPresupuestario(municipio=m.municipio, clave=clave, nombre="X")
        with pytest.raises(ValidationError) as error:
            programa.full_clean()
        assert "8 dígitos" in str(error.value)


def test_clave_de_programa_rechazada_por_la_base(m):
    _rechazado_por_la_base(
        lambda: ProgramaPresupuestario.objects.bulk_create(
            [ProgramaPresupuestario(municipio=m.municipio, clave="12AB5678")]
        )
    )
    programa = ProgramaPresupuestario.objects.create(municipio=m.municipio, clave="01020401", nombre="Derechos Humanos")
    _rechazado_por_la_base(lambda: ProgramaPresupuestario.objects.filter(pk=programa.pk).update(clave="1020401"))


def test_numero_de_aspecto_unico_en_el_convenio(convenio):
    duplicado = Aspecto(
        convenio=convenio,
        tipo=TipoAspecto.RECOMENDACION,
        numero=1,
        texto="Otra",
        fecha_compromiso=convenio.fecha_limite,
    )
    with pytest.raises(ValidationError) as error:
        duplicado.save()
    assert "Ya existe" in str(error.value)
    _rechazado_por_la_base(lambda: Aspecto.objects.bulk_create([duplicado]))


def test_hallazgo_y_recomendacion_pueden_compartir_numero(convenio):
    assert convenio.aspectos.filter(numero=1).count() == 2


def test_fecha_de_aspecto_no_excede_la_fecha_limite_del_convenio(convenio):
    aspecto = Aspecto(
        convenio=convenio,
        tipo=TipoAspecto.RECOMENDACION,
        numero=9,
        texto="Tarde",
        fecha_compromiso=FUERA_DE_PLAZO,
    )
    with pytest.raises(ValidationError) as error:
        aspecto.save()
    assert "no puede exceder el 31 de diciembre de 2022 (cláusula QUINTA)" in str(error.value)


def test_fecha_de_aspecto_fuera_de_plazo_rechazada_por_la_base(convenio):
    aspecto = convenio.aspectos.first()
    _rechazado_por_la_base(lambda: Aspecto.objects.filter(pk=aspecto.pk).update(fecha_compromiso=FUERA_DE_PLAZO))
    _rechazado_por_la_base(
        lambda: Aspecto.objects.bulk_create(
            [
                Aspecto(
                    convenio=convenio,
                    tipo=TipoAspecto.HALLAZGO,
                    numero=50,
                    texto="X",
                    fecha_compromiso=FUERA_DE_PLAZO,
                    fecha_vigente=FUERA_DE_PLAZO,
                )
            ]
        )
    )


def test_fecha_vigente_no_pasa_de_la_prorroga_maxima(convenio):
    aspecto = convenio.aspectos.first()
    aspecto.fecha_vigente = aspecto.fecha_compromiso + datetime.timedelta(days=16)
    with pytest.raises(ValidationError) as error:
        aspecto.save()
    assert "cláusula SÉPTIMA" in str(error.value)
    _rechazado_por_la_base(lambda: Aspecto.objects.filter(pk=aspecto.pk).update(fecha_vigente=aspecto.fecha_vigente))
    # 15 days is the limit itself, allowed (only through a prórroga in the app).
    Aspecto.objects.filter(pk=aspecto.pk).update(fecha_vigente=aspecto.fecha_compromiso + datetime.timedelta(days=15))


def test_la_fecha_limite_del_convenio_no_puede_dejar_aspectos_fuera(convenio):
    convenio.fecha_limite = datetime.date(2022, 12, 20)
    with pytest.raises(ValidationError) as error:
        convenio.save()
    assert "después de la fecha límite" in str(error.value)
    _rechazado_por_la_base(
        lambda: Convenio.objects.filter(pk=convenio.pk).update(fecha_limite=datetime.date(2022, 12, 20))
    )


def test_la_fecha_limite_es_por_omision_el_31_de_diciembre_y_puede_ser_posterior(m):
    """Cláusula QUINTA of the seed: 31 December of the signing year, unless the convenio says another date."""
    convenio = fabricas.crear_convenio(m, fecha_firma=datetime.date(2022, 12, 10), estado="borrador")
    assert convenio.fecha_limite == datetime.date(2022, 12, 31)
    convenio.fecha_limite = datetime.date(2023, 6, 30)
    convenio.save()
    Aspecto.objects.create(
        convenio=convenio,
        tipo=TipoAspecto.HALLAZGO,
        numero=9,
        texto="En junio",
        fecha_compromiso=datetime.date(2023, 6, 30),
    )


def test_la_fecha_limite_no_es_anterior_a_la_firma(convenio):
    convenio.fecha_limite = datetime.date(2022, 12, 1)
    with pytest.raises(ValidationError):
        convenio.full_clean()
    _rechazado_por_la_base(
        lambda: Convenio.objects.filter(pk=convenio.pk).update(fecha_limite=datetime.date(2022, 11, 1))
    )


def test_una_accion_no_pasa_la_fecha_limite_ni_su_avance_de_100(convenio):
    accion = Accion.objects.filter(aspecto__convenio=convenio).first()
    accion.fecha_termino = FUERA_DE_PLAZO
    with pytest.raises(ValidationError) as error:
        accion.save()
    assert "fecha_termino" in error.value.error_dict
    _rechazado_por_la_base(lambda: Accion.objects.filter(pk=accion.pk).update(avance=101))


def test_la_fecha_del_aspecto_es_la_mas_tardia_de_sus_acciones(m):
    convenio = fabricas.crear_convenio(m, fecha_compromiso=datetime.date(2022, 11, 30), estado="borrador")
    recomendacion = convenio.aspectos.filter(tipo=TipoAspecto.RECOMENDACION).first()
    segunda = Accion.objects.create(
        aspecto=recomendacion, numero=2, texto="Otra", fecha_termino=datetime.date(2022, 12, 20)
    )
    recomendacion.refresh_from_db()
    assert recomendacion.fecha_compromiso == recomendacion.fecha_vigente == datetime.date(2022, 12, 20)
    segunda.delete()
    recomendacion.refresh_from_db()
    assert recomendacion.fecha_compromiso == datetime.date(2022, 11, 30)


def test_fecha_limite_por_omision_es_fin_de_anio(m):
    from convenios.tests.fabricas import crear_convenio

    convenio = crear_convenio(m, fecha_firma=datetime.date(2024, 3, 1), anio=2024, hallazgos=0, recomendaciones=0)
    assert convenio.fecha_limite == datetime.date(2024, 12, 31)
    assert convenio.dias_prorroga_max == 15


def test_fechas_en_orden(convenio):
    _rechazado_por_la_base(
        lambda: Convenio.objects.filter(pk=convenio.pk).update(fecha_firma=datetime.date(2023, 1, 2))
    )
    evaluacion = convenio.evaluacion
    evaluacion.fecha_termino = datetime.date(2022, 1, 1)
    with pytest.raises(ValidationError) as error:
        evaluacion.full_clean()
    assert "anterior a la de inicio" in str(error.value)
    _rechazado_por_la_base(
        lambda: type(evaluacion).objects.filter(pk=evaluacion.pk).update(fecha_termino=datetime.date(2022, 1, 1))
    )
    titular = Titular.objects.first()
    _rechazado_por_la_base(lambda: Titular.objects.filter(pk=titular.pk).update(hasta=datetime.date(2019, 1, 1)))


def test_las_cuatro_partes_son_distintas(convenio, m):
    convenio.tesoreria = m.implan
    with pytest.raises(ValidationError) as error:
        convenio.save()
    assert "dependencias distintas" in str(error.value)
    _rechazado_por_la_base(lambda: Convenio.objects.filter(pk=convenio.pk).update(tesoreria=m.implan))


def test_cada_parte_del_tipo_correcto(convenio, m):
    convenio.refresh_from_db()
    convenio.contraloria = m.otra_dependencia
    with pytest.raises(ValidationError) as error:
        convenio.save()
    assert "no es de tipo Contraloría" in str(error.value)


def test_las_partes_son_del_mismo_municipio(convenio, otro_municipio):
    convenio.refresh_from_db()
    convenio.tesoreria = otro_municipio.tesoreria
    with pytest.raises(ValidationError) as error:
        convenio.save()
    assert "de otro municipio" in str(error.value)


def test_el_firmante_es_titular_de_su_parte_en_la_fecha_de_firma(convenio, m):
    convenio.refresh_from_db()
    convenio.firmante_tesoreria = m.titular(m.contraloria)
    with pytest.raises(ValidationError) as error:
        convenio.save()
    assert "no es titular" in str(error.value)
    titular = m.titular(m.implan)
    Titular.objects.filter(pk=titular.pk).update(desde=datetime.date(2023, 1, 1))
    convenio.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        convenio.full_clean()
    assert "no era titular el 6 de diciembre de 2022" in str(error.value)


def test_prorroga_maxima_de_15_dias(convenio):
    convenio.dias_prorroga_max = 16
    with pytest.raises(ValidationError):
        convenio.full_clean()
    _rechazado_por_la_base(lambda: Convenio.objects.filter(pk=convenio.pk).update(dias_prorroga_max=16))


def test_una_sola_implan_por_municipio(m):
    _rechazado_por_la_base(
        lambda: Dependencia.objects.create(municipio=m.municipio, nombre="Otro IMPLAN", tipo=TipoDependencia.IMPLAN)
    )


def test_estado_invalido_rechazado_por_la_base(convenio):
    aspecto = convenio.aspectos.first()
    _rechazado_por_la_base(lambda: Aspecto.objects.filter(pk=aspecto.pk).update(estado="inventado"))
    _rechazado_por_la_base(lambda: Convenio.objects.filter(pk=convenio.pk).update(estado="inventado"))
