"""Every admin page runs the same number of queries with one municipio of data as with five, for the
IMPLAN officer and for the state-level superuser (issue 14): lists, add and change pages, and the
search by program key.

Each municipio gets the same records, made by the workflow's services: two convenios with items,
evidence, an approved prórroga, a sesión with its attendance, a Contraloría actuación, a Tesorería
verificación, an Anexo 1, an issued document, reminders and notifications, a second-factor device.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from convenios.models import Convenio
from convenios.tests import fabricas
from convenios.tests.matriz import url_del_admin
from cuentas.models import Usuario
from documentos.tests.ayudas import emitir_version_para_firma
from notificaciones.models import Notificacion
from seguimiento import services
from seguimiento.tests import archivos_prueba as ap
from supervision import services as supervision
from supervision.models import (
    Aviso,
    NivelAviso,
    ResultadoVerificacion,
    ResumenSemanal,
    TipoActuacion,
    TipoVerificacion,
)
from transparencia.models import Anexo1

# The day the data is recorded on: the test convenio's items (due in 2022) are overdue, as an actuación needs.
DIA = datetime.date(2023, 1, 9)


def _poblar(m: fabricas.MunicipioDePrueba, n: int) -> dict[str, Any]:
    u = {
        rol: fabricas.crear_usuario(f"{rol}_{n}", getattr(m, rol))
        for rol in ("implan", "contraloria", "tesoreria", "dependencia", "otra_dependencia")
    }
    convenio = fabricas.crear_convenio(m, clave=f"0102040{n}")
    fabricas.crear_convenio(m, dependencia=m.otra_dependencia)
    aspecto = convenio.aspectos.get(tipo="recomendacion", numero=1)
    services.evidencia_subir(
        aspecto=aspecto,
        archivo=ap.subido("oficio.pdf", ap.pdf("Oficio")),
        descripcion="Oficio",
        usuario=u["dependencia"],
    )
    prorroga = services.prorroga_solicitar(
        aspecto=aspecto,
        usuario=u["dependencia"],
        fecha_solicitada=aspecto.fecha_vigente + datetime.timedelta(days=3),
        motivo="Falta la firma del titular",
    )
    services.prorroga_resolver(prorroga=prorroga, usuario=u["implan"], aprobar=True, comentario="Procede")
    sesion = services.sesion_programar(
        usuario=u["implan"],
        convenios=[convenio],
        fecha=DIA,
        hora=datetime.time(10),
        lugar="Sala de juntas",
        hoy=DIA,
    )
    services.sesion_registrar(
        sesion=sesion,
        usuario=u["implan"],
        asistencias=[{"dependencia": m.dependencia, "nombre": "Enlace", "cargo": "Enlace"}],
        aspectos_revisados=[aspecto],
        acuerdos="Se revisó la evidencia",
    )
    hallazgo = convenio.aspectos.get(tipo="hallazgo", numero=1)
    supervision.actuacion_registrar(
        convenio=convenio,
        usuario=u["contraloria"],
        tipo=TipoActuacion.OBSERVACION,
        texto="Observación",
        fecha=DIA,
        aspecto=hallazgo,
        hoy=DIA,
    )
    supervision.verificacion_registrar(
        convenio=convenio,
        usuario=u["tesoreria"],
        tipo=TipoVerificacion.RECURSOS_EJERCIDOS,
        resultado=ResultadoVerificacion.PARCIAL,
        nota="Nota",
        fecha=DIA,
        hoy=DIA,
    )
    Anexo1.objects.create(evaluacion=convenio.evaluacion, nombre_evaluacion="Evaluación del programa")
    emitir_version_para_firma(convenio, u["implan"])
    lote = uuid.uuid4()
    Aviso.objects.create(aspecto=aspecto, nivel=NivelAviso.DIAS_15, fecha_vigente=aspecto.fecha_vigente, lote=lote)
    ResumenSemanal.objects.create(contraloria=m.contraloria, semana=datetime.date(2022, 12, 5), lote=lote)
    Notificacion.objects.create(usuario=u["dependencia"], asunto="Recordatorio", cuerpo="Faltan 15 días")
    # On the dependencia's account: with a confirmed device, the officer would be asked for its code first.
    TOTPDevice.objects.create(user=u["dependencia"], name="Teléfono", confirmed=True)
    return {"convenio": convenio, **u}


def _paginas(usuario: Usuario, clave: str) -> list[str]:
    """Every model's list, add page and the change page of its first row the user sees."""
    from django.test import RequestFactory

    peticion = RequestFactory().get("/admin/")
    peticion.user = usuario
    paginas = [reverse("admin:index")]
    for modelo, model_admin in admin.site._registry.items():
        paginas += [url_del_admin(modelo, "changelist"), url_del_admin(modelo, "add")]
        primero = model_admin.get_queryset(peticion).order_by("pk").first()
        if primero is not None:
            paginas.append(url_del_admin(modelo, "change", quote(primero.pk)))
    for lista in ("convenio", "aspecto", "evaluacion"):
        paginas.append(reverse(f"admin:convenios_{lista}_changelist") + f"?q={clave}")
    paginas.append(reverse("admin:transparencia_anexo1_changelist") + f"?q={clave}")
    return paginas


def _consultas(cliente: Client, paginas: list[str]) -> dict[str, tuple[int, int]]:
    medidas = {}
    for pagina in paginas:
        with CaptureQueriesContext(connection) as consultas:
            respuesta = cliente.get(pagina)
        medidas[pagina] = (respuesta.status_code, len(consultas))
    return medidas


@pytest.mark.lento
@pytest.mark.parametrize("rol", ["implan", "superusuario"])
def test_cada_pagina_del_admin_con_las_mismas_consultas_con_uno_y_cinco_municipios(db, rol, settings):
    primero = fabricas.crear_municipio("Municipio 1")
    datos = _poblar(primero, 1)
    if rol == "implan":
        usuario = datos["implan"]
    else:
        usuario = fabricas.crear_usuario("raiz", None, is_superuser=True, is_staff=True)
    cliente = Client()
    cliente.force_login(usuario)
    paginas = _paginas(usuario, "01020401")
    _consultas(cliente, paginas)  # caches (content types, permissions) warm up once per process
    con_uno = _consultas(cliente, paginas)

    for n in range(2, 6):
        _poblar(fabricas.crear_municipio(f"Municipio {n}"), n)
    con_cinco = _consultas(cliente, paginas)

    assert Convenio.objects.count() == 10
    distintas = {p: (con_uno[p], con_cinco[p]) for p in paginas if con_uno[p] != con_cinco[p]}
    assert distintas == {}
    respondidas = [p for p, (estado, _n) in con_cinco.items() if estado == 200]
    assert len(respondidas) > (45 if rol == "superusuario" else 25)
    assert max(n for _estado, n in con_cinco.values()) <= 40, con_cinco


def test_buscar_por_clave_de_programa_no_consulta_por_fila(client, m, implan):
    for _ in range(3):
        fabricas.crear_convenio(m, hallazgos=4, recomendaciones=4)
    client.force_login(implan)
    lista = reverse("admin:convenios_aspecto_changelist")
    clave = Convenio.objects.first().evaluacion.programa.clave

    with CaptureQueriesContext(connection) as pocos:
        uno = client.get(lista + "?q=" + clave)
    with CaptureQueriesContext(connection) as todos:
        varios = client.get(lista + "?q=0")

    assert uno.context["cl"].result_count == 8 and varios.context["cl"].result_count == 24
    assert len(pocos) == len(todos)
