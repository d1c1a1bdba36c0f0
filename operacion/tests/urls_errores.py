"""The project's URLs plus views that fail on purpose, to see the error pages a user would get."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as urls_del_proyecto


def prohibido(request):
    raise PermissionDenied


def sospechoso(request):
    raise SuspiciousOperation("solicitud alterada")


def falla(request):
    raise RuntimeError("falla de prueba")


urlpatterns = [
    path("prueba/403/", prohibido),
    path("prueba/400/", sospechoso),
    path("prueba/500/", falla),
    *urls_del_proyecto,
]
