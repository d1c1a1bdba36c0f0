"""``/api/v1/``: the read-only public API, its OpenAPI schema and a Swagger UI served from static files."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from transparencia import api

app_name = "api"


def no_encontrado(request: HttpRequest, ruta: str = "") -> JsonResponse:
    """Any other address under /api/v1/ answers in JSON too, as the schema documents 404s."""
    return JsonResponse({"detail": "No encontrado."}, status=404)


enrutador = SimpleRouter()
enrutador.register("evaluaciones", api.EvaluacionViewSet, basename="evaluacion")
enrutador.register("convenios", api.ConvenioViewSet, basename="convenio")
enrutador.register("aspectos", api.AspectoViewSet, basename="aspecto")

urlpatterns = [
    path("", include(enrutador.urls)),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("documentacion/", SpectacularSwaggerSplitView.as_view(url_name="api:esquema"), name="documentacion"),
    re_path(r"^(?P<ruta>.*)$", no_encontrado),
]
