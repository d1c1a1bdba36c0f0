"""Import of a convenio's hallazgos and recomendaciones: upload, preview, confirm (IMPLAN only).

Between the preview and the confirmation the upload is not kept, and nothing comes back from the
browser but a token: what was read is stored in the user's session (server side, in the database)
with a random token that the confirmation form carries. Confirming saves exactly what the preview
showed; a newer upload in another tab replaces the reading and its token, so an old preview
cannot confirm it.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from convenios import importar, services
from convenios.forms import ConfirmarImportacionForm, ImportarForm
from convenios.permissions import get_convenio_para_importar


def _clave_sesion(pk: int) -> str:
    return f"convenios.importacion.{pk}"


@require_http_methods(["GET", "POST"])
@login_required
def importar_subir(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_para_importar(request.user, pk)
    motivo = services.motivo_para_no_importar(request.user, convenio)
    form = ImportarForm()
    if request.method == "POST" and motivo is None:
        form = ImportarForm(request.POST, request.FILES)
        if form.is_valid():
            lectura: importar.Lectura = form.cleaned_data["archivo"]
            request.session[_clave_sesion(convenio.pk)] = {
                "token": secrets.token_urlsafe(24),
                "lectura": lectura.como_dict(),
            }
            return redirect("convenios:importar_revisar", pk=convenio.pk)
    return render(request, "convenios/importar.html", {"convenio": convenio, "form": form, "motivo": motivo})


@require_http_methods(["GET", "POST"])
@login_required
def importar_revisar(request: HttpRequest, pk: int) -> HttpResponse:
    convenio = get_convenio_para_importar(request.user, pk)
    guardada = request.session.get(_clave_sesion(convenio.pk))
    if not guardada:
        messages.info(request, _("Suba primero el archivo que quiere importar."))
        return redirect("convenios:importar", pk=convenio.pk)
    lectura = importar.Lectura.desde_dict(guardada["lectura"])
    form = ConfirmarImportacionForm(initial={"token": guardada["token"]}, esperado=guardada["token"])
    errores: list[str] = []
    if request.method == "POST":
        form = ConfirmarImportacionForm(request.POST, esperado=guardada["token"])
        if form.is_valid():
            try:
                aspectos = services.convenio_importar(convenio=convenio, lectura=lectura, usuario=request.user)
            except ValidationError as error:
                errores = error.messages
            else:
                del request.session[_clave_sesion(convenio.pk)]
                messages.success(
                    request,
                    _("Se importaron %(h)s hallazgos y %(r)s recomendaciones, con %(a)s acciones, de «%(archivo)s».")
                    % {
                        "h": sum(1 for a in aspectos if a.tipo == "hallazgo"),
                        "r": sum(1 for a in aspectos if a.tipo == "recomendacion"),
                        "a": lectura.n_acciones,
                        "archivo": lectura.nombre_archivo,
                    },
                )
                return redirect("seguimiento:convenio", pk=convenio.pk)
    problemas = services.lectura_revisar(convenio=convenio, lectura=lectura)
    return render(
        request,
        "convenios/importar_revisar.html",
        {
            "convenio": convenio,
            "lectura": lectura,
            "problemas": problemas,
            "n_no_importables": len(lectura.no_leidas) + len(problemas),
            "motivo": services.motivo_para_no_importar(request.user, convenio),
            "form": form,
            "errores": errores,
        },
    )


@require_GET
@login_required
def importar_plantilla(request: HttpRequest, pk: int) -> HttpResponse:
    get_convenio_para_importar(request.user, pk)
    respuesta = HttpResponse(
        importar.plantilla_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    respuesta["Content-Disposition"] = 'attachment; filename="plantilla-aspectos-del-convenio.xlsx"'
    return respuesta
