"""The public records, defined once: the API, the CSV/JSON downloads and the data dictionary all read them.

Field names are part of a public contract (other systems fetch the open data on a
schedule): they are Spanish, flat, and never renamed — a new field may be added,
an existing one is not changed. Every field has a ``help_text``: it is the text of
the data dictionary and of the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from convenios.models import Accion, Aspecto, Convenio, EstadoConvenio, Evaluacion, Semaforo, Titular
from transparencia import selectors


class NombreDeOpcion(serializers.CharField):
    """The text of a model field's choice (``estado`` -> «En revisión»), for ``*_nombre`` columns.

    Not ``source="get_estado_display"``: Django's ``get_FOO_display`` rebuilds the field's table of choices on
    every call, translating each label again, and DRF inspects the method's signature for each row. On the
    state's downloads that was a third of the time per item. Here the table is made once per serializer, in
    the language active when the first row is written.
    """

    def __init__(self, campo: str, **kwargs: Any) -> None:
        super().__init__(source=campo, read_only=True, **kwargs)
        self._nombres: dict[Any, str] | None = None

    def to_representation(self, valor: Any) -> str:
        if self._nombres is None:
            campo = self.parent.Meta.model._meta.get_field(self.source)
            self._nombres = {clave: str(nombre) for clave, nombre in campo.flatchoices}
        return self._nombres.get(valor, str(valor))


def _url_absoluta(serializer: serializers.Serializer, ruta: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(ruta) if request is not None else ruta


class EvaluacionSerializer(serializers.ModelSerializer):
    municipio = serializers.CharField(
        source="municipio.slug", help_text=_("Identificador del municipio (texto corto).")
    )
    municipio_nombre = serializers.CharField(source="municipio.nombre", help_text=_("Nombre del municipio."))
    anio_pae = serializers.IntegerField(help_text=_("Año del Programa Anual de Evaluación (PAE) que la incluye."))
    tipo = serializers.ChoiceField(
        choices=Evaluacion._meta.get_field("tipo").choices, help_text=_("Clave del tipo de evaluación.")
    )
    tipo_nombre = NombreDeOpcion("tipo", help_text=_("Tipo de evaluación, en texto."))
    programa_clave = serializers.CharField(
        source="programa.clave", help_text=_("Clave del programa presupuestario (8 dígitos).")
    )
    programa_nombre = serializers.CharField(
        source="programa.nombre", help_text=_("Nombre del programa presupuestario.")
    )
    dependencia_id = serializers.IntegerField(
        source="dependencia_evaluada_id", help_text=_("Identificador de la dependencia evaluada.")
    )
    dependencia = serializers.CharField(source="dependencia_evaluada.nombre", help_text=_("Dependencia evaluada."))
    instancia_evaluadora = serializers.CharField(help_text=_("Instancia evaluadora externa; vacío si no se registró."))
    ejercicio_evaluado = serializers.IntegerField(help_text=_("Ejercicio fiscal evaluado."))
    presupuesto_programa = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text=_("Presupuesto del programa en el ejercicio evaluado, en pesos.")
    )
    costo_evaluacion = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("Costo de la evaluación en pesos; nulo si no se registró."),
    )
    fecha_inicio = serializers.DateField(allow_null=True, help_text=_("Inicio de la evaluación (AAAA-MM-DD)."))
    fecha_termino = serializers.DateField(allow_null=True, help_text=_("Término de la evaluación (AAAA-MM-DD)."))
    informe_final_url = serializers.SerializerMethodField(
        help_text=_("Dirección de descarga del informe final; nulo si no se ha cargado.")
    )
    anexo1_url = serializers.SerializerMethodField(help_text=_("Formato CONAC Anexo 1 de la evaluación (página)."))
    anexo1_pdf_url = serializers.SerializerMethodField(help_text=_("Formato CONAC Anexo 1 de la evaluación (PDF)."))

    class Meta:
        model = Evaluacion
        fields = [
            "id",
            "municipio",
            "municipio_nombre",
            "anio_pae",
            "tipo",
            "tipo_nombre",
            "programa_clave",
            "programa_nombre",
            "dependencia_id",
            "dependencia",
            "instancia_evaluadora",
            "ejercicio_evaluado",
            "presupuesto_programa",
            "costo_evaluacion",
            "fecha_inicio",
            "fecha_termino",
            "informe_final_url",
            "anexo1_url",
            "anexo1_pdf_url",
        ]
        extra_kwargs = {"id": {"help_text": "Identificador de la evaluación."}}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_informe_final_url(self, obj: Evaluacion) -> str | None:
        if not obj.informe_final:
            return None
        return _url_absoluta(self, reverse("transparencia:informe_final", args=[obj.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_anexo1_url(self, obj: Evaluacion) -> str:
        return _url_absoluta(self, reverse("transparencia:anexo1", args=[obj.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_anexo1_pdf_url(self, obj: Evaluacion) -> str:
        return _url_absoluta(self, reverse("transparencia:anexo1_pdf", args=[obj.pk]))


def _titular(titular: Titular | None) -> str:
    return titular.nombre_con_grado if titular else ""


class ConvenioSerializer(serializers.ModelSerializer):
    evaluacion_id = serializers.IntegerField(help_text=_("Evaluación de la que deriva el convenio."))
    municipio = serializers.CharField(source="municipio.slug", help_text=_("Identificador del municipio."))
    anio_pae = serializers.IntegerField(source="evaluacion.anio_pae", help_text=_("Año del PAE de la evaluación."))
    programa_clave = serializers.CharField(source="evaluacion.programa.clave", help_text=_("Clave del programa."))
    programa_nombre = serializers.CharField(source="evaluacion.programa.nombre", help_text=_("Nombre del programa."))
    dependencia_id = serializers.IntegerField(
        source="dependencia_evaluada_id", help_text=_("Identificador de la dependencia evaluada.")
    )
    dependencia = serializers.CharField(source="dependencia_evaluada.nombre", help_text=_("Dependencia evaluada."))
    estado = serializers.ChoiceField(
        choices=[(v, label) for v, label in EstadoConvenio.choices if v in selectors.ESTADOS_PUBLICOS],
        help_text=_("Estado: vigente (firmado), cumplido (oficio de cumplimiento emitido) o incumplido."),
    )
    estado_nombre = NombreDeOpcion("estado", help_text=_("Estado del convenio, en texto."))
    fecha_firma = serializers.DateField(help_text=_("Fecha de firma (AAAA-MM-DD)."))
    fecha_limite = serializers.DateField(
        help_text=_("Fecha límite de cumplimiento; no excede el 31 de diciembre del año de firma (cláusula QUINTA).")
    )
    dias_prorroga_max = serializers.IntegerField(
        help_text=_("Días naturales de prórroga que admite cada aspecto (cláusula SÉPTIMA: hasta 15).")
    )
    implan = serializers.CharField(source="implan.nombre", help_text=_("Parte: IMPLAN o unidad de planeación."))
    implan_titular = serializers.SerializerMethodField(help_text=_("Titular que firmó por el IMPLAN."))
    implan_cargo = serializers.SerializerMethodField(help_text=_("Cargo de quien firmó por el IMPLAN."))
    tesoreria = serializers.CharField(source="tesoreria.nombre", help_text=_("Parte: Tesorería."))
    tesoreria_titular = serializers.SerializerMethodField(help_text=_("Titular que firmó por la Tesorería."))
    tesoreria_cargo = serializers.SerializerMethodField(help_text=_("Cargo de quien firmó por la Tesorería."))
    contraloria = serializers.CharField(source="contraloria.nombre", help_text=_("Parte: Contraloría."))
    contraloria_titular = serializers.SerializerMethodField(help_text=_("Titular que firmó por la Contraloría."))
    contraloria_cargo = serializers.SerializerMethodField(help_text=_("Cargo de quien firmó por la Contraloría."))
    dependencia_titular = serializers.SerializerMethodField(
        help_text=_("Titular que firmó por la dependencia evaluada.")
    )
    dependencia_cargo = serializers.SerializerMethodField(
        help_text=_("Cargo de quien firmó por la dependencia evaluada.")
    )
    total_aspectos = serializers.IntegerField(
        source="n_aspectos", help_text=_("Hallazgos y recomendaciones del convenio.")
    )
    pendientes = serializers.IntegerField(source="n_pendiente", help_text=_("Aspectos pendientes."))
    en_revision = serializers.IntegerField(source="n_en_revision", help_text=_("Aspectos en revisión del IMPLAN."))
    observados = serializers.IntegerField(source="n_observada", help_text=_("Aspectos devueltos con observaciones."))
    atendidos = serializers.IntegerField(
        source="n_atendida", help_text=_("Aspectos atendidos (validados por el IMPLAN).")
    )
    no_atendidos = serializers.IntegerField(source="n_no_atendida", help_text=_("Aspectos declarados no atendidos."))
    cancelados = serializers.IntegerField(source="n_cancelada", help_text=_("Aspectos cancelados con justificación."))
    porcentaje_avance = serializers.SerializerMethodField(
        help_text=_(
            "Atendidos entre los que siguen debiéndose (total menos cancelados), en porcentaje con un "
            "decimal; nulo si no hay aspectos debidos."
        )
    )
    url = serializers.SerializerMethodField(help_text=_("Página pública del convenio."))

    class Meta:
        model = Convenio
        fields = [
            "id",
            "evaluacion_id",
            "municipio",
            "anio_pae",
            "programa_clave",
            "programa_nombre",
            "dependencia_id",
            "dependencia",
            "estado",
            "estado_nombre",
            "fecha_firma",
            "fecha_limite",
            "dias_prorroga_max",
            "implan",
            "implan_titular",
            "implan_cargo",
            "tesoreria",
            "tesoreria_titular",
            "tesoreria_cargo",
            "contraloria",
            "contraloria_titular",
            "contraloria_cargo",
            "dependencia_titular",
            "dependencia_cargo",
            "total_aspectos",
            "pendientes",
            "en_revision",
            "observados",
            "atendidos",
            "no_atendidos",
            "cancelados",
            "porcentaje_avance",
            "url",
        ]
        extra_kwargs = {"id": {"help_text": "Identificador del convenio."}}

    def get_implan_titular(self, obj: Convenio) -> str:
        return _titular(obj.firmante_implan)

    def get_implan_cargo(self, obj: Convenio) -> str:
        return obj.firmante_implan.cargo if obj.firmante_implan else ""

    def get_tesoreria_titular(self, obj: Convenio) -> str:
        return _titular(obj.firmante_tesoreria)

    def get_tesoreria_cargo(self, obj: Convenio) -> str:
        return obj.firmante_tesoreria.cargo if obj.firmante_tesoreria else ""

    def get_contraloria_titular(self, obj: Convenio) -> str:
        return _titular(obj.firmante_contraloria)

    def get_contraloria_cargo(self, obj: Convenio) -> str:
        return obj.firmante_contraloria.cargo if obj.firmante_contraloria else ""

    def get_dependencia_titular(self, obj: Convenio) -> str:
        return _titular(obj.firmante_dependencia_evaluada)

    def get_dependencia_cargo(self, obj: Convenio) -> str:
        return obj.firmante_dependencia_evaluada.cargo if obj.firmante_dependencia_evaluada else ""

    @extend_schema_field(serializers.FloatField(allow_null=True, min_value=0, max_value=100))
    def get_porcentaje_avance(self, obj: Convenio) -> float | None:
        return selectors.porcentaje_avance(obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Convenio) -> str:
        return _url_absoluta(self, reverse("transparencia:convenio", args=[obj.pk]))


class AccionSerializer(serializers.ModelSerializer):
    numero = serializers.IntegerField(help_text=_("Número de la acción dentro del aspecto."))
    texto = serializers.CharField(help_text=_("La acción comprometida."))
    area_responsable = serializers.CharField(source="area", help_text=_("Área responsable de la acción."))
    fecha_termino = serializers.DateField(help_text=_("Fecha de término de la acción."))
    producto_esperado = serializers.CharField(help_text=_("Producto o evidencia esperada."))
    avance = serializers.IntegerField(help_text=_("Avance reportado por la dependencia (0 a 100 %)."))

    class Meta:
        model = Accion
        fields = ["numero", "texto", "area_responsable", "fecha_termino", "producto_esperado", "avance"]


class AspectoSerializer(serializers.ModelSerializer):
    convenio_id = serializers.IntegerField(help_text=_("Convenio al que pertenece."))
    municipio = serializers.CharField(source="convenio.municipio.slug", help_text=_("Identificador del municipio."))
    anio_pae = serializers.IntegerField(source="convenio.evaluacion.anio_pae", help_text=_("Año del PAE."))
    programa_clave = serializers.CharField(
        source="convenio.evaluacion.programa.clave", help_text=_("Clave del programa.")
    )
    dependencia_id = serializers.IntegerField(
        source="convenio.dependencia_evaluada_id", help_text=_("Identificador de la dependencia evaluada.")
    )
    dependencia = serializers.CharField(
        source="convenio.dependencia_evaluada.nombre", help_text=_("Dependencia evaluada.")
    )
    tipo = serializers.ChoiceField(
        choices=Aspecto._meta.get_field("tipo").choices,
        help_text=_("hallazgo (cláusula CUARTA a) o recomendacion (cláusula CUARTA b)."),
    )
    numero = serializers.IntegerField(help_text=_("Número del hallazgo o de la recomendación en el convenio."))
    texto = serializers.CharField(help_text=_("Texto del hallazgo o de la recomendación."))
    acciones = serializers.CharField(
        source="acciones_texto", help_text=_("Las acciones del aspecto numeradas en un texto: «1. …; 2. …».")
    )
    clasificacion = serializers.ChoiceField(
        choices=[("", "Sin clasificar"), *Aspecto._meta.get_field("clasificacion").choices],
        help_text=_(
            "Clasificación del ASM (CONEVAL): especifico, institucional, interinstitucional o intergubernamental."
        ),
    )
    repetido_de_pae = serializers.SerializerMethodField(
        help_text=_("Año del PAE del convenio anterior cuyo aspecto repite, o nulo.")
    )
    prioridad = serializers.ChoiceField(
        choices=[("", "Sin prioridad"), *Aspecto._meta.get_field("prioridad").choices],
        help_text=_("alta, media o baja; vacío si el convenio no la fija."),
    )
    fecha_compromiso = serializers.DateField(help_text=_("Fecha de cumplimiento original pactada en el convenio."))
    fecha_vigente = serializers.DateField(
        help_text=_("Fecha de cumplimiento vigente: la original, movida solo por prórrogas aprobadas.")
    )
    estado = serializers.ChoiceField(
        choices=Aspecto._meta.get_field("estado").choices,
        help_text=_("pendiente, en_revision, observada, atendida, no_atendida o cancelada."),
    )
    estado_nombre = NombreDeOpcion("estado", help_text=_("Estado, en texto."))
    semaforo = serializers.ChoiceField(
        choices=Semaforo.choices,
        help_text=_(
            "verde: más de 15 días o atendido; amarillo: 15 días o menos; rojo: vencido o no atendido. "
            "Calculado el día de la consulta (zona horaria de la Ciudad de México)."
        ),
    )
    vencido = serializers.SerializerMethodField(
        help_text=_("Verdadero si la fecha vigente ya pasó y el aspecto no está atendido ni cancelado.")
    )
    dias_fuera_de_plazo = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Días después de su fecha vigente en que se validó el aspecto («atendida fuera de plazo»); "
            "0 o nulo si se atendió a tiempo o no está atendido. El semáforo de un aspecto atendido es verde."
        ),
    )

    class Meta:
        model = Aspecto
        fields = [
            "id",
            "convenio_id",
            "municipio",
            "anio_pae",
            "programa_clave",
            "dependencia_id",
            "dependencia",
            "tipo",
            "numero",
            "texto",
            "acciones",
            "prioridad",
            "clasificacion",
            "repetido_de_pae",
            "fecha_compromiso",
            "fecha_vigente",
            "estado",
            "estado_nombre",
            "semaforo",
            "vencido",
            "dias_fuera_de_plazo",
        ]
        extra_kwargs = {"id": {"help_text": "Identificador del aspecto."}}

    def get_vencido(self, obj: Aspecto) -> bool:
        return obj.esta_vencido(self.context.get("fecha"))

    def get_repetido_de_pae(self, obj: Aspecto) -> int | None:
        return obj.repite_a.convenio.evaluacion.anio_pae if obj.repite_a_id else None


@extend_schema_serializer(component_name="Aspecto")
class AspectoApiSerializer(AspectoSerializer):
    """The API's item, with each action in detail (a page is small: its actions come in one prefetch)."""

    acciones_detalle = AccionSerializer(
        source="acciones", many=True, read_only=True, help_text=_("Cada acción con su área, fecha de término y avance.")
    )

    class Meta(AspectoSerializer.Meta):
        fields = [*AspectoSerializer.Meta.fields, "acciones_detalle"]


CONJUNTOS: dict[str, dict[str, Any]] = {
    "evaluaciones": {
        "serializer": EvaluacionSerializer,
        "titulo": _("Evaluaciones"),
        "descripcion": _("Una fila por evaluación de un programa presupuestario incluida en un PAE."),
    },
    "convenios": {
        "serializer": ConvenioSerializer,
        "titulo": _("Convenios"),
        "descripcion": _("Una fila por convenio para la mejora del desempeño firmado (no se publican borradores)."),
    },
    "aspectos": {
        "serializer": AspectoSerializer,
        "titulo": _("Aspectos susceptibles de mejora"),
        "descripcion": _("Una fila por hallazgo o recomendación de un convenio publicado, con su estado y semáforo."),
    },
}
