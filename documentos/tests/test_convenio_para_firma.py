"""The generated convenio is the version to be signed: issued only while a borrador and saying so; never a
sentence with a hole; its own year and page count."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from convenios.models import EstadoConvenio, TipoDependencia
from convenios.tests.reloj import el_dia
from documentos.models import Documento, SerieFolio, TipoDocumento
from documentos.services import convenio_documento_emitir, documento_borrador
from documentos.tests.ayudas import en_borrador, paginas_pdf, texto_pdf


def test_un_convenio_ya_firmado_no_se_vuelve_a_emitir_su_documento_oficial_es_el_firmado(seed, implan_seed):
    assert seed.estado == EstadoConvenio.VIGENTE
    with pytest.raises(ValidationError) as error:
        convenio_documento_emitir(convenio=seed, usuario=implan_seed)

    assert error.value.code == "convenio_ya_firmado"
    assert "su documento oficial es el convenio firmado" in error.value.messages[0]
    assert not Documento.objects.exists() and not SerieFolio.objects.exists()


@el_dia(datetime.date(2026, 3, 10))  # printed years after the seed's 2022
def test_la_version_para_firma_lo_dice_y_lleva_el_anio_del_convenio_no_el_de_hoy(seed, implan_seed):
    documento = convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)

    with documento.archivo.open("rb") as archivo:
        pdf = archivo.read()
    paginas = paginas_pdf(pdf)
    texto = " ".join(paginas)
    assert documento.folio == "IMPLAN/CV/2022/001"
    assert "Versión para firma" in texto
    assert "el documento con validez es el convenio firmado" in texto
    assert "2026" not in texto  # neither a date nor a folio of the year it was printed
    assert f"El presente convenio que consta de {len(paginas)} fojas" in texto
    assert "[falta:" not in texto


def test_con_datos_faltantes_se_niega_con_la_lista_y_la_vista_previa_marca_cada_hueco(m, convenio, implan):
    en_borrador(convenio)
    m.tesoreria.domicilio = ""
    m.tesoreria.save()
    titular = convenio.firmante_dependencia_evaluada
    titular.tratamiento = ""
    titular.cargo = ""
    titular.save()

    with pytest.raises(ValidationError) as error:
        convenio_documento_emitir(convenio=convenio, usuario=implan)

    assert error.value.code == "datos_faltantes"
    mensaje = error.value.messages[0]
    assert f"el domicilio de la {m.tesoreria.nombre}" in mensaje
    assert f"cómo se nombra a {titular.nombre} en el proemio" in mensaje
    assert f"el cargo de {titular.nombre}" in mensaje
    assert not Documento.objects.filter(tipo=TipoDocumento.CONVENIO).exists()

    texto = texto_pdf(documento_borrador(tipo=TipoDocumento.CONVENIO, objeto=convenio, usuario=implan))
    assert f"ubicado en [falta: el domicilio de la {m.tesoreria.nombre}]." in texto
    proemio = f"[falta: cómo se nombra a {titular.nombre} en el proemio (p. ej. «el Licenciado»)] {titular.nombre}"
    assert proemio.upper() in texto  # the proemio prints in capitals
    assert f"[falta: el cargo de {titular.nombre}]".upper() in texto
    # Never a sentence with a hole: no ", ," / " ," / "en ." left by an empty value.
    assert not re.search(r"\s,|ubicado en \.|TITULAR\s+,", texto)


def test_un_firmante_sin_registrar_se_marca_y_no_deja_frases_rotas(m, convenio, implan):
    en_borrador(convenio)
    convenio.firmante_contraloria = None
    convenio.save()

    texto = texto_pdf(documento_borrador(tipo=TipoDocumento.CONVENIO, objeto=convenio, usuario=implan))

    proemio = f"por su titular [falta: quien firma por la {m.contraloria.nombre}], en adelante “LA CONTRALORÍA”"
    assert proemio.upper() in texto  # the proemio prints in capitals
    assert "[falta: quien firma]" in texto  # its signature block
    assert not re.search(r"titular\s+,", texto, re.IGNORECASE)
    assert m.contraloria.tipo == TipoDependencia.CONTRALORIA
