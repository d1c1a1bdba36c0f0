from django.urls import path, register_converter

from transparencia import datos, views

app_name = "transparencia"


class Anio:
    regex = "20[0-9]{2}"

    def to_python(self, valor: str) -> int:
        return int(valor)

    def to_url(self, valor: int) -> str:
        return str(valor)


class Conjunto:
    regex = "evaluaciones|convenios|aspectos"

    def to_python(self, valor: str) -> str:
        return valor

    def to_url(self, valor: str) -> str:
        return valor


class Formato(Conjunto):
    regex = "csv|json"


register_converter(Anio, "anio")
register_converter(Conjunto, "conjunto")
register_converter(Formato, "formato")

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("municipios/<slug:slug>/", views.inicio, name="municipio"),
    path("convenios/<int:pk>/", views.convenio, name="convenio"),
    path("convenios/<int:pk>/convenio-firmado/", views.convenio_firmado, name="convenio_firmado"),
    path("evaluaciones/<int:pk>/anexo-1/", views.anexo1, name="anexo1"),
    path("evaluaciones/<int:pk>/anexo-1.pdf", views.anexo1_pdf, name="anexo1_pdf"),
    path("evaluaciones/<int:pk>/informe-final/", views.informe_final, name="informe_final"),
    path("evidencias/<int:pk>/", views.evidencia, name="evidencia"),
    path("documentos/<int:pk>/", views.documento, name="documento"),
    path("modificaciones/<int:pk>/", views.modificacion, name="modificacion"),
    path("datos/", datos.datos, name="datos"),
    path("datos/diccionario/", datos.diccionario, name="diccionario"),
    path("datos/<conjunto:conjunto>.<formato:formato>", datos.descarga, name="descarga"),
    path("datos/<anio:anio>/<conjunto:conjunto>.<formato:formato>", datos.descarga, name="descarga_anio"),
    path("plazos/", views.plazos, name="plazos"),
]
