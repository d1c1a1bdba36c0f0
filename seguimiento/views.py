from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from convenios.models import Convenio


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    convenios = Convenio.objects.visibles_para(request.user).select_related(
        "evaluacion__programa", "dependencia_evaluada"
    )
    return render(request, "seguimiento/inicio.html", {"convenios": convenios.con_conteos()})
