"""The convenio's own acts, on IMPLAN's pages: register the signature (borrador → vigente) and a modificación
(cláusula NOVENA); and the correction of an issued acta. (The incumplimiento, which follows the vistas, is in
documentos.views.)

Each asks ``convenios.politica`` for the button and its reason; the service asks it again under the lock.
"""

from __future__ import annotations

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
from convenios import services as convenios_services
from convenios.forms import FirmaForm, ModificacionForm
from seguimiento import confirmacion, services
from seguimiento.permissions import get_convenio_for_user, get_sesion_for_user


def _solo_implan(request: HttpRequest) -> None:
    if politica.rol_de(request.user) != politica.IMPLAN:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def firmar(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 saves the signed data on the borrador (its scan kept); step 2, confirmed, signs."""
    convenio = get_convenio_for_user(request.user, pk)
    _solo_implan(request)
    volver = reverse("seguimiento:convenio", args=[convenio.pk])
    if request.method == "POST" and request.POST.get("paso") == "firmar":
        if not confirmacion.confirmado(request):
            return confirmacion.pedir(
                request,
                titulo=_("Registrar la firma: convenio de %(programa)s") % {"programa": convenio.evaluacion.programa},
                consecuencias=[
                    _(
                        "El convenio pasará de «Borrador» a «Vigente»: empieza el seguimiento de sus hallazgos y "
                        "recomendaciones."
                    ),
                    _(
                        "Sus partes, aspectos, acciones, textos y fechas quedan congelados: solo cambian por prórroga "
                        "(cláusula SÉPTIMA) o por modificación (cláusula NOVENA)."
                    ),
                    _("El convenio firmado (PDF) queda como su documento oficial y público."),
                ],
                boton=_("Sí, registrar la firma"),
                volver=request.path,
            )
        try:
            convenios_services.convenio_firmar(convenio=convenio, usuario=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, _("Firma registrada: el convenio está vigente."))
        return redirect(volver)
    form = FirmaForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        convenio=convenio,
        initial={"fecha_firma": convenio.fecha_firma, "fojas": convenio.fojas},
    )
    if request.method == "POST" and form.is_valid():
        try:
            convenios_services.convenio_datos_de_firma(
                convenio=convenio,
                usuario=request.user,
                fecha_firma=form.cleaned_data["fecha_firma"],
                fojas=form.cleaned_data["fojas"],
                documento_firmado=form.cleaned_data["documento_firmado"] or None,
            )
        except ValidationError as error:
            _errores_en_el_formulario(form, error)
        else:
            messages.success(request, _("Se guardaron los datos de la firma."))
            return redirect(request.path)
    convenio.refresh_from_db()
    return render(
        request,
        "seguimiento/convenio_firmar.html",
        {
            "convenio": convenio,
            "form": form,
            "decision": politica.decidir(request.user, "firmar", convenio),
            "puede_editar": politica.decidir(request.user, "datos_de_firma", convenio),
        },
        status=400 if form.errors else 200,
    )


def _errores_en_el_formulario(form: FirmaForm | ModificacionForm, error: ValidationError) -> None:
    """A rule broken at save time goes beside its field when the form shows it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for campo, errores in error.error_dict.items():
        form.add_error(campo if campo in form.fields else None, errores)


@require_http_methods(["GET", "POST"])
@login_required
def modificar(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_for_user(request.user, pk)
    _solo_implan(request)
    decision = politica.decidir(request.user, "modificar", convenio)
    form = ModificacionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        convenio=convenio,
    )
    if request.method == "POST" and form.is_valid():
        try:
            modificacion = convenios_services.convenio_modificar(
                convenio=convenio,
                usuario=request.user,
                fecha=form.cleaned_data["fecha"],
                motivo=form.cleaned_data["motivo"],
                documento=form.cleaned_data["documento"],
                cambios=form.cambios(),
            )
        except ValidationError as error:
            _errores_en_el_formulario(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Se registró la modificación %(numero)s con %(n)d cambio.",
                    "Se registró la modificación %(numero)s con %(n)d cambios.",
                    len(modificacion.cambios),
                )
                % {"numero": modificacion.numero, "n": len(modificacion.cambios)},
            )
            return redirect("seguimiento:convenio", pk=convenio.pk)
    return render(
        request,
        "seguimiento/convenio_modificar.html",
        {"convenio": convenio, "form": form, "decision": decision},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def sesion_corregir(request: HttpRequest, pk: int) -> HttpResponse:
    sesion = get_sesion_for_user(request.user, pk)
    _solo_implan(request)
    try:
        correccion = services.sesion_corregir(sesion=sesion, usuario=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("seguimiento:sesion", pk=sesion.pk)
    messages.success(
        request,
        _(
            "Se abrió la corrección del acta: corrija la asistencia, los aspectos o los acuerdos y emita la nueva "
            "acta, que sustituye a la anterior (ambas se conservan)."
        ),
    )
    return redirect("seguimiento:sesion_registrar", pk=correccion.pk)
