from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tablero/", include("supervision.urls")),
    path("transparencia/", include("transparencia.urls")),
    path("api/v1/", include("transparencia.api_urls")),
    path("", include("operacion.urls")),
    path("", include("seguimiento.urls")),
    path("", include("documentos.urls")),
]
