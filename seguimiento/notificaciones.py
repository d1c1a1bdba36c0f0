"""E-mail to the other side of a move, sent only after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from convenios.models import Convenio
from cuentas.models import Usuario
from operacion.tasks import enviar_correo


def usuarios_de(*dependencias: Any) -> list[Usuario]:
    return list(Usuario.objects.filter(dependencia__in=dependencias, is_active=True).exclude(email=""))


def usuarios_implan(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan)


def usuarios_dependencia(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.dependencia_evaluada)


def usuarios_partes(convenio: Convenio) -> list[Usuario]:
    return usuarios_de(convenio.implan, convenio.tesoreria, convenio.contraloria, convenio.dependencia_evaluada)


def direccion_absoluta(ruta: str) -> str:
    """``ruta`` on the site's public address (settings.SITIO_URL), for e-mails, PDFs and QR codes."""
    return settings.SITIO_URL.rstrip("/") + ruta


def notificar(
    *, destinatarios: Iterable[Usuario], asunto: str, plantilla: str, contexto: dict[str, Any], enlace: str
) -> None:
    """Sends one e-mail per recipient once the surrounding transaction commits (never for a rolled-back move).

    ``enlace`` is the path of what the notice is about: the e-mail gives it as an absolute address
    (``{{ enlace }}``) and the copy each recipient finds in the app (``supervision.Notificacion``,
    stored in the same transaction, so a rolled-back move leaves no notice either) links to it.
    """
    from supervision.notificaciones import guardar_en_la_app

    destinatarios = list(destinatarios)
    sitio = settings.SITIO_URL.rstrip("/")
    cuerpo = render_to_string(plantilla, {**contexto, "sitio": sitio, "enlace": direccion_absoluta(enlace)})
    guardar_en_la_app(destinatarios=destinatarios, asunto=asunto, cuerpo=cuerpo, enlace=enlace)
    correos = sorted({u.email for u in destinatarios if u.email})

    # One task per recipient: a retry after an SMTP failure never repeats a delivered e-mail.
    # Queued for a worker when a broker is configured; inline at commit otherwise.
    for correo in correos:
        enviar_correo.delay_on_commit(
            asunto=_("[Seguimiento ASM] %(asunto)s") % {"asunto": asunto}, cuerpo=cuerpo, destinatario=correo
        )
