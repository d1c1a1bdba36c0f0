"""Every user-facing string goes through gettext: the text of our templates (and the attributes a screen
reader or a tooltip reads) inside {% translate %} / {% blocktranslate %}, and in Python the labels, help
texts, choices, messages, form errors and exceptions shown to a user inside _() / gettext_lazy().

Both checks read the source, so a new untranslated string fails here with its file and line. Each checker is
first tried on a few lines it must flag and a few it must let through: the test can fail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template import engines

RAIZ = Path(settings.BASE_DIR).resolve()

# --- Templates ---------------------------------------------------------------------------------------------

ETIQUETA_DE_PLANTILLA = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
# Words that read the same in any language: acronyms and formats.
SIGLAS = {
    "API",
    "ASM",
    "CC",
    "BY",
    "CONAC",
    "CONEVAL",
    "CSV",
    "DOCX",
    "HTML",
    "ID",
    "IMPLAN",
    "JPEG",
    "JSON",
    "KB",
    "MB",
    "ODS",
    "ODT",
    "PAE",
    "PDF",
    "PNG",
    "PPTX",
    "QR",
    "RFC",
    "SHA",
    "TOTP",
    "UIPPE",
    "URL",
    "UTF",
    "XLSX",
}
PALABRA = re.compile(r"[^\W\d_]{2,}")
ENTIDAD = re.compile(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# Read aloud by a screen reader or shown as a tooltip: as much text as the page's own.
ATRIBUTOS = re.compile(
    r"""\s(title|alt|aria-label|aria-description|aria-roledescription|placeholder|summary|label)\s*=\s*(["'])(.*?)\2""",
    re.S | re.I,
)
# Content that is code, not prose.
CODIGO = re.compile(r"<(script|style|code)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
ETIQUETA_HTML = re.compile(r"</?[a-zA-Z!][^>]*>", re.S)
# A literal argument with prose in it (a space, an accent or parentheses): `|default:"Sin dato"`,
# `{% include … with titulo="Vencidos" %}`. `_("…")` is the template language's gettext.
LITERAL = re.compile(r"""(?:(?:default|default_if_none|yesno):|\b\w+=)(["'])(?P<texto>[^"']*)\1""")
BLOQUES_OMITIDOS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
BLOQUES_OMITIDOS |= {"comment": "endcomment", "verbatim": "endverbatim"}


def _es_texto(texto: str) -> bool:
    """Prose: a word with a lower-case letter, or an upper-case word that is not an acronym ("CLÁUSULAS")."""
    for palabra in PALABRA.findall(ENTIDAD.sub(" ", texto)):
        if any(letra.islower() for letra in palabra) or palabra not in SIGLAS:
            return True
    return False


def _en_blanco(texto: str) -> str:
    """Same length and the same line breaks, nothing readable: positions still map to the source's lines."""
    return re.sub(r"[^\n]", "\x00", texto)


def textos_sin_traducir(fuente: str) -> list[tuple[int, str]]:
    """(line, text) of each piece of prose in a template outside the translation tags."""
    hallados: list[tuple[int, str]] = []
    partes = []
    pos = 0
    cierre: str | None = None
    for etiqueta in ETIQUETA_DE_PLANTILLA.finditer(fuente):
        texto = fuente[pos : etiqueta.start()]
        partes.append(_en_blanco(texto) if cierre else texto)
        contenido = etiqueta.group(0)[2:-2].split()
        palabra = contenido[0] if contenido else ""
        if cierre:
            cierre = None if palabra == cierre else cierre
        elif palabra in BLOQUES_OMITIDOS:
            cierre = BLOQUES_OMITIDOS[palabra]
        elif etiqueta.group(0)[:2] in ("{%", "{{") and palabra not in ("url", "static", "load", "extends"):
            for literal in LITERAL.finditer(etiqueta.group(0)):
                valor = literal.group("texto")
                prosa = re.search(r"\s|[()]|[^\x00-\x7f]", valor)
                if prosa and _es_texto(valor) and not etiqueta.group(0)[: literal.start()].endswith("_("):
                    hallados.append((fuente.count("\n", 0, etiqueta.start()) + 1, valor))
        partes.append(_en_blanco(etiqueta.group(0)))
        pos = etiqueta.end()
    partes.append(_en_blanco(fuente[pos:]) if cierre else fuente[pos:])
    limpio = CODIGO.sub(lambda m: _en_blanco(m.group(0)), "".join(partes))

    def etiqueta_html(m: re.Match[str]) -> str:
        for atributo in ATRIBUTOS.finditer(m.group(0)):
            if _es_texto(atributo.group(3)):
                linea = limpio.count("\n", 0, m.start() + atributo.start()) + 1
                hallados.append((linea, f"{atributo.group(1)}={atributo.group(3).strip()}"))
        return _en_blanco(m.group(0))

    limpio = ETIQUETA_HTML.sub(etiqueta_html, limpio)
    for numero, linea in enumerate(limpio.split("\n"), start=1):
        for trozo in linea.split("\x00"):
            if _es_texto(trozo):
                hallados.append((numero, trozo.strip()))
    return sorted(hallados)


def _carpetas_de_plantillas() -> list[Path]:
    """The project's template folders (settings.TEMPLATES and each of our apps), not those of installed packages."""
    carpetas = []
    for carpeta in engines["django"].template_dirs:
        carpeta = Path(carpeta).resolve()
        if carpeta.is_relative_to(RAIZ) and "site-packages" not in carpeta.parts and carpeta.is_dir():
            carpetas.append(carpeta)
    return carpetas


def test_el_revisor_de_plantillas_encuentra_lo_que_falta_traducir():
    assert textos_sin_traducir("<p>Hola</p>") == [(1, "Hola")]
    assert textos_sin_traducir('<nav aria-label="Ruta">\n<a title="Abrir el convenio">1</a>') == [
        (1, "aria-label=Ruta"),
        (2, "title=Abrir el convenio"),
    ]
    assert textos_sin_traducir("<h2>CLÁUSULAS</h2>") == [(1, "CLÁUSULAS")]
    assert textos_sin_traducir('{{ fecha|default:"Sin fecha" }}') == [(1, "Sin fecha")]
    assert textos_sin_traducir('{% include "x.html" with titulo="Vencidos hoy" %}') == [(1, "Vencidos hoy")]
    assert textos_sin_traducir("{% if a %}Texto{% endif %} de más") == [(1, "Texto"), (1, "de más")]
    traducido = """{% load i18n %}<p>{% translate "Hola" %}</p>
<nav aria-label="{% translate 'Ruta' %}">{% blocktranslate with n=x.y %}Hay <b>{{ n }}</b> aspectos{% endblocktranslate %}
{{ fecha|default:_("Sin fecha") }} {% include "x.html" with titulo=_("Vencidos hoy") prefijo="firma" %}
<code>pagina</code> <script src="a.js"></script> PAE {{ anio }} · SHA-256 &nbsp; {# un comentario #}
{% comment %}Notas para quien mantiene{% endcomment %}"""
    assert textos_sin_traducir(traducido) == []


def test_las_carpetas_de_plantillas_del_proyecto_se_revisan_todas():
    carpetas = {carpeta.relative_to(RAIZ).as_posix() for carpeta in _carpetas_de_plantillas()}
    assert {"templates", "supervision/templates"} <= carpetas
    assert not any("site-packages" in c for c in carpetas)


@pytest.mark.parametrize(
    "plantilla",
    sorted(
        p.relative_to(RAIZ).as_posix()
        for carpeta in _carpetas_de_plantillas()
        for p in carpeta.rglob("*")
        if p.suffix in (".html", ".txt")
    ),
)
def test_cada_plantilla_pasa_su_texto_por_gettext(plantilla):
    assert textos_sin_traducir((RAIZ / plantilla).read_text(encoding="utf-8")) == []


# --- Python ------------------------------------------------------------------------------------------------

TRADUCCION = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
ARGUMENTOS_VISIBLES = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "empty_label",
    "empty_value_display",
    "description",
    "short_description",
    "summary",
    "title",
    "violation_error_message",
    # seguimiento.confirmacion.pedir: the confirmation page of an irreversible act.
    "titulo",
    "boton",
}
EXCEPCIONES_VISIBLES = {"ValidationError", "PermissionDenied", "ParseError", "NotFound"}
NIVELES_DE_MENSAJE = {"debug", "info", "success", "warning", "error"}
ATRIBUTOS_DE_WIDGET = {"placeholder", "title", "aria-label", "aria-description"}


def _literal(nodo: ast.AST) -> str | None:
    """The text of a plain string, an f-string or a concatenation of them (not of a gettext call)."""
    if isinstance(nodo, ast.Constant) and isinstance(nodo.value, str):
        return nodo.value
    if isinstance(nodo, ast.JoinedStr):
        return "".join(v.value for v in nodo.values if isinstance(v, ast.Constant))
    if isinstance(nodo, ast.BinOp) and isinstance(nodo.op, ast.Add):
        partes = [_literal(nodo.left), _literal(nodo.right)]
        return "".join(p for p in partes if p) if any(p is not None for p in partes) else None
    return None


def _prosa(nodo: ast.AST) -> str | None:
    texto = _literal(nodo)
    return texto if texto and any(any(c.islower() for c in p) for p in PALABRA.findall(texto)) else None


def _nombre(nodo: ast.AST) -> str:
    return nodo.id if isinstance(nodo, ast.Name) else nodo.attr if isinstance(nodo, ast.Attribute) else ""


def cadenas_sin_traducir(fuente: str) -> list[tuple[int, str]]:
    """(line, text) of each string a user reads that is not wrapped in gettext."""
    hallados: list[tuple[int, str]] = []

    def anotar(nodo: ast.AST) -> None:
        if texto := _prosa(nodo):
            hallados.append((nodo.lineno, texto))

    for nodo in ast.walk(ast.parse(fuente)):
        if isinstance(nodo, ast.Call):
            funcion = _nombre(nodo.func)
            if funcion in TRADUCCION:
                continue
            for argumento in nodo.keywords:
                # A confirmation's title or button is a sentence; `titulo="nombre"` elsewhere names a key.
                sentencia = argumento.arg in ("titulo", "boton")
                if argumento.arg in ARGUMENTOS_VISIBLES and (not sentencia or " " in (_literal(argumento.value) or "")):
                    anotar(argumento.value)
                if argumento.arg == "consecuencias" and isinstance(argumento.value, ast.List):
                    for valor in argumento.value.elts:
                        anotar(valor)
                if argumento.arg == "error_messages" and isinstance(argumento.value, ast.Dict):
                    for valor in argumento.value.values:
                        anotar(valor)
            if funcion in EXCEPCIONES_VISIBLES and nodo.args:
                anotar(nodo.args[0])
            es_mensaje = funcion in NIVELES_DE_MENSAJE and _nombre(getattr(nodo.func, "value", None)) == "messages"
            if (es_mensaje or funcion in ("message_user", "add_error")) and len(nodo.args) >= 2:
                anotar(nodo.args[1])
        elif (
            isinstance(nodo, ast.Assign) and len(nodo.targets) == 1 and _nombre(nodo.targets[0]) in ARGUMENTOS_VISIBLES
        ):
            anotar(nodo.value)
        elif isinstance(nodo, ast.Dict):
            for clave, valor in zip(nodo.keys, nodo.values, strict=True):
                if isinstance(clave, ast.Constant) and clave.value in ATRIBUTOS_DE_WIDGET:
                    anotar(valor)
        elif isinstance(nodo, ast.ClassDef) and any(
            _nombre(b) in ("TextChoices", "IntegerChoices") for b in nodo.bases
        ):
            for miembro in nodo.body:
                if isinstance(miembro, ast.Assign) and isinstance(miembro.value, ast.Tuple) and miembro.value.elts:
                    anotar(miembro.value.elts[-1])
    return sorted(hallados)


def _modulos_propios() -> list[str]:
    """Our apps' modules, without tests, migrations and management commands (their output is for operators)."""
    modulos = []
    for app in apps.get_app_configs():
        carpeta = Path(app.path).resolve()
        if not carpeta.is_relative_to(RAIZ) or "site-packages" in carpeta.parts:
            continue
        for archivo in carpeta.rglob("*.py"):
            partes = archivo.relative_to(RAIZ).parts
            if not {"tests", "migrations", "management"} & set(partes):
                modulos.append(archivo.relative_to(RAIZ).as_posix())
    return sorted(modulos)


def test_el_revisor_de_python_encuentra_lo_que_falta_traducir():
    fuente = """
class Estado(models.TextChoices):
    ABIERTO = "abierto", "Abierto"
    CERRADO = "cerrado", _("Cerrado")

class Ficha(forms.Form):
    nombre = forms.CharField(label="Nombre completo", help_text=_("Como en su identificación."))
    codigo = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Seis dígitos", "class": "form-control"}))

def vista(request, form):
    messages.success(request, f"Se guardó {form}.")
    messages.info(request, _("Sin cambios."))
    form.add_error("codigo", "El código no es válido.")
    raise PermissionDenied("Solo el IMPLAN.")

def confirmar(request):
    return confirmacion.pedir(request, titulo="Emitir con folio", consecuencias=["No se deshace."], boton=_("Sí"))
    grafica = barras(filas, etiqueta="nombre", titulo="nombre")
"""
    assert cadenas_sin_traducir(fuente) == [
        (3, "Abierto"),
        (7, "Nombre completo"),
        (8, "Seis dígitos"),
        (11, "Se guardó ."),
        (13, "El código no es válido."),
        (14, "Solo el IMPLAN."),
        (17, "Emitir con folio"),
        (17, "No se deshace."),
    ]


def test_los_modulos_revisados_incluyen_los_de_cada_app():
    modulos = _modulos_propios()
    for esperado in (
        "convenios/models/convenio.py",
        "seguimiento/views.py",
        "transparencia/serializers.py",
        "cuentas/forms.py",
    ):
        assert esperado in modulos
    assert not [m for m in modulos if "/tests/" in m or "/migrations/" in m]


@pytest.mark.parametrize("modulo", _modulos_propios())
def test_cada_modulo_pasa_por_gettext_lo_que_lee_el_usuario(modulo):
    assert cadenas_sin_traducir((RAIZ / modulo).read_text(encoding="utf-8")) == []
