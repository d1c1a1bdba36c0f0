"""Loads the seed convenio (Cuautitlán Izcalli, 2022) and one user per role. Idempotent; refuses without DEBUG."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from convenios.models import Dependencia, Municipio, TipoDependencia
from cuentas.models import Usuario
from cuentas.roles import grupo_implan

FIXTURE = settings.BASE_DIR / "fixtures" / "convenio_cuautitlan_izcalli_2022.json"
SLUG_DEMO = "cuautitlan-izcalli"
CONTRASENA_DEMO = "Izcalli.Demo.2022"

# (username, first name, last name, kind of dependencia, is_staff)
USUARIOS_DEMO: tuple[tuple[str, str, str, str, bool], ...] = (
    ("implan", "Analista", "del IMPLAN", TipoDependencia.IMPLAN, True),
    ("contraloria", "Auditora", "de la Contraloría", TipoDependencia.CONTRALORIA, False),
    ("tesoreria", "Analista", "de la Tesorería", TipoDependencia.TESORERIA, False),
    ("defensoria", "Enlace", "de la Defensoría", TipoDependencia.DEPENDENCIA, False),
)


class Command(BaseCommand):
    help = "Carga el convenio de demostración (Cuautitlán Izcalli, 2022) y un usuario por rol. Solo con DEBUG."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=CONTRASENA_DEMO, help="Contraseña de los usuarios de demostración.")

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "cargar_demo solo se ejecuta con DEBUG activo: no cargue datos de demostración en producción."
            )
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError("Contraseña no válida: " + " ".join(error.messages)) from error

        with transaction.atomic():
            if Municipio.objects.filter(slug=SLUG_DEMO).exists():
                self.stdout.write("El convenio de demostración ya estaba cargado; no se modifica.")
            else:
                call_command("loaddata", str(FIXTURE), verbosity=0)
                self.stdout.write(self.style.SUCCESS("Convenio de demostración cargado (Cuautitlán Izcalli, 2022)."))
            municipio = Municipio.objects.get(slug=SLUG_DEMO)
            grupo = grupo_implan()
            for username, nombre, apellido, tipo, staff in USUARIOS_DEMO:
                if tipo == TipoDependencia.DEPENDENCIA:
                    dependencia = Dependencia.objects.get(
                        municipio=municipio, nombre="Defensoría Municipal de Derechos Humanos"
                    )
                else:
                    dependencia = Dependencia.objects.get(municipio=municipio, tipo=tipo)
                usuario, _creado = Usuario.objects.update_or_create(
                    username=username,
                    defaults={
                        "first_name": nombre,
                        "last_name": apellido,
                        "email": f"{username}@demo.invalid",
                        "dependencia": dependencia,
                        "is_staff": staff,
                        "is_active": True,
                    },
                )
                usuario.set_password(password)
                usuario.save()
                if staff:
                    usuario.groups.add(grupo)

        self.stdout.write("Usuarios de demostración (usuario / contraseña):")
        for username, *_resto in USUARIOS_DEMO:
            self.stdout.write(f"  {username:<12} / {password}")
