"""Account pages: the lockout page, password change (audited), the second factor (TOTP) and the forgotten password."""

from __future__ import annotations

import base64
import logging
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from auditoria.models import TipoEvento
from auditoria.services import auditar
from cuentas import doble_factor
from cuentas.forms import CodigoForm
from seguridad.limites import Tasa, consumir, limitar_tasa, por_usuario_o_ip

logger = logging.getLogger(__name__)


def bloqueado(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a Spanish page, 429 with Retry-After."""
    from axes.helpers import get_client_username

    minutos = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    respuesta = render(
        request,
        "registration/bloqueado.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "username": get_client_username(request, credentials) or "",
            "minutos": minutos,
        },
        status=429,
    )
    respuesta["Retry-After"] = str(minutos * 60)
    return respuesta


class CambioContrasenaView(PasswordChangeView):
    """Django's own view (which keeps this session and ends every other one), plus an audit row."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        respuesta = super().form_valid(form)
        auditar(tipo=TipoEvento.CAMBIO_CONTRASENA, usuario=self.request.user, request=self.request)
        return respuesta


def _siguiente(request: HttpRequest) -> str:
    destino = request.POST.get("next") or request.GET.get("next") or ""
    if destino and url_has_allowed_host_and_scheme(
        destino, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return destino
    return reverse_lazy(settings.LOGIN_REDIRECT_URL)


def _completar(request: HttpRequest, dispositivo: TOTPDevice) -> HttpResponse:
    django_otp.login(request, dispositivo)
    request.session.pop(doble_factor.PENDIENTE, None)
    # A new session key once the second factor is given, as Django does after the password.
    request.session.cycle_key()
    return redirect(_siguiente(request))


@require_http_methods(["GET", "POST"])
@login_required
@limitar_tasa("doble_factor", "10/m", clave=por_usuario_o_ip)
def doble_factor_configurar(request: HttpRequest) -> HttpResponse:
    usuario = request.user
    if doble_factor.dispositivo_confirmado(usuario) is not None:
        if usuario.is_verified():
            messages.info(request, _("Su segundo factor ya está configurado."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        return redirect("cuentas:doble_factor_verificar")
    # The same unconfirmed device across reloads: the QR code does not change under the user.
    dispositivo = TOTPDevice.objects.filter(user=usuario, confirmed=False).order_by("pk").first()
    if dispositivo is None:
        dispositivo = TOTPDevice.objects.create(user=usuario, name=_("Aplicación de autenticación"), confirmed=False)
    form = CodigoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if dispositivo.verify_token(form.cleaned_data["codigo"]):
            dispositivo.confirmed = True
            dispositivo.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=usuario, confirmed=False).delete()
            auditar(tipo=TipoEvento.DOBLE_FACTOR_ACTIVADO, usuario=usuario, request=request, objeto=dispositivo)
            messages.success(request, _("Listo: desde ahora se le pedirá un código después de su contraseña."))
            return _completar(request, dispositivo)
        auditar(tipo=TipoEvento.DOBLE_FACTOR_FALLIDO, usuario=usuario, request=request, detalle="Al configurar")
        form.add_error("codigo", _("El código no coincide. Revise la hora de su teléfono y escriba el código vigente."))
    secreto = base64.b32encode(dispositivo.bin_key).decode("ascii")
    return render(
        request,
        "cuentas/doble_factor_configurar.html",
        {
            "form": form,
            "qr": segno.make(dispositivo.config_url, error="m").svg_inline(scale=5, border=4),
            "secreto": " ".join(secreto[i : i + 4] for i in range(0, len(secreto), 4)),
            "obligatorio": usuario.doble_factor_obligatorio,
            "next": request.GET.get("next", ""),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@limitar_tasa("doble_factor", "10/m", clave=por_usuario_o_ip)
def doble_factor_verificar(request: HttpRequest) -> HttpResponse:
    usuario = request.user
    dispositivo = doble_factor.dispositivo_confirmado(usuario)
    if dispositivo is None:
        if usuario.doble_factor_obligatorio:
            return redirect("cuentas:doble_factor_configurar")
        return redirect(settings.LOGIN_REDIRECT_URL)
    if usuario.is_verified():
        return redirect(_siguiente(request))
    form = CodigoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # After each wrong code django-otp makes the next one wait (1 s, 2 s, 4 s...).
        permitido, _espera = dispositivo.verify_is_allowed()
        if not permitido:
            form.add_error(
                "codigo", _("Demasiados códigos incorrectos seguidos: espere unos segundos antes de intentar de nuevo.")
            )
        else:
            # django_otp.verify_token locks the device row: concurrent guesses count one by one.
            verificado = django_otp.verify_token(usuario, dispositivo.persistent_id, form.cleaned_data["codigo"])
            if verificado is not None:
                return _completar(request, verificado)
            auditar(tipo=TipoEvento.DOBLE_FACTOR_FALLIDO, usuario=usuario, request=request)
            form.add_error("codigo", _("El código no es válido."))
    return render(
        request,
        "cuentas/doble_factor_verificar.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


# --- Forgotten password (Django's views at /accounts/password_reset/, e-mails in Spanish) ----------


def _tasa(grupo: str, por_omision: str) -> Tasa:
    return Tasa.de_texto(getattr(settings, "LIMITES_DE_TASA", {}).get(grupo, por_omision))


@method_decorator(limitar_tasa("restablecer", "10/h"), name="dispatch")  # POSTs per client address
class RestablecerContrasenaView(PasswordResetView):
    """Django's view (the same page whether the address is known or not), limited per client and per address.

    Past the per-address limit the page answers exactly as if a mail had gone out, and none does:
    nobody learns whether the address exists, and nobody fills a mailbox with reset links.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"nombre_sitio": _("Seguimiento ASM"), "vigencia_dias": settings.PASSWORD_RESET_TIMEOUT // 86400}

    def form_valid(self, form: Any) -> HttpResponse:
        correo = form.cleaned_data["email"].strip().casefold()
        if consumir("restablecer_correo", correo, _tasa("restablecer_correo", "3/h")):
            logger.warning("Límite de restablecimientos por dirección excedido")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class RestablecerConfirmarView(PasswordResetConfirmView):
    """Django's view; the new password also goes to the audit log, as a change does."""

    def form_valid(self, form: Any) -> HttpResponse:
        respuesta = super().form_valid(form)
        auditar(tipo=TipoEvento.CAMBIO_CONTRASENA, usuario=form.user, request=self.request, detalle="Restablecida")
        return respuesta
