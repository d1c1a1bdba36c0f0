"""``/api/v1/``: the read-only public API, its OpenAPI schema and a Swagger UI served from static files."""

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from seguridad.limites import limitar_tasa
from transparencia import api

app_name = "api"


def no_encontrado(request: HttpRequest, ruta: str = "") -> JsonResponse:
    """Any other address under /api/v1/ answers in JSON too, as the schema documents 404s."""
    return JsonResponse({"detail": "No encontrado."}, status=404)


class RaizAPI(APIRootView):
    """Datos públicos de las evaluaciones, los convenios y sus aspectos susceptibles de mejora. Solo lectura.

    Cada conjunto se consulta en su dirección; el esquema OpenAPI y su documentación están al final.
    """

    # The root alone also answers a browser, with a page of the portal (DRF's browsable page has no
    # `lang` and loads jQuery): whoever types /api/v1/ sees where everything is. The data endpoints
    # stay JSON only (settings.REST_FRAMEWORK).
    renderer_classes = [JSONRenderer, TemplateHTMLRenderer]
    template_name = "transparencia/api_raiz.html"

    def get_view_name(self) -> str:
        return gettext("API de transparencia")

    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        respuesta = super().get(request, *args, **kwargs)
        respuesta.data["esquema"] = reverse("api:esquema", request=request)
        respuesta.data["documentacion"] = reverse("api:documentacion", request=request)
        return respuesta


enrutador = DefaultRouter(trailing_slash=True)
enrutador.APIRootView = RaizAPI
enrutador.include_format_suffixes = False
enrutador.register("evaluaciones", api.EvaluacionViewSet, basename="evaluacion")
enrutador.register("convenios", api.ConvenioViewSet, basename="convenio")
enrutador.register("aspectos", api.AspectoViewSet, basename="aspecto")

# Every address under /api/v1/ (the schema is the costliest to build) shares one counter per
# client address; past it, a JSON 429 with Retry-After. Rate: settings.LIMITES_DE_TASA["api"].
limitada = limitar_tasa("api", "120/m", metodos=("GET", "HEAD", "OPTIONS"), json=True)


def _limitar(patrones: list[URLPattern]) -> list[URLPattern]:
    # functools.wraps keeps the view's attributes (cls, actions): drf-spectacular still finds the viewsets.
    return [URLPattern(p.pattern, limitada(p.callback), p.default_args, p.name) for p in patrones]


urlpatterns = [
    path("", include(_limitar(enrutador.urls))),
    path("esquema/", limitada(SpectacularAPIView.as_view()), name="esquema"),
    path(
        "documentacion/",
        # Our template: the packaged one has an inline <style> the CSP blocks.
        limitada(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:esquema",
                template_name="transparencia/api_documentacion.html",
                # A page, not an API: DRF would answer OPTIONS by rendering its metadata with the
                # page's template renderer and no template (a server error). GET and HEAD only.
                http_method_names=["get", "head"],
            )
        ),
        name="documentacion",
    ),
    # Any character, a newline too (an address may carry an encoded one: %0A).
    re_path(r"^(?P<ruta>(?s:.*))$", limitada(no_encontrado)),
]
