"""The public portal as a citizen uses it: no account, search, filters, one convenio's page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convenios.models import EstadoAspecto
from convenios.models import hoy as convenios_hoy
from convenios.tests.fabricas import crear_convenio, crear_municipio
from convenios.tests.reloj import el_dia
from seguimiento.tests.estados import llevar_a
from transparencia.selectors import CLAVE_HUELLA

pytestmark = pytest.mark.django_db


def test_inicio_sin_sesion_lista_evaluaciones_y_convenios(client, datos):
    respuesta = client.get(reverse("transparencia:inicio"))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert '<html lang="es-MX">' in contenido
    assert "01070101" in contenido
    assert "Programa Anual de Evaluación 2022" in contenido
    assert reverse("transparencia:convenio", args=[datos.vigente.pk]) in contenido
    # The draft's evaluation is listed (the PAE is public) but its convenio is not.
    assert "02010101" in contenido
    assert reverse("transparencia:convenio", args=[datos.borrador.pk]) not in contenido
    assert "Aún no hay un convenio firmado" in contenido


def test_inicio_no_usa_la_barra_del_personal_ni_la_sesion(client, datos):
    respuesta = client.get(reverse("transparencia:inicio"))
    contenido = respuesta.content.decode()
    assert "Cerrar sesión" not in contenido
    assert "Administración" not in contenido
    assert "sessionid" not in respuesta.cookies and "csrftoken" not in respuesta.cookies
    assert "Cookie" not in respuesta.get("Vary", "")


@pytest.mark.parametrize(
    ("consulta", "encontrado"),
    [
        ({"q": "01070101"}, True),
        ({"q": "programa de prueba"}, True),
        ({"q": "inexistente"}, False),
        ({"anio": "2022"}, True),
        ({"anio": "2023", "estado": "vigente"}, False),
        ({"estado": "vigente"}, True),
        ({"estado": "cumplido"}, False),
    ],
)
def test_busqueda_y_filtros(client, datos, consulta, encontrado):
    respuesta = client.get(reverse("transparencia:inicio"), consulta)
    assert respuesta.status_code == 200
    enlace = reverse("transparencia:convenio", args=[datos.vigente.pk])
    assert (enlace in respuesta.content.decode()) is encontrado


def test_filtro_por_dependencia(client, m, datos):
    respuesta = client.get(reverse("transparencia:inicio"), {"dependencia": m.otra_dependencia.pk})
    contenido = respuesta.content.decode()
    assert "02010101" in contenido
    assert "01070101" not in contenido


def test_filtro_sin_convenio_publicado(client, datos):
    contenido = client.get(reverse("transparencia:inicio"), {"estado": "sin_convenio"}).content.decode()
    assert "02010101" in contenido
    assert "01070101" not in contenido


@pytest.mark.parametrize(
    "consulta",
    [
        {"anio": "dos mil"},
        {"anio": "1999"},
        {"dependencia": "'; DROP TABLE convenios_convenio; --"},
        {"estado": "borrador"},
        {"q": "x" * 5000},
        {"municipio": "<script>alert(1)</script>"},
        {"pagina": "-3"},
        {"q": "\x00"},
    ],
)
def test_filtros_invalidos_dan_error_claro_y_la_lista_sigue(client, datos, consulta):
    respuesta = client.get(reverse("transparencia:inicio"), consulta)
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "<script>alert(1)</script>" not in contenido
    # The invalid filter is dropped (and reported), the public list is still shown.
    assert reverse("transparencia:convenio", args=[datos.vigente.pk]) in contenido
    if "pagina" not in consulta:
        assert "text-danger" in contenido
        assert any(
            mensaje in contenido
            for mensaje in ("Seleccione una opción válida", "Asegúrese de que este valor", "Caracteres nulos")
        )


def test_pagina_del_municipio_y_municipio_inexistente(client, m, datos):
    assert client.get(reverse("transparencia:municipio", args=[m.municipio.slug])).status_code == 200
    assert client.get(reverse("transparencia:municipio", args=["no-existe"])).status_code == 404


def test_pagina_de_un_municipio_no_muestra_otro(client, m, datos):
    otro = crear_municipio("Municipio Ajeno")
    crear_convenio(otro, clave="09090909")
    contenido = client.get(reverse("transparencia:municipio", args=[m.municipio.slug])).content.decode()
    assert "09090909" not in contenido
    assert "01070101" in contenido


def test_paginacion_y_consultas_acotadas(client, m, django_assert_max_num_queries):
    for _ in range(25):
        crear_convenio(m)
    # 10 of them compute the public fingerprint (ETag), at most once every 30 seconds.
    with django_assert_max_num_queries(19):
        primera = client.get(reverse("transparencia:inicio"))
    assert primera.status_code == 200
    assert primera.context["pagina"].paginator.count == 25
    assert len(primera.context["pagina"].object_list) == 20
    segunda = client.get(reverse("transparencia:inicio"), {"pagina": 2})
    assert len(segunda.context["pagina"].object_list) == 5


@el_dia(datetime.date(2023, 1, 2))  # the 2022 dates are past
def test_convenio_muestra_partes_aspectos_semaforo_y_avance(client, m, datos, django_assert_max_num_queries):
    convenio = datos.vigente
    atendida = convenio.aspectos.get(tipo="recomendacion", numero=1)
    llevar_a(atendida, EstadoAspecto.ATENDIDA)
    cancelada = convenio.aspectos.get(tipo="recomendacion", numero=2)
    llevar_a(cancelada, EstadoAspecto.CANCELADA)
    # 14: the public fingerprint counts the issued letters too (one query more, once every 30 s).
    # 15: the items' actions (convenios.Accion) come in one prefetch of their own.
    # 17: the parties and their signatories, by primary key (two queries instead of eight joins).
    # 19: the fingerprint counts the modificaciones, and the page lists them (cláusula NOVENA).
    with django_assert_max_num_queries(19):
        respuesta = client.get(reverse("transparencia:convenio", args=[convenio.pk]))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    for dependencia in (m.implan, m.tesoreria, m.contraloria, m.dependencia):
        titular = m.titular(dependencia)
        assert titular.nombre in contenido
        assert titular.cargo in contenido
    assert "Hallazgo 1" in contenido and "Recomendación 3" in contenido
    assert "Acción de la recomendación 1" in contenido
    assert "31 de diciembre de 2022" in contenido
    # 1 atendida out of 5 items, 1 cancelada: 1 / 4 owed = 25 %.
    assert respuesta.context["avance"] == 25.0
    assert "Porcentaje de avance: 25 %" in contenido
    # Semáforo from the model's rule (con_semaforo): 2022 dates are overdue today.
    assert dict(respuesta.context["semaforos"]) == {"verde": 2, "amarillo": 0, "rojo": 3}
    assert 'semaforo semaforo-rojo">Rojo<' in contenido


def test_semaforo_verde_si_atendido_y_amarillo_si_vence_pronto(client, m):
    hoy = convenios_hoy()
    pronto = min(hoy + datetime.timedelta(days=5), datetime.date(hoy.year, 12, 31))
    convenio = crear_convenio(
        m,
        anio=hoy.year,
        fecha_firma=datetime.date(hoy.year, 1, 1),
        hallazgos=2,
        recomendaciones=0,
        fecha_compromiso=pronto,
    )
    atendido = convenio.aspectos.get(numero=1)
    llevar_a(atendido, EstadoAspecto.ATENDIDA)
    contenido = client.get(reverse("transparencia:convenio", args=[convenio.pk])).content.decode()
    assert f'aspecto aspecto-verde" aria-labelledby="aspecto-{atendido.pk}"' in contenido
    pendiente = convenio.aspectos.get(numero=2)
    assert f'aspecto aspecto-amarillo" aria-labelledby="aspecto-{pendiente.pk}"' in contenido
    assert 'semaforo semaforo-amarillo">Amarillo<' in contenido


def test_convenio_borrador_e_inexistente_son_404(client, datos):
    assert client.get(reverse("transparencia:convenio", args=[datos.borrador.pk])).status_code == 404
    assert client.get(reverse("transparencia:convenio", args=[999999])).status_code == 404


def test_evidencia_publicable_visible_y_privada_no(client, datos):
    contenido = client.get(reverse("transparencia:convenio", args=[datos.vigente.pk])).content.decode()
    assert reverse("transparencia:evidencia", args=[datos.evidencia_publica.pk]) in contenido
    assert "Oficio de entrega" in contenido
    assert reverse("transparencia:evidencia", args=[datos.evidencia_privada.pk]) not in contenido
    assert "Documento interno" not in contenido


def test_descarga_de_evidencia_publicable(client, datos):
    from transparencia.tests.conftest import CONTENIDO_PUBLICO

    respuesta = client.get(reverse("transparencia:evidencia", args=[datos.evidencia_publica.pk]))
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == CONTENIDO_PUBLICO
    assert respuesta["Content-Type"] == "application/pdf"
    assert "Juana" not in respuesta["Content-Disposition"]  # the original name is not published
    assert "sandbox" in respuesta["Content-Security-Policy"]


def test_evidencia_privada_o_de_borrador_es_404(client, datos):
    for evidencia in (datos.evidencia_privada, datos.evidencia_de_borrador):
        assert client.get(reverse("transparencia:evidencia", args=[evidencia.pk])).status_code == 404


def test_evidencia_cuyo_archivo_falta_en_disco_es_404(client, datos):
    datos.evidencia_publica.archivo.storage.delete(datos.evidencia_publica.archivo.name)
    assert client.get(reverse("transparencia:evidencia", args=[datos.evidencia_publica.pk])).status_code == 404


def test_informe_final_y_convenio_firmado_se_descargan(client, datos):
    from django.core.files.base import ContentFile

    evaluacion = datos.vigente.evaluacion
    assert client.get(reverse("transparencia:informe_final", args=[evaluacion.pk])).status_code == 404
    evaluacion.informe_final.save("informe.pdf", ContentFile(b"%PDF-1.4 informe"), save=True)
    datos.vigente.documento_firmado.save("firmado.pdf", ContentFile(b"%PDF-1.4 firmado"), save=True)
    inicio = client.get(reverse("transparencia:inicio")).content.decode()
    assert reverse("transparencia:informe_final", args=[evaluacion.pk]) in inicio
    informe = client.get(reverse("transparencia:informe_final", args=[evaluacion.pk]))
    assert b"".join(informe.streaming_content) == b"%PDF-1.4 informe"
    firmado = client.get(reverse("transparencia:convenio_firmado", args=[datos.vigente.pk]))
    assert b"".join(firmado.streaming_content) == b"%PDF-1.4 firmado"


def test_convenio_firmado_de_un_borrador_es_404(client, datos):
    from django.core.files.base import ContentFile

    datos.borrador.documento_firmado.save("firmado.pdf", ContentFile(b"%PDF-1.4 borrador"), save=True)
    assert client.get(reverse("transparencia:convenio_firmado", args=[datos.borrador.pk])).status_code == 404


def test_sin_oficios_emitidos_se_dice_claramente(client, datos):
    # The documents app is installed (merged): the portal says no letter has been issued yet.
    contenido = client.get(reverse("transparencia:convenio", args=[datos.vigente.pk])).content.decode()
    assert "Documentos emitidos" in contenido
    assert "Aún no se han emitido documentos para este convenio." in contenido


def test_paginas_publicas_no_aceptan_post(client, datos):
    respuesta = client.post(reverse("transparencia:inicio"))
    assert respuesta.status_code == 405


def _opciones(contenido: str, nombre: str) -> list[str]:
    seleccion = re.search(rf'<select name="{nombre}".*?</select>', contenido, re.S)
    assert seleccion, nombre
    return re.findall(r'<option value="([^"]*)"', seleccion.group(0))


def test_dependencias_solo_del_municipio_elegido(client, m, datos):
    """With several municipios the portal asks for one first; its dependencias come after, never the state's."""
    otro = crear_municipio("Municipio Vecino")
    crear_convenio(otro, clave="05050505")
    portada = client.get(reverse("transparencia:inicio")).content.decode()
    assert _opciones(portada, "dependencia") == [""]
    assert "Elija un municipio para ver sus dependencias." in portada
    assert set(_opciones(portada, "municipio")) == {"", m.municipio.slug, otro.municipio.slug}
    elegido = client.get(reverse("transparencia:inicio"), {"municipio": otro.municipio.slug}).content.decode()
    assert _opciones(elegido, "dependencia") == ["", str(otro.dependencia.pk)]
    propio = client.get(reverse("transparencia:municipio", args=[m.municipio.slug])).content.decode()
    # Only evaluated dependencias of this municipio (the draft's one included: its evaluation is public).
    assert set(_opciones(propio, "dependencia")) == {"", str(m.dependencia.pk), str(m.otra_dependencia.pk)}
    assert _opciones(propio, "anio") == ["", "2023", "2022"]


def test_opciones_con_consultas_acotadas(client, m, datos):
    """Choices cost the same few queries with 3 municipios as with 1: no query per option, no list of the state."""

    def consultas() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as capturadas:
            assert client.get(reverse("transparencia:inicio"), {"municipio": m.municipio.slug}).status_code == 200
        return len(capturadas)

    antes = consultas()
    for indice in range(2):
        vecino = crear_municipio(f"Vecino {indice}")
        for _ in range(3):
            crear_convenio(vecino, anio=2021 + indice)
    assert consultas() == antes


def test_pagina_publica_se_dibuja_una_vez_por_cambio(client, m, datos):
    rutas = [
        reverse("transparencia:inicio"),
        reverse("transparencia:inicio") + "?estado=vigente",
        reverse("transparencia:municipio", args=[m.municipio.slug]),
        reverse("transparencia:convenio", args=[datos.vigente.pk]),
        reverse("transparencia:anexo1", args=[datos.vigente.evaluacion_id]),
        reverse("transparencia:datos"),
        reverse("transparencia:diccionario"),
    ]
    consultas = []
    for ruta in rutas:
        with CaptureQueriesContext(connection) as primera:
            dibujada = client.get(ruta)
        with CaptureQueriesContext(connection) as segunda:
            guardada = client.get(ruta)  # no If-None-Match: a new visitor
        assert dibujada.status_code == guardada.status_code == 200, ruta
        assert guardada.content == dibujada.content
        assert guardada["Content-Type"] == "text/html; charset=utf-8"
        assert len(segunda) == 0, ruta
        consultas.append(len(primera))
    # Each page ran its queries once (the dictionary runs none: it comes from the OpenAPI schema).
    assert min(consultas[:-1]) >= 1 and consultas[-1] == 0, consultas


def test_un_cambio_en_los_datos_cambia_la_pagina_guardada(client, m, datos):
    ruta = reverse("transparencia:convenio", args=[datos.vigente.pk])
    antes = client.get(ruta).content.decode()
    assert "0 de 5" in antes or "Pendiente" in antes
    aspecto = datos.vigente.aspectos.get(tipo="hallazgo", numero=1)
    llevar_a(aspecto, EstadoAspecto.ATENDIDA, fecha=aspecto.fecha_vigente)  # on time: no "fuera de plazo" mark
    assert client.get(ruta).content.decode() == antes  # the fingerprint is kept up to 30 seconds
    cache.delete(CLAVE_HUELLA)  # …which have now passed
    despues = client.get(ruta).content.decode()
    assert despues != antes
    assert despues.count("Atendida") == antes.count("Atendida") + 1


def test_lista_del_estado_en_orden_por_grupos(m):
    """Page after page, the list by (year, municipio) groups is the list the database sorts whole."""
    from django.core.paginator import Paginator

    from transparencia import selectors

    for nombre, anios in [("Zumpango", (2021, 2023)), ("Ángeles", (2023,)), ("Bravo", (2022, 2023, 2023))]:
        vecino = crear_municipio(nombre)
        for anio in anios:
            crear_convenio(vecino, anio=anio)
    crear_convenio(m, anio=2022)
    lista = selectors.evaluaciones_del_portal(selectors.Filtros())
    esperada = list(selectors.evaluaciones_publicas().order_by(*selectors.ORDEN_DEL_PORTAL))
    paginador = Paginator(lista, 2)
    assert paginador.count == len(esperada) == 7
    vistas = [e for numero in paginador.page_range for e in paginador.page(numero).object_list]
    assert [e.pk for e in vistas] == [e.pk for e in esperada]
    assert [e.anio_pae for e in vistas] == sorted((e.anio_pae for e in vistas), reverse=True)
    filtrada = Paginator(selectors.evaluaciones_del_portal(selectors.Filtros(anio=2023)), 2)
    assert [e.pk for n in filtrada.page_range for e in filtrada.page(n).object_list] == [
        e.pk for e in esperada if e.anio_pae == 2023
    ]


def test_anios_y_municipios_del_estado(m):
    from transparencia import selectors

    vecino = crear_municipio("Vecino")
    for anio in (2021, 2023, 2023):
        crear_convenio(vecino, anio=anio)
    crear_convenio(m, anio=2020)
    assert selectors.anios_pae() == [2023, 2021, 2020]
    assert selectors.anios_pae(vecino.municipio) == [2023, 2021]
    crear_municipio("Sin evaluaciones")
    assert [(x.nombre, x.n_evaluaciones) for x in selectors.municipios_publicos()] == [
        (m.municipio.nombre, 1),
        ("Vecino", 3),
    ]


def test_pagina_vuelta_a_pedir_sale_de_la_copia_del_proceso(client, m, datos):
    """A page this process served is answered from its own copy, with no trip to the shared cache."""
    ruta = reverse("transparencia:inicio")
    dibujada = client.get(ruta).content
    huella = cache.get(CLAVE_HUELLA)
    cache.clear()  # the shared cache (Redis in production) loses the page…
    cache.set(CLAVE_HUELLA, huella)  # …and keeps the same fingerprint: the data did not change
    with CaptureQueriesContext(connection) as consultas:
        assert client.get(ruta).content == dibujada
    assert len(consultas) == 0
