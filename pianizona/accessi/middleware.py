"""The second factor is mandatory for regional officers and administrators; sessions are renewed."""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers

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


SESSION_KEY_RINNOVO = "pianizona_rinnovata"
# A partial asked for by an htmx page renews the session's inactivity expiry at most this often.
RINNOVO_PARZIALI_SECONDI = 60


def richiesta_parziale(request) -> bool:
    """A fragment an htmx page asks for (live panel, preview, a job's progress), not a navigation."""
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
    )


class SessioneMiddleware(SessionMiddleware):
    """Django's, except that an htmx partial writes the session only if it changed or is due renewal.

    Every page renews the inactivity expiry (``SESSION_SAVE_EVERY_REQUEST``), which is a write on
    the sessions table. The partials a page fires while the user types would each write too, and on
    SQLite compete for the database with the save of the very form being typed in; yet they are the
    user's activity, so they still renew the expiry, once a minute at most.
    """

    def process_response(self, request, response):
        sessione = getattr(request, "session", None)
        if (
            sessione is None
            or not settings.SESSION_SAVE_EVERY_REQUEST
            or sessione.modified
            or sessione.is_empty()
            or response.status_code >= 500
        ):
            return super().process_response(request, response)
        ultimo = sessione.get(SESSION_KEY_RINNOVO)
        if sessione.is_empty():  # the cookie named a session that no longer exists
            return super().process_response(request, response)
        adesso = int(time.time())
        if (
            richiesta_parziale(request)
            and isinstance(ultimo, int)
            and 0 <= adesso - ultimo < RINNOVO_PARZIALI_SECONDI
        ):
            # Not written, not sent again: the cookie the browser holds stays valid.
            patch_vary_headers(response, ("Cookie",))
            return response
        sessione[SESSION_KEY_RINNOVO] = adesso
        return super().process_response(request, response)
