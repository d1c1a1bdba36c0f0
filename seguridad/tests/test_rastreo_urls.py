"""No request from anyone answers 5xx: every URL pattern of the URLconf, every method, hostile values, every role.

The walker reads the patterns themselves (``get_resolver()``), so a URL added tomorrow is crawled
without touching this file; a pattern it cannot turn into an address fails the test by name.
Converters are filled with ids of real objects (a municipio with a convenio, evidence, prórroga,
sesión, issued documents of every kind, actuaciones and verificaciones) and with hostile values.

What each role gets, sampled so the crawl stays fast (a cartesian product would be ~80,000 requests):
- every pattern, with real ids, GET as each of the 8 roles (the 7 personas and anonymous);
- every pattern, with real ids, each other method (POST, PUT, PATCH, DELETE, OPTIONS, HEAD) as one role
  in turn;
- every pattern with arguments, once per hostile value of each converter;
- every pattern once with a hostile query string, and once with hostile headers and body;
- a list of hostile raw paths, as each role.
"""

from __future__ import annotations

import itertools
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from convenios.models import Convenio
from convenios.tests import fabricas
from seguridad.tests.test_aislamiento import Lado, _poblar

pytestmark = pytest.mark.seguridad

METODOS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
ROLES = ("anonimo", "implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia", "implan_otro", "raiz")

HOSTILES_ENTERO = [0, 2**63, 10**22]
HOSTILES_TEXTO = [
    "..",
    "<script>alert(1)</script>",
    "' OR 1=1--",
    "\u202egnp.exe",
    "%00",
    "x" * 300,
    "ñ😀",
]
CONSULTAS = [
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"pagina": "abc"},
    {"orden": "__class__"},
    {"orden": "-password"},
    {"dependencia": "1' OR '1'='1"},
    {"programa": "-1"},
    {"anio": "99999999999"},
    {"estado": "<b>"},
    {"semaforo": "rojo", "vencidos": "maybe"},
    {"fecha": "2022-13-45"},
    {"desde": "0000-00-00", "hasta": "9999-99-99"},
    {"q": "\x00"},
    {"codigo": "a/b"},
    {"next": "//malicioso.example/"},
    {"format": "xml"},
    {"format": "api"},
    {"limit": "-5", "offset": "abc"},
    {"ordering": "evaluacion__municipio__implan__usuarios__password"},
    {"search": "%" * 50},
    {"municipio": "9223372036854775808"},
    {"tipo": "../../etc/passwd"},
    {"o": "-99.abc"},
    {"_changelist_filters": "a=%00"},
    {"id__in": "1,2,x"},
    {"e": "1"},
]
CABECERAS = [
    {"HTTP_ACCEPT": "application/json"},
    {"HTTP_ACCEPT": "text/html;q=abc, */*;q=-1"},
    {"HTTP_ACCEPT_LANGUAGE": "xx-YY, *;q=-1, ../../"},
    {"HTTP_X_FORWARDED_FOR": "no-es-ip, , ::ffff:1.2.3.4, 999.1.1.1"},
    {"HTTP_IF_NONE_MATCH": 'W/"basura', "HTTP_IF_MODIFIED_SINCE": "ayer"},
    {"HTTP_RANGE": "bytes=99999999-1"},
    {"HTTP_USER_AGENT": "\u202e" + "A" * 5000},
    {"HTTP_REFERER": "javascript:alert(1)"},
    {"HTTP_COOKIE": "sessionid=../../etc/passwd; csrftoken=" + "x" * 200},
    {"HTTP_X_FORWARDED_PROTO": "gopher", "HTTP_X_HTTP_METHOD_OVERRIDE": "DELETE"},
]
CUERPOS = [
    ("application/json", b'{"mal": json'),
    ("application/json", b"[" * 2000),
    ("application/x-www-form-urlencoded", b"a=%ZZ&b=%00&" + b"c=1&" * 200),
    (
        "multipart/form-data; boundary=roto",
        b'--roto\r\nContent-Disposition: form-data; name="archivo"; filename="../x.pdf"\r\n\r\n%PDF',
    ),
    ("text/xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"),
]
RUTAS_HOSTILES = [
    "/%00/",
    "/..%2f..%2fetc/passwd",
    "/convenios/1%0d%0aSet-Cookie:%20x=1/",
    "/" + "a" * 3000 + "/",
    "/api/v1/%ff%fe/",
    "/transparencia/convenios/99999999999999999999999/",
    "/admin/convenios/convenio/1%00/change/",
    "/static/../config/settings/base.py",
    "/archivos/evidencias/1/x.pdf",
    "/verificar/%2e%2e/",
    "/aspectos/1/accion/%3Cscript%3E/",
    "//malicioso.example/",
    "/tablero/exportar.csv;.html",
    "/api/v1/convenios/1.json",
    "/api/v1/convenios/?format=openapi",
]


@dataclass
class Peticion:
    rol: str
    metodo: str
    ruta: str
    consulta: dict[str, str]
    cabeceras: dict[str, str]
    cuerpo: tuple[str, bytes] | None = None


# --- Turning patterns into addresses -----------------------------------------------------------------------


def patrones() -> Iterator[tuple[list[Any], URLPattern]]:
    """Every URLPattern with the chain of patterns (include prefixes) in front of it."""

    def recorrer(lista: list[Any], prefijos: list[Any]) -> Iterator[tuple[list[Any], URLPattern]]:
        for patron in lista:
            if isinstance(patron, URLResolver):
                yield from recorrer(patron.url_patterns, [*prefijos, patron])
            else:
                yield [*prefijos, patron], patron

    yield from recorrer(get_resolver().url_patterns, [])


def _grupos(regex: str) -> Iterator[tuple[int, int, str | None, str]]:
    """(start, end, name or None, body) of each top-level group of a Django URL regex."""
    i = 0
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
            continue
        if regex[i] == "(" and not regex.startswith("(?:", i):
            profundidad, j = 0, i
            while j < len(regex):
                if regex[j] == "\\":
                    j += 2
                    continue
                profundidad += {"(": 1, ")": -1}.get(regex[j], 0)
                if profundidad == 0:
                    break
                j += 1
            grupo = regex[i : j + 1]
            nombre = re.match(r"\(\?P<(\w+)>", grupo)
            cuerpo = grupo[nombre.end() : -1] if nombre else grupo[1:-1]
            yield i, j + 1, nombre.group(1) if nombre else None, cuerpo
            i = j + 1
            continue
        i += 1


class Valores:
    """A real value for each argument of each URL, and the hostile ones for its converter."""

    def __init__(self, lado: Lado, municipio_slug: str) -> None:
        self.lado = lado
        self.slug = municipio_slug
        documento = next(iter(lado.documentos.values()))
        self.por_nombre = {
            "pk": lado.convenio.pk,
            "slug": municipio_slug,
            "codigo": documento.codigo_verificacion,
            "tipo": "convenio",
            "accion": "validar",
            "conjunto": "aspectos",
            "formato": "csv",
            "anio": 2022,
            "uidb64": "MQ",
            "token": "set-password",
            "content_type_id": ContentType.objects.get_for_model(Convenio).pk,
            "ruta": "no/existe",
            "url": "no/existe/",
        }
        self.por_url = {
            "aspecto": lado.aspecto.pk,
            "evidencia": lado.evidencia.pk,
            "prorroga": lado.prorroga.pk,
            "sesion": lado.sesion.pk,
            "documento": documento.pk,
            "evaluacion": lado.convenio.evaluacion_id,
            "convenio": lado.convenio.pk,
        }

    def pk_para(self, ruta: str, nombre_url: str | None) -> Any:
        """The id of the object the address is about: the last known word of the route before the id."""
        if nombre_url and nombre_url.startswith("admin:") and nombre_url.count("_") >= 2:
            app, modelo = nombre_url[len("admin:") :].split("_", 2)[:2]
            try:
                clase = ContentType.objects.get_by_natural_key(app, modelo).model_class()
            except ContentType.DoesNotExist:
                clase = None
            if clase is not None:
                objeto = clase._default_manager.order_by("pk").first()
                if objeto is not None:
                    return objeto.pk
        palabras = re.findall(r"[a-z]+", ruta.split("<")[0].split("(")[0])
        for palabra in reversed(palabras):
            for clave, valor in self.por_url.items():
                if palabra.startswith(clave[:6]):
                    return valor
        return self.lado.convenio.pk

    def valido(self, nombre: str | None, convertidor: Any, ruta: str, nombre_url: str | None) -> Any:
        if nombre in ("pk", "object_id", None) or isinstance(convertidor, IntConverter) and nombre == "pk":
            return self.pk_para(ruta, nombre_url)
        if nombre in self.por_nombre:
            return self.por_nombre[nombre]
        if isinstance(convertidor, IntConverter):
            return self.lado.convenio.pk
        if isinstance(convertidor, UUIDConverter):
            return "12345678-1234-5678-1234-567812345678"
        return "x"

    @staticmethod
    def hostiles(convertidor: Any) -> list[Any]:
        if isinstance(convertidor, IntConverter):
            return HOSTILES_ENTERO
        if isinstance(convertidor, SlugConverter):
            return ["no-existe", "-" * 80, "a" * 300]
        if isinstance(convertidor, StringConverter | PathConverter) or convertidor is None:
            return HOSTILES_TEXTO
        return []  # the project's own converters only match their few valid values


def _ruta(cadena: list[Any], valores: Valores, nombre_url: str | None, hostil: tuple[str, Any] | None) -> str:
    """The address of a pattern chain, with real values or one argument replaced by a hostile value."""
    partes = []
    texto = "".join(str(p.pattern) for p in cadena)
    for pieza in cadena:
        patron = pieza.pattern
        if isinstance(patron, RoutePattern):
            ruta = str(patron)

            def sustituir(m: re.Match[str], patron: RoutePattern = patron) -> str:
                nombre = m.group(2)
                convertidor = patron.converters[nombre]
                valor = valores.valido(nombre, convertidor, texto, nombre_url)
                if hostil and hostil[0] == nombre:
                    return _cita(str(hostil[1]))
                return str(convertidor.to_url(valor))

            partes.append(re.sub(r"<(?:(\w+):)?(\w+)>", sustituir, ruta))
        elif isinstance(patron, RegexPattern):
            regex = str(patron).lstrip("^").removesuffix("$").removesuffix(r"\Z")
            salida, ultimo = [], 0
            for posicion, (inicio, fin, nombre, cuerpo) in enumerate(_grupos(regex)):
                salida.append(regex[ultimo:inicio])
                clave = nombre or f"_{posicion}"
                if hostil and hostil[0] == clave:
                    salida.append(_cita(str(hostil[1])))
                elif "|" in cuerpo and re.fullmatch(r"[\w|]+", cuerpo):
                    salida.append(cuerpo.split("|")[0])
                else:
                    salida.append(str(valores.valido(nombre, None, texto, nombre_url)))
                ultimo = fin
            salida.append(regex[ultimo:])
            partes.append(re.sub(r"\\(.)", r"\1", "".join(salida)).replace("/?", "/"))
        else:  # LocalePrefixPattern and the like
            partes.append(str(patron))
    return "/" + "".join(partes)


def _cita(valor: str) -> str:
    return quote(valor, safe="")


def _argumentos(cadena: list[Any]) -> list[tuple[str, Any]]:
    """(name, converter or None) of every argument of the chain; unnamed regex groups as _0, _1…"""
    argumentos: list[tuple[str, Any]] = []
    for pieza in cadena:
        patron = pieza.pattern
        if isinstance(patron, RoutePattern):
            argumentos += list(patron.converters.items())
        elif isinstance(patron, RegexPattern):
            regex = str(patron)
            for posicion, (_i, _f, nombre, cuerpo) in enumerate(_grupos(regex)):
                if not ("|" in cuerpo and re.fullmatch(r"[\w|]+", cuerpo)):
                    argumentos.append((nombre or f"_{posicion}", None))
    return argumentos


# --- The crawl -----------------------------------------------------------------------------------------------


def _peticiones(valores: Valores) -> tuple[list[Peticion], list[str]]:
    azar = random.Random(15)
    roles = itertools.cycle(ROLES)
    roles_admin = itertools.cycle(ROLES[:-1])
    otros_metodos = itertools.cycle(METODOS[1:])
    consultas = itertools.cycle(CONSULTAS)
    cabeceras = itertools.cycle(CABECERAS)
    cuerpos = itertools.cycle(CUERPOS)
    peticiones: list[Peticion] = []
    sin_direccion: list[str] = []
    # The admin last: a superuser's POST to a delete page deletes (any POST confirms), and the app's own
    # URLs must meet the real objects.
    for cadena, patron in sorted(patrones(), key=lambda par: str(par[0][0].pattern).startswith("admin/")):
        nombre_url = _nombre_completo(cadena, patron)
        ruta = _ruta(cadena, valores, nombre_url, None)
        texto = "".join(str(p.pattern) for p in cadena)
        try:
            encontrado = resolve(ruta)
        except Exception:  # noqa: BLE001 (a 404 of resolve, or anything else: reported below)
            sin_direccion.append(f"{texto} → {ruta}")
            continue
        if encontrado.func is not patron.callback:
            # Django's own auth URLs and the admin's "r/" shortcut come after ours at the same address
            # (config/urls.py): that address is crawled once, through ours.
            if encontrado.route != texto and not texto.startswith("admin/r/"):
                sin_direccion.append(f"{texto} → {ruta} ({encontrado.route})")
            continue
        # The admin is Django's same five views repeated for ~30 models: sampled harder than our own URLs.
        administracion = texto.startswith("admin/")
        for rol in ("raiz", next(roles_admin), next(roles_admin)) if administracion else ROLES:
            peticiones.append(Peticion(rol, "GET", ruta, {}, {}))
        for _ in METODOS[1:3] if administracion else METODOS[1:]:
            metodo = next(otros_metodos)
            peticiones.append(Peticion(next(roles), metodo, ruta, {}, {}, next(cuerpos) if metodo != "HEAD" else None))
        for nombre, convertidor in _argumentos(cadena):
            hostiles = Valores.hostiles(convertidor)
            for valor in azar.sample(hostiles, min(len(hostiles), 1 if administracion else 2)):
                hostil = _ruta(cadena, valores, nombre_url, (nombre, valor))
                peticiones.append(Peticion(next(roles), azar.choice(METODOS), hostil, {}, {}))
        if not administracion or len(peticiones) % 2:
            consulta = {**next(consultas), **next(consultas)}
            peticiones.append(Peticion(next(roles), azar.choice(("GET", "GET", "POST", "HEAD")), ruta, consulta, {}))
        if not administracion or not len(peticiones) % 2:
            metodo = azar.choice(METODOS)
            cuerpo = next(cuerpos) if metodo in METODOS[1:5] else None
            peticiones.append(Peticion(next(roles), metodo, ruta, {}, next(cabeceras), cuerpo))
    for ruta in RUTAS_HOSTILES:
        for rol in (next(roles), next(roles)):
            peticiones.append(Peticion(rol, azar.choice(("GET", "POST", "OPTIONS")), ruta, {}, {}))
    return peticiones, sin_direccion


def _nombre_completo(cadena: list[Any], patron: URLPattern) -> str | None:
    if not patron.name:
        return None
    espacios = [p.namespace for p in cadena[:-1] if isinstance(p, URLResolver) and p.namespace]
    return ":".join([*espacios, patron.name])


def _enviar(cliente: Client, peticion: Peticion) -> int:
    metodo = peticion.metodo.lower()
    ruta = peticion.ruta + ("?" + urlencode(peticion.consulta) if peticion.consulta else "")
    if peticion.cuerpo is not None:
        tipo, datos = peticion.cuerpo
        respuesta = getattr(cliente, metodo)(ruta, data=datos, content_type=tipo, **peticion.cabeceras)
    elif metodo == "post":
        # A form with hostile values; the test client does not check CSRF, so the view itself sees them.
        datos = {"comentario": "<script>alert(1)</script>", "fecha": "2022-02-30", "archivo": ""}
        respuesta = cliente.post(ruta, data=datos, **peticion.cabeceras)
    else:
        respuesta = getattr(cliente, metodo)(ruta, **peticion.cabeceras)
    if getattr(respuesta, "streaming", False):
        # Read to the end: the test client then closes the file. (Closing again ourselves would send
        # request_finished, which closes the database connection under the test's transaction.)
        for _ in respuesta.streaming_content:
            pass
    return respuesta.status_code


@pytest.mark.lento
def test_ninguna_peticion_responde_5xx(
    db,
    settings,
    m,
    implan,
    contraloria,
    tesoreria,
    dependencia,
    otra_dependencia,
    implan_otro_municipio,
    informe,
):
    # One test client makes thousands of requests from one address: the limits are tested elsewhere.
    settings.LIMITES_DE_TASA = dict.fromkeys(django_settings.LIMITES_DE_TASA, "1000000/m")
    raiz = fabricas.crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    usuarios = {
        "implan": implan,
        "contraloria": contraloria,
        "tesoreria": tesoreria,
        "dependencia": dependencia,
        "otra_dependencia": otra_dependencia,
    }
    lado = _poblar(m, "A", usuarios)
    valores = Valores(lado, m.municipio.slug)
    peticiones, sin_direccion = _peticiones(valores)
    assert sin_direccion == [], "patrones que el rastreo no supo convertir en dirección:\n" + "\n".join(sin_direccion)

    personas = {**usuarios, "implan_otro": implan_otro_municipio, "raiz": raiz, "anonimo": None}
    errores: list[str] = []
    excepciones: list[str] = []

    def anotar_excepcion(sender: Any, request: Any = None, **kwargs: Any) -> None:
        tipo, valor, _traza = sys.exc_info()
        excepciones.append(
            f"{getattr(request, 'method', '?')} {getattr(request, 'path', '?')}: {tipo.__name__}: {valor}"
        )

    got_request_exception.connect(anotar_excepcion)
    clientes: dict[str, Client] = {}
    inicio, inicio_cpu = time.monotonic(), time.process_time()
    por_estado: dict[int, int] = {}
    try:
        for peticion in peticiones:
            cliente = clientes.get(peticion.rol)
            if cliente is None:
                cliente = clientes[peticion.rol] = Client(raise_request_exception=False)
                if personas[peticion.rol] is not None:
                    cliente.force_login(personas[peticion.rol])
            estado = _enviar(cliente, peticion)
            por_estado[estado // 100] = por_estado.get(estado // 100, 0) + 1
            if estado >= 500:
                errores.append(
                    f"{peticion.metodo} {peticion.ruta} ?{peticion.consulta} {list(peticion.cabeceras)} como {peticion.rol}: {estado}"
                )
            if "_auth_user_id" not in cliente.session and personas[peticion.rol] is not None:
                cliente.force_login(personas[peticion.rol])  # a POST to the logout URL ended the session
    finally:
        got_request_exception.disconnect(anotar_excepcion)
    segundos, segundos_cpu = time.monotonic() - inicio, time.process_time() - inicio_cpu

    assert errores == [], "\n".join(errores[:40] + excepciones[:40])
    assert excepciones == []
    # Everyone reached more than a login redirect: the crawl saw pages, not only refusals.
    assert por_estado.get(2, 0) > 500
    informe.medir(
        "endurecimiento:rastreo",
        {
            "prueba": "Rastreo de todas las URL (7 métodos, valores y encabezados hostiles, 8 roles): 5xx",
            "casos": len(peticiones),
            "fallas": len(errores),
        },
    )
    informe.medir(
        "rastreo",
        {
            "patrones": sum(1 for _ in patrones()),
            "peticiones": len(peticiones),
            "segundos": round(segundos, 1),
            "segundos_cpu": round(segundos_cpu, 1),
            "por_estado": por_estado,
        },
    )


def test_historial_con_id_no_numerico_es_404(convenio):
    cliente = Client(raise_request_exception=False)
    cliente.force_login(fabricas.crear_usuario("raiz", None, is_superuser=True, is_staff=True))
    assert cliente.get("/admin/convenios/convenio/abc/history/").status_code == 404
