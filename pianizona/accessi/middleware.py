"""The second factor is mandatory for regional officers and administrators."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from pianizona.models import Ruolo

from .tenancy import accessi_for_user

SESSION_KEY_MFA = "pianizona_mfa_ok"
# Paths a user without a second factor can still reach: setting it up, logging out, static files.
PERCORSI_LIBERI = ("/accounts/", "/static/", "/healthz", "/accessibilita/")


def mfa_obbligatoria(user) -> bool:
    if not settings.PIANIZONA_MFA_OBBLIGATORIA or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(m.ruolo == Ruolo.FUNZIONARIO for m in accessi_for_user(user).memberships)


class MfaObbligatoriaMiddleware:
    """Regional officers and administrators work only with a second factor (TOTP) active."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SESSION_KEY_MFA)
            and not request.path.startswith(PERCORSI_LIBERI)
            and mfa_obbligatoria(user)
        ):
            if self._verificata(request):
                request.session[SESSION_KEY_MFA] = True
            else:
                messages.warning(
                    request,
                    "Per il ruolo assegnato l'autenticazione a due fattori è obbligatoria: "
                    "attivala per continuare.",
                )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _verificata(request) -> bool:
        if any(r.get("method") == "mfa" for r in get_authentication_records(request)):
            return True
        # Just activated in this session: activation itself checked a TOTP code.
        return Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
