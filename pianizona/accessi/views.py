"""The header's context switcher, the user's profile and the read-only login address page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .forms import ContestoForm
from .selectors import profilo_utente
from .tenancy import membership_set_attiva


@require_POST
@login_required
def contesto_switch(request: HttpRequest) -> HttpResponse:
    form = ContestoForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("home")
    membership = membership_set_attiva(request, form.cleaned_data["membership"])
    messages.success(request, f"Contesto di lavoro attivo: {membership}.")
    return redirect("home")


@require_GET
@login_required
def profilo(request: HttpRequest) -> HttpResponse:
    """«Il mio profilo»: who the user is, their roles, and the way to their account's security."""
    return render(request, "pianizona/profilo.html", {"profilo": profilo_utente(request.user)})


@require_GET
@login_required
def indirizzo_email(request: HttpRequest) -> HttpResponse:
    """In place of allauth's address management: nobody replaces their own login address.

    An address added from a session would receive the password reset (a stolen session would
    become a stolen account) and, unverified, would stop the owner enrolling TOTP.
    """
    return render(request, "pianizona/indirizzo_email.html", {"email": request.user.email})
