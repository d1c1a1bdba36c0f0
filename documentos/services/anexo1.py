"""The evaluation's Anexo 1 (LGCG art. 79, CONAC norm): issued from a signed convenio, once per evaluation."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from convenios import politica
from convenios.models import Convenio, Evaluacion
from convenios.services import bloquear_convenio
from cuentas.models import Usuario
from documentos import anexo1, contextos
from documentos.contextos import Emision
from documentos.firma import ArchivosEFirma
from documentos.models import Documento, TipoDocumento
from documentos.services.emision import avisar, emitir, exigir_no_emitido


def _datos_anexo1(convenio: Convenio) -> dict[str, Any]:
    # Section 7's addresses are the deployment's, as the QR's: not whichever host a request came through.
    return anexo1.datos_anexo1(convenio.evaluacion, lambda ruta: settings.SITIO_URL.rstrip("/") + ruta)


def contexto_anexo1(convenio: Convenio, fecha: datetime.date, emision: Emision | None) -> dict[str, Any]:
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
    exigir_no_emitido(
        Documento.objects.filter(tipo=TipoDocumento.ANEXO1, convenio__evaluacion=convenio.evaluacion_id),
        _("El Anexo 1 de esta evaluación ya fue emitido con el folio %(folio)s; no se emite de nuevo."),
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
    documento = emitir(
        tipo=TipoDocumento.ANEXO1,
        usuario=usuario,
        convenio=convenio,
        contexto=lambda fecha, emision: contextos.anexo1(convenio.evaluacion, fecha, emision, datos),
        efirma=efirma,
    )
    avisar(documento, convenio)
    return documento
