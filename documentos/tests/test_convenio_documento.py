"""The convenio itself, generated from its data: for the seed it must say what the signed document says."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from convenios.models import Aspecto, EstadoConvenio, TipoAspecto
from documentos.models import Documento, SerieFolio
from documentos.services import convenio_documento_emitir
from documentos.tests.ayudas import en_borrador, normalizar, paginas_pdf, texto_pdf

SEED = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.txt"


def _seccion(lineas: list[str], desde: str, hasta: str) -> list[str]:
    inicio = next(i for i, linea in enumerate(lineas) if linea.startswith(desde))
    fin = next(i for i, linea in enumerate(lineas) if i > inicio and linea.startswith(hasta))
    return [linea for linea in lineas[inicio + 1 : fin] if linea]


@pytest.fixture(scope="module")
def seed_txt() -> dict:
    """The findings, the table and the signature blocks, read from the signed document (not from our data)."""
    lineas = [linea.strip() for linea in SEED.read_text(encoding="utf-8").splitlines()]
    hallazgos = [
        m.group(1)
        for linea in _seccion(lineas, "a) Del contenido", "b) De las")
        if (m := re.match(r"\d+\. (.*)", linea))
    ]
    cuadro = _seccion(lineas, "Fecha de cumplimiento", "QUINTA.")
    filas = [cuadro[i : i + 5] for i in range(0, len(cuadro), 5)]
    recomendaciones = [
        {"numero": n, "texto": texto, "acciones": acciones, "fecha": f"{mes} {anio}"}
        for n, texto, acciones, mes, anio in filas
    ]
    inicio_firmas = next(i for i, linea in enumerate(lineas) if linea.startswith("El presente convenio que consta"))
    firmas = [linea for linea in lineas[inicio_firmas + 1 :] if linea]
    return {"hallazgos": hallazgos, "recomendaciones": recomendaciones, "firmas": firmas, "todo": "\n".join(lineas)}


def test_el_analisis_del_seed_encontro_lo_que_tiene(seed_txt):
    assert len(seed_txt["hallazgos"]) == 5
    assert [r["numero"] for r in seed_txt["recomendaciones"]] == ["1", "2", "3", "4", "5", "6"]
    assert "L.E. ALFREDO OROPEZA MÉNDEZ" in seed_txt["firmas"]


@pytest.fixture
def pdf_seed(seed, implan_seed) -> tuple[Documento, str]:
    documento = convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)
    with documento.archivo.open("rb") as archivo:
        return documento, texto_pdf(archivo.read())


def test_reproduce_literalmente_hallazgos_recomendaciones_acciones_y_fechas_del_seed(pdf_seed, seed_txt):
    _documento, texto = pdf_seed
    cuarta_a = texto[texto.index("a) Del contenido") : texto.index("b) De las recomendaciones")]
    for numero, hallazgo in enumerate(seed_txt["hallazgos"], start=1):
        assert f"{numero}. {normalizar(hallazgo)}" in cuarta_a, hallazgo[:60]
    cuadro = texto[texto.index("b) De las recomendaciones") : texto.index("QUINTA. Cumplimiento")]
    posicion = 0
    for fila in seed_txt["recomendaciones"]:
        renglon = f"{fila['numero']} {normalizar(fila['texto'])} {normalizar(fila['acciones'])} {fila['fecha']}"
        assert renglon in cuadro, renglon[:80]
        assert cuadro.index(renglon) >= posicion
        posicion = cuadro.index(renglon)


def test_reproduce_las_partes_y_sus_representantes_como_el_seed(pdf_seed, seed_txt):
    """Each party and its representative, as the proemio of the signed convenio names them.

    The words around them are the template's: the seed's own proemio has slips ("EL TESORERO MUNICIPAL,
    REPRESENTADO POR SU TITULAR…", the dependencia not named) that a generated text does not copy.
    """
    _documento, texto = pdf_seed
    fragmentos = [
        "CONVENIO PARA LA MEJORA DEL DESEMPEÑO Y RESULTADOS GUBERNAMENTALES, QUE CELEBRAN, POR UNA PARTE, "
        "EL INSTITUTO MUNICIPAL DE PLANEACIÓN DE CUAUTITLÁN IZCALLI, ESTADO DE MÉXICO, REPRESENTADO POR SU "
        "TITULAR EL LICENCIADO ALFREDO OROPEZA MÉNDEZ, EN ADELANTE “IMPLAN”; ASÍ COMO",
        "REPRESENTADO POR SU TITULAR EL MAESTRO RICARDO SANTOS ARREOLA",
        "LA LICENCIADA LETICIA SANTANA MORONATTI, EN ADELANTE “LA CONTRALORÍA” Y LA",
        "REPRESENTADA POR EL DR. GONZALO LEVI OBREGÓN SALINAS, DEFENSOR MUNICIPAL DE LOS DERECHOS HUMANOS, "
        "ACTUANDO EN CONJUNTO COMO “LAS PARTES”, AL TENOR DE LOS ANTECEDENTES, DECLARACIONES Y CLÁUSULAS SIGUIENTES:",
        "EN ADELANTE “LA TESORERÍA”",
        "a los 6 días del mes de diciembre de 2022.",
    ]
    seed_normalizado = normalizar(seed_txt["todo"])
    for fragmento in fragmentos:
        assert fragmento in seed_normalizado, f"no está en el seed: {fragmento}"
        assert fragmento.removeprefix("REPRESENTADO POR SU TITULAR ") in texto, fragmento
    assert "LA TESORERÍA MUNICIPAL, REPRESENTADA POR SU TITULAR EL MAESTRO RICARDO SANTOS ARREOLA" in texto
    assert "LA DEFENSORÍA MUNICIPAL DE DERECHOS HUMANOS, EN ADELANTE “LA DEPENDENCIA EVALUADA”" in texto


def test_reproduce_los_bloques_de_firma_del_seed(pdf_seed, seed_txt):
    _documento, texto = pdf_seed
    firmas = texto[texto.rindex("El presente convenio que consta") :]
    for linea in seed_txt["firmas"]:
        assert normalizar(linea) in firmas, linea


def test_tiene_la_estructura_del_seed(pdf_seed):
    documento, texto = pdf_seed
    marcas = [
        "ANTECEDENTES",
        "DECLARACIONES",
        "1. DEL “IMPLAN”",
        "2. DE “LA TESORERÍA”",
        "3. DE “LA CONTRALORÍA”",
        "4. DE “LA DEPENDENCIA EVALUADA”",
        "5. DE “LAS PARTES”",
        "CLÁUSULAS",
        "PRIMERA. Objeto.",
        "SEGUNDA. Compromisos y responsabilidades.",
        "TERCERA. Responsables.",
        "CUARTA. Del resultado de la Evaluación",
        "QUINTA. Cumplimiento.",
        "SEXTA. Incumplimiento de las Partes.",
        "SÉPTIMA. Prórroga.",
        "OCTAVA. Publicidad.",
        "NOVENA. Modificaciones.",
        "DÉCIMA. Vigencia.",
        "DÉCIMA PRIMERA. Interpretación.",
    ]
    posicion = texto.index("AL TENOR DE LOS ANTECEDENTES, DECLARACIONES Y CLÁUSULAS SIGUIENTES:")
    for marca in marcas:
        assert marca in texto[posicion:], f"falta o está fuera de orden: {marca}"
        posicion = texto.index(marca, posicion)
    # The commitments of each party (SEGUNDA), from the legal text.
    assert "h) Dictaminar la procedencia del cumplimiento de los hallazgos y las recomendaciones." in texto
    assert "e) Fincar responsabilidades a los servidores públicos, que incumplan el presente “Convenio”." in texto
    assert "correspondan a lo ejercido en el ejercicio 2021;" in texto
    assert "no deberá ser mayor a 15 días naturales." in texto
    assert "no podrán exceder del 31 de diciembre de 2022." in texto
    assert documento.folio in texto


def test_dice_cuantas_fojas_tiene_de_verdad(seed, implan_seed):
    documento = convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)
    with documento.archivo.open("rb") as archivo:
        paginas = paginas_pdf(archivo.read())
    assert f"El presente convenio que consta de {len(paginas)} fojas" in " ".join(paginas)


def test_el_texto_legal_sale_de_una_plantilla_editable_por_anio(seed, implan_seed, settings, tmp_path):
    carpeta = tmp_path / "plantillas" / "documentos" / "pdf" / "convenio"
    carpeta.mkdir(parents=True)
    (carpeta / "antecedentes_2022.html").write_text(
        "<h2>ANTECEDENTES</h2><p>Texto de los Lineamientos vigentes en 2022, editado por el IMPLAN.</p>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "plantillas", *settings.TEMPLATES[0]["DIRS"]]}]

    documento = convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)

    with documento.archivo.open("rb") as archivo:
        texto = texto_pdf(archivo.read())
    assert "Texto de los Lineamientos vigentes en 2022, editado por el IMPLAN." in texto
    assert "IHAEM/CP-794-101/20" not in texto
    assert "PRIMERA. Objeto." in texto  # the other parts keep the general template


def test_el_convenio_se_emite_una_sola_vez_y_no_cambia_su_estado(seed, implan_seed):
    primero = convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)

    with pytest.raises(ValidationError) as error:
        convenio_documento_emitir(convenio=en_borrador(seed), usuario=implan_seed)

    assert error.value.code == "ya_emitido"
    assert primero.folio in error.value.messages[0]
    seed.refresh_from_db()
    assert seed.estado == EstadoConvenio.BORRADOR
    assert SerieFolio.objects.get().ultimo == 1


def test_un_convenio_sin_firmantes_no_se_emite(m, implan):
    from convenios.tests.fabricas import crear_convenio

    convenio = crear_convenio(m, estado=EstadoConvenio.BORRADOR)
    convenio.firmante_tesoreria = None
    convenio.save()

    with pytest.raises(ValidationError) as error:
        convenio_documento_emitir(convenio=convenio, usuario=implan)

    assert error.value.code == "sin_firmantes"
    assert "Tesorería" in error.value.messages[0]


def test_prioridad_y_fechas_que_no_son_fin_de_mes_se_escriben_completas(convenio, implan):
    import datetime

    recomendacion = convenio.aspectos.get(tipo=TipoAspecto.RECOMENDACION, numero=1)
    Aspecto.objects.filter(pk=recomendacion.pk).update(
        fecha_compromiso=datetime.date(2022, 12, 15), fecha_vigente=datetime.date(2022, 12, 15), prioridad="alta"
    )

    documento = convenio_documento_emitir(convenio=en_borrador(convenio), usuario=implan)

    with documento.archivo.open("rb") as archivo:
        texto = texto_pdf(archivo.read())
    assert "Recomendación 1 (Prioridad alta.) Acción de la recomendación 1 15 de diciembre de 2022" in texto
    assert "Recomendación 2 Acción de la recomendación 2 Diciembre 2022" in texto
