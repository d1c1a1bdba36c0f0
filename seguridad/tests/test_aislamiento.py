"""Two municipios with full data (convenios, items, evidence, prórrogas, sesiones, issued documents of every
kind, Contraloría actuaciones, Tesorería verificaciones, notifications): every URL of the listed namespaces,
as every role that must not see the first municipio's dependencia's data (the other municipio's five roles,
the other dependencia of the same municipio, and an anonymous visitor), leaks nothing of it — not in pages,
exports (CSV, XLSX: read back), PDFs (read back), the API, counts or charts — and changes nothing of it.

Two marks tell what may be public: ``MARCA-A`` is on the signed convenio's data (public in the portal and
the API once signed); ``PRIVADO-A`` is on what is never public (evidence not marked publishable, prórroga
motives, sessions, actuaciones, verificaciones and the draft convenio). Staff pages show neither; public
pages never show ``PRIVADO-A``.

To extend to another app: add its namespace to ESPACIOS, a row to ACCESO for each of its URLs and, for each
URL that takes an object, a row to ARGUMENTOS saying which object of the first municipio to ask for. A URL
without its rows fails ``test_todas_las_urls_tienen_sus_filas``.
"""

from __future__ import annotations

import datetime
import importlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from convenios import services as convenios_services
from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, Convenio, EstadoAspecto, EstadoConvenio, Modificacion, ProgramaPresupuestario, hoy
from convenios.tests import fabricas
from documentos import services as documentos
from documentos.models import Documento, TipoDocumento
from documentos.tests.ayudas import atender_todo, emitir_version_para_firma
from notificaciones.models import Notificacion
from seguimiento import services
from seguimiento.models import Asistencia, Evidencia, Movimiento, Prorroga, Sesion
from seguimiento.tests import archivos_prueba as ap
from supervision import services as supervision
from supervision.models import (
    ActuacionContraloria,
    ResultadoVerificacion,
    TipoActuacion,
    TipoVerificacion,
    VerificacionTesoreria,
)

pytestmark = pytest.mark.seguridad

ESPACIOS = ["seguimiento", "convenios", "documentos", "supervision", "transparencia", "api", "operacion"]
# Role matrices kept by each app (a module with MATRIZ and ROLES), counted in the security report.
MATRICES = ["seguimiento.tests.test_matriz_urls"]

PERSONAL = "personal"  # staff only: nothing of the first dependencia, and the page does not change because it exists
PUBLICA = "publica"  # anyone: the signed convenio is public, nothing marked PRIVADO-A is
OCULTA = "oculta"  # a public URL asked for a draft convenio or a private file: 404

ACCESO = {
    **{
        f"seguimiento:{n}": PERSONAL
        for n in (
            "inicio",
            "buscar",
            "convenio",
            "aspecto",
            "evidencia_subir",
            "accion_avance",
            "entrega",
            "enviar_varios",
            "validar_varios",
            "prorroga_solicitar",
            "aspecto_transicion",
            "aspecto_decidir",
            "evidencia_descargar",
            "evidencia_ver",
            "prorroga_resolver",
            "sesiones",
            "sesion_programar",
            "sesion",
            "sesion_registrar",
            "sesion_corregir",
            "convenio_firmar",
            "convenio_modificar",
        )
    },
    **{f"convenios:{n}": PERSONAL for n in ("importar", "importar_revisar", "importar_plantilla")},
    **{
        f"documentos:{n}": PERSONAL
        for n in (
            "convenio_documentos",
            "convenio_borrador",
            "convenio_emitir",
            "prorroga_borrador",
            "prorroga_emitir",
            "sesion_borrador",
            "sesion_emitir",
            "convenio_firmar",
            "prorroga_firmar",
            "sesion_firmar",
            "documento_firmar",
            "descargar",
            "convenio_incumplimiento",
        )
    },
    "documentos:verificar_inicio": PUBLICA,
    "documentos:verificar": PUBLICA,
    **{
        f"supervision:{n}": PERSONAL
        for n in (
            "tablero",
            "tablero_csv",
            "tablero_xlsx",
            "avance",
            "convenio",
            "actuacion_convenio",
            "verificacion",
            "aspecto",
            "actuacion_aspecto",
            "notificaciones",
            "notificaciones_leidas",
            "notificacion_abrir",
        )
    },
    **{
        f"transparencia:{n}": PUBLICA
        for n in ("inicio", "municipio", "anexo1", "anexo1_pdf", "informe_final", "datos", "diccionario")
    },
    "transparencia:descarga": PUBLICA,
    "transparencia:descarga_anio": PUBLICA,
    "transparencia:convenio": OCULTA,
    "transparencia:convenio_firmado": OCULTA,
    "transparencia:evidencia": OCULTA,
    "transparencia:documento": OCULTA,
    # The signed modifying agreement of a public convenio is public (cláusula NOVENA, OCTAVA).
    "transparencia:modificacion": PUBLICA,
    "transparencia:plazos": PERSONAL,
    "api:api-root": PUBLICA,
    "api:evaluacion-list": PUBLICA,
    "api:evaluacion-detail": PUBLICA,
    "api:convenio-list": PUBLICA,
    "api:convenio-detail": OCULTA,
    "api:aspecto-list": PUBLICA,
    "api:aspecto-detail": OCULTA,
    "api:esquema": PUBLICA,
    "api:documentacion": PUBLICA,
    "operacion:salud": PUBLICA,
    "operacion:favicon": PUBLICA,
}


@dataclass
class Lado:
    convenio: Convenio
    aspecto: Aspecto
    evidencia: Evidencia
    prorroga: Prorroga
    sesion: Sesion
    borrador: Convenio
    cumplido: Convenio
    documentos: dict[str, Documento]
    modificacion: Modificacion


ARGUMENTOS = {
    "seguimiento:convenio": lambda a: {"pk": a.convenio.pk},
    "seguimiento:aspecto": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:evidencia_subir": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:accion_avance": lambda a: {
        "pk": AccionDelAspecto.objects.filter(aspecto__convenio=a.convenio).first().pk
    },
    "seguimiento:entrega": lambda a: {"pk": a.convenio.pk},
    "seguimiento:prorroga_solicitar": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:aspecto_transicion": lambda a: {"pk": a.aspecto.pk, "accion": "validar"},
    "seguimiento:aspecto_decidir": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:evidencia_descargar": lambda a: {"pk": a.evidencia.pk},
    "seguimiento:evidencia_ver": lambda a: {"pk": a.evidencia.pk},
    "seguimiento:prorroga_resolver": lambda a: {"pk": a.prorroga.pk},
    "seguimiento:sesion": lambda a: {"pk": a.sesion.pk},
    "seguimiento:sesion_registrar": lambda a: {"pk": a.sesion.pk},
    "seguimiento:sesion_corregir": lambda a: {"pk": a.sesion.pk},
    "seguimiento:convenio_firmar": lambda a: {"pk": a.borrador.pk},
    "seguimiento:convenio_modificar": lambda a: {"pk": a.convenio.pk},
    "documentos:convenio_incumplimiento": lambda a: {"pk": a.convenio.pk},
    "transparencia:modificacion": lambda a: {"pk": a.modificacion.pk},
    **{
        f"convenios:{n}": lambda a: {"pk": a.borrador.pk}
        for n in ("importar", "importar_revisar", "importar_plantilla")
    },
    "documentos:convenio_documentos": lambda a: {"pk": a.convenio.pk},
    "documentos:convenio_borrador": lambda a: {"pk": a.convenio.pk, "tipo": TipoDocumento.CONVENIO},
    "documentos:convenio_emitir": lambda a: {"pk": a.cumplido.pk, "tipo": TipoDocumento.CONVENIO},
    "documentos:prorroga_borrador": lambda a: {"pk": a.prorroga.pk},
    "documentos:prorroga_emitir": lambda a: {"pk": a.prorroga.pk},
    "documentos:sesion_borrador": lambda a: {"pk": a.sesion.pk},
    "documentos:sesion_emitir": lambda a: {"pk": a.sesion.pk},
    "documentos:convenio_firmar": lambda a: {"pk": a.cumplido.pk, "tipo": TipoDocumento.VISTA_CONTRALORIA},
    "documentos:prorroga_firmar": lambda a: {"pk": a.prorroga.pk},
    "documentos:sesion_firmar": lambda a: {"pk": a.sesion.pk},
    # The version for signing awaits the parties' e.firmas.
    "documentos:documento_firmar": lambda a: {"pk": a.documentos[TipoDocumento.CONVENIO].pk},
    "documentos:descargar": lambda a: {"pk": a.documentos[TipoDocumento.VISTA_CONTRALORIA].pk},
    "documentos:verificar": lambda a: {"codigo": a.documentos[TipoDocumento.VISTA_CONTRALORIA].codigo_verificacion},
    "supervision:convenio": lambda a: {"pk": a.convenio.pk},
    "supervision:actuacion_convenio": lambda a: {"pk": a.convenio.pk},
    "supervision:verificacion": lambda a: {"pk": a.convenio.pk},
    "supervision:aspecto": lambda a: {"pk": a.aspecto.pk},
    "supervision:actuacion_aspecto": lambda a: {"pk": a.aspecto.pk},
    "supervision:notificacion_abrir": lambda a: {
        "pk": Notificacion.objects.filter(usuario__dependencia__municipio=a.convenio.municipio).first().pk
    },
    "transparencia:municipio": lambda a: {"slug": a.convenio.municipio.slug},
    "transparencia:convenio": lambda a: {"pk": a.borrador.pk},
    "transparencia:convenio_firmado": lambda a: {"pk": a.borrador.pk},
    "transparencia:anexo1": lambda a: {"pk": a.borrador.evaluacion_id},
    "transparencia:anexo1_pdf": lambda a: {"pk": a.borrador.evaluacion_id},
    "transparencia:informe_final": lambda a: {"pk": a.borrador.evaluacion_id},
    "transparencia:evidencia": lambda a: {"pk": a.evidencia.pk},
    "transparencia:documento": lambda a: {"pk": a.documentos[TipoDocumento.VISTA_CONTRALORIA].pk},
    "transparencia:descarga": lambda a: {"conjunto": "aspectos", "formato": "csv"},
    "transparencia:descarga_anio": lambda a: {"anio": 2022, "conjunto": "convenios", "formato": "json"},
    "api:evaluacion-detail": lambda a: {"pk": a.borrador.evaluacion_id},
    "api:convenio-detail": lambda a: {"pk": a.borrador.pk},
    "api:aspecto-detail": lambda a: {"pk": a.borrador.aspectos.first().pk},
}


def urls_de(espacio: str) -> list[tuple[str, list[str]]]:
    """(name, keyword arguments) of every URL in a namespace, nested includes and regex routes too."""
    _, resolver = get_resolver().namespace_dict[espacio]

    def recorrer(patrones: list[Any]) -> list[tuple[str, list[str]]]:
        encontrados = []
        for patron in patrones:
            if isinstance(patron, URLResolver):
                encontrados += recorrer(patron.url_patterns)
            elif isinstance(patron, URLPattern) and patron.name:
                encontrados.append((f"{espacio}:{patron.name}", list(patron.pattern.regex.groupindex)))
        return encontrados

    return recorrer(resolver.url_patterns)


def _usuarios(m: fabricas.MunicipioDePrueba, etiqueta: str) -> dict[str, Any]:
    roles = ("implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia")
    return {rol: fabricas.crear_usuario(f"{rol}_{etiqueta}", getattr(m, rol)) for rol in roles}


def _marcar(convenio: Convenio, marca: str, *, programa: bool = True) -> Convenio:
    Convenio.objects.filter(pk=convenio.pk).update(responsable_dependencia_evaluada=f"{marca} responsable")
    if programa:
        ProgramaPresupuestario.objects.filter(pk=convenio.evaluacion.programa_id).update(nombre=f"{marca} programa")
    Aspecto.objects.filter(convenio=convenio).update(texto=f"{marca} texto del aspecto")
    convenio.refresh_from_db()
    return convenio


def _poblar(m: fabricas.MunicipioDePrueba, etiqueta: str, u: dict[str, Any]) -> Lado:
    """Everything a dependencia's convenio goes through, made by the services as the users would."""
    marca, privado = f"MARCA-{etiqueta}", f"PRIVADO-{etiqueta}"
    convenio = _marcar(fabricas.crear_convenio(m), marca)
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    evidencia = services.evidencia_subir(
        aspecto=aspecto,
        archivo=ap.subido(f"{privado}.pdf", ap.pdf(privado)),
        descripcion=f"{privado} evidencia",
        usuario=u["dependencia"],
    )
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=u["dependencia"],
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo=f"{privado} motivo",
    )
    services.prorroga_resolver(prorroga=prorroga, usuario=u["implan"], aprobar=True, comentario=f"{privado} visto")
    sesion = services.sesion_programar(
        usuario=u["implan"], convenios=[convenio], fecha=hoy(), hora=datetime.time(10), lugar=f"{privado} lugar"
    )
    services.sesion_registrar(
        sesion=sesion,
        usuario=u["implan"],
        asistencias=[{"dependencia": m.dependencia, "nombre": f"{privado} asistente", "cargo": "Enlace"}],
        aspectos_revisados=[aspecto],
        acuerdos=f"{privado} acuerdos",
    )
    hallazgo = convenio.aspectos.get(tipo="hallazgo", numero=1)
    Aspecto.objects.filter(pk=hallazgo.pk).update(estado=EstadoAspecto.NO_ATENDIDA)
    supervision.actuacion_registrar(
        convenio=convenio,
        usuario=u["contraloria"],
        tipo=TipoActuacion.OBSERVACION,
        texto=f"{privado} actuación",
        fecha=hoy(),
        aspecto=hallazgo,
    )
    supervision.verificacion_registrar(
        convenio=convenio,
        usuario=u["tesoreria"],
        tipo=TipoVerificacion.RECURSOS_EJERCIDOS,
        resultado=ResultadoVerificacion.PARCIAL,
        nota=f"{privado} nota",
        fecha=hoy(),
    )
    emitidos = {
        TipoDocumento.CONVENIO: emitir_version_para_firma(convenio, u["implan"]),
        TipoDocumento.RESOLUCION_PRORROGA: documentos.resolucion_prorroga_emitir(
            prorroga=prorroga, usuario=u["implan"]
        ),
        TipoDocumento.ACTA_SESION: documentos.acta_sesion_emitir(sesion=sesion, usuario=u["implan"]),
        TipoDocumento.VISTA_CONTRALORIA: documentos.vista_contraloria_emitir(convenio=convenio, usuario=u["implan"]),
    }
    cumplido = _marcar(fabricas.crear_convenio(m, hallazgos=1, recomendaciones=1), marca)
    atender_todo(cumplido, implan=u["implan"], dependencia=u["dependencia"])
    emitidos[TipoDocumento.OFICIO_CUMPLIMIENTO] = documentos.oficio_cumplimiento_emitir(
        convenio=cumplido, usuario=u["implan"]
    )
    # The evaluation and its programa are public (the PAE is published); the draft convenio is not.
    borrador = _marcar(fabricas.crear_convenio(m, estado=EstadoConvenio.BORRADOR), privado, programa=False)
    modificacion = convenios_services.convenio_modificar(
        convenio=convenio,
        usuario=u["implan"],
        fecha=hoy(),
        motivo=f"{marca} ampliación del plazo",
        documento=ap.subido("modificatorio.pdf", ap.pdf("modificatorio")),
        cambios=[convenios_services.Cambio(convenio, "fecha_limite", datetime.date(2023, 6, 30))],
    )
    return Lado(convenio, aspecto, evidencia, prorroga, sesion, borrador, cumplido, emitidos, modificacion)


def _propio(m: fabricas.MunicipioDePrueba, u: dict[str, Any], etiqueta: str) -> None:
    """The other dependencia's own convenio, so that its pages are not empty (what it may see must not change)."""
    convenio = _marcar(fabricas.crear_convenio(m, dependencia=m.otra_dependencia), f"PROPIO-{etiqueta}")
    services.evidencia_subir(
        aspecto=convenio.aspectos.first(),
        archivo=ap.subido("propia.pdf", ap.pdf("propia")),
        descripcion="Evidencia propia",
        usuario=u["otra_dependencia"],
    )


def _foto(lado: Lado) -> tuple:
    return (
        Movimiento.objects.count(),
        Evidencia.objects.count(),
        Prorroga.objects.count(),
        Sesion.objects.count(),
        Asistencia.objects.count(),
        Documento.objects.count(),
        ActuacionContraloria.objects.count(),
        VerificacionTesoreria.objects.count(),
        # Only A's: the other side marking its own notifications read is its right.
        Notificacion.objects.filter(usuario__dependencia__municipio=lado.convenio.municipio, leida_en=None).count(),
        list(Convenio.objects.filter(municipio=lado.convenio.municipio).values_list("pk", "estado")),
        list(Aspecto.objects.filter(convenio=lado.convenio).values_list("pk", "estado", "fecha_vigente", "texto")),
        list(Prorroga.objects.filter(aspecto__convenio=lado.convenio).values_list("pk", "estado")),
        Sesion.objects.get(pk=lado.sesion.pk).acuerdos,
    )


def _texto(respuesta: Any) -> str:
    """What a person would read in the response: PDFs and XLSX read back (their bytes are compressed)."""
    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    if contenido.startswith(b"%PDF"):
        return "\n".join(pagina.extract_text() or "" for pagina in PdfReader(io.BytesIO(contenido)).pages)
    if contenido.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(contenido)) as libro:
            # docProps carries the creation time; the sheets carry the data.
            partes = [n for n in sorted(libro.namelist()) if n.endswith(".xml") and not n.startswith("docProps/")]
            return "\n".join(libro.read(n).decode("utf-8", "replace") for n in partes)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", contenido.decode("utf-8", "replace"))


def test_todas_las_urls_tienen_sus_filas():
    todas = [(n, kw) for e in ESPACIOS for n, kw in urls_de(e)]
    sin_acceso = [n for n, _kw in todas if n not in ACCESO]
    sin_argumentos = [n for n, kw in todas if kw and n not in ARGUMENTOS]
    assert sin_acceso == [], f"agregue a ACCESO quién puede ver estas URL (personal, publica, oculta): {sin_acceso}"
    assert sin_argumentos == [], f"agregue a ARGUMENTOS cómo pedir un objeto del otro lado: {sin_argumentos}"
    assert set(ACCESO) - {n for n, _kw in todas} == set(), "ACCESO nombra URL que ya no existen"


@pytest.mark.lento
def test_nada_del_primer_municipio_llega_a_quien_no_debe_verlo(db, informe, settings):
    # One test client makes hundreds of requests from one address; the limits are tested in test_limites.
    settings.LIMITES_DE_TASA = {**django_settings.LIMITES_DE_TASA, "api": "100000/m", "verificacion": "100000/m"}
    b = fabricas.crear_municipio("Municipio B")
    usuarios_b = _usuarios(b, "B")
    _poblar(b, "B", usuarios_b)
    _propio(b, usuarios_b, "B")
    a = fabricas.crear_municipio("Municipio A")
    usuarios_a = _usuarios(a, "A")
    _propio(a, usuarios_a, "A")

    ajenos: dict[str, Any] = {f"{rol} de otro municipio": u for rol, u in usuarios_b.items()}
    ajenos["otra dependencia del mismo municipio"] = usuarios_a["otra_dependencia"]
    ajenos["visitante sin sesión"] = None
    clientes = {}
    for nombre_rol, usuario in ajenos.items():
        clientes[nombre_rol] = cliente = Client()
        if usuario is not None:
            cliente.force_login(usuario)

    todas = [(n, kw) for e in ESPACIOS for n, kw in urls_de(e)]
    # Before the first dependencia has anything: what each role sees on every staff page without an object.
    antes = {
        (nombre_rol, nombre): _texto(cliente.get(reverse(nombre)))
        for nombre_rol, cliente in clientes.items()
        for nombre, kw in todas
        if not kw and ACCESO[nombre] == PERSONAL
    }

    lado_a = _poblar(a, "A", usuarios_a)
    foto = _foto(lado_a)

    revisados = 0
    fugas: list[str] = []
    for nombre_rol, cliente in clientes.items():
        for nombre, kw in todas:
            url = reverse(nombre, kwargs=ARGUMENTOS[nombre](lado_a) if kw else None)
            marcas = ("PRIVADO-A",) if ACCESO[nombre] == PUBLICA else ("PRIVADO-A", "MARCA-A")
            for metodo in ("GET", "POST"):
                respuesta = cliente.get(url) if metodo == "GET" else cliente.post(url, {"comentario": "x"})
                revisados += 1
                texto = _texto(respuesta)
                for marca in marcas:
                    if marca in texto:
                        fugas.append(f"{metodo} {url} como {nombre_rol}: {respuesta.status_code} muestra {marca}")
                negado = respuesta.status_code in (403, 404, 405) or (
                    respuesta.status_code == 302
                    and respuesta["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
                )
                if ACCESO[nombre] == OCULTA and not negado:
                    fugas.append(f"{metodo} {url} como {nombre_rol}: respondió {respuesta.status_code}")
                if ACCESO[nombre] == PERSONAL and kw and not negado:
                    fugas.append(f"{metodo} {url} como {nombre_rol}: respondió {respuesta.status_code}")
                previo = antes.get((nombre_rol, nombre)) if metodo == "GET" else None
                if previo is not None and texto != previo:
                    fugas.append(f"GET {url} como {nombre_rol}: la página cambió al existir los datos de A")
    assert fugas == [], "\n".join(fugas)
    # The detector sees the marks where they belong: A's own dependencia finds them in the board, its XLSX
    # export, the issued PDF and its evidence; a visitor finds the signed convenio in the portal.
    propio = Client()
    propio.force_login(usuarios_a["dependencia"])
    for url, marca in [
        (reverse("supervision:tablero"), "MARCA-A"),
        (reverse("supervision:tablero_xlsx"), "MARCA-A"),
        (reverse("supervision:avance"), "MARCA-A"),
        (reverse("documentos:descargar", args=[lado_a.documentos[TipoDocumento.CONVENIO].pk]), "MARCA-A"),
        (reverse("seguimiento:evidencia_descargar", args=[lado_a.evidencia.pk]), "PRIVADO-A"),
    ]:
        assert marca in _texto(propio.get(url)), url
    assert "MARCA-A" in _texto(Client().get(reverse("transparencia:convenio", args=[lado_a.convenio.pk])))
    assert _foto(lado_a) == foto, "una petición ajena cambió datos de A"
    informe.medir(
        "aislamiento",
        {
            "espacios": ESPACIOS,
            "roles": len(clientes),
            "urls": len(todas),
            "peticiones": revisados,
            "documentos": len(lado_a.documentos),
            "por_acceso": {
                clase: sum(1 for n, _kw in todas if ACCESO[n] == clase) for clase in (PERSONAL, PUBLICA, OCULTA)
            },
        },
    )


def test_cuenta_de_las_matrices_de_acceso(informe):
    celdas = 0
    for ruta in MATRICES:
        modulo = importlib.import_module(ruta)
        celdas += sum(len(metodos) for metodos in modulo.MATRIZ.values()) * len(modulo.ROLES)
    assert celdas > 0
    informe.medir("matrices", {"modulos": MATRICES, "url_metodo_rol": celdas})
