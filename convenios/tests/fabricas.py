"""Builders of test data: a whole municipio with its four kinds of dependencias, and convenios with items."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from convenios.models import (
    Accion,
    Aspecto,
    Convenio,
    Dependencia,
    EstadoConvenio,
    Evaluacion,
    Municipio,
    ProgramaPresupuestario,
    TipoAspecto,
    TipoDependencia,
    TipoEvaluacion,
    Titular,
)
from cuentas.models import Usuario

_secuencia = itertools.count(1)
CONTRASENA = "contraseña-de-prueba-larga"


@dataclass
class MunicipioDePrueba:
    municipio: Municipio
    implan: Dependencia
    tesoreria: Dependencia
    contraloria: Dependencia
    dependencia: Dependencia
    otra_dependencia: Dependencia

    def titular(self, dependencia: Dependencia) -> Titular:
        return dependencia.titulares.get()


def crear_municipio(nombre: str | None = None) -> MunicipioDePrueba:
    n = next(_secuencia)
    municipio = Municipio.objects.create(nombre=nombre or f"Municipio {n}", slug=f"municipio-{n}")

    partes = {
        "implan": ("Instituto Municipal de Planeación", TipoDependencia.IMPLAN, "IMPLAN"),
        "tesoreria": ("Tesorería Municipal", TipoDependencia.TESORERIA, "TES"),
        "contraloria": ("Contraloría Municipal", TipoDependencia.CONTRALORIA, "CONT"),
        "dependencia": ("Dirección de Desarrollo Social", TipoDependencia.DEPENDENCIA, "DDS"),
        "otra_dependencia": ("Dirección de Obras Públicas", TipoDependencia.DEPENDENCIA, "DOP"),
    }
    dependencias = bulk_create_with_history(
        [
            Dependencia(municipio=municipio, nombre=nombre, tipo=tipo, siglas=siglas, domicilio=f"Calle {nombre} 1")
            for nombre, tipo, siglas in partes.values()
        ],
        Dependencia,
    )
    bulk_create_with_history(
        [
            Titular(
                dependencia=dep,
                grado="Lic.",
                tratamiento="el Licenciado",
                nombre=f"Titular de {dep.siglas} {n}",
                cargo=f"Titular de {dep.nombre}",
                desde=datetime.date(2020, 1, 1),
            )
            for dep in dependencias
        ],
        Titular,
    )
    return MunicipioDePrueba(municipio, **dict(zip(partes, dependencias, strict=True)))


def crear_convenio(
    m: MunicipioDePrueba,
    *,
    dependencia: Dependencia | None = None,
    anio: int = 2022,
    fecha_firma: datetime.date | None = None,
    hallazgos: int = 2,
    recomendaciones: int = 3,
    fecha_compromiso: datetime.date | None = None,
    estado: str = EstadoConvenio.VIGENTE,
    clave: str | None = None,
) -> Convenio:
    dependencia = dependencia or m.dependencia
    programa = ProgramaPresupuestario.objects.create(
        municipio=m.municipio, clave=clave or f"{next(_secuencia):08d}", nombre="Programa de prueba"
    )
    evaluacion = Evaluacion.objects.create(
        municipio=m.municipio,
        anio_pae=anio,
        tipo=TipoEvaluacion.DESEMPENO,
        programa=programa,
        dependencia_evaluada=dependencia,
        instancia_evaluadora="Evaluadora Externa, S.C.",
        ejercicio_evaluado=anio - 1,
        presupuesto_programa=Decimal("3053600.00"),
        costo_evaluacion=Decimal("150000.00"),
        fecha_inicio=datetime.date(anio, 3, 1),
        fecha_termino=datetime.date(anio, 8, 31),
    )
    fecha_firma = fecha_firma or datetime.date(anio, 12, 6)
    convenio = Convenio.objects.create(
        municipio=m.municipio,
        evaluacion=evaluacion,
        fecha_firma=fecha_firma,
        fojas=6,
        implan=m.implan,
        tesoreria=m.tesoreria,
        contraloria=m.contraloria,
        dependencia_evaluada=dependencia,
        firmante_implan=m.titular(m.implan),
        firmante_tesoreria=m.titular(m.tesoreria),
        firmante_contraloria=m.titular(m.contraloria),
        firmante_dependencia_evaluada=m.titular(dependencia),
    )
    fecha = fecha_compromiso or convenio.fecha_limite
    # Rows valid by construction, written as loaddata would (with their history's "created" record): going
    # through each model's save() validated every constraint with a query of its own, about a tenth of the suite's
    # time. What save() checks is tested where the admin and the services write (test_admin_captura, test_reglas).
    aspectos = [
        Aspecto(
            convenio=convenio,
            tipo=tipo,
            numero=numero,
            texto=f"{etiqueta} {numero}",
            fecha_compromiso=fecha,
            fecha_vigente=fecha,
        )
        for tipo, etiqueta, cuantos in (
            (TipoAspecto.HALLAZGO, "Hallazgo", hallazgos),
            (TipoAspecto.RECOMENDACION, "Recomendación", recomendaciones),
        )
        for numero in range(1, cuantos + 1)
    ]
    aspectos = bulk_create_with_history(aspectos, Aspecto)
    acciones = [
        Accion(aspecto=aspecto, numero=1, texto=f"Acción de la recomendación {aspecto.numero}", fecha_termino=fecha)
        for aspecto in aspectos
        if aspecto.tipo == TipoAspecto.RECOMENDACION
    ]
    bulk_create_with_history(acciones, Accion)
    if estado != EstadoConvenio.BORRADOR:
        # Captured as a borrador, then in the state the test needs (signing is convenio_firmar's
        # act, tested on its own; a signed convenio's items are frozen).
        Convenio.objects.filter(pk=convenio.pk).update(estado=estado)
        convenio.refresh_from_db()
    return convenio


def crear_usuario(username: str, dependencia: Dependencia | None, **extra: object) -> Usuario:
    usuario = Usuario.objects.create_user(
        username=username, password=CONTRASENA, email=f"{username}@prueba.invalid", dependencia=dependencia, **extra
    )
    if dependencia is not None and dependencia.tipo == TipoDependencia.IMPLAN:
        from cuentas.roles import grupo_implan

        usuario.is_staff = True
        usuario.save()
        usuario.groups.add(grupo_implan())
    return usuario
