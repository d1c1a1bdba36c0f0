from django.urls import path

from operacion import views

app_name = "operacion"

urlpatterns = [
    path("salud/", views.salud, name="salud"),
    path("favicon.ico", views.favicon, name="favicon"),
]
