from django.urls import path

from cuentas import views

app_name = "cuentas"

urlpatterns = [
    path("segundo-factor/", views.doble_factor_verificar, name="doble_factor_verificar"),
    path("segundo-factor/configurar/", views.doble_factor_configurar, name="doble_factor_configurar"),
]
