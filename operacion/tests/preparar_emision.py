"""Run by `manage.py shell -c` in a test's production instance: data for a letter, and what got archived.

The worker of those tests reads its own database (not the test's), so the data is made there, through
the same builders and follow-up services the documentos tests use.
"""

from __future__ import annotations

import json

from convenios.tests import fabricas
from documentos.models import Documento, SerieFolio
from documentos.tests.ayudas import atender_todo


def preparar(convenios: int = 1) -> None:
    """Convenios with every item validated by IMPLAN, ready for their oficio de cumplimiento."""
    m = fabricas.crear_municipio()
    implan = fabricas.crear_usuario("implan", m.implan)
    dependencia = fabricas.crear_usuario("dependencia", m.dependencia)
    ids = []
    for _ in range(convenios):
        convenio = fabricas.crear_convenio(m)
        atender_todo(convenio, implan=implan, dependencia=dependencia)
        ids.append(convenio.pk)
    print(json.dumps({"convenios": ids, "usuario": implan.pk}))


def informe() -> None:
    print(
        json.dumps(
            {
                "documentos": [
                    {"folio": d.folio, "sha256": d.sha256, "archivo": d.archivo.name, "convenio": d.convenio_id}
                    for d in Documento.objects.order_by("numero")
                ],
                "series": {f"{s.tipo}/{s.anio}": s.ultimo for s in SerieFolio.objects.all()},
                "estados": sorted({d.convenio.estado for d in Documento.objects.select_related("convenio")}),
            }
        )
    )
