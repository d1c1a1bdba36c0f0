"""Hallazgos and recomendaciones (cláusula CUARTA) with their actions, and the queries of their follow-up."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convenios.formatos import fecha_larga
from convenios.models.calendario import DIAS_AVISO_SEMAFORO, DiasEntre, Semaforo, condicion_vencido, hoy
from convenios.models.convenio import Convenio, exigir_no_congelado
from convenios.models.municipios import Dependencia, PorMunicipioQuerySet
from convenios.models.restricciones import RestriccionesEnUnaConsulta
from convenios.models.vocabulario import ClasificacionAspecto, EstadoAspecto, Prioridad, TipoAspecto


class AccionesEnTexto(models.Func):
    """An item's actions in one text cell, in SQL: "1. texto; 2. texto" in their order.

    The exports and the open data stream row by row; a correlated subquery gives each row its
    actions in the same query (a prefetch would be one more query per chunk of rows).
    """

    output_field = models.TextField()
    arity = 1

    def __init__(self, **extra: Any) -> None:
        super().__init__(F("pk"), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        pk, params = compiler.compile(self.source_expressions[0])
        return (
            "COALESCE((SELECT group_concat(linea, '; ') FROM (SELECT a.numero || '. ' || a.texto AS linea "
            f"FROM convenios_accion a WHERE a.aspecto_id = {pk} ORDER BY a.numero)), '')",
            params,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        pk, params = compiler.compile(self.source_expressions[0])
        return (
            "COALESCE((SELECT string_agg(a.numero || '. ' || a.texto, '; ' ORDER BY a.numero) "
            f"FROM convenios_accion a WHERE a.aspecto_id = {pk}), '')",
            params,
        )


class AspectoQuerySet(PorMunicipioQuerySet):
    ruta_municipio = "convenio__municipio"
    ruta_dependencia = "convenio__dependencia_evaluada"

    def vencidos(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Overdue items (``condicion_vencido``)."""
        return self.filter(condicion_vencido(fecha))

    def con_semaforo(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Annotate ``semaforo`` (DOMAIN.md) in SQL, from dates and status only."""
        fecha = fecha or hoy()
        return self.annotate(
            semaforo=Case(
                When(estado__in=EstadoAspecto.finales_cumplidos(), then=Value(Semaforo.VERDE)),
                When(estado=EstadoAspecto.NO_ATENDIDA, then=Value(Semaforo.ROJO)),
                When(condicion_vencido(fecha), then=Value(Semaforo.ROJO)),
                When(
                    fecha_vigente__lte=fecha + datetime.timedelta(days=DIAS_AVISO_SEMAFORO),
                    then=Value(Semaforo.AMARILLO),
                ),
                default=Value(Semaforo.VERDE),
                output_field=models.CharField(),
            ),
            orden_tipo=Case(
                When(tipo=TipoAspecto.HALLAZGO, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )

    def con_dias_vencido(self, fecha: datetime.date | None = None) -> AspectoQuerySet:
        """Annotate ``n_dias_vencido`` in SQL: days past the current date for an overdue item, else 0.

        Same condition as ``vencidos``; ``Aspecto.dias_vencido`` is the instance twin (the
        annotation has another name so that it does not hide that method on the instance).
        """
        fecha = fecha or hoy()
        return self.annotate(
            n_dias_vencido=Case(
                When(
                    condicion_vencido(fecha),
                    then=DiasEntre(F("fecha_vigente"), Value(fecha, output_field=models.DateField())),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )


class Aspecto(RestriccionesEnUnaConsulta):
    """A hallazgo (CUARTA a) or a recomendación with its acciones (CUARTA b): an item to follow up.

    Both kinds share this one model, and so one workflow (states in DOMAIN.md).
    """

    convenio = models.ForeignKey(
        Convenio, verbose_name=_("convenio"), on_delete=models.PROTECT, related_name="aspectos"
    )
    tipo = models.CharField(_("tipo"), max_length=15, choices=TipoAspecto.choices)
    numero = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1)])
    texto = models.TextField(_("texto"), help_text=_("Como lo redacta la cláusula CUARTA del convenio."))
    prioridad = models.CharField(_("prioridad"), max_length=5, choices=Prioridad.choices, blank=True)
    clasificacion = models.CharField(
        _("clasificación del ASM"),
        max_length=20,
        choices=ClasificacionAspecto.choices,
        blank=True,
        help_text=_("Según el mecanismo del CONEVAL: quién debe intervenir para atenderlo."),
    )
    fecha_compromiso = models.DateField(
        _("fecha de cumplimiento"),
        help_text=_(
            "La «Fecha de cumplimiento» del cuadro de la cláusula CUARTA (la original). Si el aspecto tiene "
            "acciones, es la más tardía de sus fechas de término."
        ),
    )
    # The current date: the original one moved by approved prórrogas. Stored (not
    # summed on the fly) because the overdue board filters and sorts on it.
    fecha_vigente = models.DateField(_("fecha de cumplimiento vigente"), blank=True)
    estado = models.CharField(
        _("estado"), max_length=12, choices=EstadoAspecto.choices, default=EstadoAspecto.PENDIENTE
    )
    # Kept when IMPLAN validates an item after its current date (DOMAIN.md: "atendida fuera de plazo").
    dias_fuera_de_plazo = models.PositiveIntegerField(_("días fuera de plazo"), null=True, blank=True, editable=False)
    # Set by the oficio de vista that names the item (cláusula QUINTA); several vistas may follow one another.
    vista_dada_en = models.DateField(_("vista a la Contraloría dada el"), null=True, blank=True, editable=False)
    repite_a = models.ForeignKey(
        "self",
        verbose_name=_("repite el aspecto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeticiones",
        help_text=_("El aspecto del convenio de la evaluación anterior que vuelve a señalarse en este."),
    )
    history = HistoricalRecords()

    objects = AspectoQuerySet.as_manager()

    class Meta:
        verbose_name = _("aspecto susceptible de mejora")
        verbose_name_plural = _("aspectos susceptibles de mejora")
        ordering = ["convenio", "-tipo", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["convenio", "tipo", "numero"],
                name="aspecto_numero_unico",
                violation_error_message=_("Ya existe un hallazgo o recomendación con ese número en el convenio."),
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="aspecto_numero_positivo",
                violation_error_message=_("El número debe ser 1 o mayor."),
            ),
            models.CheckConstraint(
                condition=Q(fecha_vigente__gte=F("fecha_compromiso")),
                name="aspecto_fecha_vigente_no_anterior",
                violation_error_message=_("La fecha vigente no puede ser anterior a la fecha compromiso original."),
            ),
            models.CheckConstraint(
                condition=Q(clasificacion__in=["", *ClasificacionAspecto.values]),
                name="aspecto_clasificacion_valida",
                violation_error_message=_(
                    "La clasificación debe ser específico, institucional, interinstitucional o intergubernamental."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=TipoAspecto.values),
                name="aspecto_tipo_valido",
                violation_error_message=_("El tipo debe ser hallazgo o recomendación."),
            ),
            models.CheckConstraint(
                condition=Q(estado__in=EstadoAspecto.values),
                name="aspecto_estado_valido",
                violation_error_message=_("El estado no es válido."),
            ),
            models.CheckConstraint(
                condition=Q(prioridad__in=["", *Prioridad.values]),
                name="aspecto_prioridad_valida",
                violation_error_message=_("La prioridad debe ser alta, media o baja."),
            ),
        ]
        indexes = [
            # The overdue board filters by status and sorts by the current date.
            models.Index(fields=["estado", "fecha_vigente"], name="aspecto_estado_fecha"),
            models.Index(fields=["fecha_vigente"], name="aspecto_fecha_vigente"),
            # The admin's list of every item (a state has ~120,000) pages in this order: ``AspectoAdmin.ordering``.
            models.Index(fields=["-convenio", "-tipo", "numero"], name="aspecto_orden_admin"),
        ]

    def __str__(self) -> str:
        return f"{self.etiqueta} — {self.texto[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.fecha_vigente:
            self.fecha_vigente = self.fecha_compromiso
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.convenio_id)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.fecha_vigente:
            self.fecha_vigente = self.fecha_compromiso
        # The convenio may still be unsaved (the admin's add page validates its rows before saving
        # it): the cached instance carries the deadline typed in the same form.
        convenio: Convenio | None = self._state.fields_cache.get("convenio") or (
            self.convenio if self.convenio_id else None
        )
        if convenio is None or not self.fecha_compromiso:
            return
        errores: dict[str, str] = {}
        if self.repite_a_id:
            anterior = self.repite_a
            evaluacion_anterior = convenio.evaluacion.evaluacion_anterior_id if convenio.evaluacion_id else None
            if evaluacion_anterior is None:
                errores["repite_a"] = _("Indique primero en la evaluación cuál es la evaluación anterior que revisa.")
            elif anterior.convenio.evaluacion_id != evaluacion_anterior:
                errores["repite_a"] = _("El aspecto repetido debe ser del convenio de la evaluación anterior.")
        if convenio.fecha_limite and self.fecha_compromiso > convenio.fecha_limite:
            errores["fecha_compromiso"] = _(
                "La fecha de cumplimiento no puede exceder el %(limite)s (cláusula QUINTA)."
            ) % {"limite": fecha_larga(convenio.fecha_limite)}
        elif self.fecha_vigente and (self.fecha_vigente - self.fecha_compromiso).days > convenio.dias_prorroga_max:
            errores["fecha_vigente"] = _(
                "La prórroga total no puede ser mayor a %(dias)s días naturales (cláusula SÉPTIMA)."
            ) % {"dias": convenio.dias_prorroga_max}
        if errores:
            raise ValidationError(errores, code="fecha_fuera_de_plazo")

    @property
    def etiqueta(self) -> str:
        return f"{self.get_tipo_display()} {self.numero}"

    def esta_vencido(self, fecha: datetime.date | None = None) -> bool:
        """Instance twin of ``AspectoQuerySet.vencidos``."""
        return self.fecha_vigente < (fecha or hoy()) and self.estado not in EstadoAspecto.finales_cumplidos()

    def semaforo_en(self, fecha: datetime.date | None = None) -> str:
        """Instance twin of ``AspectoQuerySet.con_semaforo`` (used when the annotation is absent)."""
        fecha = fecha or hoy()
        if self.estado in EstadoAspecto.finales_cumplidos():
            return Semaforo.VERDE
        if self.estado == EstadoAspecto.NO_ATENDIDA or self.esta_vencido(fecha):
            return Semaforo.ROJO
        if (self.fecha_vigente - fecha).days <= DIAS_AVISO_SEMAFORO:
            return Semaforo.AMARILLO
        return Semaforo.VERDE

    def dias_vencido(self, fecha: datetime.date | None = None) -> int:
        """Instance twin of ``AspectoQuerySet.con_dias_vencido``."""
        return max(0, ((fecha or hoy()) - self.fecha_vigente).days) if self.esta_vencido(fecha) else 0

    @property
    def fuera_de_plazo(self) -> str:
        """ "atendida fuera de plazo (12 días)": the semáforo stays green, this mark stays with it."""
        if self.estado != EstadoAspecto.ATENDIDA or not self.dias_fuera_de_plazo:
            return ""
        dias = self.dias_fuera_de_plazo
        return _("atendida fuera de plazo (%(n)s día%(s)s)") % {"n": dias, "s": "" if dias == 1 else "s"}

    @property
    def repetido_de(self) -> str:
        """ "repetido de PAE 2021" (the Contraloría looks for ASM that come back cycle after cycle)."""
        if not self.repite_a_id:
            return ""
        return _("repetido de PAE %(anio)s") % {"anio": self.repite_a.convenio.evaluacion.anio_pae}

    def ajustar_fecha_a_acciones(self) -> None:
        """DOMAIN.md, "Items and their actions": the item's date is the latest of its actions' dates.

        An approved prórroga keeps its days: the current date moves with the original one.
        """
        ultima = self.acciones.aggregate(ultima=Max("fecha_termino"))["ultima"]
        if ultima is None or ultima == self.fecha_compromiso:
            return
        prorrogado = self.fecha_vigente - self.fecha_compromiso if self.fecha_vigente else datetime.timedelta(0)
        self.fecha_compromiso = ultima
        self.fecha_vigente = ultima + prorrogado
        self.save(update_fields=["fecha_compromiso", "fecha_vigente"])


class Accion(RestriccionesEnUnaConsulta):
    """One action of an item (CUARTA b's "Acciones" column), with its own area, end date and product.

    Real ASM documents list several per item; the seed has one per recomendación.
    """

    aspecto = models.ForeignKey(Aspecto, verbose_name=_("aspecto"), on_delete=models.CASCADE, related_name="acciones")
    numero = models.PositiveSmallIntegerField(_("número"), default=1, validators=[MinValueValidator(1)])
    texto = models.TextField(_("acción"), help_text=_("La columna «Acciones» del cuadro de la cláusula CUARTA b."))
    area_responsable = models.ForeignKey(
        Dependencia,
        verbose_name=_("área responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Una dependencia del municipio; o escriba el área abajo si no está en el catálogo."),
    )
    area_responsable_texto = models.CharField(
        _("área responsable (texto)"),
        max_length=200,
        blank=True,
        help_text=_("P. ej. «Coordinación de Capacitación», si el área no es una dependencia del catálogo."),
    )
    fecha_termino = models.DateField(
        _("fecha de término"), help_text=_("La «Fecha de cumplimiento» de esta acción en el convenio.")
    )
    producto_esperado = models.TextField(
        _("producto o evidencia esperada"),
        blank=True,
        help_text=_("Lo que la dependencia entregará como evidencia, p. ej. «formato PbRM-02a»."),
    )
    avance = models.PositiveSmallIntegerField(
        _("avance (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Porcentaje que reporta la dependencia evaluada."),
    )
    nota_avance = models.TextField(_("nota del avance"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acción")
        verbose_name_plural = _("acciones")
        ordering = ["aspecto", "numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspecto", "numero"],
                name="accion_numero_unico",
                violation_error_message=_("Ya existe una acción con ese número en el aspecto."),
            ),
            models.CheckConstraint(
                condition=Q(numero__gte=1),
                name="accion_numero_positivo",
                violation_error_message=_("El número debe ser 1 o mayor."),
            ),
            models.CheckConstraint(
                condition=Q(avance__gte=0, avance__lte=100),
                name="accion_avance_porcentaje",
                violation_error_message=_("El avance es un porcentaje entre 0 y 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero}. {self.texto[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        exigir_no_congelado(self, convenio_id=self.aspecto.convenio_id)
        super().save(*args, **kwargs)
        self.aspecto._acto = getattr(self, "_acto", None)
        self.aspecto.ajustar_fecha_a_acciones()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        aspecto = self.aspecto
        exigir_no_congelado(self, convenio_id=aspecto.convenio_id, borrar=True)
        resultado = super().delete(*args, **kwargs)
        aspecto._acto = getattr(self, "_acto", None)
        aspecto.ajustar_fecha_a_acciones()
        return resultado

    def clean(self) -> None:
        aspecto: Aspecto | None = self._state.fields_cache.get("aspecto") or (self.aspecto if self.aspecto_id else None)
        convenio = aspecto._state.fields_cache.get("convenio") if aspecto is not None else None
        if convenio is None and aspecto is not None and aspecto.convenio_id:
            convenio = aspecto.convenio
        if convenio is None:
            return
        errores: dict[str, str] = {}
        if convenio.fecha_limite and self.fecha_termino and self.fecha_termino > convenio.fecha_limite:
            errores["fecha_termino"] = _(
                "La fecha de término no puede exceder el %(limite)s, fecha límite del convenio (cláusula QUINTA)."
            ) % {"limite": fecha_larga(convenio.fecha_limite)}
        if (
            self.area_responsable_id
            and convenio.municipio_id
            and self.area_responsable.municipio_id != convenio.municipio_id
        ):
            errores["area_responsable"] = _("El área responsable es de otro municipio.")
        if errores:
            raise ValidationError(errores, code="accion_invalida")

    @property
    def area(self) -> str:
        """The responsible area as the documents print it."""
        if self.area_responsable_id:
            return self.area_responsable.nombre
        return self.area_responsable_texto


def agregar_conteos(convenios: Sequence[Convenio]) -> None:
    """Sets the ``con_conteos()`` attributes on these convenios only, in one query over their items: a paged
    list counts its page, not every convenio before the LIMIT (issue 14)."""
    for convenio in convenios:
        convenio.n_aspectos = 0
        for estado in EstadoAspecto.values:
            setattr(convenio, f"n_{estado}", 0)
    if not convenios:
        return
    por_pk = {convenio.pk: convenio for convenio in convenios}
    filas = (
        Aspecto.objects.filter(convenio_id__in=por_pk)
        .values_list("convenio_id", "estado")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for convenio_id, estado, n in filas:
        convenio = por_pk[convenio_id]
        setattr(convenio, f"n_{estado}", n)
        convenio.n_aspectos += n
