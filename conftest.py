"""Persona fixtures shared by every app's tests (STYLE.md, point 11)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from convenios.models import Convenio
from convenios.tests import fabricas
from cuentas.models import Usuario

# `almacenamiento` (filesystem and local S3 server), see operacion/tests/almacenamientos.py;
# the migrated database and collected static files of a production instance, operacion/tests/instalacion.py.
pytest_plugins = ["operacion.tests.almacenamientos", "operacion.tests.instalacion"]

FIXTURE_DEMO = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.json"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests and those marked `lento` go first (the rest keeps its order, pytest-django's included).

    `make test` runs with xdist's work stealing: an idle worker takes tests from the end of another's
    queue. A test of a minute left at the end would run alone while the other core idles. First of all
    the ones that start gunicorn from the shared static files (operacion/tests/instalacion.py): the
    first of them pays for collectstatic, the longest single step of the suite.
    """

    def orden(item: pytest.Item) -> tuple[bool, bool]:
        lento = bool(item.get_closest_marker("lento") or item.get_closest_marker("navegador"))
        return (not lento, "estaticos_recolectados" not in item.fixturenames)

    items.sort(key=orden)


@pytest.fixture(autouse=True)
def _media_aislada(settings, tmp_path):
    """Each test writes uploads and documents to its own folder on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _celery_sin_bloqueo_heredado():
    """Celery's "joining would block" flag is one per process, set and restored around each eager task.
    Two eager tasks at once in the threads of a browser test's live server restore it out of order and
    leave it set; a later test in the same worker then cannot wait for a task it runs (``.get()``
    raises "Never call result.get() within a task!"). Each test starts from the flag as a new process has it."""
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Playwright's sync API (the session's ``navegador``) leaves its asyncio loop marked as running in the
    worker's main thread until the session ends. pyHanko signs through ``asyncio.run()``, which refuses to
    start inside a running loop: a signing test that came after a browser test in the same worker failed.
    A test without a browser runs, from its first fixture to its last teardown (the database's transaction
    included: Django keeps one connection per loop), as a web or Celery worker does: with no loop."""
    import asyncio

    bucle = asyncio._get_running_loop()
    if bucle is None or "navegador" in getattr(item, "fixturenames", ()):
        return (yield)
    asyncio._set_running_loop(None)
    try:
        return (yield)
    finally:
        asyncio._set_running_loop(bucle)


@pytest.fixture(autouse=True)
def _cache_vacia():
    """Rate-limit counters (seguridad.limites) and public pages live in the caches: no test inherits another's."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture
def m(db) -> fabricas.MunicipioDePrueba:
    return fabricas.crear_municipio()


@pytest.fixture
def convenio(m) -> Convenio:
    return fabricas.crear_convenio(m)


@pytest.fixture
def implan(m) -> Usuario:
    return fabricas.crear_usuario("implan", m.implan)


@pytest.fixture
def contraloria(m) -> Usuario:
    return fabricas.crear_usuario("contraloria", m.contraloria)


@pytest.fixture
def tesoreria(m) -> Usuario:
    return fabricas.crear_usuario("tesoreria", m.tesoreria)


@pytest.fixture
def dependencia(m) -> Usuario:
    return fabricas.crear_usuario("dependencia", m.dependencia)


@pytest.fixture
def otra_dependencia(m) -> Usuario:
    return fabricas.crear_usuario("otra_dependencia", m.otra_dependencia)


@pytest.fixture
def otro_municipio(db) -> fabricas.MunicipioDePrueba:
    return fabricas.crear_municipio("Otro Municipio")


@pytest.fixture
def implan_otro_municipio(otro_municipio) -> Usuario:
    return fabricas.crear_usuario("implan_otro", otro_municipio.implan)


@pytest.fixture
def seed(db) -> Convenio:
    """The real convenio of Cuautitlán Izcalli (2022), as `make run` loads it."""
    call_command("loaddata", str(FIXTURE_DEMO), verbosity=0)
    return Convenio.objects.get(evaluacion__programa__clave="01020401")


# --- Real browser (Playwright for Python driving Debian's Chromium) -----------------

CHROMIUM = "/usr/bin/chromium"
CAPTURAS = settings.BASE_DIR / "test-artifacts" / "capturas"


@pytest.fixture(scope="session")
def navegador():
    """Headless Chromium from Debian. In CI its absence is a failure; elsewhere a visible skip."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} no está instalado; .ci/run debe instalar el paquete chromium")
        pytest.skip(f"{CHROMIUM} no está instalado: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls
    # happen outside of it, between browser steps.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def pagina(navegador):
    contexto = navegador.new_context(
        locale="es-MX", timezone_id="America/Mexico_City", viewport={"width": 1280, "height": 900}
    )
    page = contexto.new_page()
    page.set_default_timeout(15_000)
    yield page
    contexto.close()


@pytest.fixture
def captura(request):
    """captura(page, "nombre") saves a full-page screenshot under test-artifacts/capturas/<test>/ when the run
    asks for them (``make capturas``, CAPTURAS=1). They are for a person to look at, no test reads them, and
    drawing and compressing them was a fifth of the browser walk; ``make test`` does without."""
    import os

    if os.environ.get("CAPTURAS") != "1":
        return lambda page, nombre: None
    carpeta = CAPTURAS / request.node.name
    carpeta.mkdir(parents=True, exist_ok=True)
    contador = iter(range(1, 1000))

    def guardar(page, nombre: str) -> None:
        page.screenshot(path=str(carpeta / f"{next(contador):02d}-{nombre}.png"), full_page=True)

    return guardar


# --- Accessibility (axe-core from the npm registry: package.json, `npm ci` in `make install-dev`) ---

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ETIQUETAS_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_core() -> str:
    """The text of axe.min.js. In CI its absence is a failure; elsewhere a visible skip."""
    import os

    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Falta {AXE}: `make install-dev` lo instala con npm ci")
        pytest.skip(f"Falta {AXE}: npm ci")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def violaciones_graves(axe_core):
    """violaciones_graves(page) -> the serious and critical WCAG 2.1 A/AA violations axe finds on the page.

    axe is evaluated through the DevTools protocol, which the page's CSP (no inline script) does not govern.
    Every rule still runs on every node; `resultTypes` only spares axe describing each node that passed or
    was inapplicable (it keeps one of each), most of its time on a long page. Violations come complete.
    `iframes: false`: axe is evaluated in the top document only, so a frame (the evidence's PDF preview) never
    answered axe's call and every run on such a page waited axe's half-second timeout for it. The frame
    element itself is still checked (its title: ``frame-title``).
    """

    def revisar(page) -> list[dict]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_core + "\n;void 0")
        resultado = page.evaluate(
            "etiquetas => axe.run(document, {runOnly: {type: 'tag', values: etiquetas}, resultTypes: ['violations'], "
            "iframes: false})",
            ETIQUETAS_WCAG,
        )
        return [
            {"regla": v["id"], "impacto": v["impact"], "nodos": [n["target"] for n in v["nodes"]][:5]}
            for v in resultado["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return revisar
