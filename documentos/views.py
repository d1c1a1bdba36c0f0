"""Preview, issue and download official documents; the public verification page.

Every view's first line is the access check: what the user may not see is a 404;
what they see but may not do (only IMPLAN issues) is a 403.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convenios.models import hoy
from documentos import selectors, services
from documentos.firma import ArchivosEFirma
from documentos.forms import CAMPO_DEL_ERROR, CodigoForm, EFirmaForm, VerificarArchivoForm
from documentos.models import FIRMABLES_DESDE_CONVENIO, Documento, TipoDocumento
from documentos.permissions import exigir_emitir_permission, get_documento_for_user
from operacion.almacenamiento import respuesta_descarga
from seguimiento import confirmacion
from seguimiento.permissions import get_convenio_for_user, get_prorroga_for_user, get_sesion_for_user
from seguridad.limites import limitar_tasa

EMITIR_DESDE_CONVENIO: dict[str, Callable[..., Documento]] = {
    TipoDocumento.CONVENIO: services.convenio_documento_emitir,
    TipoDocumento.OFICIO_CUMPLIMIENTO: services.oficio_cumplimiento_emitir,
    TipoDocumento.VISTA_CONTRALORIA: services.vista_contraloria_emitir,
    TipoDocumento.ANEXO1: services.anexo1_emitir,
}


def _pdf_borrador(pdf: bytes, tipo: str) -> HttpResponse:
    respuesta = HttpResponse(pdf, content_type="application/pdf")
    respuesta["Content-Disposition"] = f'inline; filename="BORRADOR-{tipo}.pdf"'
    # A draft reflects live data: never serve a stale one from a cache.
    respuesta["Cache-Control"] = "no-store"
    return respuesta


def _siguiente(request: HttpRequest, por_omision: str) -> str:
    """The page that posted (``siguiente``) when it is ours, else ``por_omision``."""
    siguiente = request.POST.get("siguiente", "")
    if siguiente and url_has_allowed_host_and_scheme(
        siguiente, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return siguiente
    return por_omision


# What issuing each kind adds to the general consequences (issue 13: a confirmation for every folio).
CONSECUENCIA_POR_TIPO: dict[str, Any] = {
    TipoDocumento.CONVENIO: gettext_lazy(
        "El convenio queda archivado como documento oficial con los datos capturados hoy."
    ),
    TipoDocumento.OFICIO_CUMPLIMIENTO: gettext_lazy(
        "El oficio de cumplimiento declara atendido el convenio (cláusula QUINTA) y se notifica a las partes."
    ),
    TipoDocumento.VISTA_CONTRALORIA: gettext_lazy(
        "El oficio da vista a la Contraloría de los aspectos no atendidos (cláusula QUINTA), "
        "que puede iniciar un procedimiento (cláusula SEXTA)."
    ),
    TipoDocumento.RESOLUCION_PRORROGA: gettext_lazy(
        "La resolución de la prórroga queda como documento oficial con su folio."
    ),
    TipoDocumento.ACTA_SESION: gettext_lazy(
        "El acta de la sesión queda como documento oficial con la asistencia y los acuerdos."
    ),
    TipoDocumento.ANEXO1: gettext_lazy(
        "El Anexo 1 de la evaluación queda como documento oficial con los datos de hoy y se publica en el portal "
        "de transparencia (LGCG art. 79); la página del portal sigue mostrando los datos al día."
    ),
}


def _emitir(request: HttpRequest, tipo: str, emitir: Callable[[], Documento], volver: str) -> HttpResponse:
    """Issues after the confirmation page (a folio is consecutive and never reused), then back to the page."""
    if not confirmacion.confirmado(request):
        etiqueta = TipoDocumento(tipo).label
        return confirmacion.pedir(
            request,
            titulo=_("Emitir con folio: %(documento)s") % {"documento": etiqueta},
            consecuencias=[
                _(
                    "Se asignará a «%(documento)s» el siguiente folio consecutivo del municipio; "
                    "un folio no se reutiliza nunca."
                )
                % {"documento": etiqueta},
                _(
                    "El PDF se archiva tal como está, con su SHA-256, y ya no se vuelve a generar; "
                    "cualquiera puede verificarlo en la página pública de verificación."
                ),
                str(CONSECUENCIA_POR_TIPO[tipo]),
            ],
            boton=_("Sí, emitir con folio"),
            volver=volver,
        )
    try:
        documento = emitir()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Se emitió el documento «%(documento)s» con el folio %(folio)s.")
            % {"documento": documento.get_tipo_display(), "folio": documento.folio},
        )
    return HttpResponseRedirect(volver)


@require_GET
@login_required
def convenio_documentos(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    return render(
        request,
        "documentos/convenio_documentos.html",
        {"convenio": convenio, **selectors.contexto_lista(convenio, request.user)},
    )


@require_GET
@login_required
def convenio_borrador(request: HttpRequest, pk: int, tipo: str) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    if tipo not in EMITIR_DESDE_CONVENIO:
        raise Http404
    exigir_emitir_permission(request.user, convenio.municipio_id)
    return _pdf_borrador(services.documento_borrador(tipo=tipo, objeto=convenio, usuario=request.user), tipo)


@require_POST
@login_required
def convenio_emitir(request: HttpRequest, pk: int, tipo: str) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    if tipo not in EMITIR_DESDE_CONVENIO:
        raise Http404
    exigir_emitir_permission(request.user, convenio.municipio_id)
    return _emitir(
        request,
        tipo,
        lambda: EMITIR_DESDE_CONVENIO[tipo](convenio=convenio, usuario=request.user),
        _siguiente(request, reverse("documentos:convenio_documentos", args=[convenio.pk])),
    )


@require_GET
@login_required
def prorroga_borrador(request: HttpRequest, pk: int) -> HttpResponse:
    prorroga = get_prorroga_for_user(request.user, pk)
    exigir_emitir_permission(request.user, prorroga.aspecto.convenio.municipio_id)
    tipo = TipoDocumento.RESOLUCION_PRORROGA
    return _pdf_borrador(services.documento_borrador(tipo=tipo, objeto=prorroga, usuario=request.user), tipo)


@require_POST
@login_required
def prorroga_emitir(request: HttpRequest, pk: int) -> HttpResponse:
    prorroga = get_prorroga_for_user(request.user, pk)
    convenio = prorroga.aspecto.convenio
    exigir_emitir_permission(request.user, convenio.municipio_id)
    return _emitir(
        request,
        TipoDocumento.RESOLUCION_PRORROGA,
        lambda: services.resolucion_prorroga_emitir(prorroga=prorroga, usuario=request.user),
        _siguiente(request, reverse("documentos:convenio_documentos", args=[convenio.pk])),
    )


@require_GET
@login_required
def sesion_borrador(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    exigir_emitir_permission(request.user, sesion.municipio_id)
    tipo = TipoDocumento.ACTA_SESION
    return _pdf_borrador(services.documento_borrador(tipo=tipo, objeto=sesion, usuario=request.user), tipo)


@require_POST
@login_required
def sesion_emitir(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    exigir_emitir_permission(request.user, sesion.municipio_id)
    convenio = sesion.convenios.order_by("pk").first()
    destino = (
        reverse("documentos:convenio_documentos", args=[convenio.pk]) if convenio else reverse("seguimiento:inicio")
    )
    return _emitir(
        request,
        TipoDocumento.ACTA_SESION,
        lambda: services.acta_sesion_emitir(sesion=sesion, usuario=request.user),
        _siguiente(request, destino),
    )


# --- e.firma: issue and sign at once, or add the next signature to an issued document ------------------------


def _solo_en_memoria(vista: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Uploads of these views never touch the disk (the project's default handler writes a temporary file):
    the handlers must be set before anything reads ``request.POST``, hence CSRF checked after, inside."""
    protegida = csrf_protect(vista)

    @csrf_exempt
    @sensitive_post_parameters("password")
    def envoltura(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [MemoryFileUploadHandler(request)]
        return protegida(request, *args, **kwargs)

    envoltura.__name__ = vista.__name__
    return envoltura


@sensitive_variables("form", "archivos")
def _firmar(
    request: HttpRequest,
    *,
    titulo: str,
    firmar: Callable[[ArchivosEFirma], Any],
    volver_a: str,
    firmantes: list[Any],
) -> HttpResponse:
    """GET: the form. POST: sign; on a refusal the same form with the Spanish error next to its field."""
    pedida = request.GET.get("siguiente", "")
    if pedida and url_has_allowed_host_and_scheme(
        pedida, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        volver_a = pedida
    form = EFirmaForm(request.POST or None, request.FILES or None) if request.method == "POST" else EFirmaForm()
    if request.method == "POST" and form.is_valid():
        archivos = ArchivosEFirma(
            cer=form.cleaned_data["cer"], key=form.cleaned_data["key"], password=form.cleaned_data["password"]
        )
        try:
            resultado = firmar(archivos)
        except ValidationError as error:
            for mensaje in error.messages:
                form.add_error(CAMPO_DEL_ERROR.get(error.code or ""), mensaje)
        else:
            documento = getattr(resultado, "documento", resultado)
            messages.success(
                request,
                _("Se firmó con e.firma el documento «%(documento)s» con el folio %(folio)s.")
                % {"documento": documento.get_tipo_display(), "folio": documento.folio},
            )
            return HttpResponseRedirect(_siguiente(request, volver_a))
    return render(
        request,
        "documentos/firmar.html",
        {"form": form, "titulo": titulo, "firmantes": firmantes, "volver_a": volver_a},
    )


@require_http_methods(["GET", "POST"])
@login_required
@_solo_en_memoria
def convenio_firmar(request: HttpRequest, pk: int, tipo: str) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    if tipo not in FIRMABLES_DESDE_CONVENIO:
        raise Http404
    exigir_emitir_permission(request.user, convenio.municipio_id)
    return _firmar(
        request,
        titulo=_("Emitir y firmar con e.firma: %(documento)s") % {"documento": TipoDocumento(tipo).label},
        firmar=lambda archivos: EMITIR_DESDE_CONVENIO[tipo](convenio=convenio, usuario=request.user, efirma=archivos),
        volver_a=reverse("documentos:convenio_documentos", args=[convenio.pk]),
        firmantes=[convenio.implan.titular_en(hoy())],
    )


@require_http_methods(["GET", "POST"])
@login_required
@_solo_en_memoria
def prorroga_firmar(request: HttpRequest, pk: int) -> HttpResponse:
    prorroga = get_prorroga_for_user(request.user, pk)
    convenio = prorroga.aspecto.convenio
    exigir_emitir_permission(request.user, convenio.municipio_id)
    return _firmar(
        request,
        titulo=_("Emitir y firmar con e.firma: %(documento)s") % {"documento": TipoDocumento.RESOLUCION_PRORROGA.label},
        firmar=lambda archivos: services.resolucion_prorroga_emitir(
            prorroga=prorroga, usuario=request.user, efirma=archivos
        ),
        volver_a=reverse("documentos:convenio_documentos", args=[convenio.pk]),
        firmantes=[convenio.implan.titular_en(hoy())],
    )


@require_http_methods(["GET", "POST"])
@login_required
@_solo_en_memoria
def sesion_firmar(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    exigir_emitir_permission(request.user, sesion.municipio_id)
    convenio = sesion.convenios.order_by("pk").first()
    return _firmar(
        request,
        titulo=_("Emitir y firmar con e.firma: %(documento)s") % {"documento": TipoDocumento.ACTA_SESION.label},
        firmar=lambda archivos: services.acta_sesion_emitir(sesion=sesion, usuario=request.user, efirma=archivos),
        volver_a=(
            reverse("documentos:convenio_documentos", args=[convenio.pk]) if convenio else reverse("seguimiento:inicio")
        ),
        firmantes=[a.dependencia.titular_en(sesion.fecha) for a in sesion.asistencias.select_related("dependencia")],
    )


@require_http_methods(["GET", "POST"])
@login_required
@_solo_en_memoria
def documento_firmar(request: HttpRequest, pk: int) -> HttpResponse:
    """The next signatures of an issued document: whoever sees it and holds the e.firma of a pending signatory."""
    documento = get_documento_for_user(request.user, pk)
    pendientes = list(documento.firmas.filter(firmado_en__isnull=True).select_related("titular"))
    if not pendientes:
        raise Http404
    convenio = documento.convenio or (documento.sesion.convenios.order_by("pk").first() if documento.sesion else None)
    return _firmar(
        request,
        titulo=_("Firmar con e.firma: %(documento)s %(folio)s")
        % {"documento": documento.get_tipo_display(), "folio": documento.folio},
        firmar=lambda archivos: services.documento_firmar(documento=documento, efirma=archivos, usuario=request.user),
        volver_a=(
            reverse("documentos:convenio_documentos", args=[convenio.pk]) if convenio else reverse("seguimiento:inicio")
        ),
        firmantes=[registro.titular for registro in pendientes],
    )


@require_GET
@login_required
def descargar(request: HttpRequest, pk: int) -> HttpResponse:
    documento = get_documento_for_user(request.user, pk)
    # A stream from the disk, or a redirect to a 60-s presigned URL on S3; 404 when the file is missing.
    return respuesta_descarga(documento.archivo, documento.nombre_descarga, "application/pdf")


# --- Public: no login. Shows what the document is, never its contents nor any evidence. ----------------


@require_GET
def verificar_inicio(request: HttpRequest) -> HttpResponse:
    """By the code under the QR or by the folio printed on the letter (``IMPLAN/OC/2026/001``)."""
    form = CodigoForm(request.GET or None)
    if form.is_valid():
        return redirect("documentos:verificar", codigo=form.cleaned_data["codigo"])
    return render(request, "documentos/verificar_inicio.html", {"form": form})


def _sha256(archivo: Any) -> str:
    resumen = hashlib.sha256()
    for bloque in archivo.chunks():
        resumen.update(bloque)
    return resumen.hexdigest()


def _leer_archivado(documento: Documento) -> bytes | None:
    try:
        with documento.archivo.open("rb") as archivo:
            return archivo.read()
    except OSError:
        return None


@require_http_methods(["GET", "POST"])
@limitar_tasa("verificacion", "10/m")  # POSTs (uploads) per address; settings.LIMITES_DE_TASA
def verificar(request: HttpRequest, codigo: str) -> HttpResponse:
    # pyHanko (0.3 s to import) only in the process that verifies a signature, not in every one that starts.
    from documentos import verificacion

    documento = get_object_or_404(
        Documento.objects.select_related(
            "municipio", "convenio__evaluacion__programa", "convenio__dependencia_evaluada"
        ),
        codigo_verificacion=codigo,
    )
    resultado: bool | None = None
    firmas_subido = None
    if request.method == "POST":
        form = VerificarArchivoForm(request.POST, request.FILES)
        if form.is_valid():
            archivo = form.cleaned_data["archivo"]
            resultado = archivo.size == documento.tamano and hmac.compare_digest(_sha256(archivo), documento.sha256)
            archivo.seek(0)
            firmas_subido = verificacion.verificar_firmas(archivo.read())
    else:
        form = VerificarArchivoForm()
    archivado = _leer_archivado(documento) if documento.firmas.filter(firmado_en__isnull=False).exists() else None
    return render(
        request,
        "documentos/verificar.html",
        {
            "documento": documento,
            "form": form,
            "resultado": resultado,
            "firmas_archivado": verificacion.verificar_firmas(archivado) if archivado else [],
            "firmas_subido": firmas_subido,
        },
        status=200,
    )


# --- The convenio's incumplimiento (cláusula QUINTA), once every item is final and the vistas were given ------


@require_POST
@login_required
def convenio_incumplimiento(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    exigir_emitir_permission(request.user, convenio.municipio_id)
    volver = reverse("seguimiento:convenio", args=[convenio.pk])
    if not confirmacion.confirmado(request):
        return confirmacion.pedir(
            request,
            titulo=_("Declarar el incumplimiento: convenio de %(programa)s")
            % {"programa": convenio.evaluacion.programa},
            consecuencias=[
                _("El convenio quedará «Incumplido» (cláusula QUINTA), un estado final."),
                _("Se avisa a las partes; la Contraloría ya tiene la vista de cada aspecto no atendido."),
            ],
            boton=_("Sí, declarar el incumplimiento"),
            volver=volver,
        )
    try:
        services.convenio_declarar_incumplido(convenio=convenio, usuario=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("El convenio quedó incumplido."))
    return redirect(volver)
