"""Pages of the follow-up. First line of every view: the access helper (404 for what the user may not see)."""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios import politica
from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, Convenio, TipoDependencia
from operacion.almacenamiento import respuesta_descarga, respuesta_en_linea
from seguimiento import confirmacion, selectors, services, views_lote
from seguimiento.forms import (
    AvanceForm,
    ComentarioForm,
    DecisionForm,
    EvidenciaForm,
    ProrrogaResolucionForm,
    ProrrogaSolicitudForm,
    SesionForm,
    SesionRegistroForm,
)
from seguimiento.models import Accion, Evidencia, Movimiento, Prorroga, Sesion
from seguimiento.permissions import (
    get_aspecto_for_user,
    get_convenio_for_user,
    get_evidencia_for_user,
    get_prorroga_for_user,
    get_sesion_for_user,
)

# The item page shows the evidence preview (evidencia_ver) in an <iframe> of this site; also when it is
# rendered again with a form's errors.
CSP_VISTA_PREVIA = {"frame-src": [SELF]}


def _mensaje_de(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_GET
@login_required
def convenio(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    aspectos = list(Aspecto.objects.filter(convenio=convenio).con_semaforo().order_by("orden_tipo", "numero"))
    return render(
        request,
        "seguimiento/convenio.html",
        {
            "convenio": convenio,
            "hallazgos": [a for a in aspectos if a.tipo == "hallazgo"],
            "recomendaciones": [a for a in aspectos if a.tipo == "recomendacion"],
            "listo_para_oficio": politica.decidir(request.user, "oficio_cumplimiento", convenio),
            "actos": {
                nombre: politica.decidir(request.user, nombre, convenio)
                for nombre in ("firmar", "modificar", "incumplimiento")
            },
            "modificaciones": convenio.modificaciones.all(),
            # The modifying agreement is public like the convenio (cláusula OCTAVA): one address for both.
            "url_documento_modificacion": "transparencia:modificacion" if convenio.estado != "borrador" else "",
            "sesiones": convenio.sesiones.all(),
            "es_implan": politica.rol_de(request.user) == TipoDependencia.IMPLAN,
        },
    )


def _contexto_aspecto(request: HttpRequest, aspecto: Aspecto, **formularios: object) -> dict:
    usuario = request.user
    acciones = services.acciones_disponibles(usuario, aspecto)
    es_implan = politica.rol_de(usuario) == TipoDependencia.IMPLAN
    movimientos = list(Movimiento.objects.filter(aspecto=aspecto).select_related("usuario__dependencia"))
    evidencias = list(Evidencia.objects.filter(aspecto=aspecto).select_related("subida_por"))
    form_decision = formularios.get("form_decision")
    if form_decision is None and es_implan and acciones:
        form_decision = DecisionForm(acciones=acciones)
    return {
        "aspecto": aspecto,
        "convenio": aspecto.convenio,
        "semaforo": aspecto.semaforo_en(),
        "dias_vencido": aspecto.dias_vencido(),
        "evidencias": selectors.evidencias_con_situacion(evidencias, movimientos),
        "movimientos": movimientos,
        "prorrogas": Prorroga.objects.filter(aspecto=aspecto).select_related("solicitada_por", "resuelta_por"),
        "puede_enviar": Accion.ENVIAR in acciones,
        "form_decision": form_decision,
        "puede_subir": services.puede_subir_evidencia(usuario, aspecto),
        "puede_pedir_prorroga": services.puede_solicitar_prorroga(usuario, aspecto),
        "es_implan": es_implan,
        "siguiente_paso": selectors.SIGUIENTE_PASO[aspecto.estado],
        "form_evidencia": formularios.get("form_evidencia") or EvidenciaForm(aspecto=aspecto),
        "puede_reportar_avance": any(politica.decidir(usuario, "avance", a) for a in aspecto.acciones.all()[:1]),
        "form_avance": AvanceForm(),
        "form_resolucion": ProrrogaResolucionForm(),
    }


@require_GET
@login_required
@csp_update(CSP_VISTA_PREVIA)
def aspecto(request: HttpRequest, pk: int) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    return render(request, "seguimiento/aspecto.html", _contexto_aspecto(request, aspecto))


@require_POST
@login_required
@csp_update(CSP_VISTA_PREVIA)
def evidencia_subir(request: HttpRequest, pk: int) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    if not services.puede_subir_evidencia(request.user, aspecto):
        raise PermissionDenied
    form = EvidenciaForm(request.POST, request.FILES, aspecto=aspecto)
    if form.is_valid():
        resultado = views_lote.entregar(
            accion=form.cleaned_data.get("accion"),
            aspecto=aspecto,
            usuario=request.user,
            archivos=form.cleaned_data["archivo"],
            descripcion=form.cleaned_data["descripcion"],
            formato=form.cleaned_data["formato"],
            enviar=request.POST.get("enviar") == "si",
        )
        if resultado.hechos:
            resultado.avisar(request, _("Se guardó %(lista)s."))
            if resultado.enviado:
                messages.success(
                    request, _("%(aspecto)s · enviado a revisión. Estado: En revisión.") % {"aspecto": aspecto.etiqueta}
                )
            return redirect("seguimiento:aspecto", pk=aspecto.pk)
        for error in resultado.errores:
            form.add_error(None, error)
    contexto = _contexto_aspecto(request, aspecto, form_evidencia=form)
    return render(request, "seguimiento/aspecto.html", contexto, status=400)


@require_POST
@login_required
def accion_avance(request: HttpRequest, pk: int) -> HttpResponse:
    """The dependencia reports an action's avance (0–100 %) with a note; IMPLAN reads it on the item."""
    accion = get_object_or_404(
        AccionDelAspecto.objects.select_related("aspecto__convenio"),
        pk=pk,
        aspecto__in=Aspecto.objects.visibles_para(request.user),
    )
    if politica.rol_de(request.user) not in politica.ACTOS["avance"].roles:
        raise PermissionDenied
    form = AvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errores in form.errors.values() for e in errores))
        return redirect("seguimiento:aspecto", pk=accion.aspecto_id)
    try:
        services.accion_reportar_avance(
            accion=accion, avance=form.cleaned_data["avance"], nota=form.cleaned_data["nota"], usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Acción %(numero)s: avance de %(avance)s %% registrado.")
            % {"numero": accion.numero, "avance": form.cleaned_data["avance"]},
        )
    return redirect("seguimiento:aspecto", pk=accion.aspecto_id)


@require_GET
@login_required
def evidencia_ver(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of a PDF or an image, inline, for exactly those who may download it."""
    evidencia = get_evidencia_for_user(request.user, pk)
    if evidencia.tipo_contenido not in selectors.TIPOS_CON_VISTA_PREVIA:
        raise Http404(_("Este tipo de archivo no tiene vista previa; descárguelo."))
    respuesta = respuesta_en_linea(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)
    auditar(tipo=TipoEvento.DESCARGA_EVIDENCIA, usuario=request.user, request=request, objeto=evidencia)
    return respuesta


@require_GET
@login_required
def evidencia_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    evidencia = get_evidencia_for_user(request.user, pk)
    # A stream from the disk, or a redirect to a 60-s presigned URL on S3; 404 when the file is missing.
    respuesta = respuesta_descarga(evidencia.archivo, evidencia.nombre_original, evidencia.tipo_contenido)
    auditar(tipo=TipoEvento.DESCARGA_EVIDENCIA, usuario=request.user, request=request, objeto=evidencia)
    return respuesta


# What each of IMPLAN's decisions does, said on its confirmation page (issue 13: nothing irreversible on one
# click). Sending to review (the dependencia's move) needs no confirmation: IMPLAN's review follows it.
CONSECUENCIAS: dict[str, list] = {
    Accion.VALIDAR: [
        gettext_lazy(
            "El aspecto quedará «Atendida»: la evidencia actual se da por suficiente y clara (cláusula QUINTA)."
        ),
        gettext_lazy("La dependencia recibirá aviso y ya no podrá subir evidencia a este aspecto."),
    ],
    Accion.OBSERVAR: [
        gettext_lazy("El aspecto volverá a la dependencia como «Observada», con el comentario como observaciones."),
        gettext_lazy("La dependencia recibirá aviso; deberá subir evidencia corregida y enviarla de nuevo."),
    ],
    Accion.NO_ATENDER: [
        gettext_lazy("El aspecto quedará «No atendida», un estado final: ya no admitirá evidencia ni revisión."),
        gettext_lazy(
            "Se abre la vista a la Contraloría (cláusula QUINTA), que puede iniciar un procedimiento (cláusula SEXTA)."
        ),
    ],
    Accion.CANCELAR: [
        gettext_lazy("El aspecto quedará «Cancelada», un estado final: ya no admitirá evidencia ni revisión."),
        gettext_lazy("El comentario queda como justificación en el historial."),
    ],
}

# The decision's name (the confirmation's title) and its button, said as a verb.
VERBO = {
    Accion.VALIDAR: gettext_lazy("Validar (atendida)"),
    Accion.OBSERVAR: gettext_lazy("Devolver con observaciones"),
    Accion.NO_ATENDER: gettext_lazy("Declarar no atendida"),
    Accion.CANCELAR: gettext_lazy("Cancelar el aspecto"),
}
BOTON = {
    Accion.VALIDAR: gettext_lazy("Sí, validar (atendida)"),
    Accion.OBSERVAR: gettext_lazy("Sí, devolver con observaciones"),
    Accion.NO_ATENDER: gettext_lazy("Sí, declarar no atendida"),
    Accion.CANCELAR: gettext_lazy("Sí, cancelar el aspecto"),
}


def _ejecutar(request: HttpRequest, aspecto: Aspecto, accion: str, comentario: str) -> HttpResponse:
    """The move itself, after its confirmation page when it is one of IMPLAN's decisions."""
    volver = reverse("seguimiento:aspecto", args=[aspecto.pk])
    if accion in CONSECUENCIAS and not confirmacion.confirmado(request):
        return confirmacion.pedir(
            request,
            titulo=_("%(decision)s: %(aspecto)s") % {"decision": VERBO[accion], "aspecto": aspecto.etiqueta},
            consecuencias=[str(texto) for texto in CONSECUENCIAS[accion]],
            elementos=[f"{aspecto.etiqueta} · {aspecto.convenio.evaluacion.programa}"],
            comentario=comentario,
            boton=str(BOTON[accion]),
            volver=volver,
            peligro=accion != Accion.OBSERVAR,
        )
    try:
        services.aspecto_transicionar(aspecto=aspecto, usuario=request.user, accion=accion, comentario=comentario)
    except ValidationError as error:
        messages.error(request, _mensaje_de(error))
    else:
        aspecto.refresh_from_db()
        messages.success(
            request,
            _("%(aspecto)s · %(accion)s. Estado: %(estado)s.")
            % {"aspecto": aspecto.etiqueta, "accion": Accion(accion).label, "estado": aspecto.get_estado_display()},
        )
    return redirect(volver)


@require_POST
@login_required
def aspecto_transicion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    if accion not in politica.MOVIMIENTOS_DEL_ASPECTO:
        raise Http404
    if politica.rol_de(request.user) not in politica.ACTOS[accion].roles:
        raise PermissionDenied
    form = ComentarioForm(request.POST, obligatorio=politica.ACTOS[accion].comentario_obligatorio)
    if not form.is_valid():
        messages.error(request, _mensaje_de(ValidationError(form.errors["comentario"])))
        return redirect("seguimiento:aspecto", pk=aspecto.pk)
    return _ejecutar(request, aspecto, accion, form.cleaned_data["comentario"])


@require_POST
@login_required
@csp_update(CSP_VISTA_PREVIA)
def aspecto_decidir(request: HttpRequest, pk: int) -> HttpResponse:
    """IMPLAN's single decision form on the item page: one choice, one comment, one button, then the confirmation."""
    aspecto = get_aspecto_for_user(request.user, pk)
    if not politica.rol_de(request.user) == TipoDependencia.IMPLAN:
        raise PermissionDenied
    form = DecisionForm(request.POST, acciones=services.acciones_disponibles(request.user, aspecto))
    if not form.is_valid():
        contexto = _contexto_aspecto(request, aspecto, form_decision=form)
        return render(request, "seguimiento/aspecto.html", contexto, status=400)
    return _ejecutar(request, aspecto, form.cleaned_data["accion"], form.cleaned_data["comentario"])


@require_http_methods(["GET", "POST"])
@login_required
def prorroga_solicitar(request: HttpRequest, pk: int) -> HttpResponse:
    aspecto = get_aspecto_for_user(request.user, pk)
    if not politica.rol_de(request.user) == TipoDependencia.DEPENDENCIA:
        raise PermissionDenied
    form = ProrrogaSolicitudForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prorroga_solicitar(
                aspecto=aspecto,
                usuario=request.user,
                fecha_solicitada=form.cleaned_data["fecha_solicitada"],
                motivo=form.cleaned_data["motivo"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Se envió la solicitud de prórroga al IMPLAN."))
            return redirect("seguimiento:aspecto", pk=aspecto.pk)
    return render(
        request,
        "seguimiento/prorroga_form.html",
        {"aspecto": aspecto, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def prorroga_resolver(request: HttpRequest, pk: int) -> HttpResponse:
    prorroga = get_prorroga_for_user(request.user, pk)
    if not politica.rol_de(request.user) == TipoDependencia.IMPLAN:
        raise PermissionDenied
    form = ProrrogaResolucionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija aprobar o rechazar la prórroga."))
    else:
        try:
            services.prorroga_resolver(
                prorroga=prorroga,
                usuario=request.user,
                aprobar=form.cleaned_data["decision"] == "aprobar",
                comentario=form.cleaned_data["comentario"],
            )
        except ValidationError as error:
            messages.error(request, _mensaje_de(error))
        else:
            prorroga.refresh_from_db()
            messages.success(request, _("Prórroga %(estado)s.") % {"estado": prorroga.get_estado_display().lower()})
    return redirect("seguimiento:aspecto", pk=prorroga.aspecto_id)


@require_GET
@login_required
def sesiones(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "seguimiento/sesiones.html",
        {
            "sesiones": selectors.sesiones_de(request.user),
            "es_implan": politica.rol_de(request.user) == TipoDependencia.IMPLAN,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def sesion_programar(request: HttpRequest) -> HttpResponse:
    if not politica.rol_de(request.user) == TipoDependencia.IMPLAN:
        raise PermissionDenied
    convenios = selectors.convenios_de(request.user).filter(estado="vigente")
    inicial = {"convenios": request.GET.getlist("convenio")} if request.method == "GET" else None
    form = SesionForm(request.POST if request.method == "POST" else None, convenios=convenios, initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            sesion = services.sesion_programar(
                usuario=request.user,
                convenios=list(form.cleaned_data["convenios"]),
                fecha=form.cleaned_data["fecha"],
                hora=form.cleaned_data["hora"],
                lugar=form.cleaned_data["lugar"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sesión programada; se notificó a las partes."))
            return redirect("seguimiento:sesion", pk=sesion.pk)
    return render(request, "seguimiento/sesion_form.html", {"form": form}, status=400 if form.errors else 200)


def _partes_de(sesion) -> list:  # type: ignore[no-untyped-def]
    partes: dict[int, object] = {}
    for convenio in sesion.convenios.select_related("implan", "tesoreria", "contraloria", "dependencia_evaluada"):
        for parte in (convenio.implan, convenio.tesoreria, convenio.contraloria, convenio.dependencia_evaluada):
            partes.setdefault(parte.pk, parte)
    return list(partes.values())


@require_GET
@login_required
def sesion(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    # A joint session: each dependencia sees its own convenios and items, not the other's.
    convenios = Convenio.objects.visibles_para(request.user).filter(sesiones=sesion)
    return render(
        request,
        "seguimiento/sesion.html",
        {
            "sesion": sesion,
            "convenios": convenios.select_related("evaluacion__programa", "dependencia_evaluada"),
            "asistencias": sesion.asistencias.select_related("dependencia"),
            "revisados": sesion.aspectos_revisados.filter(convenio__in=convenios).select_related(
                "convenio__evaluacion__programa"
            ),
            "conjunta_con_otras": convenios.count() < sesion.convenios.count(),
            "registrar": politica.decidir(request.user, "sesion_registrar", sesion),
            "corregir": politica.decidir(request.user, "sesion_corregir", sesion),
            "correccion": Sesion.objects.filter(corrige=sesion).first(),
            "es_implan": politica.rol_de(request.user) == TipoDependencia.IMPLAN,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def sesion_registrar(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    if politica.rol_de(request.user) != TipoDependencia.IMPLAN:
        raise PermissionDenied
    decision = politica.decidir(request.user, "sesion_registrar", sesion)
    if not decision:
        messages.error(request, decision.razon)
        return redirect("seguimiento:sesion", pk=sesion.pk)
    partes = _partes_de(sesion)
    form = SesionRegistroForm(
        request.POST if request.method == "POST" else None,
        sesion=sesion,
        partes=partes,
        initial={"acuerdos": sesion.acuerdos, "aspectos_revisados": sesion.aspectos_revisados.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sesion_registrar(
                sesion=sesion,
                usuario=request.user,
                asistencias=form.asistencias(),
                aspectos_revisados=list(form.cleaned_data["aspectos_revisados"]),
                acuerdos=form.cleaned_data["acuerdos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Se registraron la asistencia y los acuerdos de la sesión."))
            return redirect("seguimiento:sesion", pk=sesion.pk)
    return render(
        request,
        "seguimiento/sesion_registro.html",
        {"sesion": sesion, "form": form, "partes": partes},
        status=400 if form.errors else 200,
    )
