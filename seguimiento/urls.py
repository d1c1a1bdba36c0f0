from django.urls import path

from seguimiento import views, views_convenio, views_inicio, views_lote

app_name = "seguimiento"

urlpatterns = [
    path("", views_inicio.inicio, name="inicio"),
    path("buscar/", views_inicio.buscar, name="buscar"),
    path("convenios/<int:pk>/", views.convenio, name="convenio"),
    path("convenios/<int:pk>/entrega/", views_lote.entrega, name="entrega"),
    path("convenios/<int:pk>/firma/", views_convenio.firmar, name="convenio_firmar"),
    path("convenios/<int:pk>/modificacion/", views_convenio.modificar, name="convenio_modificar"),
    path("aspectos/enviar/", views_lote.enviar_varios, name="enviar_varios"),
    path("aspectos/validar/", views_lote.validar_varios, name="validar_varios"),
    path("aspectos/<int:pk>/", views.aspecto, name="aspecto"),
    path("aspectos/<int:pk>/evidencia/", views.evidencia_subir, name="evidencia_subir"),
    path("acciones/<int:pk>/avance/", views.accion_avance, name="accion_avance"),
    path("aspectos/<int:pk>/prorroga/", views.prorroga_solicitar, name="prorroga_solicitar"),
    path("aspectos/<int:pk>/accion/<slug:accion>/", views.aspecto_transicion, name="aspecto_transicion"),
    path("aspectos/<int:pk>/decidir/", views.aspecto_decidir, name="aspecto_decidir"),
    path("evidencias/<int:pk>/ver/", views.evidencia_ver, name="evidencia_ver"),
    path("evidencias/<int:pk>/descargar/", views.evidencia_descargar, name="evidencia_descargar"),
    path("prorrogas/<int:pk>/resolver/", views.prorroga_resolver, name="prorroga_resolver"),
    path("sesiones/", views.sesiones, name="sesiones"),
    path("sesiones/nueva/", views.sesion_programar, name="sesion_programar"),
    path("sesiones/<int:pk>/", views.sesion, name="sesion"),
    path("sesiones/<int:pk>/registro/", views.sesion_registrar, name="sesion_registrar"),
    path("sesiones/<int:pk>/correccion/", views_convenio.sesion_corregir, name="sesion_corregir"),
]
