"""The plan's journey: checklist and submission, review actions, frozen versions, annual update."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can, get_piano_for_user
from pianizona.dominio import ErroreDominio
from pianizona.models import Piano, Transizione, Versione

from .. import commenti, selectors, workflow
from ..forms import ApprovazioneForm, AttuativoForm, RichiestaIntegrazioniForm, TransizioneForm
from ..istantanee import Istantanea, impronta

AzioneFlusso = Transizione.Azione
# A version still awaiting the Region's decision: the latest, while the plan is under review.
STATI_IN_ESAME = (Piano.Stato.INVIATO, Piano.Stato.IN_ISTRUTTORIA)


def _errori_del_modulo(request: HttpRequest, form) -> None:
    for errori in form.errors.values():
        for errore in errori:
            messages.error(request, errore)


@login_required
@require_http_methods(["GET", "POST"])
def piano_invio(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-submission checklist, and the submission itself for the district's responsabile."""
    azione = Azione.INVIARE if request.method == "POST" else Azione.VEDERE
    piano = get_piano_for_user(request.user, pk, azione)
    esiti = registry.esegui_controlli(piano)
    if request.method == "POST":
        form = TransizioneForm(request.POST)
        if form.is_valid():
            try:
                transizione = workflow.piano_invia(
                    piano=piano, user=request.user, stato_atteso=form.cleaned_data["stato_atteso"]
                )
            except ErroreDominio as err:
                messages.error(request, str(err))
            else:
                messages.success(
                    request,
                    f"Piano inviato alla Regione. I suoi contenuti sono stati congelati nella "
                    f"versione {transizione.versione.numero}.",
                )
                return redirect("piano_detail", pk=piano.pk)
        else:
            _errori_del_modulo(request, form)
        esiti = registry.esegui_controlli(piano)
    # each result beside the title of its section: the name its card has on the plan's page
    titoli = {s.url_name: s.titolo for s in registry.sezioni_piano()}
    con_sezione = [(e, titoli.get(e.sezione)) for e in esiti]
    bloccanti = [(e, titolo) for e, titolo in con_sezione if e.bloccante]
    return render(
        request,
        "pianizona/workflow/invio.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "bloccanti": bloccanti,
            "avvisi": [(e, titolo) for e, titolo in con_sezione if not e.bloccante],
            "inviabile": piano.stato in workflow.REGOLE[AzioneFlusso.INVIO].da,
            "puo_inviare": can(request.user, Azione.INVIARE, piano),
            "form": TransizioneForm(initial={"stato_atteso": piano.stato}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def piano_presa_in_carico(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk, Azione.ISTRUIRE)
    form = TransizioneForm(request.POST)
    if not form.is_valid():
        _errori_del_modulo(request, form)
        return redirect("piano_detail", pk=piano.pk)
    try:
        workflow.piano_prendi_in_carico(
            piano=piano, user=request.user, stato_atteso=form.cleaned_data["stato_atteso"]
        )
    except ErroreDominio as err:
        messages.error(request, str(err))
    else:
        messages.success(request, "Piano preso in carico: l'istruttoria è aperta.")
    return redirect("piano_detail", pk=piano.pk)


def _decisione(
    request: HttpRequest,
    piano: Piano,
    form,
    azione: str,
    template: str,
    riuscita: Callable[[Transizione], str],
    contesto: dict | None = None,
) -> HttpResponse:
    """The officer's two decisions share one shape: a form, the service, back to the plan."""
    if request.method == "POST":
        if form.is_valid():
            dati = form.cleaned_data
            try:
                transizione = workflow.piano_transizione(
                    piano=piano,
                    user=request.user,
                    azione=azione,
                    stato_atteso=dati["stato_atteso"],
                    commento=dati.get("commento", ""),
                    osservazioni=dati.get("osservazioni", ""),
                    osservazioni_viste=dati.get("osservazioni_viste"),
                )
            except ErroreDominio as err:
                messages.error(request, str(err))
                # Still under review: back to this page, which shows what changed meanwhile.
                if piano.stato in workflow.REGOLE[azione].da:
                    return redirect(request.path)
                return redirect("piano_detail", pk=piano.pk)
            messages.success(request, riuscita(transizione))
            return redirect("piano_detail", pk=piano.pk)
        status = 400
    else:
        status = 200
    contesto = {
        **(contesto or {}),
        "piano": piano,
        "ambito": piano.ambito,
        "form": form,
        "consentita": azione in workflow.azioni_possibili(piano, request.user),
        "versione": piano.versioni.order_by("-numero").first(),
        "invio": workflow.ultimo_invio(piano),
    }
    return render(request, template, contesto, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def piano_richiesta_integrazioni(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk, Azione.ISTRUIRE)
    return _decisione(
        request,
        piano,
        RichiestaIntegrazioniForm(request.POST or None, initial={"stato_atteso": piano.stato}),
        AzioneFlusso.RICHIESTA_INTEGRAZIONI,
        "pianizona/workflow/richiesta_integrazioni.html",
        lambda _: (
            "Integrazioni richieste: il piano torna modificabile dall'Ufficio di Piano, "
            "che riceve una notifica."
        ),
    )


def _approvato(transizione: Transizione) -> str:
    esito = transizione.esito_osservazioni
    return f"Piano approvato. {esito + ' ' if esito else ''}L'Ufficio di Piano riceve una notifica."


@login_required
@require_http_methods(["GET", "POST"])
def piano_approvazione(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval, which lists the open remarks and asks whether to close them or keep them."""
    piano = get_piano_for_user(request.user, pk, Azione.ISTRUIRE)
    aperti = commenti.commenti_aperti(piano)
    form = ApprovazioneForm(
        request.POST or None,
        request=request,
        aperte=[c.pk for c in aperti],
        initial={"stato_atteso": piano.stato},
    )
    return _decisione(
        request,
        piano,
        form,
        AzioneFlusso.APPROVAZIONE,
        "pianizona/workflow/approvazione.html",
        _approvato,
        {"commenti_aperti": aperti},
    )


@login_required
@require_GET
def piano_versioni(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk)
    versioni = list(
        piano.versioni.select_related("creata_da").defer("contenuto").order_by("-numero")
    )
    transizioni = list(
        Transizione.objects.filter(piano=piano)
        .select_related("utente", "versione")
        .defer("versione__contenuto")  # only the number is shown, never the frozen plan
        .order_by("-eseguita_il", "-pk")
    )
    esiti = selectors.esiti_delle_versioni(transizioni)
    return render(
        request,
        "pianizona/workflow/versioni.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "versioni": [(v, esiti.get(v.pk)) for v in versioni],
            "in_esame": piano.stato in STATI_IN_ESAME,
            "transizioni": transizioni,
            "parziali": registry.parziali_piano(),
        },
    )


@login_required
@require_GET
def piano_versione(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    """A frozen version, read-only, as it was submitted; its fingerprint is checked on display."""
    piano = get_piano_for_user(request.user, pk)
    versione = (
        Versione.objects.filter(piano=piano, numero=numero).select_related("creata_da").first()
    )
    if versione is None:
        raise Http404("Versione non trovata.")
    istantanea = Istantanea.from_dict(versione.contenuto)
    transizioni = list(versione.transizioni.select_related("utente"))
    ultima = piano.versioni.order_by("-numero").values_list("numero", flat=True).first()
    gruppi: dict[str, list] = {}
    for tabella in istantanea.tabelle:
        gruppi.setdefault(tabella.gruppo, []).append(tabella)
    return render(
        request,
        "pianizona/workflow/versione.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "versione": versione,
            "intestazione": istantanea.piano,
            "gruppi": gruppi,
            "integra": impronta(versione.contenuto) == versione.impronta,
            "transizioni": transizioni,
            "esito": selectors.esiti_delle_versioni(transizioni).get(versione.pk),
            "in_esame": versione.numero == ultima and piano.stato in STATI_IN_ESAME,
            "ultima": ultima,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def piano_attuativo_avvia(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's annual plan of this plan's ambito and cycle, from the last approved one."""
    azione = Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE
    piano = get_piano_for_user(request.user, pk, azione)
    origine = workflow.origine_attuativo(piano.ambito, piano.ciclo)
    anni = workflow.anni_attuativo_possibili(piano.ambito, piano.ciclo, origine)
    form = AttuativoForm(
        request.POST or None, anni=anni, initial={"anno": anni[0] if anni else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            avvio = workflow.piano_attuativo_avvia(
                ambito=piano.ambito,
                ciclo=piano.ciclo,
                anno=form.cleaned_data["anno"],
                user=request.user,
            )
        except ErroreDominio as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request, f"{avvio.piano.titolo} avviato dal {avvio.origine.titolo.lower()}."
            )
            for messaggio in avvio.messaggi:
                messages.info(request, messaggio)
            return redirect("piano_detail", pk=avvio.piano.pk)
    return render(
        request,
        "pianizona/workflow/attuativo.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "origine": origine,
            "anni": anni,
            "form": form,
            "puo_avviare": can(request.user, Azione.MODIFICARE, piano),
            "esistenti": Piano.objects.filter(
                ambito=piano.ambito, ciclo=piano.ciclo, tipo=Piano.Tipo.ATTUATIVO
            ).order_by("anno"),
        },
        status=400 if request.method == "POST" else 200,
    )
