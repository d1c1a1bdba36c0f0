from django.contrib import admin
from django.urls import include, path

from auditoria.admin import ver_en_el_sitio
from cuentas.views import CambioContrasenaView, RestablecerConfirmarView, RestablecerContrasenaView

urlpatterns = [
    # Before the admin's own URLs: its "view on site" shortcut, limited to what the user's admin shows.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(ver_en_el_sitio)),
    path("admin/", admin.site.urls),
    # Before Django's auth URLs: the same address, with an audit row on success.
    path("accounts/password_change/", CambioContrasenaView.as_view(), name="password_change"),
    # Rate limited per client and per address; e-mails in Spanish (README, «Contraseña olvidada»).
    path("accounts/password_reset/", RestablecerContrasenaView.as_view(), name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", RestablecerConfirmarView.as_view(), name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tablero/", include("supervision.urls")),
    path("convenios/", include("convenios.urls")),
    path("cuentas/", include("cuentas.urls")),
    path("transparencia/", include("transparencia.urls")),
    path("api/v1/", include("transparencia.api_urls")),
    path("", include("operacion.urls")),
    path("", include("seguimiento.urls")),
    path("", include("documentos.urls")),
]
