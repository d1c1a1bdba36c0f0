"""The vista now names its items (``Aspecto.vista_dada_en``): the items a vista issued before this
change concerned are the convenio's no_atendida items at that time, i.e. those still no_atendida."""

from django.db import migrations
from django.utils import timezone


def marcar(apps, schema_editor):
    alias = schema_editor.connection.alias
    Documento = apps.get_model("documentos", "Documento")
    Aspecto = apps.get_model("convenios", "Aspecto")
    for convenio_id, emitido_en in (
        Documento.objects.using(alias)
        .filter(tipo="vista_contraloria")
        .order_by("emitido_en")
        .values_list("convenio_id", "emitido_en")
    ):
        Aspecto.objects.using(alias).filter(
            convenio_id=convenio_id, estado="no_atendida", vista_dada_en__isnull=True
        ).update(vista_dada_en=timezone.localdate(emitido_en))


class Migration(migrations.Migration):
    dependencies = [
        ("documentos", "0002_firmas_electronicas"),
        ("convenios", "0011_actos_del_convenio"),
    ]

    operations = [migrations.RunPython(marcar, migrations.RunPython.noop)]
