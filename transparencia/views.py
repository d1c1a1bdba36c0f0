"""The public portal: no login, nothing personal, every page cacheable (ETag / Last-Modified).

Every view starts from a queryset of ``transparencia.selectors`` (the one definition
of what is public); an object that is not public is a 404, exactly like one that
does not exist.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from convenios import politica
from convenios.models import Evaluacion, Modificacion, Municipio, hoy
from documentos import contextos
from documentos.anexo1 import datos_anexo1
from documentos.models import TipoDocumento
from documentos.render import generar_pdf
from operacion.almacenamiento import nombre_descarga
from operacion.replica import lee_de_replica
from seguimiento.archivos import detectar_tipo
from transparencia import selectors
from transparencia.forms import FiltrosForm
from transparencia.models import Anexo1, plazo_publicacion

SEGUNDOS_CACHE_NAVEGADOR = 60
SEGUNDOS_PAGINA = 60 * 60
"""How long a rendered page stays in the cache; a change of the public data replaces it sooner (new key)."""
POR_PAGINA = 20


def en_cache(vista: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The rendered page, kept in the project's cache under the fingerprint of the public data.

    A page is rendered once per change of the data (or of the day, which moves the
    semáforo) and per address; every other visitor gets the stored bytes. The key has
    the whole address (host and query included: some pages print absolute URLs) and
    the language. Public pages show nothing of the visitor, so one copy serves all.
    """

    @wraps(vista)
    def envoltura(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        firma = f"{selectors.huella_de(request).etag}|{request.LANGUAGE_CODE}|{request.build_absolute_uri()}"
        clave = "transparencia:pagina:" + hashlib.sha256(firma.encode()).hexdigest()
        # This process's copy first, then the shared cache (Redis in production).
        guardada = caches["paginas"].get(clave)
        if guardada is None and (guardada := cache.get(clave)) is not None:
            caches["paginas"].set(clave, guardada, SEGUNDOS_PAGINA)
        if guardada is not None:
            contenido, tipo = guardada
            return HttpResponse(contenido, content_type=tipo)
        respuesta = vista(request, *args, **kwargs)
        if hasattr(respuesta, "render"):  # the API's responses are rendered after the view
            respuesta.render()
        if respuesta.status_code == 200 and not respuesta.streaming:
            guardada = (respuesta.content, respuesta["Content-Type"])
            cache.set(clave, guardada, SEGUNDOS_PAGINA)
            caches["paginas"].set(clave, guardada, SEGUNDOS_PAGINA)
        return respuesta

    return envoltura


def publico(vista: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only, answered with 304 when the visitor already has the current version.

    ``public, max-age`` lets browsers and any proxy in front keep a page for a minute,
    so a burst of visitors costs one rendering; the ETag makes revalidation cheap.
    """
    vista = condition(etag_func=selectors.etag_publico, last_modified_func=selectors.ultima_modificacion_publica)(vista)
    vista = cache_control(public=True, max_age=SEGUNDOS_CACHE_NAVEGADOR)(vista)
    # Published data only: read from the read replica when there is one (operacion.replica).
    return lee_de_replica(require_safe(vista))


@publico
@en_cache
def inicio(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    municipio = get_object_or_404(Municipio, slug=slug) if slug else None
    municipios = list(selectors.municipios_publicos()) if municipio is None else []
    form = FiltrosForm(request.GET or None, municipio=municipio, municipios=municipios)
    if form.is_bound:
        form.is_valid()
    filtros = form.filtros() if form.is_bound else selectors.Filtros(municipio=municipio)
    pagina = Paginator(selectors.evaluaciones_del_portal(filtros), POR_PAGINA).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    return render(
        request,
        "transparencia/inicio.html",
        {
            "municipio": municipio,
            "municipios": municipios,
            "form": form,
            "pagina": pagina,
            "consulta": consulta.urlencode(),
            "hoy": hoy(),
            # The list of municipios does not depend on the search: rendered once per change of the public data.
            "huella": f"{selectors.huella_de(request).etag}:{get_language()}",
        },
    )


@publico
@en_cache
def convenio(request: HttpRequest, pk: int) -> HttpResponse:
    objeto = get_object_or_404(selectors.convenios_publicos(partes=False), pk=pk)
    selectors.agregar_partes([objeto])
    return render(
        request,
        "transparencia/convenio.html",
        {
            "convenio": objeto,
            "evaluacion": objeto.evaluacion,
            "avance": selectors.porcentaje_avance(objeto),
            **selectors.aspectos_del_convenio(objeto),
            "documentos": selectors.documentos_publicos(objeto),
            "modificaciones": objeto.modificaciones.all(),
            "url_documento_modificacion": "transparencia:modificacion",
            "hoy": hoy(),
        },
    )


@publico
@en_cache
def anexo1(request: HttpRequest, pk: int) -> HttpResponse:
    evaluacion = get_object_or_404(selectors.evaluaciones_publicas(), pk=pk)
    # The Anexo 1 IMPLAN issued (folio, e.firma) is the official one; the page shows today's data.
    emitido = selectors.documentos_legibles().filter(tipo=TipoDocumento.ANEXO1, convenio__evaluacion=evaluacion)
    return render(
        request,
        "transparencia/anexo1.html",
        {**_contexto_anexo1(request, evaluacion), "emitido": emitido.order_by("emitido_en", "pk").first()},
    )


@publico
def anexo1_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    evaluacion = get_object_or_404(selectors.evaluaciones_publicas(), pk=pk)
    # Rendering a PDF costs CPU: keep it while the public data has not changed.
    clave = f"transparencia:anexo1:{pk}:{selectors.huella_publica().etag}"
    contenido = cache.get(clave)
    if contenido is None:
        datos = contextos.anexo1(evaluacion, hoy(), None, _contexto_anexo1(request, evaluacion))
        contenido = generar_pdf("anexo1", datos, borrador=False).pdf
        cache.set(clave, contenido, 60 * 60)
    respuesta = HttpResponse(contenido, content_type="application/pdf")
    nombre = f"anexo1-{evaluacion.programa.clave}-pae{evaluacion.anio_pae}.pdf"
    respuesta["Content-Disposition"] = f'inline; filename="{nombre}"'
    return respuesta


def _contexto_anexo1(request: HttpRequest, evaluacion: Evaluacion) -> dict[str, Any]:
    """The Anexo 1 data, with this portal's own addresses as the default answers to section 7 (Difusión)."""
    return datos_anexo1(evaluacion, request.build_absolute_uri)


# --- Public files ------------------------------------------------------------------------

TIPOS_EN_LINEA = {"application/pdf", "image/png", "image/jpeg"}


def _archivo(campo: FieldFile, nombre: str, tipo: str | None = None) -> FileResponse:
    """Serves a stored file named with its type's extension; a file missing on disk is a 404, not a server error.

    ``tipo`` is the type stored with the file (evidence); without one it comes from the bytes,
    never from the name the file was uploaded with (a PDF/HTML polyglot named ``.html``).
    """
    try:
        manejador = campo.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("El archivo no está disponible.") from error
    if tipo is None:
        try:
            tipo = detectar_tipo(manejador).tipo_contenido
        except ValidationError:
            tipo = "application/octet-stream"
    respuesta = FileResponse(
        manejador,
        as_attachment=tipo not in TIPOS_EN_LINEA,
        filename=nombre_descarga(nombre, tipo),
        content_type=tipo,
    )
    # Uploaded content is never run as a page of this site, even if a browser tried.
    respuesta["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return respuesta


@publico
def informe_final(request: HttpRequest, pk: int) -> FileResponse:
    evaluacion = get_object_or_404(selectors.evaluaciones_publicas().exclude(informe_final=""), pk=pk)
    nombre = f"informe-final-{evaluacion.programa.clave}-pae{evaluacion.anio_pae}"
    return _archivo(evaluacion.informe_final, nombre)


@publico
def convenio_firmado(request: HttpRequest, pk: int) -> FileResponse:
    objeto = get_object_or_404(selectors.convenios_publicos().exclude(documento_firmado=""), pk=pk)
    return _archivo(objeto.documento_firmado, f"convenio-{objeto.evaluacion.programa.clave}-{objeto.pk}")


@publico
def modificacion(request: HttpRequest, pk: int) -> FileResponse:
    """The signed modifying agreement (cláusula NOVENA) of a public convenio."""
    objeto = get_object_or_404(Modificacion.objects.filter(convenio__in=selectors.convenios_publicos()), pk=pk)
    return _archivo(objeto.documento, f"modificacion-{objeto.numero}-convenio-{objeto.convenio_id}", "application/pdf")


@publico
def documento(request: HttpRequest, pk: int) -> FileResponse:
    """The archived PDF of an issued letter a citizen may read (``selectors.documentos_legibles``); else a 404."""
    objeto = get_object_or_404(selectors.documentos_legibles(), pk=pk)
    return _archivo(objeto.archivo, objeto.nombre_descarga, "application/pdf")


@publico
def evidencia(request: HttpRequest, pk: int) -> FileResponse:
    """Only evidence IMPLAN marked publicable, of a public convenio; the rest is a 404."""
    objeto = get_object_or_404(selectors.evidencias_publicas(), pk=pk)
    # A generated name: the original one may carry a person's name.
    return _archivo(objeto.archivo, f"evidencia-{objeto.pk}", objeto.tipo_contenido)


# --- IMPLAN: the 30-day publication limit (LGCG art. 79) -----------------------------------


@login_required
def plazos(request: HttpRequest) -> HttpResponse:
    """IMPLAN's countdown to publish each evaluation's Anexo 1; other roles get a 404."""
    if not politica.es_implan(request.user):
        raise Http404
    evaluaciones = (
        selectors.evaluaciones_publicas()
        .filter(pk__in=Evaluacion.objects.visibles_para(request.user).values("pk"))
        .order_by("fecha_termino", "programa__clave")
    )
    anexos = {a.evaluacion_id: a for a in Anexo1.objects.filter(evaluacion__in=evaluaciones)}
    fecha = hoy()
    filas = [(e, anexos.get(e.pk), plazo_publicacion(e, anexos.get(e.pk), fecha)) for e in evaluaciones]
    orden = {"vencido": 0, "por_vencer": 1, "en_plazo": 2, "sin_fecha": 3, "publicado": 4}
    filas.sort(key=lambda fila: (orden[fila[2].clave], fila[2].dias if fila[2].dias is not None else 0))
    return render(request, "transparencia/plazos.html", {"filas": filas, "hoy": fecha})
