from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seguridad.integridad import ArchivoVerificable


class DocumentosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documentos"
    verbose_name = _("documentos oficiales")
    # verificar_integridad re-hashes every issued PDF: a letter that closes a legal obligation must not change.
    archivos_verificables = [ArchivoVerificable("Documento", archivo="archivo", hash="sha256", carpeta="documentos")]
