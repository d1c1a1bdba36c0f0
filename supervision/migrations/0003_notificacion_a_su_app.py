"""Notificacion now lives in the notificaciones app (its migration 0001 takes the same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_notificacion_enlace"),
        ("notificaciones", "0001_notificacion"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notificacion")],
            database_operations=[],
        ),
    ]
