"""The header's context switcher: which ambito or region the user is working in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .forms import ContestoForm
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
    messages.success(request, f"Ora lavori come {membership}.")
    return redirect("home")
