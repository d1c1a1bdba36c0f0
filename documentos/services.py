"""Issuing official documents: folio, PDF, archive and the convenio's change of state, in one transaction.

Every ``*_emitir`` function:
1. locks the object the document is about (``select_for_update``) and checks it
   may be issued (only IMPLAN; the right state; not issued before);
2. takes the next folio of its series, locking the series row until commit, so
   two simultaneous issues get consecutive numbers and a failed issue gives its
   number back (never repeated, never skipped);
3. renders the PDF once (PDF/A), stores it with its SHA-256 and never renders it
   again: later edits to the convenio do not change an issued letter.
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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from simple_history.utils import bulk_update_with_history

from auditoria.models import TipoEvento
from auditoria.services import auditar
from convenios import politica
from convenios.formatos import fecha_larga
from convenios.models import (
    Aspecto,
    Convenio,
    Dependencia,
    EstadoAspecto,
    EstadoConvenio,
    Evaluacion,
    Municipio,
    TipoDependencia,
    Titular,
)
from convenios.services import bloquear_convenio
from cuentas.models import Usuario
from documentos import anexo1, contextos, firma
from documentos.contextos import Emision
from documentos.firma import ArchivosEFirma, Credencial
from documentos.models import CLAVE_FOLIO, Documento, Firma, SerieFolio, TipoDocumento
from documentos.permissions import has_emitir_permission
from documentos.render import CampoFirma, generar_pdf
from notificaciones.services import notificar
from seguimiento.models import EstadoProrroga, Prorroga, Sesion
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


@sensitive_variables("efirma", "credencial")
def _emitir(
    *,
    tipo: str,
    municipio: Municipio,
    implan: Dependencia,
    usuario: Usuario,
    contexto: Callable[[datetime.date, Emision], dict[str, Any]],
    firmantes: list[Titular | None],
    efirma: ArchivosEFirma | None = None,
    anio: int | None = None,
    convenio: Convenio | None = None,
    prorroga: Prorroga | None = None,
    sesion: Sesion | None = None,
) -> Documento:
    """Folio, render, (sign), archive. Must run inside the caller's transaction (the series lock lasts until
    commit). ``firmantes``: who signs each signature block, in the template's order (``#campo-firma-N``)."""
    emitido_en = timezone.now()
    fecha = timezone.localdate(emitido_en)
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


def _exigir_no_emitido(convenio: Convenio, tipo: str) -> None:
    previo = convenio.documentos.filter(tipo=tipo).first()
    if previo is not None:
        raise ValidationError(
            _("El %(tipo)s de este convenio ya fue emitido con el folio %(folio)s; no se emite de nuevo.")
            % {"tipo": TipoDocumento(tipo).label.lower(), "folio": previo.folio},
            code="ya_emitido",
        )


def _lista(aspectos: list[Aspecto]) -> str:
    return "; ".join(f"{a.etiqueta} ({a.get_estado_display().lower()})" for a in aspectos)


def _cambiar_estado(convenio: Convenio, estado: str, usuario: Usuario, motivo: str) -> None:
    """Only ``estado`` changes, checked above under the row lock; the database's constraints still apply.
    ``bulk_update_with_history`` records the author and the reason (django-simple-history) without re-running
    the whole convenio's ``full_clean`` (a dozen queries that cannot fail for this one field)."""
    convenio.estado = estado
    bulk_update_with_history([convenio], Convenio, ["estado"], default_user=usuario, default_change_reason=motivo)


def _avisar(documento: Documento, convenio: Convenio) -> None:
    notificar(
        destinatarios=usuarios_partes(convenio),
        asunto=_("%(documento)s %(folio)s") % {"documento": documento.get_tipo_display(), "folio": documento.folio},
        plantilla="documentos/correo/documento_emitido.txt",
        contexto={"documento": documento, "convenio": convenio, "url": url_verificacion(documento.codigo_verificacion)},
        enlace=reverse("documentos:convenio_documentos", args=[convenio.pk]),
    )


@transaction.atomic
@sensitive_variables("efirma")
def oficio_cumplimiento_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusula QUINTA: once IMPLAN validates everything, it issues the oficio de cumplimiento; the convenio is
    then cumplido (``politica``: act ``oficio_cumplimiento``)."""
    convenio = bloquear_convenio(convenio)
    # Lock the items too: none may change state while the letter that lists them is issued.
    list(convenio.aspectos.select_for_update())
    exigir_implan(usuario, convenio.municipio_id)
    # Said first: "already issued, folio X" explains more than "the convenio is cumplido".
    _exigir_no_emitido(convenio, TipoDocumento.OFICIO_CUMPLIMIENTO)
    politica.exigir(usuario, "oficio_cumplimiento", convenio)
    documento = _emitir(
        tipo=TipoDocumento.OFICIO_CUMPLIMIENTO,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.oficio_cumplimiento(convenio, fecha, emision),
        firmantes=[convenio.implan.titular_en(timezone.localdate())],
        efirma=efirma,
    )
    _cambiar_estado(convenio, EstadoConvenio.CUMPLIDO, usuario, f"Oficio de cumplimiento {documento.folio}")
    _avisar(documento, convenio)
    return documento


@transaction.atomic
@sensitive_variables("efirma")
def vista_contraloria_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusulas QUINTA and SEXTA: IMPLAN gives notice to the Contraloría of the items declared no atendida that
    no earlier vista named. The rest of the convenio is not frozen: pending items may still be attended, and the
    convenio stays vigente until every item is final; then, with every no_atendida named by a vista, the same
    transaction declares it incumplido (act ``incumplimiento``)."""
    convenio = bloquear_convenio(convenio)
    aspectos = list(convenio.aspectos.select_for_update())
    politica.exigir(usuario, "vista", convenio)
    nombrados = [a for a in aspectos if a.estado == EstadoAspecto.NO_ATENDIDA and a.vista_dada_en is None]
    documento = _emitir(
        tipo=TipoDocumento.VISTA_CONTRALORIA,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.vista_contraloria(convenio, fecha, emision, nombrados),
        firmantes=[convenio.implan.titular_en(timezone.localdate())],
        efirma=efirma,
    )
    dada_en = timezone.localdate(documento.emitido_en)
    for aspecto in nombrados:
        aspecto.vista_dada_en = dada_en
    bulk_update_with_history(
        nombrados,
        Aspecto,
        ["vista_dada_en"],
        default_user=usuario,
        default_change_reason=f"Vista a la Contraloría {documento.folio}",
    )
    if politica.decidir(usuario, "incumplimiento", convenio):
        _cambiar_estado(convenio, EstadoConvenio.INCUMPLIDO, usuario, f"Vista a la Contraloría {documento.folio}")
    _avisar(documento, convenio)
    return documento


@transaction.atomic
def convenio_declarar_incumplido(*, convenio: Convenio, usuario: Usuario) -> Convenio:
    """Cláusula QUINTA: every item final, some no_atendida and each of those named by a vista: the convenio is
    incumplido. The vista that names the last one does it by itself; this act is for when the last open item is
    closed (attended or cancelled) after the vistas were given."""
    convenio = bloquear_convenio(convenio)
    list(convenio.aspectos.select_for_update())
    politica.exigir(usuario, "incumplimiento", convenio)
    _cambiar_estado(convenio, EstadoConvenio.INCUMPLIDO, usuario, "Incumplimiento declarado (cláusula QUINTA)")
    auditar(tipo=TipoEvento.ACTO_CONVENIO, usuario=usuario, objeto=convenio, detalle="Incumplimiento declarado")
    notificar(
        destinatarios=usuarios_partes(convenio),
        asunto=f"Convenio {convenio.evaluacion.programa.clave}: incumplido",
        plantilla="documentos/correo/convenio_incumplido.txt",
        contexto={"convenio": convenio},
        enlace=reverse("seguimiento:convenio", args=[convenio.pk]),
    )
    return convenio


@transaction.atomic
@sensitive_variables("efirma")
def convenio_documento_emitir(
    *, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """The convenio itself, to be signed by the four parties: only while it is a borrador. Once signed, the
    signed document (``Convenio.documento_firmado``) is the authoritative one, not a rendering of the data."""
    exigir_implan(usuario, convenio.municipio_id)
    convenio = bloquear_convenio(convenio)
    _exigir_no_emitido(convenio, TipoDocumento.CONVENIO)
    if convenio.estado != EstadoConvenio.BORRADOR:
        raise ValidationError(
            _(
                "El convenio ya está firmado (está %(estado)s): su documento oficial es el convenio firmado que se "
                "archivó; la versión para firma solo se emite mientras es borrador."
            )
            % {"estado": convenio.get_estado_display().lower()},
            code="convenio_ya_firmado",
        )
    sin_firmante = [str(etiqueta) for etiqueta, _dep, titular in convenio.firmantes() if titular is None]
    if sin_firmante:
        raise ValidationError(
            _("Faltan los firmantes de: %(partes)s.") % {"partes": ", ".join(sin_firmante)}, code="sin_firmantes"
        )
    if not convenio.aspectos.exists():
        raise ValidationError(_("El convenio no tiene hallazgos ni recomendaciones."), code="sin_aspectos")
    faltan = list(contextos.huecos_convenio(convenio).values())
    if faltan:
        raise ValidationError(
            _("Faltan datos para el texto del convenio: %(lista)s.") % {"lista": "; ".join(faltan)},
            code="datos_faltantes",
        )
    documento = _emitir(
        tipo=TipoDocumento.CONVENIO,
        # The folio of the agreement's own year: a 2022 convenio is not numbered (nor dated) as of today.
        anio=convenio.fecha_firma.year if convenio.fecha_firma else convenio.evaluacion.anio_pae,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.convenio_documento(convenio, fecha, emision),
        firmantes=[titular for _etiqueta, _dependencia, titular in convenio.firmantes()],
        efirma=efirma,
    )
    _avisar(documento, convenio)
    return documento


@transaction.atomic
@sensitive_variables("efirma")
def resolucion_prorroga_emitir(
    *, prorroga: Prorroga, usuario: Usuario, efirma: ArchivosEFirma | None = None
) -> Documento:
    """Cláusula SÉPTIMA: the written answer to a request for prórroga, approved or rejected."""
    prorroga = Prorroga.objects.select_for_update(of=("self",)).select_related("aspecto__convenio").get(pk=prorroga.pk)
    convenio = prorroga.aspecto.convenio
    exigir_implan(usuario, convenio.municipio_id)
    if prorroga.estado == EstadoProrroga.SOLICITADA:
        raise ValidationError(
            _("La prórroga aún no se resuelve: apruébela o recházela antes de emitir la resolución."),
            code="prorroga_sin_resolver",
        )
    previo = prorroga.documentos.filter(tipo=TipoDocumento.RESOLUCION_PRORROGA).first()
    if previo is not None:
        raise ValidationError(
            _("La resolución de esta prórroga ya fue emitida con el folio %(folio)s.") % {"folio": previo.folio},
            code="ya_emitido",
        )
    documento = _emitir(
        tipo=TipoDocumento.RESOLUCION_PRORROGA,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        prorroga=prorroga,
        contexto=lambda fecha, emision: contextos.resolucion_prorroga(prorroga, fecha, emision),
        firmantes=[convenio.implan.titular_en(timezone.localdate())],
        efirma=efirma,
    )
    _avisar(documento, convenio)
    return documento


@transaction.atomic
@sensitive_variables("efirma")
def acta_sesion_emitir(*, sesion: Sesion, usuario: Usuario, efirma: ArchivosEFirma | None = None) -> Documento:
    """Cláusula TERCERA: the record of a session held at IMPLAN, with who attended, what was reviewed and agreed."""
    sesion = Sesion.objects.select_for_update().get(pk=sesion.pk)
    exigir_implan(usuario, sesion.municipio_id)
    previo = sesion.documentos.filter(tipo=TipoDocumento.ACTA_SESION).first()
    if previo is not None:
        raise ValidationError(
            _("El acta de esta sesión ya fue emitida con el folio %(folio)s.") % {"folio": previo.folio},
            code="ya_emitido",
        )
    if sesion.fecha > timezone.localdate():
        raise ValidationError(
            _("La sesión es el %(fecha)s: su acta se emite después de celebrarla.")
            % {"fecha": fecha_larga(sesion.fecha)},
            code="sesion_futura",
        )
    if not sesion.asistencias.exists():
        raise ValidationError(
            _("Registre la asistencia de la sesión antes de emitir el acta."), code="sesion_sin_asistencia"
        )
    implan = Dependencia.objects.get(municipio=sesion.municipio_id, tipo=TipoDependencia.IMPLAN)
    documento = _emitir(
        tipo=TipoDocumento.ACTA_SESION,
        municipio=sesion.municipio,
        implan=implan,
        usuario=usuario,
        sesion=sesion,
        contexto=lambda fecha, emision: contextos.acta_sesion(sesion, fecha, emision),
        # Each attendee's line is signed by the titular of the party they represent (cláusula TERCERA).
        firmantes=[a.dependencia.titular_en(sesion.fecha) for a in sesion.asistencias.select_related("dependencia")],
        efirma=efirma,
    )
    for convenio in sesion.convenios.all():
        _avisar(documento, convenio)
    return documento


def _datos_anexo1(convenio: Convenio) -> dict[str, Any]:
    # Section 7's addresses are the deployment's, as the QR's: not whichever host a request came through.
    return anexo1.datos_anexo1(convenio.evaluacion, lambda ruta: settings.SITIO_URL.rstrip("/") + ruta)


def _contexto_anexo1(convenio: Convenio, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
    return contextos.anexo1(convenio.evaluacion, fecha, emision, _datos_anexo1(convenio))


@transaction.atomic
@sensitive_variables("efirma")
def anexo1_emitir(*, convenio: Convenio, usuario: Usuario, efirma: ArchivosEFirma | None = None) -> Documento:
    """LGCG art. 79 and the CONAC norm: IMPLAN issues (and may sign) the evaluation's Anexo 1 once the convenio
    is signed, as it stands that day; the portal keeps showing the live data next to it.

    One per evaluation: an evaluation with two signed convenios gets one Anexo 1, from either."""
    convenio = bloquear_convenio(convenio)
    politica.exigir(usuario, "anexo1", convenio)
    # The evaluation's row too: two of its convenios issuing at once would both find no Anexo 1 yet.
    Evaluacion.objects.select_for_update().filter(pk=convenio.evaluacion_id).first()
    previo = Documento.objects.filter(tipo=TipoDocumento.ANEXO1, convenio__evaluacion=convenio.evaluacion_id).first()
    if previo is not None:
        raise ValidationError(
            _("El Anexo 1 de esta evaluación ya fue emitido con el folio %(folio)s; no se emite de nuevo.")
            % {"folio": previo.folio},
            code="ya_emitido",
        )
    datos = _datos_anexo1(convenio)
    if datos["pendientes"]:
        raise ValidationError(
            _(
                "No se puede emitir el Anexo 1: faltan los apartados %(apartados)s. Se capturan en la "
                "administración («Anexos 1 CONAC»)."
            )
            % {"apartados": anexo1.describir_pendientes(datos["pendientes"])},
            code="anexo1_incompleto",
        )
    documento = _emitir(
        tipo=TipoDocumento.ANEXO1,
        municipio=convenio.municipio,
        implan=convenio.implan,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.anexo1(convenio.evaluacion, fecha, emision, datos),
        firmantes=[convenio.implan.titular_en(timezone.localdate())],
        efirma=efirma,
    )
    _avisar(documento, convenio)
    return documento


EMITIR_POR_TIPO: dict[str, tuple[type[Convenio] | type[Prorroga] | type[Sesion], Callable[..., Documento]]] = {
    TipoDocumento.CONVENIO: (
        Convenio,
        lambda objeto, usuario: convenio_documento_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.OFICIO_CUMPLIMIENTO: (
        Convenio,
        lambda objeto, usuario: oficio_cumplimiento_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.VISTA_CONTRALORIA: (
        Convenio,
        lambda objeto, usuario: vista_contraloria_emitir(convenio=objeto, usuario=usuario),
    ),
    TipoDocumento.RESOLUCION_PRORROGA: (
        Prorroga,
        lambda objeto, usuario: resolucion_prorroga_emitir(prorroga=objeto, usuario=usuario),
    ),
    TipoDocumento.ACTA_SESION: (Sesion, lambda objeto, usuario: acta_sesion_emitir(sesion=objeto, usuario=usuario)),
    TipoDocumento.ANEXO1: (Convenio, lambda objeto, usuario: anexo1_emitir(convenio=objeto, usuario=usuario)),
}


def documento_emitir(*, tipo: str, objeto_id: int, usuario_id: int) -> Documento:
    """The same issue by ids, for a background task (documentos.tasks.emitir_documento): a task's arguments
    are JSON, and the worker reads the objects as they are when it runs, not as they were when queued."""
    modelo, emitir = EMITIR_POR_TIPO[tipo]
    return emitir(modelo.objects.get(pk=objeto_id), Usuario.objects.get(pk=usuario_id))


# --- Drafts: the same context and template, marked BORRADOR, no folio, not stored ------------------------

CONTEXTOS_BORRADOR: dict[str, Callable[[Any, datetime.date, None], dict[str, Any]]] = {
    TipoDocumento.OFICIO_CUMPLIMIENTO: contextos.oficio_cumplimiento,
    TipoDocumento.CONVENIO: contextos.convenio_documento,
    TipoDocumento.VISTA_CONTRALORIA: contextos.vista_contraloria,
    TipoDocumento.RESOLUCION_PRORROGA: contextos.resolucion_prorroga,
    TipoDocumento.ACTA_SESION: contextos.acta_sesion,
    TipoDocumento.ANEXO1: _contexto_anexo1,
}


def documento_borrador(*, tipo: str, objeto: Convenio | Prorroga | Sesion, usuario: Usuario) -> bytes:
    """A preview for IMPLAN: "BORRADOR" across every page, no folio, no QR, nothing stored."""
    municipio_id = objeto.aspecto.convenio.municipio_id if isinstance(objeto, Prorroga) else objeto.municipio_id
    exigir_implan(usuario, municipio_id)
    return generar_pdf(tipo, CONTEXTOS_BORRADOR[tipo](objeto, timezone.localdate(), None), borrador=True).pdf
