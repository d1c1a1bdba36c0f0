"""Oficio de cumplimiento (cláusula QUINTA): refused until everything is attended; then a PDF/A with folio,
archived once, never re-rendered."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from convenios.models import EstadoAspecto, EstadoConvenio, Titular, hoy
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.services import oficio_cumplimiento_emitir
from documentos.tests.ayudas import atender_todo, en_mexico, fecha_en_espanol, fechar, normalizar, texto_pdf
from seguimiento.models import Accion
from seguimiento.tests.estados import llevar_a


def _leer(documento: Documento) -> bytes:
    with documento.archivo.open("rb") as archivo:
        return archivo.read()


def test_se_niega_mientras_falten_aspectos_y_dice_cuales(seed, implan_seed, defensoria):
    observada = seed.aspectos.get(tipo="hallazgo", numero=2)
    en_revision = seed.aspectos.get(tipo="recomendacion", numero=4)
    llevar_a(
        observada,
        EstadoAspecto.OBSERVADA,
        dependencia=defensoria,
        implan=implan_seed,
        comentario="Falta la firma del titular.",
    )
    llevar_a(en_revision, EstadoAspecto.EN_REVISION, dependencia=defensoria)
    atender_todo(seed, implan=implan_seed, dependencia=defensoria)

    with pytest.raises(ValidationError) as error:
        oficio_cumplimiento_emitir(convenio=seed, usuario=implan_seed)

    assert error.value.code == "aspectos_pendientes"
    mensaje = " ".join(error.value.messages)
    assert "Hallazgo 2 (observada)" in mensaje
    assert "Recomendación 4 (en revisión)" in mensaje
    assert "Hallazgo 1" not in mensaje
    seed.refresh_from_db()
    assert seed.estado == EstadoConvenio.VIGENTE
    assert not Documento.objects.exists()
    assert not SerieFolio.objects.exists()


@pytest.fixture
def seed_atendido(seed, implan_seed, defensoria):
    """Recomendación 6 cancelled on 20 December 2022; everything else validated on the 15th."""
    cancelada = seed.aspectos.get(tipo="recomendacion", numero=6)
    llevar_a(cancelada, EstadoAspecto.CANCELADA, implan=implan_seed, comentario="Duplica la recomendación 5.")
    fechar(seed, Accion.CANCELAR, en_mexico(2022, 12, 20))
    atender_todo(seed, implan=implan_seed, dependencia=defensoria, evidencias=2, fecha=en_mexico(2022, 12, 15))
    return seed


def test_emite_el_oficio_del_convenio_semilla_con_todo_lo_que_debe_decir(seed_atendido, implan_seed):
    documento = oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed)

    anio = hoy().year
    assert documento.folio == f"IMPLAN/OC/{anio}/001"
    assert documento.tipo == TipoDocumento.OFICIO_CUMPLIMIENTO
    seed_atendido.refresh_from_db()
    assert seed_atendido.estado == EstadoConvenio.CUMPLIDO
    assert seed_atendido.history.first().history_user == implan_seed

    pdf = _leer(documento)
    texto = texto_pdf(pdf)
    assert f"Oficio No. IMPLAN/OC/{anio}/001" in texto
    assert fecha_en_espanol(hoy()) in texto  # date of the letter
    assert "6 de diciembre de 2022" in texto  # date of the convenio
    assert "01020401.- Derechos Humanos" in texto
    assert "Programa Anual de Evaluación 2022" in texto
    assert "presupuesto de $3,053,600.00 en el ejercicio fiscal 2021" in texto
    assert "Evaluación Específica del Desempeño" in texto
    # Addressed to the titular of the evaluated dependencia; copy to Contraloría and Tesorería.
    assert "DR. GONZALO LEVI OBREGÓN SALINAS" in texto
    assert "DEFENSOR MUNICIPAL DE LOS DERECHOS HUMANOS" in texto
    assert "c.c.p." in texto
    assert "C.P. Leticia Santana Moronatti, Contralora Municipal" in texto
    assert "Mtro. Ricardo Santos Arreola, Tesorero Municipal" in texto
    # IMPLAN titular's signature block.
    assert "L.E. ALFREDO OROPEZA MÉNDEZ" in texto
    assert "TITULAR DEL IMPLAN" in texto
    # Every item, with its text, its validation date and its evidence count.
    for aspecto in seed_atendido.aspectos.all():
        assert f"{aspecto.etiqueta} {normalizar(aspecto.texto)}" in texto, aspecto.etiqueta
    assert texto.count("Atendida 15 de diciembre de 2022 2") == 10
    assert "Cancelada Cancelado el 20 de diciembre de 2022 0" in texto
    # Verification: the public URL and the code are printed next to the QR code.
    assert f"/verificar/{documento.codigo_verificacion}/" in texto


def test_el_pdf_archivado_es_pdfa_y_su_huella_es_la_registrada(seed_atendido, implan_seed):
    documento = oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed)

    pdf = _leer(documento)
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == documento.sha256
    assert len(pdf) == documento.tamano
    lector = PdfReader(BytesIO(pdf))
    xmp = lector.xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert documento.emitido_por == implan_seed
    assert len(documento.codigo_verificacion) >= 16


def test_el_oficio_emitido_no_cambia_cuando_se_edita_el_convenio(seed_atendido, implan_seed):
    documento = oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed)
    antes = _leer(documento)

    # What a modificación (cláusula NOVENA) would write; the archived letter must not follow it.
    seed_atendido.aspectos.filter(tipo="hallazgo", numero=1).update(
        texto="Texto corregido después de emitir el oficio."
    )
    titular = Titular.objects.get(nombre="Gonzalo Levi Obregón Salinas")
    titular.nombre = "Otra Persona"
    titular.save()
    programa = seed_atendido.evaluacion.programa
    programa.nombre = "Programa renombrado"
    programa.save()

    documento.refresh_from_db()
    despues = _leer(documento)
    assert despues == antes
    assert hashlib.sha256(despues).hexdigest() == documento.sha256
    assert "Texto corregido" not in texto_pdf(despues)


def test_no_se_emite_dos_veces(seed_atendido, implan_seed):
    primero = oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed)

    with pytest.raises(ValidationError) as error:
        oficio_cumplimiento_emitir(convenio=seed_atendido, usuario=implan_seed)

    assert error.value.code == "ya_emitido"
    assert primero.folio in error.value.messages[0]
    assert Documento.objects.count() == 1
    assert SerieFolio.objects.get().ultimo == 1


def test_solo_el_implan_del_municipio_emite(
    convenio_atendido, dependencia, contraloria, tesoreria, implan_otro_municipio
):
    for usuario in (dependencia, contraloria, tesoreria, implan_otro_municipio):
        with pytest.raises(PermissionDenied):
            oficio_cumplimiento_emitir(convenio=convenio_atendido, usuario=usuario)
    convenio_atendido.refresh_from_db()
    assert convenio_atendido.estado == EstadoConvenio.VIGENTE
    assert not Documento.objects.exists()


def test_avisa_por_correo_a_las_partes_con_el_enlace_de_verificacion(
    convenio_atendido, implan, dependencia, contraloria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        documento = oficio_cumplimiento_emitir(convenio=convenio_atendido, usuario=implan)

    destinatarios = sorted(correo.to[0] for correo in mail.outbox)
    assert destinatarios == sorted([implan.email, dependencia.email, contraloria.email])
    assert documento.folio in mail.outbox[0].subject
    assert f"/verificar/{documento.codigo_verificacion}/" in mail.outbox[0].body


def test_un_convenio_no_vigente_no_se_declara_cumplido(convenio_atendido, implan):
    convenio_atendido.estado = EstadoConvenio.INCUMPLIDO
    convenio_atendido.save()

    with pytest.raises(ValidationError) as error:
        oficio_cumplimiento_emitir(convenio=convenio_atendido, usuario=implan)

    assert error.value.code == "convenio_no_vigente"
