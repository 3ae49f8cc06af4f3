"""The plan's page: where it stands on its journey, what can be done next, its sections."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can, get_piano_for_user
from pianizona.models import Piano

from .. import commenti, selectors, workflow


@login_required
def piano_detail(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk)
    # the same checks as the checklist, while the district can still act on them
    stati = (
        selectors.stato_delle_sezioni(
            registry.esegui_controlli(piano), registry.sezioni_controllate()
        )
        if piano.modificabile
        else {}
    )
    return render(
        request,
        "pianizona/piano_detail.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "collegati": selectors.piani_collegati(piano),
            "sezioni": [
                (s, reverse(s.url_name, args=[piano.pk]), stati.get(s.url_name))
                for s in registry.sezioni_piano()
            ],
            "puo_modificare": can(request.user, Azione.MODIFICARE, piano) and piano.modificabile,
            "azioni": workflow.azioni_possibili(piano, request.user),
            "commenti_aperti": commenti.commenti_aperti(piano),
            "parziali": registry.parziali_piano(),
            "ultima_transizione": piano.transizioni.select_related("utente")
            .order_by("-eseguita_il", "-pk")
            .first(),
            "ultima_versione": piano.versioni.defer("contenuto").order_by("-numero").first(),
            "puo_avviare_attuativo": piano.stato == Piano.Stato.APPROVATO
            and can(request.user, Azione.MODIFICARE, piano),
        },
    )
