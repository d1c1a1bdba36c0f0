"""Issuing one official document: folio, render, e.firma, archive, and the notice to the parties.

``emitir`` runs inside the issuing service's transaction, after the service has locked
the object the document is about and checked it may be issued:
1. the next folio of its series is taken, locking the series row until commit, so two
   simultaneous issues get consecutive numbers and a failed issue gives its number back
   (never repeated, never skipped);
2. the PDF is rendered once (PDF/A), stored with its SHA-256 and never rendered again:
   later edits to the convenio do not change an issued letter.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios.models import Convenio, Dependencia, Municipio, Titular
from cuentas.models import Usuario
from documentos import firma
from documentos.contextos import Emision
from documentos.firma import ArchivosEFirma, Credencial
from documentos.models import CLAVE_FOLIO, Documento, Firma, SerieFolio
from documentos.permissions import has_emitir_permission
from documentos.render import CampoFirma, generar_pdf
from notificaciones.services import notificar
from seguimiento.models import Prorroga, Sesion
from seguimiento.notificaciones import usuarios_partes

# 96 random bits: short enough to type from paper, impossible to guess.
BYTES_CODIGO = 12


def exigir_implan(usuario: Usuario, municipio_id: int) -> None:
    """Only IMPLAN issues documents (cláusula QUINTA: "el IMPLAN emitirá el oficio"), and only for its municipio."""
    if not has_emitir_permission(usuario, municipio_id):
        raise PermissionDenied(_("Solo el IMPLAN del municipio emite documentos oficiales."))


def _prefijo(implan: Dependencia) -> str:
    """The issuing unit in the folio: the IMPLAN's (or UIPPE's) acronym, letters and digits only."""
    return re.sub(r"[^A-Z0-9]", "", (implan.siglas or "IMPLAN").upper()) or "IMPLAN"


def siguiente_folio(*, municipio: Municipio, tipo: str, anio: int) -> int:
    """Takes the next number of the series, holding the series row's lock until the caller's transaction ends."""
    # get_or_create survives two first issues of a year at once: the loser's INSERT
    # waits on the unique index, fails, and then reads the winner's committed row.
    SerieFolio.objects.get_or_create(municipio=municipio, tipo=tipo, anio=anio)
    serie = SerieFolio.objects.select_for_update().get(municipio=municipio, tipo=tipo, anio=anio)
    serie.ultimo += 1
    serie.save(update_fields=["ultimo"])
    return serie.ultimo


def url_verificacion(codigo: str) -> str:
    return settings.SITIO_URL.rstrip("/") + reverse("documentos:verificar", args=[codigo])


def _rfcs_esperados(titulares: list[Titular | None]) -> dict[str, str]:
    """RFC -> name of whoever may still sign; refused when none of them has an RFC on record."""
    esperados = {t.rfc: t.nombre_con_grado for t in titulares if t is not None and t.rfc}
    if not esperados:
        nombres = ", ".join(t.nombre_con_grado for t in titulares if t is not None) or _("sin titular registrado")
        raise ValidationError(
            _(
                "Quien firma este documento (%(nombres)s) no tiene RFC registrado en su ficha de titular: "
                "regístrelo para reconocer su e.firma."
            )
            % {"nombres": nombres},
            code="firmante_sin_rfc",
        )
    return esperados


def _asentar_firma(registro: Firma, credencial: Credencial, momento: datetime.datetime) -> None:
    registro.firmado_en = momento
    registro.nombre = credencial.firmante.nombre[:200]
    registro.rfc = credencial.firmante.rfc
    registro.numero_certificado = credencial.firmante.numero_certificado


def exigir_no_emitido(previos: QuerySet[Documento], mensaje: str, **datos: str) -> None:
    """One document of a kind per object (the database's constraints say so too): the refusal names the folio
    already issued. ``mensaje`` is the translated sentence, with ``%(folio)s`` and any of ``datos``."""
    previo = previos.first()
    if previo is not None:
        raise ValidationError(mensaje % {"folio": previo.folio, **datos}, code="ya_emitido")


@sensitive_variables("efirma", "credencial")
def emitir(
    *,
    tipo: str,
    usuario: Usuario,
    contexto: Callable[[datetime.date, Emision], dict[str, Any]],
    efirma: ArchivosEFirma | None = None,
    anio: int | None = None,
    convenio: Convenio | None = None,
    prorroga: Prorroga | None = None,
    sesion: Sesion | None = None,
    municipio: Municipio | None = None,
    implan: Dependencia | None = None,
    firmantes: list[Titular | None] | None = None,
) -> Documento:
    """Folio, render, (sign), archive. Must run inside the caller's transaction (the series lock lasts until
    commit). ``firmantes``: who signs each signature block, in the template's order (``#campo-firma-N``).

    A document of a convenio is, unless said otherwise, of its municipio, numbered in its IMPLAN's series and
    signed by the IMPLAN's titular of the day (cláusula QUINTA: "el IMPLAN emitirá el oficio")."""
    emitido_en = timezone.now()
    fecha = timezone.localdate(emitido_en)
    if convenio is not None:
        municipio = municipio or convenio.municipio
        implan = implan or convenio.implan
        if firmantes is None:
            firmantes = [implan.titular_en(fecha)]
    if municipio is None or implan is None or firmantes is None:
        raise TypeError("emitir() needs a convenio, or its municipio, implan and firmantes")
    # The e.firma is checked before a folio is taken: a refused signature issues nothing.
    credencial = (
        firma.abrir_credencial(archivos=efirma, momento=emitido_en, rfcs_esperados=_rfcs_esperados(firmantes))
        if efirma is not None
        else None
    )
    anio = anio or fecha.year
    numero = siguiente_folio(municipio=municipio, tipo=tipo, anio=anio)
    folio = f"{_prefijo(implan)}/{CLAVE_FOLIO[tipo]}/{anio}/{numero:03d}"
    codigo = secrets.token_urlsafe(BYTES_CODIGO)
    emision = Emision(folio=folio, fecha=fecha, codigo=codigo, url_verificacion=url_verificacion(codigo))
    resultado = generar_pdf(tipo, contexto(fecha, emision), borrador=False)
    registros = [
        Firma(numero=campo.numero, titular=titular, pagina=campo.pagina, caja=list(campo.caja))
        for campo, titular in zip(resultado.campos_firma, firmantes, strict=False)
    ]
    pdf = resultado.pdf
    if credencial is not None:
        registro = next(r for r in registros if r.titular is not None and r.titular.rfc == credencial.firmante.rfc)
        campo = CampoFirma(numero=registro.numero, pagina=registro.pagina, caja=tuple(registro.caja))
        pdf = firma.firmar_pdf(pdf, credencial=credencial, campo=campo, momento=emitido_en)
        _asentar_firma(registro, credencial, emitido_en)
    documento = Documento(
        tipo=tipo,
        municipio=municipio,
        convenio=convenio,
        prorroga=prorroga,
        sesion=sesion,
        anio=anio,
        numero=numero,
        folio=folio,
        tamano=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        codigo_verificacion=codigo,
        emitido_por=usuario,
        emitido_en=emitido_en,
    )
    documento.archivo.save(folio.replace("/", "-") + ".pdf", ContentFile(pdf), save=False)
    try:
        # The database's constraints (one per kind and object, folio unique) are the check here.
        documento.save()
        for registro in registros:
            registro.documento = documento
        Firma.objects.bulk_create(registros)
    except Exception:
        # The row was not stored: the file would be an orphan (and its folio is rolled back).
        documento.archivo.storage.delete(documento.archivo.name)
        raise
    detalle = folio if credencial is None else f"{folio}, firmado por RFC {credencial.firmante.rfc}"
    auditar(tipo=TipoEvento.EMISION_DOCUMENTO, usuario=usuario, objeto=documento, detalle=detalle)
    return documento


def avisar(documento: Documento, convenio: Convenio) -> None:
    notificar(
        destinatarios=usuarios_partes(convenio),
        asunto=_("%(documento)s %(folio)s") % {"documento": documento.get_tipo_display(), "folio": documento.folio},
        plantilla="documentos/correo/documento_emitido.txt",
        contexto={"documento": documento, "convenio": convenio, "url": url_verificacion(documento.codigo_verificacion)},
        enlace=reverse("documentos:convenio_documentos", args=[convenio.pk]),
    )


@transaction.atomic
@sensitive_variables("efirma", "credencial")
def documento_firmar(*, documento: Documento, efirma: ArchivosEFirma, usuario: Usuario) -> Firma:
    """The next signatory of an issued document (the acta: each attendee's titular in turn) adds their e.firma:
    an incremental revision of the same PDF, so earlier signatures stay valid; the archive keeps the newest."""
    documento = Documento.objects.select_for_update().get(pk=documento.pk)
    pendientes = list(documento.firmas.filter(firmado_en__isnull=True).select_related("titular"))
    if not pendientes:
        raise ValidationError(_("Este documento ya tiene todas sus firmas."), code="firmas_completas")
    momento = timezone.now()
    credencial = firma.abrir_credencial(
        archivos=efirma, momento=momento, rfcs_esperados=_rfcs_esperados([r.titular for r in pendientes])
    )
    registro = next(r for r in pendientes if r.titular is not None and r.titular.rfc == credencial.firmante.rfc)
    with documento.archivo.open("rb") as archivo:
        anterior = archivo.read()
    campo = CampoFirma(numero=registro.numero, pagina=registro.pagina, caja=tuple(registro.caja))
    pdf = firma.firmar_pdf(anterior, credencial=credencial, campo=campo, momento=momento)
    nombre_anterior = documento.archivo.name
    documento.archivo.save(
        f"{documento.folio.replace('/', '-')}-firma{registro.numero}.pdf", ContentFile(pdf), save=False
    )
    documento.tamano = len(pdf)
    documento.sha256 = hashlib.sha256(pdf).hexdigest()
    try:
        documento.save(update_fields=["archivo", "tamano", "sha256"])
        _asentar_firma(registro, credencial, momento)
        registro.save(update_fields=["firmado_en", "nombre", "rfc", "numero_certificado"])
    except Exception:
        documento.archivo.storage.delete(documento.archivo.name)
        raise
    # The new revision contains the previous one byte for byte (PAdES incremental update).
    storage = documento.archivo.storage
    transaction.on_commit(lambda: storage.delete(nombre_anterior))
    auditar(
        tipo=TipoEvento.EMISION_DOCUMENTO,
        usuario=usuario,
        objeto=documento,
        detalle=f"{documento.folio}, firma {registro.numero} por RFC {registro.rfc}",
    )
    return registro
