"""The live panel alone: GET the saved state, POST one sheet's unsaved cells. Writes nothing."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from risorse.selectors import anni_del_piano

from ..forms.schede import AllocazioniForm
from ..models import Sezione
from ..pannello import pannello_del_piano
from .schede import (
    GET_E_POST,
    _fonti_della_tabella,
    _importi_salvati,
    _scheda_del_piano,
    pannello_con_input,
)


@GET_E_POST
@login_required
def pannello(request: HttpRequest, piano_pk: int) -> HttpResponse:
    """The panel alone: GET the saved state, POST one sheet's unsaved cells. Writes nothing."""
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    if request.method == "GET":
        dati = pannello_del_piano(piano)
    else:
        valore = request.POST.get("scheda", "").strip()
        scheda = _scheda_del_piano(piano, int(valore)) if valore.isdigit() else None
        sezione = scheda.sezione if scheda else request.POST.get("sezione", "")
        if sezione in Sezione.values:
            salvati = _importi_salvati(scheda) if scheda else {}
            fonti, _ = _fonti_della_tabella(piano, sezione, salvati)
            form = AllocazioniForm(
                request.POST, fonti=fonti, anni=anni_del_piano(piano), importi=salvati
            )
            dati = pannello_con_input(piano, scheda, form, request.POST)
        else:
            dati = pannello_del_piano(piano)
    return render(request, "programmazione/_pannello.html", {"piano": piano, "pannello": dati})
