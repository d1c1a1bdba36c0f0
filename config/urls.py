from django.contrib import admin
from django.urls import include, path

from cuentas.views import CambioContrasenaView, RestablecerConfirmarView, RestablecerContrasenaView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's auth URLs: the same address, with an audit row on success.
    path("accounts/password_change/", CambioContrasenaView.as_view(), name="password_change"),
    # Rate limited per client and per address; e-mails in Spanish (README, «Contraseña olvidada»).
    path("accounts/password_reset/", RestablecerContrasenaView.as_view(), name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", RestablecerConfirmarView.as_view(), name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tablero/", include("supervision.urls")),
    path("cuentas/", include("cuentas.urls")),
    path("transparencia/", include("transparencia.urls")),
    path("api/v1/", include("transparencia.api_urls")),
    path("", include("operacion.urls")),
    path("", include("seguimiento.urls")),
    path("", include("documentos.urls")),
]
