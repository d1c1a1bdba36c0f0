"""``/api/v1/``: the read-only public API, its OpenAPI schema and a Swagger UI served from static files."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from transparencia import api

app_name = "api"

enrutador = SimpleRouter()
enrutador.register("evaluaciones", api.EvaluacionViewSet, basename="evaluacion")
enrutador.register("convenios", api.ConvenioViewSet, basename="convenio")
enrutador.register("aspectos", api.AspectoViewSet, basename="aspecto")

urlpatterns = [
    path("", include(enrutador.urls)),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("documentacion/", SpectacularSwaggerSplitView.as_view(url_name="api:esquema"), name="documentacion"),
]
