"""The convenio para la mejora del desempeño: its parties and dates, what signing freezes, and its modificaciones
(cláusula NOVENA)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convenios.formatos import fecha_larga
from convenios.models.calendario import fin_de_anio
from convenios.models.municipios import Dependencia, Municipio, PorMunicipioQuerySet, Titular
from convenios.models.programas import Evaluacion
from convenios.models.restricciones import RestriccionesEnUnaConsulta
from convenios.models.vocabulario import PARTES, EstadoAspecto, EstadoConvenio, TipoDependencia
from seguridad.validadores import validar_pdf


class ConvenioQuerySet(PorMunicipioQuerySet):
    ruta_dependencia = "dependencia_evaluada"

    def con_conteos(self) -> ConvenioQuerySet:
        """Counts of items per status, in the same query (admin list, home pages)."""
        conteos = {
            f"n_{estado}": Count("aspectos", filter=Q(aspectos__estado=estado)) for estado in EstadoAspecto.values
        }
        return self.annotate(n_aspectos=Count("aspectos"), **conteos)


def _partes_distintas() -> Q:
    nombres = [parte for parte, _tipo in PARTES]
    condicion = Q()
    for i, a in enumerate(nombres):
        for b in nombres[i + 1 :]:
            condicion &= ~Q(**{a: F(b)})
    return condicion


class Convenio(RestriccionesEnUnaConsulta):
    municipio = models.ForeignKey(Municipio, verbose_name=_("municipio"), on_delete=models.PROTECT)
    evaluacion = models.ForeignKey(
        Evaluacion, verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="convenios"
    )
    fecha_firma = models.DateField(
        _("fecha de firma"),
        null=True,
        blank=True,
        help_text=_("El cierre del convenio: «…a los 6 días del mes de diciembre de 2022». Vacía en un borrador."),
    )
    fecha_limite = models.DateField(
        _("fecha límite de cumplimiento"),
        blank=True,
        help_text=_(
            "Cláusula QUINTA: «las fechas de cumplimiento … no podrán exceder del …». Si la deja vacía es el "
            "31 de diciembre del año de firma; puede ser posterior si el convenio firmado lo dice."
        ),
    )
    dias_prorroga_max = models.PositiveSmallIntegerField(
        _("días máximos de prórroga"),
        default=15,
        validators=[MaxValueValidator(15)],
        help_text=_("Cláusula SÉPTIMA: prórroga no mayor a 15 días naturales."),
    )
    estado = models.CharField(
        _("estado"), max_length=12, choices=EstadoConvenio.choices, default=EstadoConvenio.BORRADOR
    )
    fojas = models.PositiveSmallIntegerField(
        _("número de fojas"),
        null=True,
        blank=True,
        help_text=_("«El presente convenio que consta de 6 fojas…»: las hojas del documento firmado."),
    )
    documento_firmado = models.FileField(
        _("convenio firmado (escaneado)"),
        upload_to="convenios/firmados/",
        blank=True,
        validators=[validar_pdf],
        help_text=_("El PDF del convenio con las cuatro firmas autógrafas o electrónicas."),
    )

    implan = models.ForeignKey(
        Dependencia,
        verbose_name=_("IMPLAN"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«EL IMPLAN» del proemio: el instituto o unidad de planeación del municipio."),
    )
    tesoreria = models.ForeignKey(
        Dependencia,
        verbose_name=_("Tesorería"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«LA TESORERÍA» del proemio."),
    )
    contraloria = models.ForeignKey(
        Dependencia,
        verbose_name=_("Contraloría"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("«LA CONTRALORÍA» del proemio."),
    )
    dependencia_evaluada = models.ForeignKey(
        Dependencia,
        verbose_name=_("dependencia evaluada"),
        on_delete=models.PROTECT,
        related_name="convenios",
        help_text=_("«LA DEPENDENCIA EVALUADA» del proemio: la que ejecuta el programa evaluado."),
    )
    firmante_implan = models.ForeignKey(
        Titular,
        verbose_name=_("firma por el IMPLAN"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «EL IMPLAN» en el bloque de firmas: su titular a la fecha de firma."),
    )
    firmante_tesoreria = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la Tesorería"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA TESORERÍA»: su titular a la fecha de firma."),
    )
    firmante_contraloria = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la Contraloría"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA CONTRALORÍA»: su titular a la fecha de firma."),
    )
    firmante_dependencia_evaluada = models.ForeignKey(
        Titular,
        verbose_name=_("firma por la dependencia evaluada"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Quien firma por «LA DEPENDENCIA EVALUADA»: su titular a la fecha de firma."),
    )
    # Cláusula TERCERA: each party designates a responsable to attend the sesiones.
    responsable_implan = models.CharField(_("responsable designado por el IMPLAN"), max_length=200, blank=True)
    responsable_tesoreria = models.CharField(_("responsable designado por la Tesorería"), max_length=200, blank=True)
    responsable_contraloria = models.CharField(
        _("responsable designado por la Contraloría"), max_length=200, blank=True
    )
    responsable_dependencia_evaluada = models.CharField(
        _("responsable designado por la dependencia evaluada"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    objects = ConvenioQuerySet.as_manager()

    class Meta:
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")
        ordering = ["-fecha_firma", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_partes_distintas(),
                name="convenio_partes_distintas",
                violation_error_message=_("Las cuatro partes del convenio deben ser dependencias distintas."),
            ),
            models.CheckConstraint(
                condition=Q(fecha_firma__isnull=True) | Q(fecha_limite__gte=F("fecha_firma")),
                name="convenio_limite_posterior_a_firma",
                violation_error_message=_("La fecha límite de cumplimiento no puede ser anterior a la firma."),
            ),
            models.CheckConstraint(
                condition=Q(estado="borrador") | Q(fecha_firma__isnull=False),
                name="convenio_firmado_tiene_fecha",
                violation_error_message=_("Un convenio que no es borrador debe tener fecha de firma."),
            ),
            models.CheckConstraint(
                condition=Q(dias_prorroga_max__lte=15),
                name="convenio_prorroga_maxima_15_dias",
                violation_error_message=_("La prórroga no puede ser mayor a 15 días naturales (cláusula SÉPTIMA)."),
            ),
            models.CheckConstraint(
                condition=Q(fojas__isnull=True) | Q(fojas__gte=1),
                name="convenio_fojas_positivas",
                violation_error_message=_("El número de fojas debe ser al menos 1."),
            ),
            models.CheckConstraint(
                condition=Q(estado__in=EstadoConvenio.values),
                name="convenio_estado_valido",
                violation_error_message=_("El estado del convenio no es válido."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipio", "estado"], name="convenio_municipio_estado"),
            # A state's admin list pages through its ~11,000 convenios in this order (issue 14).
            models.Index(fields=["-fecha_firma", "-id"], name="convenio_orden"),
        ]

    def __str__(self) -> str:
        fecha = f" ({fecha_larga(self.fecha_firma)})" if self.fecha_firma else ""
        return f"Convenio {self.evaluacion.programa}{fecha}" if self.evaluacion_id else f"Convenio {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.fecha_limite and self.fecha_firma:
            self.fecha_limite = fin_de_anio(self.fecha_firma)
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.pk)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.fecha_limite and self.fecha_firma:
            self.fecha_limite = fin_de_anio(self.fecha_firma)
        errores: dict[str, list[str]] = {}

        def error(campo: str, mensaje: str) -> None:
            errores.setdefault(campo, []).append(mensaje)

        if not self.fecha_limite:
            error("fecha_limite", _("Indique la fecha límite de cumplimiento o la fecha de firma."))
        if self.evaluacion_id:
            if self.municipio_id and self.evaluacion.municipio_id != self.municipio_id:
                error("evaluacion", _("La evaluación es de otro municipio."))
            if self.dependencia_evaluada_id and self.evaluacion.dependencia_evaluada_id != self.dependencia_evaluada_id:
                error("dependencia_evaluada", _("La dependencia evaluada debe ser la de la evaluación."))
        ids = [getattr(self, f"{parte}_id") for parte, _tipo in PARTES if getattr(self, f"{parte}_id")]
        if len(ids) != len(set(ids)):
            error("__all__", _("Las cuatro partes del convenio deben ser dependencias distintas."))
        for parte, tipo in PARTES:
            dependencia: Dependencia | None = getattr(self, parte) if getattr(self, f"{parte}_id") else None
            if dependencia is None:
                continue
            if self.municipio_id and dependencia.municipio_id != self.municipio_id:
                error(parte, _("La parte «%(parte)s» es de otro municipio.") % {"parte": dependencia})
            if dependencia.tipo != tipo:
                error(
                    parte,
                    _("«%(dependencia)s» no es de tipo %(tipo)s.")
                    % {"dependencia": dependencia, "tipo": TipoDependencia(tipo).label},
                )
            firmante: Titular | None = (
                getattr(self, f"firmante_{parte}") if getattr(self, f"firmante_{parte}_id") else None
            )
            if firmante is not None:
                if firmante.dependencia_id != dependencia.pk:
                    error(f"firmante_{parte}", _("El firmante no es titular de «%(d)s».") % {"d": dependencia})
                elif self.fecha_firma and not firmante.vigente_en(self.fecha_firma):
                    error(
                        f"firmante_{parte}",
                        _("%(t)s no era titular el %(f)s.") % {"t": firmante, "f": fecha_larga(self.fecha_firma)},
                    )
        if self.estado != EstadoConvenio.BORRADOR:
            for parte, _tipo in PARTES:
                if not getattr(self, f"firmante_{parte}_id"):
                    error(f"firmante_{parte}", _("Un convenio firmado debe registrar a sus cuatro firmantes."))
        if self.pk and self.fecha_limite:
            fuera = self.aspectos.filter(fecha_compromiso__gt=self.fecha_limite).order_by("tipo", "numero").first()
            if fuera is not None:
                error(
                    "fecha_limite",
                    _("%(aspecto)s vence el %(fecha)s, después de la fecha límite (cláusula QUINTA).")
                    % {"aspecto": fuera.etiqueta, "fecha": fecha_larga(fuera.fecha_compromiso)},
                )
        if errores:
            raise ValidationError(errores)

    def firmantes(self) -> list[tuple[str, Dependencia, Titular | None]]:
        """(party label, dependencia, signatory) in the order of the signature blocks."""
        return [
            (Convenio._meta.get_field(parte).verbose_name, getattr(self, parte), getattr(self, f"firmante_{parte}"))
            for parte, _tipo in PARTES
        ]


# DOMAIN.md: a signed convenio's parties, items, actions, texts and dates change only by prórroga
# (SÉPTIMA, its own service moves ``fecha_vigente``) or modificación (NOVENA). What stays open is
# the follow-up: states, current dates, the delay kept, an action's avance.
CONGELADOS: dict[str, tuple[str, ...]] = {
    "convenio": (
        "municipio",
        "evaluacion",
        "fecha_firma",
        "fecha_limite",
        "dias_prorroga_max",
        "fojas",
        "documento_firmado",
        *(parte for parte, _tipo in PARTES),
        *(f"firmante_{parte}" for parte, _tipo in PARTES),
    ),
    "aspecto": ("convenio", "tipo", "numero", "texto", "prioridad", "clasificacion", "fecha_compromiso", "repite_a"),
    "accion": (
        "aspecto",
        "numero",
        "texto",
        "area_responsable",
        "area_responsable_texto",
        "fecha_termino",
        "producto_esperado",
    ),
}
ACTO_QUE_MODIFICA = "modificar"
# Registered once after signing if they were still empty (the scan often arrives after the signature);
# once registered they are frozen like the rest.
CONGELADOS_AL_REGISTRARSE = frozenset({"documento_firmado", "fojas"})


def exigir_no_congelado(instancia: models.Model, *, convenio_id: int | None, borrar: bool = False) -> None:
    """Refuses a change to what a signed convenio froze, unless it comes from its modificación act.

    The modificación service marks what it saves (``instancia._acto = "modificar"``); the state
    compared is the stored one, so the act that signs a borrador may still save it.
    """
    if getattr(instancia, "_acto", None) == ACTO_QUE_MODIFICA or convenio_id is None:
        return
    estado = Convenio.objects.filter(pk=convenio_id).values_list("estado", flat=True).first()
    if estado in (None, EstadoConvenio.BORRADOR):
        return
    mensaje = _(
        "El convenio está firmado: sus partes, hallazgos, recomendaciones, acciones, textos y fechas solo "
        "cambian por prórroga (cláusula SÉPTIMA) o por modificación (cláusula NOVENA)."
    )
    nombre = instancia._meta.model_name
    if instancia.pk is None or borrar:
        raise ValidationError(mensaje, code="convenio_firmado")
    campos = [instancia._meta.get_field(c) for c in CONGELADOS[nombre]]
    original = type(instancia)._default_manager.filter(pk=instancia.pk).values(*(c.attname for c in campos)).first()
    if original is None:
        return
    cambiados = [
        c.name
        for c in campos
        if original[c.attname] != _valor_guardable(getattr(instancia, c.attname))
        and not (c.name in CONGELADOS_AL_REGISTRARSE and original[c.attname] in (None, ""))
    ]
    if cambiados:
        raise ValidationError(dict.fromkeys(cambiados, ValidationError(mensaje, code="convenio_firmado")))


def _valor_guardable(valor: Any) -> Any:
    # A FieldFile compares with the stored name.
    return valor.name if hasattr(valor, "name") and hasattr(valor, "storage") else valor


class Modificacion(RestriccionesEnUnaConsulta):
    """Cláusula NOVENA: the parties modify the signed convenio by a new signed agreement.

    The only way, besides a prórroga, that a signed convenio's parties, items, actions, texts and
    dates change (``CONGELADOS``); ``cambios`` keeps the before and after of every field it changed,
    as it was shown (``[{"objeto", "campo", "antes", "despues"}]``).
    """

    convenio = models.ForeignKey(
        Convenio, verbose_name=_("convenio"), on_delete=models.PROTECT, related_name="modificaciones"
    )
    numero = models.PositiveSmallIntegerField(_("número"), editable=False)
    fecha = models.DateField(
        _("fecha del convenio modificatorio"), help_text=_("El día en que las partes firmaron la modificación.")
    )
    motivo = models.TextField(_("motivo"), max_length=5000)
    documento = models.FileField(
        _("convenio modificatorio firmado"),
        upload_to="convenios/modificaciones/",
        validators=[validar_pdf],
        help_text=_("El PDF de la modificación con las firmas de las partes."),
    )
    cambios = models.JSONField(_("cambios"), default=list, editable=False)
    registrada_por = models.ForeignKey(
        "cuentas.Usuario", verbose_name=_("registrada por"), on_delete=models.PROTECT, related_name="+"
    )
    registrada_en = models.DateTimeField(_("registrada el"), auto_now_add=True)

    class Meta:
        verbose_name = _("modificación")
        verbose_name_plural = _("modificaciones")
        ordering = ["convenio", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["convenio", "numero"], name="modificacion_numero_unico"),
        ]

    def __str__(self) -> str:
        return str(_("Modificación %(n)s del %(fecha)s") % {"n": self.numero, "fecha": fecha_larga(self.fecha)})
