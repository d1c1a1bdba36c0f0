"""Work on several items in one step (issue 13, "no bulk work"): the dependencia hands in evidence for several
items and sends them to review; IMPLAN validates several in one confirmed step.

Each item is still its own act: the existing service, in its own transaction, with its own history row and
notice; one item that fails (another person moved it, a storage error) does not undo the others, and the
user is told item by item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from convenios import politica
from convenios.models import Accion as AccionDelAspecto
from convenios.models import Aspecto, TipoDependencia
from cuentas.models import Usuario
from seguimiento import confirmacion, services
from seguimiento.forms import ComentarioForm, EntregaForm
from seguimiento.models import Accion
from seguimiento.permissions import get_aspecto_for_user, get_convenio_for_user

MAXIMO_POR_LOTE = 100  # a page of the inbox or a convenio's items; anything larger is not a person's selection


@dataclass
class Resultado:
    hechos: list[str] = field(default_factory=list)
    errores: list[str] = field(default_factory=list)
    enviado: bool = False

    def avisar(self, request: HttpRequest, plantilla: str) -> None:
        """One success message listing what was done (``plantilla`` with ``%(lista)s``), one error per failure."""
        if self.hechos:
            messages.success(request, plantilla % {"lista": "; ".join(self.hechos)})
        for error in self.errores:
            messages.error(request, error)


def entregar(
    *,
    aspecto: Aspecto,
    usuario: Usuario,
    archivos: list,
    descripcion: str,
    formato: str,
    enviar: bool,
    accion: AccionDelAspecto | None = None,
) -> Resultado:
    """Each file as its own Evidencia (its own transaction), then the item sent to review when asked."""
    resultado = Resultado()
    for archivo in archivos:
        try:
            evidencia = services.evidencia_subir(
                aspecto=aspecto,
                archivo=archivo,
                descripcion=descripcion,
                formato=formato,
                usuario=usuario,
                accion=accion,
            )
        except ValidationError as error:
            resultado.errores.append(
                _("%(aspecto)s, «%(archivo)s»: %(error)s")
                % {"aspecto": aspecto.etiqueta, "archivo": archivo.name, "error": " ".join(error.messages)}
            )
        else:
            resultado.hechos.append(
                _("«%(archivo)s» en %(aspecto)s") % {"archivo": evidencia.nombre_original, "aspecto": aspecto.etiqueta}
            )
    if enviar and resultado.hechos:
        enviados = Resultado()
        _enviar(aspecto, usuario, enviados, resultado)
        resultado.enviado = bool(enviados.hechos)
    return resultado


def _enviar(aspecto: Aspecto, usuario: Usuario, enviados: Resultado, errores: Resultado) -> None:
    try:
        services.aspecto_enviar(aspecto=aspecto, usuario=usuario)
    except ValidationError as error:
        errores.errores.append(f"{aspecto.etiqueta}: {' '.join(error.messages)}")
    else:
        enviados.hechos.append(aspecto.etiqueta)


def _seleccionados(request: HttpRequest) -> list[Aspecto]:
    """The items ticked in the form, each through the access helper (what the user may not see is a 404)."""
    ids = list(dict.fromkeys(request.POST.getlist("aspectos")))[:MAXIMO_POR_LOTE]
    return [get_aspecto_for_user(request.user, int(pk)) for pk in ids if pk.isdigit()]


def _volver(request: HttpRequest) -> str:
    siguiente = request.POST.get("siguiente", "")
    return siguiente if siguiente.startswith("/") and not siguiente.startswith("//") else reverse("seguimiento:inicio")


@require_http_methods(["GET", "POST"])
@login_required
def entrega(request: HttpRequest, pk: int) -> HttpResponse:
    """A convenio's open items in one form: files and a description per item, one button (and optionally send)."""
    convenio = get_convenio_for_user(request.user, pk)
    if not politica.rol_de(request.user) == TipoDependencia.DEPENDENCIA:
        raise PermissionDenied
    aspectos = [
        a
        for a in convenio.aspectos.con_semaforo().order_by("orden_tipo", "numero")
        if services.puede_subir_evidencia(request.user, a)
    ]
    enviado = request.method == "POST"
    form = EntregaForm(request.POST if enviado else None, request.FILES if enviado else None, aspectos=aspectos)
    if request.method == "POST" and form.is_valid():
        enviar = request.POST.get("enviar") == "si"
        todo = Resultado()
        enviados = Resultado()
        for aspecto, archivos, descripcion in form.entregas():
            resultado = entregar(
                aspecto=aspecto,
                usuario=request.user,
                archivos=archivos,
                descripcion=descripcion,
                formato="",
                enviar=False,
            )
            todo.hechos += resultado.hechos
            todo.errores += resultado.errores
            if enviar and resultado.hechos:
                _enviar(aspecto, request.user, enviados, todo)
        todo.avisar(request, _("Se guardó %(lista)s."))
        if enviados.hechos:
            messages.success(request, _("Enviados a revisión: %(lista)s.") % {"lista": ", ".join(enviados.hechos)})
        return redirect("seguimiento:inicio")
    if request.method == "POST":
        messages.error(request, _("Revise los aspectos marcados; no se guardó ningún archivo. Vuelva a elegirlos."))
    return render(
        request,
        "seguimiento/entrega.html",
        {"convenio": convenio, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def enviar_varios(request: HttpRequest) -> HttpResponse:
    """The dependencia sends the ticked items to review, each its own move."""
    if not politica.rol_de(request.user) == TipoDependencia.DEPENDENCIA:
        raise PermissionDenied
    aspectos = _seleccionados(request)
    if not aspectos:
        messages.error(request, _("Marque los aspectos que quiere enviar a revisión."))
        return redirect(_volver(request))
    enviados = Resultado()
    for aspecto in aspectos:
        _enviar(aspecto, request.user, enviados, enviados)
    enviados.avisar(request, _("Enviados a revisión: %(lista)s."))
    return redirect(_volver(request))


@require_POST
@login_required
def validar_varios(request: HttpRequest) -> HttpResponse:
    """IMPLAN validates the ticked items in one confirmed step; each is validated by the service on its own."""
    if not politica.rol_de(request.user) == TipoDependencia.IMPLAN:
        raise PermissionDenied
    aspectos = _seleccionados(request)
    volver = _volver(request)
    form = ComentarioForm(request.POST)
    if not aspectos:
        messages.error(request, _("Marque los aspectos que quiere validar."))
        return redirect(volver)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["comentario"]))
        return redirect(volver)
    comentario = form.cleaned_data["comentario"]
    if not confirmacion.confirmado(request):
        return confirmacion.pedir(
            request,
            titulo=ngettext("Validar %(n)d aspecto", "Validar %(n)d aspectos", len(aspectos)) % {"n": len(aspectos)},
            consecuencias=[
                _(
                    "Cada aspecto quedará «Atendida»: su evidencia actual se da por suficiente y clara (cláusula QUINTA)."
                ),
                _("Cada uno es un acto propio: queda en su historial y la dependencia recibe aviso de cada uno."),
            ],
            elementos=[
                f"{a.etiqueta} · {a.convenio.evaluacion.programa} · {a.convenio.dependencia_evaluada}" for a in aspectos
            ],
            comentario=comentario,
            boton=_("Sí, validar los %(n)d") % {"n": len(aspectos)} if len(aspectos) > 1 else _("Sí, validar"),
            volver=volver,
        )
    validados = Resultado()
    for aspecto in aspectos:
        try:
            services.aspecto_transicionar(
                aspecto=aspecto, usuario=request.user, accion=Accion.VALIDAR, comentario=comentario
            )
        except ValidationError as error:
            validados.errores.append(f"{aspecto.etiqueta}: {' '.join(error.messages)}")
        else:
            validados.hechos.append(f"{aspecto.etiqueta} · {aspecto.convenio.evaluacion.programa}")
    validados.avisar(request, _("Validados: %(lista)s."))
    return redirect(volver)
