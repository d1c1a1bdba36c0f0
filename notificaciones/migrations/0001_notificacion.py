"""The model moves here from supervision; its table stays (only the migration state changes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("supervision", "0002_notificacion_enlace"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notificacion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("asunto", models.CharField(max_length=200, verbose_name="asunto")),
                        ("cuerpo", models.TextField(verbose_name="mensaje")),
                        ("enlace", models.CharField(blank=True, max_length=300, verbose_name="enlace")),
                        ("creada_en", models.DateTimeField(auto_now_add=True, verbose_name="fecha")),
                        ("leida_en", models.DateTimeField(blank=True, null=True, verbose_name="leída el")),
                        (
                            "usuario",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notificaciones",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="usuario",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notificación",
                        "verbose_name_plural": "notificaciones",
                        "db_table": "supervision_notificacion",
                        "ordering": ["-creada_en", "-pk"],
                        "indexes": [models.Index(fields=["usuario", "-creada_en"], name="notificacion_usuario_fecha")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
