from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.tablero, name="tablero"),
    path("exportar.csv", views.tablero_exportar, {"formato": "csv"}, name="tablero_csv"),
    path("exportar.xlsx", views.tablero_exportar, {"formato": "xlsx"}, name="tablero_xlsx"),
    path("avance/", views.avance, name="avance"),
    path("convenio/<int:pk>/", views.convenio, name="convenio"),
    path("convenio/<int:pk>/actuacion/", views.actuacion_convenio, name="actuacion_convenio"),
    path("convenio/<int:pk>/verificacion/", views.verificacion, name="verificacion"),
    path("aspecto/<int:pk>/", views.aspecto, name="aspecto"),
    path("aspecto/<int:pk>/actuacion/", views.actuacion_aspecto, name="actuacion_aspecto"),
    path("notificaciones/", views.notificaciones, name="notificaciones"),
    path("notificaciones/leidas/", views.notificaciones_leidas, name="notificaciones_leidas"),
    path("notificaciones/<int:pk>/", views.notificacion_abrir, name="notificacion_abrir"),
]
