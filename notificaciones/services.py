"""The one function the domain's services call to tell people something: ``notificar``.

It renders the notice once, stores a copy in the app for each recipient (in the caller's transaction, so a
rolled-back act leaves no notice) and sends one e-mail per address after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from notificaciones.models import Notificacion
from notificaciones.tasks import enviar_correo


def direccion_absoluta(ruta: str) -> str:
    """``ruta`` on the site's public address (settings.SITIO_URL), for e-mails, PDFs and QR codes."""
    return settings.SITIO_URL.rstrip("/") + ruta


def guardar_en_la_app(*, destinatarios: Iterable[Any], asunto: str, cuerpo: str, enlace: str) -> None:
    """One ``Notificacion`` per active recipient, e-mail address or not, linking to ``enlace`` (a path)."""
    vistos: set[int] = set()
    filas = []
    for usuario in destinatarios:
        if usuario.pk in vistos or not usuario.is_active:
            continue
        vistos.add(usuario.pk)
        filas.append(Notificacion(usuario=usuario, asunto=asunto[:200], cuerpo=cuerpo, enlace=enlace))
    Notificacion.objects.bulk_create(filas)


def notificar(
    *, destinatarios: Iterable[Any], asunto: str, plantilla: str, contexto: dict[str, Any], enlace: str
) -> None:
    """Sends one e-mail per recipient once the surrounding transaction commits (never for a rolled-back act).

    ``enlace`` is the path of what the notice is about: the e-mail gives it as an absolute address
    (``{{ enlace }}``) and the copy each recipient finds in the app links to it.
    """
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
