from django.http import HttpRequest

from .tenancy import accessi_for_user, membership_attiva


def contesto(request: HttpRequest) -> dict:
    """The header's data: the active role and the others the user can switch to."""
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {}
    return {
        "membership_attiva": membership_attiva(request),
        "memberships": accessi_for_user(request.user).memberships,
    }
