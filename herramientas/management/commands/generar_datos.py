"""A realistic state-wide dataset for the benchmark: municipios × PAE years × convenios × ~11 items.

Built with ``bulk_create`` in batches, one transaction per municipio, so 125 municipios
(≈125,000 items with their history and evidence records pointing to tiny files) take
minutes. Refuses to run with DEBUG off unless told ``--permitir-produccion``: it is for
benchmark databases (``bench_asm``), never for a real one.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import random
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from convenios.models import Accion as AccionDelAspecto
from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoConvenio,
    Evaluacion,
    Municipio,
    Prioridad,
    ProgramaPresupuestario,
    TipoAspecto,
    TipoDependencia,
    TipoEvaluacion,
    Titular,
    hoy,
)
from cuentas.models import Usuario
from seguimiento.models import Accion, Evidencia, FormatoEvidencia, Movimiento

LOTE = 2000
DEPENDENCIAS = (
    ("Dirección de Desarrollo Social", "DDS"),
    ("Dirección de Obras Públicas", "DOP"),
    ("Defensoría Municipal de Derechos Humanos", "DMDH"),
    ("Dirección de Seguridad Pública", "DSP"),
    ("Dirección de Educación", "DE"),
    ("Dirección de Desarrollo Económico", "DDE"),
    ("Dirección de Medio Ambiente", "DMA"),
    ("Sistema Municipal DIF", "DIF"),
    ("Dirección de Servicios Públicos", "DSPM"),
    ("Instituto Municipal de la Mujer", "IMM"),
)
PROGRAMAS = (
    "Derechos humanos",
    "Desarrollo comunitario",
    "Alumbrado público",
    "Seguridad pública",
    "Educación básica",
    "Empleo",
    "Protección al ambiente",
    "Atención a personas con discapacidad",
    "Gestión integral de residuos sólidos",
    "Igualdad de trato y oportunidades",
)
HALLAZGOS = (
    "La Matriz de Indicadores para Resultados no identifica la población objetivo del programa.",
    "Las metas de los indicadores de gestión no guardan relación con el presupuesto asignado.",
    "No se cuenta con un diagnóstico actualizado del problema que atiende el programa.",
    "Los formatos PbRM no reportan el avance trimestral de las metas.",
    "No existe un padrón de beneficiarios sistematizado.",
)
RECOMENDACIONES = (
    "Elaborar el diagnóstico del programa con fuentes oficiales y actualizarlo anualmente.",
    "Redefinir los indicadores de la MIR y sus metas con base en la línea base.",
    "Integrar y publicar el padrón de beneficiarios.",
    "Documentar el procedimiento de entrega de apoyos en un manual.",
    "Capacitar al personal responsable en la Metodología del Marco Lógico.",
    "Alinear las actividades del programa a los Objetivos de Desarrollo Sostenible.",
)


@contextlib.contextmanager
def fechas_historicas() -> Iterator[None]:
    """Let bulk_create keep the generated dates of history and evidence (normally auto_now_add)."""
    campos = [Movimiento._meta.get_field("fecha"), Evidencia._meta.get_field("subida_en")]
    for campo in campos:
        campo.auto_now_add = False
    try:
        yield
    finally:
        for campo in campos:
            campo.auto_now_add = True


def _estado(azar: random.Random, fecha: datetime.date, hoy_: datetime.date, anio_pasado: bool) -> str:
    if anio_pasado:
        opciones = [
            ("atendida", 65),
            ("cancelada", 5),
            ("no_atendida", 10),
            ("pendiente", 10),
            ("observada", 5),
            ("en_revision", 5),
        ]
    elif fecha < hoy_:
        opciones = [("atendida", 50), ("en_revision", 15), ("observada", 10), ("pendiente", 20), ("no_atendida", 5)]
    else:
        opciones = [("atendida", 20), ("en_revision", 20), ("pendiente", 55), ("observada", 5)]
    return azar.choices([e for e, _p in opciones], weights=[p for _e, p in opciones])[0]


# The history an item in each state has behind it: (action, state before, state after).
HISTORIA: dict[str, list[tuple[str, str, str]]] = {
    "pendiente": [],
    "en_revision": [(Accion.EVIDENCIA, "pendiente", "pendiente"), (Accion.ENVIAR, "pendiente", "en_revision")],
    "observada": [
        (Accion.EVIDENCIA, "pendiente", "pendiente"),
        (Accion.ENVIAR, "pendiente", "en_revision"),
        (Accion.OBSERVAR, "en_revision", "observada"),
    ],
    "atendida": [
        (Accion.EVIDENCIA, "pendiente", "pendiente"),
        (Accion.ENVIAR, "pendiente", "en_revision"),
        (Accion.VALIDAR, "en_revision", "atendida"),
    ],
    "no_atendida": [(Accion.NO_ATENDER, "pendiente", "no_atendida")],
    "cancelada": [(Accion.CANCELAR, "pendiente", "cancelada")],
}


class Command(BaseCommand):
    help = "Genera datos de prueba realistas para medir el tablero (municipios × años × convenios × ~11 aspectos)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipios", type=int, default=1)
        parser.add_argument("--anios", type=int, default=3, help="Años del PAE, terminando en el actual.")
        parser.add_argument("--convenios", type=int, default=30, help="Convenios por municipio y año.")
        parser.add_argument("--semilla", type=int, default=2022)
        parser.add_argument("--permitir-produccion", action="store_true")

    def handle(self, *args: Any, **opciones: Any) -> None:
        if not settings.DEBUG and not opciones["permitir_produccion"]:
            raise CommandError("generar_datos es para bases de prueba; con DEBUG apagado use --permitir-produccion.")
        for nombre in ("municipios", "anios", "convenios"):
            if not 1 <= opciones[nombre] <= 1000:
                raise CommandError(f"--{nombre} debe estar entre 1 y 1000.")
        self.azar = random.Random(opciones["semilla"])
        self.hoy = hoy()
        self.archivos = Path(settings.MEDIA_ROOT)
        self.contrasena = make_password(None)  # unusable: benchmark users log in with force_login
        inicio = time.perf_counter()
        existentes = Municipio.objects.filter(slug__startswith="gen-").count()
        totales = {"aspectos": 0, "movimientos": 0, "evidencias": 0}
        with fechas_historicas():
            for i in range(existentes + 1, existentes + opciones["municipios"] + 1):
                with transaction.atomic():
                    for clave, n in self._municipio(i, opciones["anios"], opciones["convenios"]).items():
                        totales[clave] += n
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load (SQLite and PostgreSQL)
        self.stdout.write(
            f"{opciones['municipios']} municipio(s): {totales['aspectos']} aspectos, {totales['movimientos']} "
            f"movimientos, {totales['evidencias']} evidencias en {time.perf_counter() - inicio:.1f} s."
        )

    def _municipio(self, i: int, anios: int, n_convenios: int) -> dict[str, int]:
        azar = self.azar
        municipio = Municipio.objects.create(nombre=f"Municipio generado {i:03d}", slug=f"gen-{i:03d}")
        generales = [
            ("Instituto Municipal de Planeación", "IMPLAN", TipoDependencia.IMPLAN),
            ("Tesorería Municipal", "TES", TipoDependencia.TESORERIA),
            ("Contraloría Municipal", "CONT", TipoDependencia.CONTRALORIA),
        ]
        dependencias = Dependencia.objects.bulk_create(
            [Dependencia(municipio=municipio, nombre=n, siglas=s, tipo=t) for n, s, t in generales]
            + [
                Dependencia(municipio=municipio, nombre=n, siglas=s, tipo=TipoDependencia.DEPENDENCIA)
                for n, s in DEPENDENCIAS
            ]
        )
        implan, tesoreria, contraloria, *evaluadas = dependencias
        titulares = Titular.objects.bulk_create(
            [
                Titular(
                    dependencia=d,
                    grado="Lic.",
                    nombre=f"Titular {d.siglas} {i:03d}",
                    cargo=f"Titular de {d.nombre}",
                    desde=datetime.date(2000, 1, 1),
                )
                for d in dependencias
            ]
        )
        titular = {t.dependencia_id: t for t in titulares}
        usuarios = Usuario.objects.bulk_create(
            [
                Usuario(
                    username=f"gen{i:03d}-{d.siglas.lower()}",
                    email=f"gen{i:03d}-{d.siglas.lower()}@bench.invalid",
                    password=self.contrasena,
                    dependencia=d,
                    first_name="Enlace",
                    last_name=d.siglas,
                )
                for d in dependencias
            ]
        )
        usuario_de = {u.dependencia_id: u for u in usuarios}
        programas = ProgramaPresupuestario.objects.bulk_create(
            [
                ProgramaPresupuestario(
                    municipio=municipio,
                    clave=f"{1000000 + k * 10101:08d}",
                    nombre=f"{PROGRAMAS[k % len(PROGRAMAS)]} {k // len(PROGRAMAS) + 1}",
                )
                for k in range(n_convenios)
            ]
        )
        anio_actual = self.hoy.year
        evaluaciones, convenios_sin_guardar = [], []
        for anio in range(anio_actual - anios + 1, anio_actual + 1):
            for k in range(n_convenios):
                dep = evaluadas[k % len(evaluadas)]
                evaluaciones.append(
                    Evaluacion(
                        municipio=municipio,
                        anio_pae=anio,
                        tipo=azar.choice(TipoEvaluacion.values),
                        programa=programas[k],
                        dependencia_evaluada=dep,
                        instancia_evaluadora="Evaluadora Externa, S.C.",
                        ejercicio_evaluado=anio - 1,
                        presupuesto_programa=Decimal(azar.randrange(500_000, 20_000_000)),
                        costo_evaluacion=Decimal(azar.randrange(80_000, 300_000)),
                    )
                )
        evaluaciones = Evaluacion.objects.bulk_create(evaluaciones)
        for evaluacion in evaluaciones:
            ultimo = min(datetime.date(evaluacion.anio_pae, 9, 30), self.hoy - datetime.timedelta(days=30))
            firma = datetime.date(evaluacion.anio_pae, 2, 1) + datetime.timedelta(
                days=azar.randrange(max((ultimo - datetime.date(evaluacion.anio_pae, 2, 1)).days, 1))
            )
            dep_id = evaluacion.dependencia_evaluada_id
            convenios_sin_guardar.append(
                Convenio(
                    municipio=municipio,
                    evaluacion=evaluacion,
                    fecha_firma=firma,
                    fecha_limite=datetime.date(firma.year, 12, 31),
                    estado=EstadoConvenio.VIGENTE,
                    fojas=6,
                    implan=implan,
                    tesoreria=tesoreria,
                    contraloria=contraloria,
                    dependencia_evaluada_id=dep_id,
                    firmante_implan=titular[implan.pk],
                    firmante_tesoreria=titular[tesoreria.pk],
                    firmante_contraloria=titular[contraloria.pk],
                    firmante_dependencia_evaluada=titular[dep_id],
                )
            )
        convenios = Convenio.objects.bulk_create(convenios_sin_guardar)
        aspectos: list[Aspecto] = []
        for convenio in convenios:
            anio_pasado = convenio.fecha_firma.year < anio_actual
            n_hallazgos = azar.randint(4, 6)
            n_recomendaciones = azar.randint(5, 7)
            for tipo, n, textos in (
                (TipoAspecto.HALLAZGO, n_hallazgos, HALLAZGOS),
                (TipoAspecto.RECOMENDACION, n_recomendaciones, RECOMENDACIONES),
            ):
                for numero in range(1, n + 1):
                    inicio = convenio.fecha_firma + datetime.timedelta(days=30)
                    dias = max((convenio.fecha_limite - inicio).days, 0)
                    compromiso = inicio + datetime.timedelta(days=azar.randint(0, dias))
                    vigente = compromiso
                    if azar.random() < 0.08:  # an approved prórroga (cláusula SÉPTIMA, at most 15 days)
                        vigente = compromiso + datetime.timedelta(days=azar.randint(1, 15))
                    aspectos.append(
                        Aspecto(
                            convenio=convenio,
                            tipo=tipo,
                            numero=numero,
                            texto=textos[numero % len(textos)],
                            prioridad=azar.choice(Prioridad.values),
                            fecha_compromiso=compromiso,
                            fecha_vigente=vigente,
                            estado=_estado(azar, vigente, self.hoy, anio_pasado),
                        )
                    )
        aspectos = Aspecto.objects.bulk_create(aspectos, batch_size=LOTE)
        AccionDelAspecto.objects.bulk_create(
            (
                AccionDelAspecto(
                    aspecto=aspecto,
                    numero=1,
                    texto="Acciones comprometidas por la dependencia.",
                    fecha_termino=aspecto.fecha_compromiso,
                )
                for aspecto in aspectos
                if aspecto.tipo == TipoAspecto.RECOMENDACION
            ),
            batch_size=LOTE,
        )
        movimientos, evidencias = [], []
        implan_usuario = usuario_de[implan.pk]
        convenio_de = {c.pk: c for c in convenios}
        for aspecto in aspectos:
            convenio = convenio_de[aspecto.convenio_id]
            autor_dep = usuario_de[convenio.dependencia_evaluada_id]
            momento = timezone.make_aware(
                datetime.datetime.combine(
                    convenio.fecha_firma + datetime.timedelta(days=azar.randint(10, 40)), datetime.time(10)
                )
            )
            for accion, antes, despues in HISTORIA[aspecto.estado]:
                momento += datetime.timedelta(days=azar.randint(1, 20), minutes=azar.randint(0, 600))
                es_dependencia = accion in (Accion.EVIDENCIA, Accion.ENVIAR)
                movimientos.append(
                    Movimiento(
                        aspecto=aspecto,
                        usuario=autor_dep if es_dependencia else implan_usuario,
                        fecha=min(momento, timezone.now()),
                        accion=accion,
                        estado_anterior=antes,
                        estado_nuevo=despues,
                        comentario="Se anexa evidencia." if accion == Accion.EVIDENCIA else "",
                    )
                )
                if accion == Accion.EVIDENCIA:
                    evidencias.append(self._evidencia(aspecto, autor_dep, min(momento, timezone.now())))
        Movimiento.objects.bulk_create(movimientos, batch_size=LOTE)
        Evidencia.objects.bulk_create(evidencias, batch_size=LOTE)
        return {"aspectos": len(aspectos), "movimientos": len(movimientos), "evidencias": len(evidencias)}

    def _evidencia(self, aspecto: Aspecto, usuario: Usuario, momento: datetime.datetime) -> Evidencia:
        """A tiny real file on disk, with its real SHA-256."""
        contenido = f"Evidencia del aspecto {aspecto.pk} ({aspecto.get_tipo_display()} {aspecto.numero}).\n".encode()
        nombre = f"evidencias/{aspecto.convenio_id}/{uuid.uuid4().hex}.txt"
        ruta = self.archivos / nombre
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_bytes(contenido)
        return Evidencia(
            aspecto=aspecto,
            archivo=nombre,
            nombre_original="oficio-de-atencion.txt",
            tamano=len(contenido),
            tipo_contenido="text/plain",
            sha256=hashlib.sha256(contenido).hexdigest(),
            descripcion="Oficio de atención",
            formato=FormatoEvidencia.OFICIO,
            subida_por=usuario,
            subida_en=momento,
        )
