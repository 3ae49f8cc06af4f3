"""What every page of a plan gives its template: the plan, its ambito, whether forms are shown."""

from django.http import HttpRequest

from .models import Piano
from .tenancy import Azione, can


def contesto_piano(request: HttpRequest, piano: Piano, **altro) -> dict:
    return {
        "piano": piano,
        "ambito": piano.ambito,
        "puo_modificare": piano.modificabile and can(request.user, Azione.MODIFICARE, piano),
        **altro,
    }
