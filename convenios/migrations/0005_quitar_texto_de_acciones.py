"""The "acciones" text of an item now lives in its Accion rows (0004).

A migration of its own: on PostgreSQL a table cannot be altered in the transaction that
left deferred foreign-key checks pending (the rows 0004 created).
"""

from importlib import import_module

from django.db import migrations

reglas = import_module("convenios.migrations.0003_reglas_entre_tablas")
previa = import_module("convenios.migrations.0004_acciones_claves_y_plazos")


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0004_acciones_claves_y_plazos"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='aspecto',
            name='acciones',
        ),
        migrations.RemoveField(
            model_name='historicalaspecto',
            name='acciones',
        ),
        migrations.RunPython(previa.solo_sqlite(reglas.SQLITE_CREAR), previa.solo_sqlite(reglas.SQLITE_BORRAR)),
    ]
