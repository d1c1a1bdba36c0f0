"""Writes on accounts that are more than a form save."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cuentas.models import Usuario


@transaction.atomic
def enlace_de_contrasena_enviar(*, usuario: Usuario, request: HttpRequest) -> None:
    """Mails a new user a one-time link to choose its password (Django's password-reset confirmation page).

    Sent after the commit: a user whose creation rolled back gets no mail.
    """
    enlace = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(usuario.pk)),
                "token": default_token_generator.make_token(usuario),
            },
        )
    )
    cuerpo = render_to_string(
        "cuentas/correo_establecer_contrasena.txt",
        {"usuario": usuario, "enlace": enlace, "dias": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
    )
    asunto = _("Su cuenta en Seguimiento ASM: establezca su contraseña")
    destinatario = usuario.email
    transaction.on_commit(lambda: mail.send_mail(asunto, cuerpo, None, [destinatario]))
