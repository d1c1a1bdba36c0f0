from django.urls import path

from seguimiento import views

app_name = "seguimiento"

urlpatterns = [
    path("", views.inicio, name="inicio"),
]
