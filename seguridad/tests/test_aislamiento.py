"""Two municipios with full data: every URL of the listed namespaces, as every role that must not see the
first municipio's data, leaks nothing of it (not in pages, not in counts) and changes nothing of it.

To extend to another app: add its namespace to ESPACIOS and, for each of its URLs that takes an
object, a row to ARGUMENTOS saying which object of the first municipio to ask for.
"""

from __future__ import annotations

import datetime
import importlib
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from convenios.models import Aspecto, Convenio, hoy
from convenios.tests import fabricas
from seguimiento import services
from seguimiento.models import Asistencia, Evidencia, Movimiento, Prorroga, Sesion
from seguimiento.tests import archivos_prueba as ap

pytestmark = pytest.mark.seguridad

ESPACIOS = ["seguimiento"]  # later: "documentos", "supervision", "transparencia", ...
# Role matrices kept by each app (a module with MATRIZ and ROLES), counted in the security report.
MATRICES = ["seguimiento.tests.test_matriz_urls"]


@dataclass
class Lado:
    convenio: Convenio
    aspecto: Aspecto
    evidencia: Evidencia
    prorroga: Prorroga
    sesion: Sesion


ARGUMENTOS = {
    "seguimiento:convenio": lambda a: {"pk": a.convenio.pk},
    "seguimiento:aspecto": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:evidencia_subir": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:prorroga_solicitar": lambda a: {"pk": a.aspecto.pk},
    "seguimiento:aspecto_transicion": lambda a: {"pk": a.aspecto.pk, "accion": "validar"},
    "seguimiento:evidencia_descargar": lambda a: {"pk": a.evidencia.pk},
    "seguimiento:prorroga_resolver": lambda a: {"pk": a.prorroga.pk},
    "seguimiento:sesion": lambda a: {"pk": a.sesion.pk},
    "seguimiento:sesion_registrar": lambda a: {"pk": a.sesion.pk},
}


def urls_de(espacio: str) -> list[tuple[str, list[str]]]:
    """(name, keyword arguments) of every URL in a namespace, nested includes too."""
    _, resolver = get_resolver().namespace_dict[espacio]

    def recorrer(patrones: list[Any]) -> list[tuple[str, list[str]]]:
        encontrados = []
        for patron in patrones:
            if isinstance(patron, URLResolver):
                encontrados += recorrer(patron.url_patterns)
            elif isinstance(patron, URLPattern) and patron.name:
                encontrados.append((f"{espacio}:{patron.name}", list(patron.pattern.converters)))
        return encontrados

    return recorrer(resolver.url_patterns)


def _poblar(m: fabricas.MunicipioDePrueba, etiqueta: str) -> tuple[Lado, dict[str, Any]]:
    usuarios = {
        rol: fabricas.crear_usuario(f"{rol}_{etiqueta}", getattr(m, rol))
        for rol in ("implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia")
    }
    marca = f"MARCA-{etiqueta}"
    convenio = fabricas.crear_convenio(m)
    convenio.responsable_dependencia_evaluada = f"{marca} responsable"
    convenio.save()
    Aspecto.objects.filter(convenio=convenio).update(texto=f"{marca} texto del aspecto")
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    evidencia = services.evidencia_subir(
        aspecto=aspecto,
        archivo=ap.subido(f"{marca}.pdf", ap.pdf(marca)),
        descripcion=f"{marca} evidencia",
        usuario=usuarios["dependencia"],
    )
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=usuarios["dependencia"],
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo=f"{marca} motivo",
    )
    sesion = services.sesion_programar(
        usuario=usuarios["implan"],
        convenios=[convenio],
        fecha=hoy() + datetime.timedelta(days=2),
        hora=datetime.time(10),
        lugar=f"{marca} lugar",
    )
    return Lado(convenio, aspecto, evidencia, prorroga, sesion), usuarios


def _foto(lado: Lado) -> tuple:
    return (
        Movimiento.objects.count(),
        Evidencia.objects.count(),
        Prorroga.objects.count(),
        Sesion.objects.count(),
        Asistencia.objects.count(),
        list(Aspecto.objects.filter(convenio=lado.convenio).values_list("pk", "estado", "fecha_vigente", "texto")),
        list(Prorroga.objects.filter(aspecto__convenio=lado.convenio).values_list("pk", "estado")),
        Sesion.objects.get(pk=lado.sesion.pk).acuerdos,
    )


def _normal(contenido: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", contenido.decode("utf-8", "replace"))


def test_todas_las_urls_tienen_argumentos_para_la_prueba():
    faltan = [n for e in ESPACIOS for n, kw in urls_de(e) if kw and n not in ARGUMENTOS]
    assert faltan == [], f"agregue a ARGUMENTOS cómo pedir un objeto del otro municipio: {faltan}"


def test_nada_del_primer_municipio_llega_a_quien_no_debe_verlo(db, informe):
    b = fabricas.crear_municipio("Municipio B")
    _lado_b, usuarios_b = _poblar(b, "B")
    ajenos = {f"{rol} de otro municipio": u for rol, u in usuarios_b.items()}

    sin_argumentos = [n for e in ESPACIOS for n, kw in urls_de(e) if not kw]
    clientes = {}
    antes: dict[tuple[str, str], str] = {}
    for nombre_rol, usuario in ajenos.items():
        clientes[nombre_rol] = cliente = Client()
        cliente.force_login(usuario)
        for nombre in sin_argumentos:
            antes[(nombre_rol, nombre)] = _normal(cliente.get(reverse(nombre)).content)

    a = fabricas.crear_municipio("Municipio A")
    lado_a, usuarios_a = _poblar(a, "A")
    ajenos["otra dependencia del mismo municipio"] = usuarios_a["otra_dependencia"]
    cliente = clientes["otra dependencia del mismo municipio"] = Client()
    cliente.force_login(usuarios_a["otra_dependencia"])
    marca = "MARCA-A"
    foto = _foto(lado_a)

    revisados = 0
    fugas: list[str] = []
    for nombre_rol, cliente in clientes.items():
        for espacio in ESPACIOS:
            for nombre, kw in urls_de(espacio):
                url = reverse(nombre, kwargs=ARGUMENTOS[nombre](lado_a) if kw else None)
                for metodo in ("GET", "POST"):
                    respuesta = cliente.get(url) if metodo == "GET" else cliente.post(url, {"comentario": "x"})
                    revisados += 1
                    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
                    if marca.encode() in contenido:
                        fugas.append(f"{metodo} {url} como {nombre_rol}: la página muestra datos del municipio A")
                    if kw and respuesta.status_code not in (403, 404, 405):
                        fugas.append(f"{metodo} {url} como {nombre_rol}: respondió {respuesta.status_code}")
                    previo = antes.get((nombre_rol, nombre)) if not kw and metodo == "GET" else None
                    if previo is not None and _normal(contenido) != previo:
                        fugas.append(f"GET {url} como {nombre_rol}: la página cambió al existir el municipio A")
    assert fugas == []
    assert _foto(lado_a) == foto, "una petición ajena cambió datos del municipio A"
    informe.medir(
        "aislamiento",
        {
            "espacios": ESPACIOS,
            "roles": len(clientes),
            "urls": sum(len(urls_de(e)) for e in ESPACIOS),
            "peticiones": revisados,
        },
    )


def test_cuenta_de_las_matrices_de_acceso(informe):
    celdas = 0
    for ruta in MATRICES:
        modulo = importlib.import_module(ruta)
        celdas += sum(len(metodos) for metodos in modulo.MATRIZ.values()) * len(modulo.ROLES)
    assert celdas > 0
    informe.medir("matrices", {"modulos": MATRICES, "url_metodo_rol": celdas})
