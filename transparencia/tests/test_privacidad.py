"""No private evidence, draft convenio or user data is reachable through any public URL.

Two walks: every pattern of the ``transparencia`` and ``api`` URLconfs with every
identifier in the database (so a new URL is covered the day it is added), and a
crawl that follows every link a visitor can click from the portal's home page.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from convenios.models import Aspecto, Convenio, Evaluacion, Municipio
from seguimiento.models import Evidencia
from transparencia.tests.conftest import CONTENIDO_BORRADOR, CONTENIDO_PRIVADO, TEXTO_BORRADOR

pytestmark = pytest.mark.django_db

NAMESPACES_PUBLICOS = {"transparencia", "api"}
SOLO_PERSONAL = {"transparencia:plazos"}  # IMPLAN's page: anonymous visitors are sent to log in


def _patrones(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    encontrados = []
    for patron in resolver.url_patterns:
        if isinstance(patron, URLResolver):
            encontrados += _patrones(patron, patron.namespace or namespace)
        elif namespace in NAMESPACES_PUBLICOS and patron.name:
            encontrados.append((f"{namespace}:{patron.name}", patron))
    return encontrados


def _valores() -> dict[str, list]:
    identificadores = set()
    for modelo in (Evaluacion, Convenio, Aspecto, Evidencia):
        identificadores |= set(modelo.objects.values_list("pk", flat=True))
    return {
        "pk": sorted(identificadores),
        "slug": list(Municipio.objects.values_list("slug", flat=True)),
        "conjunto": ["evaluaciones", "convenios", "aspectos"],
        "formato": ["csv", "json"],
        "anio": [2022, 2023],
    }


def _cuerpo(respuesta) -> bytes:
    return b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content


def _secretos(datos, dependencia) -> list[bytes]:
    privada = datos.evidencia_privada
    return [
        CONTENIDO_PRIVADO,
        CONTENIDO_BORRADOR,
        privada.sha256.encode(),
        datos.evidencia_de_borrador.sha256.encode(),
        privada.archivo.name.encode(),
        b"Documento interno",
        "Juana Pérez".encode(),
        dependencia.email.encode(),
        TEXTO_BORRADOR.encode(),
    ]


def test_ninguna_url_publica_alcanza_lo_privado(client, datos, dependencia):
    valores = _valores()
    secretos = _secretos(datos, dependencia)
    urls_del_borrador = [
        reverse("transparencia:convenio", args=[datos.borrador.pk]),
        reverse("api:convenio-detail", args=[datos.borrador.pk]),
        reverse("transparencia:evidencia", args=[datos.evidencia_privada.pk]),
        reverse("transparencia:evidencia", args=[datos.evidencia_de_borrador.pk]),
    ]
    visitados: set[str] = set()
    for nombre, patron in _patrones():
        parametros = list(patron.pattern.regex.groupindex)
        desconocidos = set(parametros) - set(valores)
        assert not desconocidos, f"{nombre}: añada valores de prueba para {desconocidos}"
        for combinacion in itertools.product(*(valores[p] for p in parametros)):
            url = reverse(nombre, kwargs=dict(zip(parametros, combinacion, strict=True)))
            respuesta = client.get(url)
            if nombre in SOLO_PERSONAL:
                assert respuesta.status_code == 302 and "/accounts/login/" in respuesta["Location"]
                continue
            assert respuesta.status_code in (200, 404), (url, respuesta.status_code)
            cuerpo = _cuerpo(respuesta)
            for secreto in secretos:
                assert secreto not in cuerpo, (url, secreto)
            if url in urls_del_borrador:
                assert respuesta.status_code == 404, url
            visitados.add(nombre)
    # Every public pattern was requested at least once.
    assert visitados | SOLO_PERSONAL == {nombre for nombre, _ in _patrones()}
    assert "transparencia:evidencia" in visitados and "api:aspecto-detail" in visitados


ENLACE = re.compile(r'href="([^"#]+)')


def test_recorrido_de_todos_los_enlaces_desde_el_portal(client, datos, dependencia):
    secretos = _secretos(datos, dependencia)
    pendientes = deque([reverse("transparencia:inicio")])
    vistos: set[str] = set()
    evidencias_alcanzadas: set[str] = set()
    while pendientes and len(vistos) < 300:
        url = pendientes.popleft()
        if url in vistos:
            continue
        vistos.add(url)
        respuesta = client.get(url)
        assert respuesta.status_code == 200, url
        cuerpo = _cuerpo(respuesta)
        for secreto in secretos:
            assert secreto not in cuerpo, (url, secreto)
        if "/evidencias/" in url:
            evidencias_alcanzadas.add(url)
        if not respuesta["Content-Type"].startswith("text/html"):
            continue
        for enlace in ENLACE.findall(cuerpo.decode()):
            destino = urlsplit(urljoin(url, enlace.replace("&amp;", "&")))
            if destino.netloc not in ("", "testserver") or not destino.path.startswith(("/transparencia/", "/api/")):
                continue
            pendientes.append(destino.path + (f"?{destino.query}" if destino.query else ""))
    assert len(vistos) > 15
    # The one publishable evidence of a public convenio is reachable, and only it.
    assert evidencias_alcanzadas == {reverse("transparencia:evidencia", args=[datos.evidencia_publica.pk])}
