"""Benchmark of the official documents (``make bench-pdf``): how much the app adds to WeasyPrint, and whether
memory stays flat over many issues.

Runs on an empty database (``make bench-pdf`` uses SQLite in memory) and writes
its PDFs to a temporary folder that is removed at the end.
"""

from __future__ import annotations

import datetime
import gc
import platform
import resource
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import weasyprint
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from convenios.models import (
    Aspecto,
    Convenio,
    EstadoAspecto,
    EstadoConvenio,
    Evaluacion,
    Municipio,
    ProgramaPresupuestario,
    TipoDependencia,
)
from cuentas.models import Usuario
from documentos import contextos
from documentos.maquetador import URL_BASE, configuracion_fuentes
from documentos.models import Documento, TipoDocumento
from documentos.render import VARIANTE_ARCHIVO, render_html
from documentos.services import (
    BYTES_CODIGO,
    convenio_documento_emitir,
    oficio_cumplimiento_emitir,
    url_verificacion,
)
from seguimiento.models import Accion, Movimiento

FIXTURE = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.json"


class Deshacer(Exception):
    """Rolls a measured issue back so the same convenio can be issued again."""


def _medir_alternando(funciones: dict[str, Callable[[], Any]], veces: int) -> dict[str, tuple[float, float, float]]:
    """Median wall, median CPU and minimum CPU seconds of each function, run in turns (A B A B …) so that a
    load spike from another process on a shared machine hits both sides alike. The minimum is the run least
    disturbed by other processes."""
    muestras: dict[str, tuple[list[float], list[float]]] = {nombre: ([], []) for nombre in funciones}
    for _ in range(veces):
        for nombre, funcion in funciones.items():
            reloj, cpu = time.perf_counter(), time.process_time()
            funcion()
            muestras[nombre][0].append(time.perf_counter() - reloj)
            muestras[nombre][1].append(time.process_time() - cpu)
    return {nombre: (statistics.median(r), statistics.median(c), min(c)) for nombre, (r, c) in muestras.items()}


def _rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/statm") as statm:
        actual = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    return actual, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Mide la emisión de documentos PDF: oficio de punta a punta contra WeasyPrint solo, convenio, y 100 oficios."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeticiones", type=int, default=15, help="Repeticiones de cada medición (mediana).")
        parser.add_argument("--oficios", type=int, default=100, help="Oficios seguidos para la prueba de memoria.")

    def handle(self, *args: Any, repeticiones: int, oficios: int, **opciones: Any) -> None:
        if settings.DEBUG:
            raise CommandError(
                "Ejecute con DJANGO_DEBUG=false: con DEBUG Django guarda cada consulta y la memoria crece."
            )
        call_command("migrate", verbosity=0)
        if Municipio.objects.exists():
            raise CommandError("Use una base vacía (make bench-pdf usa SQLite en memoria): el comando carga sus datos.")
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as carpeta, override_settings(MEDIA_ROOT=carpeta):
            self._medir(repeticiones, oficios)

    def _medir(self, repeticiones: int, oficios: int) -> None:
        call_command("loaddata", str(FIXTURE), verbosity=0)
        seed = Convenio.objects.get()
        implan = Usuario.objects.create_user("bench_implan", dependencia=seed.implan)
        _validar_todo(seed, implan)

        self.stdout.write(
            f"Máquina: {platform.machine()} · {platform.processor() or 'cpu'} · Python {platform.python_version()}"
        )
        self.stdout.write(f"WeasyPrint {weasyprint.__version__} · base de datos {connection.vendor}\n")

        # 1. The oficio for the seed convenio, end to end (lock, folio, context, template, PDF/A, hash, file,
        #    row, state change), each one rolled back so the next can issue it again.
        def oficio() -> None:
            try:
                with transaction.atomic():
                    oficio_cumplimiento_emitir(convenio=seed, usuario=implan)
                    raise Deshacer
            except Deshacer:
                pass

        # 2. WeasyPrint alone on the same HTML, same PDF/A variant.
        # The same HTML the service renders: same kind of folio, code and address (the QR code's size depends
        # on the address's length).
        codigo = secrets.token_urlsafe(BYTES_CODIGO)
        emision = contextos.Emision(
            folio=f"IMPLAN/OC/{timezone.localdate().year}/001",
            fecha=timezone.localdate(),
            codigo=codigo,
            url_verificacion=url_verificacion(codigo),
        )
        html = render_html(
            "oficio_cumplimiento", contextos.oficio_cumplimiento(seed, emision.fecha, emision), borrador=False
        )

        # The engine gets the same reused font configuration the app uses (maquetador.configuracion_fuentes):
        # the comparison is of what the app adds, not of that setting.
        def motor() -> None:
            weasyprint.HTML(string=html, base_url=URL_BASE).write_pdf(
                pdf_variant=VARIANTE_ARCHIVO, font_config=configuracion_fuentes()
            )

        # 3. The convenio document (laid out twice when the page count it states was wrong).
        def documento_convenio() -> None:
            try:
                with transaction.atomic():
                    # The version for signing exists only while the convenio is a borrador (rolled back below).
                    Convenio.objects.filter(pk=seed.pk).update(estado=EstadoConvenio.BORRADOR)
                    convenio_documento_emitir(convenio=seed, usuario=implan)
                    raise Deshacer
            except Deshacer:
                pass

        oficio(), motor(), documento_convenio()  # warm-up: fonts, templates, imports
        t = _medir_alternando({"oficio": oficio, "motor": motor, "convenio": documento_convenio}, repeticiones)
        self.stdout.write(
            f"{repeticiones} corridas alternadas: mediana de reloj (mediana y mínimo de CPU del proceso)."
        )
        for nombre, etiqueta in (
            ("oficio", "Oficio de cumplimiento (convenio semilla), de punta a punta"),
            ("motor", "WeasyPrint solo, mismo HTML y variante PDF/A"),
            ("convenio", "Convenio completo (documento), de punta a punta"),
        ):
            reloj, cpu, cpu_min = t[nombre]
            self.stdout.write(
                f"  {etiqueta:<62} {reloj * 1000:6.0f} ms ({cpu * 1000:4.0f} ms CPU, mínimo {cpu_min * 1000:4.0f} ms)"
            )
        razones = [t["oficio"][i] / t["motor"][i] for i in range(3)]
        self.stdout.write(
            f"  Razón emisión / motor: {razones[0]:.2f}× reloj, {razones[1]:.2f}× CPU mediana, "
            f"{razones[2]:.2f}× CPU mínimo (meta ≤ 1.30×)"
        )

        # 4. N oficios in a row, each for its own convenio (copies of the seed), memory sampled as it goes.
        convenios = [_copiar(seed, implan, i) for i in range(1, oficios + 1)]
        gc.collect()
        muestras: list[tuple[int, float, float]] = [(0, *_rss_mib())]
        inicio = time.perf_counter()
        for n, convenio in enumerate(convenios, start=1):
            oficio_cumplimiento_emitir(convenio=convenio, usuario=implan)
            if n in {1, 10, 25, 50, 75, oficios}:
                muestras.append((n, *_rss_mib()))
        total = time.perf_counter() - inicio
        self.stdout.write(
            f"\n{oficios} oficios seguidos, cada uno de un convenio distinto: {total:.1f} s ({total / oficios * 1000:.0f} ms c/u)"
        )
        self.stdout.write("  después del oficio n | memoria residente | pico de memoria residente (getrusage)")
        for n, actual, pico in muestras:
            self.stdout.write(f"  {n:20d} | {actual:13.1f} MiB | {pico:13.1f} MiB")
        folios = list(Documento.objects.filter(tipo=TipoDocumento.OFICIO_CUMPLIMIENTO).values_list("numero", flat=True))
        assert sorted(folios) == list(range(1, oficios + 1)), "folios con huecos o repetidos"


def _validar_todo(convenio: Convenio, usuario: Usuario) -> None:
    """Benchmark data only: every item validated, as the follow-up services leave it."""
    aspectos = list(convenio.aspectos.all())
    Aspecto.objects.filter(pk__in=[a.pk for a in aspectos]).update(estado=EstadoAspecto.ATENDIDA)
    Movimiento.objects.bulk_create(
        Movimiento(
            aspecto=a,
            usuario=usuario,
            accion=Accion.VALIDAR,
            estado_anterior=EstadoAspecto.EN_REVISION,
            estado_nuevo=EstadoAspecto.ATENDIDA,
        )
        for a in aspectos
    )


def _copiar(seed: Convenio, usuario: Usuario, n: int) -> Convenio:
    municipio = seed.municipio
    programa = ProgramaPresupuestario.objects.create(municipio=municipio, clave=f"{90000000 + n:08d}", nombre=f"Pp {n}")
    evaluacion = Evaluacion.objects.get(pk=seed.evaluacion_id)
    evaluacion.pk = None
    evaluacion.programa = programa
    evaluacion.save()
    convenio = Convenio.objects.get(pk=seed.pk)
    convenio.pk = None
    convenio.evaluacion = evaluacion
    convenio.fecha_firma = datetime.date(2022, 12, 6)
    # Captured as a borrador, then in the seed's state: a signed convenio's items are frozen (NOVENA).
    convenio.estado = EstadoConvenio.BORRADOR
    convenio.save()
    for a in seed.aspectos.prefetch_related("acciones"):
        copia = Aspecto.objects.create(
            convenio=convenio,
            tipo=a.tipo,
            numero=a.numero,
            texto=a.texto,
            fecha_compromiso=a.fecha_compromiso,
            fecha_vigente=a.fecha_vigente,
        )
        for accion in a.acciones.all():
            accion.pk = None
            accion.aspecto = copia
            accion.save()
    Convenio.objects.filter(pk=convenio.pk).update(estado=seed.estado)
    convenio.refresh_from_db()
    _validar_todo(convenio, usuario)
    assert convenio.implan.tipo == TipoDependencia.IMPLAN
    return convenio
