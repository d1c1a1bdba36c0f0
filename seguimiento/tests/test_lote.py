"""Issue 13, bulk work: ten items handed in, sent and validated in a few requests; each still its own act."""

from __future__ import annotations

import pytest
from django.urls import reverse

from convenios.models import EstadoAspecto
from convenios.tests import fabricas
from seguimiento import services
from seguimiento.models import Accion, Evidencia, Movimiento
from seguimiento.tests import archivos_prueba as ap


@pytest.fixture
def diez(m):
    """A convenio with ten items (4 hallazgos, 6 recomendaciones), all pendiente."""
    return fabricas.crear_convenio(m, hallazgos=4, recomendaciones=6)


def _pdf(nombre: str):
    return ap.subido(nombre, ap.pdf(nombre), "application/pdf")


def test_varios_archivos_de_una_vez_cada_uno_su_evidencia(client, dependencia, recomendacion):
    client.force_login(dependencia)
    respuesta = client.post(
        reverse("seguimiento:evidencia_subir", args=[recomendacion.pk]),
        {"archivo": [_pdf("02a.pdf"), ap.subido("foto.png", ap.imagen("PNG")), _pdf("acta.pdf")], "descripcion": "x"},
    )
    assert respuesta.status_code == 302
    assert sorted(Evidencia.objects.values_list("nombre_original", flat=True)) == ["02a.pdf", "acta.pdf", "foto.png"]
    assert Movimiento.objects.filter(aspecto=recomendacion, accion=Accion.EVIDENCIA).count() == 3


def test_un_archivo_malo_entre_varios_no_guarda_ninguno(client, dependencia, recomendacion):
    client.force_login(dependencia)
    respuesta = client.post(
        reverse("seguimiento:evidencia_subir", args=[recomendacion.pk]),
        {"archivo": [_pdf("bueno.pdf"), ap.subido("programa.pdf", ap.exe())], "descripcion": "x"},
    )
    assert respuesta.status_code == 400
    assert "«programa.pdf»:" in respuesta.content.decode()
    assert not Evidencia.objects.exists()


def test_subir_y_enviar_en_un_paso(client, dependencia, recomendacion):
    client.force_login(dependencia)
    client.post(
        reverse("seguimiento:evidencia_subir", args=[recomendacion.pk]),
        {"archivo": [_pdf("02a.pdf")], "descripcion": "Formato 02a", "enviar": "si"},
    )
    recomendacion.refresh_from_db()
    assert recomendacion.estado == EstadoAspecto.EN_REVISION


def test_diez_aspectos_entregados_y_enviados_en_dos_peticiones(client, dependencia, diez):
    aspectos = list(diez.aspectos.order_by("pk"))
    url = reverse("seguimiento:entrega", args=[diez.pk])
    client.force_login(dependencia)
    peticiones = 0

    pagina = client.get(url)  # 1: the convenio's open items in one form
    peticiones += 1
    assert pagina.status_code == 200
    datos = {"enviar": "si"}
    for aspecto in aspectos:
        datos[f"archivos_{aspecto.pk}"] = [_pdf(f"{aspecto.etiqueta}.pdf")]
        datos[f"descripcion_{aspecto.pk}"] = f"Formato de {aspecto.etiqueta}"
    respuesta = client.post(url, datos)  # 2: "Subir y enviar a revisión"
    peticiones += 1

    assert respuesta.status_code == 302
    assert peticiones == 2
    assert Evidencia.objects.filter(aspecto__convenio=diez).count() == 10
    assert set(diez.aspectos.values_list("estado", flat=True)) == {EstadoAspecto.EN_REVISION}
    for aspecto in aspectos:  # each its own act in the history
        acciones = list(Movimiento.objects.filter(aspecto=aspecto).values_list("accion", flat=True))
        assert acciones == [Accion.EVIDENCIA, Accion.ENVIAR]


def test_la_entrega_sin_descripcion_no_guarda_nada_y_conserva_lo_escrito(client, dependencia, diez):
    primero, segundo = list(diez.aspectos.order_by("pk"))[:2]
    client.force_login(dependencia)
    respuesta = client.post(
        reverse("seguimiento:entrega", args=[diez.pk]),
        {
            f"archivos_{primero.pk}": [_pdf("a.pdf")],
            f"descripcion_{primero.pk}": "Oficio de entrega",
            f"archivos_{segundo.pk}": [_pdf("b.pdf")],
        },
    )
    assert respuesta.status_code == 400
    html = respuesta.content.decode()
    assert "Describa qué acreditan los archivos." in html
    assert 'value="Oficio de entrega"' in html
    assert 'role="alert"' in html
    assert not Evidencia.objects.exists()


def test_la_entrega_es_solo_de_la_dependencia(client, implan, otra_dependencia, diez):
    url = reverse("seguimiento:entrega", args=[diez.pk])
    client.force_login(implan)
    assert client.get(url).status_code == 403
    client.force_login(otra_dependencia)
    assert client.get(url).status_code == 404


def _con_evidencia(aspectos, usuario):
    for aspecto in aspectos:
        services.evidencia_subir(aspecto=aspecto, archivo=_pdf("e.pdf"), descripcion="x", usuario=usuario)


def test_enviar_diez_marcados_en_una_peticion(client, dependencia, diez):
    aspectos = list(diez.aspectos.all())
    _con_evidencia(aspectos, dependencia)
    client.force_login(dependencia)
    inicio = client.get(reverse("seguimiento:inicio")).content.decode()
    for aspecto in aspectos:
        assert f'name="aspectos" value="{aspecto.pk}"' in inicio
    respuesta = client.post(reverse("seguimiento:enviar_varios"), {"aspectos": [a.pk for a in aspectos]}, follow=True)
    assert set(diez.aspectos.values_list("estado", flat=True)) == {EstadoAspecto.EN_REVISION}
    assert Movimiento.objects.filter(aspecto__convenio=diez, accion=Accion.ENVIAR).count() == 10
    assert "Enviados a revisión:" in respuesta.content.decode()


def test_enviar_varios_informa_el_que_no_tiene_evidencia(client, dependencia, diez):
    aspectos = list(diez.aspectos.order_by("pk"))
    _con_evidencia(aspectos[1:], dependencia)
    client.force_login(dependencia)
    respuesta = client.post(reverse("seguimiento:enviar_varios"), {"aspectos": [a.pk for a in aspectos]}, follow=True)
    html = respuesta.content.decode()
    assert "Suba al menos un archivo de evidencia antes de enviar a revisión." in html
    assert diez.aspectos.filter(estado=EstadoAspecto.EN_REVISION).count() == 9


def test_validar_diez_en_un_paso_confirmado(client, implan, dependencia, diez):
    aspectos = list(diez.aspectos.all())
    _con_evidencia(aspectos, dependencia)
    for aspecto in aspectos:
        services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    client.force_login(implan)
    url = reverse("seguimiento:validar_varios")
    datos = {"aspectos": [a.pk for a in aspectos], "comentario": "Cumple de manera suficiente y clara."}

    inicio = client.get(reverse("seguimiento:inicio")).content.decode()  # 1: the inbox with its checkboxes
    assert all(f'name="aspectos" value="{a.pk}"' in inicio for a in aspectos)
    confirmar = client.post(url, datos)  # 2: "Validar los marcados" → the confirmation page
    html = confirmar.content.decode()
    assert confirmar.status_code == 200
    assert "Se aplicará a 10 elementos" in html and "Esta acción no se puede deshacer." in html
    assert set(diez.aspectos.values_list("estado", flat=True)) == {EstadoAspecto.EN_REVISION}
    hecho = client.post(url, {**datos, "confirmar": "si"})  # 3: "Sí, validar los 10"

    assert hecho.status_code == 302
    assert set(diez.aspectos.values_list("estado", flat=True)) == {EstadoAspecto.ATENDIDA}
    for aspecto in aspectos:
        movimiento = Movimiento.objects.get(aspecto=aspecto, accion=Accion.VALIDAR)
        assert movimiento.usuario == implan and movimiento.comentario == "Cumple de manera suficiente y clara."


def test_validar_varios_sigue_si_uno_ya_cambio(client, implan, dependencia, diez):
    aspectos = list(diez.aspectos.order_by("pk"))[:3]
    _con_evidencia(aspectos, dependencia)
    for aspecto in aspectos:
        services.aspecto_enviar(aspecto=aspecto, usuario=dependencia)
    services.aspecto_transicionar(accion=Accion.OBSERVAR, aspecto=aspectos[0], usuario=implan, comentario="Falta firma")
    client.force_login(implan)
    respuesta = client.post(
        reverse("seguimiento:validar_varios"), {"aspectos": [a.pk for a in aspectos], "confirmar": "si"}, follow=True
    )
    assert "ya está «Observada»" in respuesta.content.decode()
    assert [a.estado for a in diez.aspectos.filter(pk__in=[a.pk for a in aspectos]).order_by("pk")] == [
        EstadoAspecto.OBSERVADA,
        EstadoAspecto.ATENDIDA,
        EstadoAspecto.ATENDIDA,
    ]


def test_lotes_ajenos_o_de_otro_rol(client, implan, dependencia, otra_dependencia, implan_otro_municipio, diez):
    ids = {"aspectos": [a.pk for a in diez.aspectos.all()], "confirmar": "si"}
    client.force_login(dependencia)
    assert client.post(reverse("seguimiento:validar_varios"), ids).status_code == 403
    client.force_login(implan)
    assert client.post(reverse("seguimiento:enviar_varios"), ids).status_code == 403
    client.force_login(otra_dependencia)
    assert client.post(reverse("seguimiento:enviar_varios"), ids).status_code == 404
    client.force_login(implan_otro_municipio)
    assert client.post(reverse("seguimiento:validar_varios"), ids).status_code == 404
    assert not Movimiento.objects.filter(accion__in=[Accion.ENVIAR, Accion.VALIDAR]).exists()
