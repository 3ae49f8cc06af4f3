"""allauth's hooks: accounts opened only by administrators, the client behind the proxy, the
progressive pause on wrong passwords, and the first second factor."""

import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.models import Authenticator
from django import forms

from . import blocchi
from .rete import indirizzo_client, rete_client
from .services import user_email_vouch

ACCESSO = "accesso"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators: nobody signs up alone."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        # No verified address: set outside the admin (createsuperuser), or reset before a login.
        if user.is_active and not EmailAddress.objects.filter(user=user, verified=True).exists():
            user_email_vouch(user=user)
        return super().pre_login(request, user, **kwargs)

    def get_client_ip(self, request) -> str:
        # allauth's limits, its notification e-mails and ours read the same address.
        return indirizzo_client(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's limit "per key" counts per account *and* address: nobody locks another out.
        chiave = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{chiave}:{rete_client(request)}"

    def pre_authenticate(self, request, **credentials):
        """Wrong passwords pause this address on this account; the password is not even tried."""
        secondi = blocchi.attesa(request, azione=ACCESSO, identita=_identita(credentials))
        if secondi:
            raise forms.ValidationError(
                "Troppi tentativi di accesso non riusciti da questa rete: "
                f"riprovare tra {blocchi.durata_leggibile(secondi)}."
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            blocchi.azzera(request, azione=ACCESSO, identita=_identita(credentials))
        return user

    def authentication_failed(self, request, **credentials) -> None:
        blocchi.registra_fallimento(request, azione=ACCESSO, identita=_identita(credentials))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        if app == "allauth.mfa" and _primo_fattore_appena_entrato(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def _identita(credentials: dict) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


def _primo_fattore_appena_entrato(request) -> bool:
    """Setting up the first second factor minutes after logging in: the login just proved it.

    The mandatory enrolment (and the recovery codes it shows) follows the login, or the password
    chosen from the invitation, at once: asking for the password again there only adds a step.
    A factor the user already had when logging in still asks for it to be changed or removed.
    """
    if request is None or not request.user.is_authenticated:
        return False
    registrazioni = get_authentication_records(request, request.user)
    if not registrazioni:
        return False
    entrato = registrazioni[-1]["at"]
    if time.time() - entrato >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    return not Authenticator.objects.filter(
        user=request.user, created_at__lte=datetime.fromtimestamp(entrato, tz=UTC)
    ).exists()
