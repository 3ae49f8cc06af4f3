"""What every page of a plan gives its template: the plan, its ambito, whether forms are shown."""

from django.http import HttpRequest

from pianizona.accessi.tenancy import Azione, can
from pianizona.models import Piano


def contesto_piano(request: HttpRequest, piano: Piano, **altro) -> dict:
    return {
        "piano": piano,
        "ambito": piano.ambito,
        "puo_modificare": piano.modificabile and can(request.user, Azione.MODIFICARE, piano),
        **altro,
    }
