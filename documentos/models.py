"""Issued official documents: a PDF stored once, with its folio, hash and verification code.

Nothing here is edited, re-rendered or deleted once issued: the archived bytes
are the document (the admin is read-only and the foreign keys PROTECT).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convenios.models import Convenio, Municipio, Titular
from seguimiento.models import Prorroga, Sesion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cuentas.models import Usuario


class TipoDocumento(models.TextChoices):
    OFICIO_CUMPLIMIENTO = "oficio_cumplimiento", _("Oficio de cumplimiento")
    CONVENIO = "convenio", _("Convenio")
    VISTA_CONTRALORIA = "vista_contraloria", _("Oficio de vista a la Contraloría")
    RESOLUCION_PRORROGA = "resolucion_prorroga", _("Resolución de prórroga")
    ACTA_SESION = "acta_sesion", _("Acta de sesión")
    ANEXO1 = "anexo1", _("Anexo 1 CONAC")


# Issued from the convenio's page and signed there with e.firma (the others from their prórroga or sesión).
FIRMABLES_DESDE_CONVENIO = ("oficio_cumplimiento", "vista_contraloria", "anexo1")

# The middle part of a folio: IMPLAN/OC/2026/001.
CLAVE_FOLIO: dict[str, str] = {
    TipoDocumento.OFICIO_CUMPLIMIENTO: "OC",
    TipoDocumento.CONVENIO: "CV",
    TipoDocumento.VISTA_CONTRALORIA: "VC",
    TipoDocumento.RESOLUCION_PRORROGA: "RP",
    TipoDocumento.ACTA_SESION: "AS",
    TipoDocumento.ANEXO1: "A1",
}


class SerieFolio(models.Model):
    """The last folio number used per municipio, kind and year.

    The issuing transaction locks this row (``select_for_update``) and keeps the
    lock until the document is stored, so two simultaneous issues get
    consecutive numbers and a failed issue rolls its number back: no gaps, no
    repeats.
    """

    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    tipo = models.CharField(_("tipo de documento"), max_length=20, choices=TipoDocumento.choices)
    anio = models.PositiveSmallIntegerField(_("año"))
    ultimo = models.PositiveIntegerField(_("último número emitido"), default=0)

    class Meta:
        verbose_name = _("serie de folios")
        verbose_name_plural = _("series de folios")
        constraints = [
            models.UniqueConstraint(fields=["municipio", "tipo", "anio"], name="serie_folio_unica"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.anio}: {self.ultimo}"


class DocumentoQuerySet(models.QuerySet):
    def visibles_para(self, user: Usuario | AnonymousUser) -> DocumentoQuerySet:
        """A document is visible to whoever sees its convenio; an acta (several convenios) to whoever sees its
        sesión. Both rules are the shared ``visibles_para`` of those models, not a copy."""
        return self.filter(
            Q(convenio__in=Convenio.objects.visibles_para(user))
            | Q(convenio__isnull=True, sesion__in=Sesion.objects.visibles_para(user))
        )


def ruta_documento(instancia: Documento, nombre: str) -> str:
    return f"documentos/{instancia.municipio_id}/{instancia.anio}/{nombre}"


class Documento(models.Model):
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoDocumento.choices)
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    # An acta de sesión may cover several convenios; it hangs from the sesión instead. The Anexo 1 CONAC is of
    # the convenio's evaluation: it hangs from the signed convenio whose recommendations it publishes.
    convenio = models.ForeignKey(
        Convenio,
        verbose_name=_("convenio"),
        on_delete=models.PROTECT,
        related_name="documentos",
        null=True,
        blank=True,
    )
    prorroga = models.ForeignKey(
        Prorroga, verbose_name=_("prórroga"), on_delete=models.PROTECT, related_name="documentos", null=True, blank=True
    )
    sesion = models.ForeignKey(
        Sesion, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="documentos", null=True, blank=True
    )
    anio = models.PositiveSmallIntegerField(_("año del folio"))
    numero = models.PositiveIntegerField(_("número consecutivo"))
    # Unique per municipio (UniqueConstraint below): every IMPLAN numbers its own "IMPLAN/OC/2026/001".
    folio = models.CharField(_("folio"), max_length=40)
    archivo = models.FileField(_("archivo PDF"), upload_to=ruta_documento, max_length=200)
    tamano = models.PositiveIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    codigo_verificacion = models.CharField(_("código de verificación"), max_length=32, unique=True)
    emitido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("emitido por"), on_delete=models.PROTECT, related_name="+"
    )
    emitido_en = models.DateTimeField(_("emitido el"))

    objects = DocumentoQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento emitido")
        verbose_name_plural = _("documentos emitidos")
        ordering = ["-emitido_en", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipio", "tipo", "anio", "numero"], name="documento_numero_unico"),
            models.UniqueConstraint(fields=["municipio", "folio"], name="documento_folio_unico"),
            # One document of each kind per convenio / prórroga / sesión: issuing twice is refused. Vistas may be
            # several: each names the items declared no atendida since the previous one (cláusula QUINTA).
            models.UniqueConstraint(
                fields=["convenio", "tipo"],
                condition=Q(tipo__in=["oficio_cumplimiento", "convenio", "anexo1"]),
                name="documento_uno_por_convenio",
                violation_error_message=_("Ese documento ya fue emitido para este convenio."),
            ),
            models.UniqueConstraint(
                fields=["prorroga"],
                condition=Q(tipo="resolucion_prorroga"),
                name="documento_una_resolucion_por_prorroga",
            ),
            models.UniqueConstraint(
                fields=["sesion"], condition=Q(tipo="acta_sesion"), name="documento_un_acta_por_sesion"
            ),
            models.CheckConstraint(
                condition=(Q(tipo="acta_sesion") & Q(sesion__isnull=False))
                | (~Q(tipo="acta_sesion") & Q(convenio__isnull=False)),
                name="documento_con_su_objeto",
            ),
            models.CheckConstraint(
                condition=~Q(tipo="resolucion_prorroga") | Q(prorroga__isnull=False),
                name="documento_resolucion_con_prorroga",
            ),
            models.CheckConstraint(condition=Q(numero__gte=1), name="documento_numero_positivo"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="documento_sha256_valido"),
            models.CheckConstraint(condition=Q(tipo__in=TipoDocumento.values), name="documento_tipo_valido"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.folio}"

    def get_absolute_url(self) -> str:
        """The public verification page (the transparency portal links each letter there)."""
        return reverse("documentos:verificar", args=[self.codigo_verificacion])

    @property
    def firmas_pendientes(self) -> list[Firma]:
        """The signature blocks not yet signed with e.firma (reads ``firmas`` prefetched by the lists)."""
        return [registro for registro in self.firmas.all() if registro.firmado_en is None]

    @property
    def nombre_descarga(self) -> str:
        return self.folio.replace("/", "-") + ".pdf"


class Firma(models.Model):
    """One signature a document expects (its block on the page) and, once signed, who signed it with e.firma.

    Only public data of the certificate is kept (name, RFC, certificate number): never the key nor its password.
    """

    documento = models.ForeignKey(
        Documento, verbose_name=_("documento"), on_delete=models.CASCADE, related_name="firmas"
    )
    numero = models.PositiveSmallIntegerField(_("número de firma"))
    titular = models.ForeignKey(
        Titular, verbose_name=_("titular que firma"), on_delete=models.PROTECT, related_name="+", null=True
    )
    pagina = models.PositiveSmallIntegerField(_("página (desde 0)"))
    # [x1, y1, x2, y2] in PDF points from the page's bottom-left: where the visible signature goes.
    caja = models.JSONField(_("recuadro"))
    firmado_en = models.DateTimeField(_("firmado el"), null=True, blank=True)
    nombre = models.CharField(_("nombre en el certificado"), max_length=200, blank=True)
    rfc = models.CharField(_("RFC del certificado"), max_length=13, blank=True)
    numero_certificado = models.CharField(_("número de certificado"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("firma")
        verbose_name_plural = _("firmas")
        ordering = ["documento", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["documento", "numero"], name="firma_numero_unico"),
            models.CheckConstraint(condition=Q(firmado_en__isnull=True) | ~Q(rfc=""), name="firma_firmada_con_rfc"),
        ]

    def __str__(self) -> str:
        return f"{self.documento} · firma {self.numero}"
