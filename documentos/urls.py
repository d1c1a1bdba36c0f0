from django.urls import path

from documentos import views

app_name = "documentos"

urlpatterns = [
    path("documentos/convenio/<int:pk>/", views.convenio_documentos, name="convenio_documentos"),
    path("documentos/convenio/<int:pk>/<str:tipo>/borrador/", views.convenio_borrador, name="convenio_borrador"),
    path("documentos/convenio/<int:pk>/<str:tipo>/emitir/", views.convenio_emitir, name="convenio_emitir"),
    path("documentos/prorroga/<int:pk>/resolucion/borrador/", views.prorroga_borrador, name="prorroga_borrador"),
    path("documentos/prorroga/<int:pk>/resolucion/emitir/", views.prorroga_emitir, name="prorroga_emitir"),
    path("documentos/sesion/<int:pk>/acta/borrador/", views.sesion_borrador, name="sesion_borrador"),
    path("documentos/sesion/<int:pk>/acta/emitir/", views.sesion_emitir, name="sesion_emitir"),
    path("documentos/convenio/<int:pk>/<str:tipo>/firmar/", views.convenio_firmar, name="convenio_firmar"),
    path("documentos/prorroga/<int:pk>/resolucion/firmar/", views.prorroga_firmar, name="prorroga_firmar"),
    path("documentos/sesion/<int:pk>/acta/firmar/", views.sesion_firmar, name="sesion_firmar"),
    path("documentos/<int:pk>/firmar/", views.documento_firmar, name="documento_firmar"),
    path("convenios/<int:pk>/incumplimiento/", views.convenio_incumplimiento, name="convenio_incumplimiento"),
    path("documentos/<int:pk>/descargar/", views.descargar, name="descargar"),
    path("verificar/", views.verificar_inicio, name="verificar_inicio"),
    path("verificar/<str:codigo>/", views.verificar, name="verificar"),
]
