"""IMPLAN's admin: renders with a bounded number of queries; other roles are kept out."""

from __future__ import annotations

from django.urls import reverse

from convenios.models import Convenio, EstadoAspecto, ProgramaPresupuestario
from convenios.tests.fabricas import crear_convenio, crear_usuario
from seguimiento.tests.estados import llevar_a


def test_las_listas_con_mas_de_una_pagina_tienen_consultas_acotadas(client, m, implan, django_assert_max_num_queries):
    """55 convenios (more than a page of the list): every list, and the convenios' with each filter, its
    search and a sort, in at most 20 queries. One test for all of them: the 55 are built once."""
    for _ in range(55):
        crear_convenio(m, hallazgos=2, recomendaciones=3)
    client.force_login(implan)
    with django_assert_max_num_queries(20):
        respuesta = client.get(reverse("admin:convenios_convenio_changelist"))
    assert respuesta.status_code == 200
    assert respuesta.context["cl"].result_count == 55
    assert "Pendiente" in respuesta.content.decode()

    for consulta in ["?estado__exact=vigente", "?evaluacion__anio_pae=2022", "?q=Programa", "?o=6"]:
        with django_assert_max_num_queries(20):
            respuesta = client.get(reverse("admin:convenios_convenio_changelist") + consulta)
        assert respuesta.status_code == 200, consulta
        assert respuesta.context["cl"].result_count == 55, consulta

    for modelo in ["municipio", "dependencia", "programapresupuestario", "evaluacion", "convenio", "aspecto"]:
        with django_assert_max_num_queries(20):
            respuesta = client.get(reverse(f"admin:convenios_{modelo}_changelist"))
        assert respuesta.status_code == 200, modelo


def test_conteos_por_estado_en_la_lista(client, implan, convenio):
    aspecto = convenio.aspectos.first()
    llevar_a(aspecto, EstadoAspecto.ATENDIDA)
    client.force_login(implan)
    respuesta = client.get(reverse("admin:convenios_convenio_changelist"))
    fila = respuesta.context["cl"].result_list[0]
    assert (fila.n_aspectos, fila.n_pendiente, fila.n_atendida) == (5, 4, 1)


def test_pagina_del_convenio_con_inlines_y_consultas_acotadas(client, seed, django_assert_max_num_queries):
    usuario = crear_usuario("implan_seed", seed.implan)
    client.force_login(usuario)
    with django_assert_max_num_queries(40):
        respuesta = client.get(reverse("admin:convenios_convenio_change", args=[seed.pk]))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "hallazgos (cláusula cuarta a)" in contenido.lower()
    for aspecto in seed.aspectos.all():
        assert aspecto.texto[:60].replace('"', "&quot;") in contenido


def test_la_dependencia_no_entra_al_admin(client, dependencia, convenio):
    client.force_login(dependencia)
    respuesta = client.get(reverse("admin:convenios_convenio_changelist"))
    assert respuesta.status_code == 302
    assert reverse("admin:login") in respuesta["Location"]


def test_implan_no_ve_convenios_de_otro_municipio(client, implan, convenio, otro_municipio):
    ajeno = crear_convenio(otro_municipio)
    client.force_login(implan)
    respuesta = client.get(reverse("admin:convenios_convenio_changelist"))
    assert [c.pk for c in respuesta.context["cl"].result_list] == [convenio.pk]
    assert client.get(reverse("admin:convenios_convenio_change", args=[ajeno.pk])).status_code == 404
    assert Convenio.objects.visibles_para(implan).count() == 1


def test_el_historial_registra_el_cambio_con_su_autor(client, implan, m):
    programa = ProgramaPresupuestario.objects.create(municipio=m.municipio, clave="01020401", nombre="Derechos")
    client.force_login(implan)
    respuesta = client.post(
        reverse("admin:convenios_programapresupuestario_change", args=[programa.pk]),
        {"municipio": m.municipio.pk, "clave": "01020401", "nombre": "Derechos Humanos"},
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    ultimo = programa.history.first()
    assert ultimo.history_type == "~"
    assert ultimo.history_user == implan
    anterior = ultimo.prev_record
    assert (anterior.nombre, ultimo.nombre) == ("Derechos", "Derechos Humanos")
    cambio = ultimo.diff_against(anterior)
    assert [c.field for c in cambio.changes] == ["nombre"]


def test_el_admin_rechaza_una_fecha_fuera_de_plazo(client, implan, convenio):
    """The admin form shows the clause's Spanish message (the rule comes from the model)."""
    from convenios.models import Aspecto
    from seguridad.tests.hostiles import datos_de_pagina_admin

    aspecto = convenio.aspectos.filter(tipo="hallazgo").first()
    client.force_login(implan)
    url = reverse("admin:convenios_aspecto_change", args=[aspecto.pk])
    datos = {**datos_de_pagina_admin(client.get(url)), "prioridad": "alta", "fecha_compromiso": "2023-01-10"}
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 200
    assert "no puede exceder el 31 de diciembre de 2022 (cláusula QUINTA)" in respuesta.content.decode()
    assert Aspecto.objects.get(pk=aspecto.pk).fecha_compromiso == convenio.fecha_limite


def test_cada_campo_de_una_fila_en_linea_lleva_el_nombre_de_su_fila(client, implan, convenio):
    """Every row of the hallazgos repeats «Número:», «Texto:»…: a screen reader hears which row each is."""
    client.force_login(implan)
    pagina = client.get(reverse("admin:convenios_convenio_change", args=[convenio.pk])).content.decode()
    for etiqueta in ("Hallazgo 1", "Hallazgo 2", "Recomendación 3"):
        assert f'aria-label="Número ({etiqueta})"' in pagina
        assert f'aria-label="Texto ({etiqueta})"' in pagina
    # The blank row the admin copies to add one; and a field inside the admin's wrapper (its "+" and pencil
    # links), whose attributes would otherwise be shared by every row.
    assert 'aria-label="Número (registro nuevo)"' in pagina
    assert pagina.count('aria-label="Repite el aspecto (Hallazgo 1)"') == 1
    assert pagina.count('aria-label="Repite el aspecto (Hallazgo 2)"') == 1
