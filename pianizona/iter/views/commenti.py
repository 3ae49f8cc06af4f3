"""The plan's review remarks: one page to read them all, four POSTs to write, reply, resolve, reopen.

Anyone who may see the plan reads the remarks; writing is checked twice: the role here (403), the
state and the rest in the services (an Italian message, never a 500). A refused form comes back
with the user's text in it; a successful one redirects back to the page (PRG).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pianizona import registry
from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.dominio import ErroreDominio
from pianizona.models import Commento, Piano

from .. import commenti
from ..pagine import contesto_piano

LUNGHEZZA_MASSIMA = 5_000  # characters of one remark or reply: a remark, not a report


def _campo_testo(etichetta: str, aiuto: str = "") -> forms.CharField:
    return forms.CharField(
        label=etichetta,
        help_text=aiuto,
        max_length=LUNGHEZZA_MASSIMA,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Scrivere il testo.",
            "max_length": "Il testo può contenere al massimo %(limit_value)s caratteri "
            "(ora ne ha %(show_value)s).",
        },
    )


class CommentoForm(forms.Form):
    sezione = forms.ChoiceField(
        label="Sezione del piano",
        error_messages={"invalid_choice": "Scegliere una sezione dall'elenco."},
    )
    testo = _campo_testo(
        "Osservazione", "L'Ufficio di Piano la riceve per e-mail e può rispondere qui."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sezione"].choices = list(commenti.sezioni().items())


class RispostaForm(forms.Form):
    testo = _campo_testo("Risposta")


def _form_risposta(radice_pk: int, data=None) -> RispostaForm:
    # One form per open remark on the page: ids unique, field name the same for every POST.
    return RispostaForm(data, auto_id=f"id_risposta_{radice_pk}_%s")


def _url_pagina(piano: Piano, commento: Commento | None = None) -> str:
    url = reverse("piano_commenti", args=[piano.pk])
    return f"{url}#commento-{commento.pk}" if commento is not None else url


def _pagina(
    request: HttpRequest,
    piano: Piano,
    *,
    form: CommentoForm | None = None,
    risposta: tuple[int, RispostaForm] | None = None,
) -> HttpResponse:
    puo_istruire = commenti.puo_istruire(request.user, piano)
    puo_rispondere = commenti.puo_partecipare(request.user, piano) and commenti.risposte_aperte_per(
        piano
    )
    gruppi = commenti.commenti_del_piano(piano)
    for gruppo in gruppi:
        for commento in gruppo.commenti:
            if puo_rispondere and commento.aperto:
                commento.form_risposta = (
                    risposta[1]
                    if risposta and risposta[0] == commento.pk
                    else _form_risposta(commento.pk)
                )
    aperti_per_sezione = {g.chiave: g.aperti for g in gruppi}
    if form is None:
        sezione = request.GET.get("sezione", "")
        form = CommentoForm(initial={"sezione": sezione} if sezione in commenti.sezioni() else {})
    contesto = contesto_piano(
        request,
        piano,
        gruppi=gruppi,
        aperti=sum(g.aperti for g in gruppi),
        totale=sum(len(g.commenti) for g in gruppi),
        sezioni=[
            (s.titolo, reverse(s.url_name, args=[piano.pk]), aperti_per_sezione.get(s.url_name, 0))
            for s in registry.sezioni_piano()
        ],
        aperti_generale=aperti_per_sezione.get(commenti.SEZIONE_GENERALE, 0),
        form=form,
        puo_istruire=puo_istruire,
        puo_scrivere=puo_istruire and commenti.osservazioni_aperte_per(piano),
        puo_riaprire=puo_istruire and commenti.risposte_aperte_per(piano),
        titolo_generale=commenti.TITOLO_GENERALE,
    )
    return render(request, "pianizona/commenti/elenco.html", contesto)


def _commento_del_piano(piano: Piano, pk: int) -> Commento:
    return get_object_or_404(Commento, piano=piano, pk=pk)


@require_GET
@login_required
def piano_commenti(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    return _pagina(request, piano)


@require_POST
@login_required
def piano_commento_crea(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.ISTRUIRE)
    form = CommentoForm(request.POST)
    if not form.is_valid():
        return _pagina(request, piano, form=form)
    try:
        commento = commenti.commento_crea(
            piano=piano,
            user=request.user,
            sezione=form.cleaned_data["sezione"],
            testo=form.cleaned_data["testo"],
        )
    except ErroreDominio as err:  # the officer's text stays in the form
        messages.error(request, str(err))
        return _pagina(request, piano, form=form)
    messages.success(request, "Osservazione inviata all'Ufficio di Piano.")
    return redirect(_url_pagina(piano, commento))


@require_POST
@login_required
def piano_commento_rispondi(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    if not commenti.puo_partecipare(request.user, piano):
        raise PermissionDenied("Il ruolo assegnato non consente di rispondere alle osservazioni.")
    commento = _commento_del_piano(piano, pk)
    radice_pk = commento.risposta_a_id or commento.pk
    form = _form_risposta(radice_pk, request.POST)
    if not form.is_valid():
        return _pagina(request, piano, risposta=(radice_pk, form))
    try:
        risposta = commenti.commento_rispondi(
            commento=commento, user=request.user, testo=form.cleaned_data["testo"]
        )
    except ErroreDominio as err:
        messages.error(request, str(err))
        return _pagina(request, piano, risposta=(radice_pk, form))
    messages.success(request, "Risposta inviata.")
    return redirect(_url_pagina(piano, risposta))


def _risolvi_o_riapri(request: HttpRequest, piano_pk: int, pk: int, servizio, fatto: str):
    piano = get_piano_for_user(request.user, piano_pk, Azione.ISTRUIRE)
    commento = _commento_del_piano(piano, pk)
    try:
        radice = servizio(commento=commento, user=request.user)
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect(_url_pagina(piano, commento))
    messages.success(request, fatto)
    return redirect(_url_pagina(piano, radice))


@require_POST
@login_required
def piano_commento_risolvi(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _risolvi_o_riapri(
        request, piano_pk, pk, commenti.commento_risolvi, "Osservazione segnata come risolta."
    )


@require_POST
@login_required
def piano_commento_riapri(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _risolvi_o_riapri(
        request, piano_pk, pk, commenti.commento_riapri, "Osservazione riaperta."
    )
