"""One way to declare background tasks: a one-line wrapper around a service function.

    @tarea(reintentar_en=(SMTPException, OSError))
    def enviar_correo(*, asunto, cuerpo, destinatario):
        mail.send_mail(asunto, cuerpo, None, [destinatario])

and, from a service, ``enviar_correo.delay_on_commit(asunto=..., ...)``: queued once the
transaction commits (never for a rolled-back change), delivered by a worker; inline in the
same process when no broker is configured (CELERY_TASK_ALWAYS_EAGER).

Every task gets the same policy:
- retried on the listed exceptions with exponential backoff (1 s, 2 s, 4 s, ... capped at
  10 minutes, with jitter so a crowd of retries doesn't hit the SMTP server at once), up to
  ``TAREAS_REINTENTOS_MAXIMOS`` times (0 without a broker: inline, the error shows at once);
- acknowledged only after it ran (CELERY_TASK_ACKS_LATE): a worker stopped or killed
  mid-task leaves it in Redis for the next worker. So a task must be safe to run twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings

REINTENTO_MAXIMO_SEGUNDOS = 600


def tarea(
    *, reintentar_en: tuple[type[BaseException], ...] = (OSError,), **opciones: Any
) -> Callable[[Callable[..., Any]], Any]:
    def decorador(funcion: Callable[..., Any]) -> Any:
        return shared_task(
            autoretry_for=reintentar_en,
            retry_backoff=True,
            retry_backoff_max=REINTENTO_MAXIMO_SEGUNDOS,
            retry_jitter=True,
            max_retries=settings.TAREAS_REINTENTOS_MAXIMOS,
            **opciones,
        )(funcion)

    return decorador
