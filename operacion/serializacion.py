"""Serializer for backups: Django's JSON with datetimes and times to the microsecond.

Django's own JSON encoder cuts microseconds to milliseconds (ECMA-262 dates); a backup must
give back exactly what was stored. The output is ordinary JSON that Django's standard
``json`` deserializer reads (``loaddata datos.json``). Registered as the ``json-exacto``
format in SERIALIZATION_MODULES.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as SerializadorJSON

__all__ = ["Deserializer", "Serializer"]


class CodificadorExacto(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            texto = o.isoformat()
            return texto[:-6] + "Z" if texto.endswith("+00:00") else texto
        return super().default(o)


class Serializer(SerializadorJSON):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = CodificadorExacto
