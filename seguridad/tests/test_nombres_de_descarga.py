"""Downloads say what they are: the stored type's extension, never the user's; no bidi or control characters.

Also ``Evaluacion.informe_final`` takes only a PDF, by its content.
"""

from __future__ import annotations

import urllib.parse

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from convenios.models import TipoAspecto
from operacion.almacenamiento import nombre_descarga
from seguimiento import services
from seguimiento.models import Evidencia
from seguimiento.tests import archivos_prueba

pytestmark = pytest.mark.seguridad

# A PDF that is also an HTML page: browsers sniffing an .html name would run its script.
POLIGLOTA = archivos_prueba.pdf("Informe") + b"<html><script>alert(document.cookie)</script></html>"
HTML = b"<!doctype html><html><script>alert(1)</script></html>"

CASOS = [
    ("informe\u202efdp.exe", "application/pdf", "informefdp.pdf"),
    ("report.html", "application/pdf", "report.pdf"),
    ("foto.svg", "image/png", "foto.png"),
    (
        "acta\u200f\u2066.docx.exe",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "acta.docx.docx",
    ),
    ("..\\..\\windows\\system32.pdf", "application/pdf", "_.._windows_system32.pdf"),
    ("línea\r\nnueva\x00.pdf", "application/pdf", "líneanueva.pdf"),
    ("\u202e\u200b", "image/jpeg", "archivo.jpg"),
    ("sin-extension", "application/x-desconocido", "sin-extension.bin"),
]


@pytest.mark.parametrize("nombre,tipo,esperado", CASOS)
def test_el_nombre_lleva_la_extension_del_tipo_guardado_y_nada_invisible(nombre, tipo, esperado, informe):
    assert nombre_descarga(nombre, tipo) == esperado
    informe.medir(
        f"endurecimiento:nombre:{esperado}",
        {"prueba": "Nombres de descarga (extensión del tipo guardado, sin bidi ni control)", "casos": 1, "fallas": 0},
    )


def _disposicion(respuesta) -> str:
    return urllib.parse.unquote(respuesta["Content-Disposition"])


def test_una_poliglota_pdf_html_subida_como_html_se_descarga_como_pdf(client, convenio, dependencia):
    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    evidencia = services.evidencia_subir(
        aspecto=aspecto,
        archivo=archivos_prueba.subido("report.html", POLIGLOTA, "text/html"),
        descripcion="Informe trimestral",
        usuario=dependencia,
    )
    assert evidencia.tipo_contenido == "application/pdf"
    client.force_login(dependencia)
    respuesta = client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert 'filename="report.pdf"' in respuesta["Content-Disposition"]
    assert ".html" not in respuesta["Content-Disposition"]


def test_un_nombre_guardado_con_marcas_bidi_se_descarga_limpio(client, convenio, dependencia):
    """Uploads refuse such names (seguimiento.archivos.validar_nombre); a row written before that still downloads safe."""
    aspecto = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    evidencia = services.evidencia_subir(
        aspecto=aspecto,
        archivo=archivos_prueba.subido("informe.pdf", archivos_prueba.pdf(), "application/pdf"),
        descripcion="Informe",
        usuario=dependencia,
    )
    Evidencia.objects.filter(pk=evidencia.pk).update(nombre_original="informe\u202efdp.exe")
    client.force_login(dependencia)
    respuesta = client.get(reverse("seguimiento:evidencia_descargar", args=[evidencia.pk]))
    disposicion = _disposicion(respuesta)
    assert "informefdp.pdf" in disposicion
    assert "\u202e" not in disposicion and ".exe" not in disposicion


def test_el_informe_final_solo_acepta_pdf_por_su_contenido(convenio):
    evaluacion = convenio.evaluacion
    evaluacion.informe_final = ContentFile(HTML, name="informe.pdf")
    with pytest.raises(ValidationError) as error:
        evaluacion.full_clean()
    assert error.value.error_dict["informe_final"][0].code == "no_es_pdf"
    assert "no es un PDF" in error.value.message_dict["informe_final"][0]

    evaluacion.informe_final = ContentFile(POLIGLOTA, name="report.html")
    evaluacion.full_clean()


def test_el_informe_final_publico_se_descarga_como_pdf_aunque_se_haya_subido_como_html(client, convenio):
    evaluacion = convenio.evaluacion
    evaluacion.informe_final.save("report.html", ContentFile(POLIGLOTA))
    respuesta = client.get(reverse("transparencia:informe_final", args=[evaluacion.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].endswith(
        f'filename="informe-final-{evaluacion.programa.clave}-pae2022.pdf"'
    )
    assert "sandbox" in respuesta["Content-Security-Policy"]


def test_un_convenio_firmado_que_no_es_de_un_tipo_conocido_se_descarga_como_binario(client, convenio):
    # The scan is registered before signing (convenios.politica, "firmar"); here straight into the row.
    nombre = convenio.documento_firmado.storage.save("convenios/firmados/firmado.html", ContentFile(HTML))
    type(convenio).objects.filter(pk=convenio.pk).update(documento_firmado=nombre)
    respuesta = client.get(reverse("transparencia:convenio_firmado", args=[convenio.pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/octet-stream"
    assert respuesta["Content-Disposition"].startswith("attachment;")
    assert respuesta["Content-Disposition"].endswith('.bin"')
