from django.urls import path

from convenios import views

app_name = "convenios"

urlpatterns = [
    path("<int:pk>/importar/", views.importar_subir, name="importar"),
    path("<int:pk>/importar/revisar/", views.importar_revisar, name="importar_revisar"),
    path("<int:pk>/importar/plantilla.xlsx", views.importar_plantilla, name="importar_plantilla"),
]
