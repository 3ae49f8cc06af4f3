"""The plan's journey: checklist and submission, review actions, frozen versions, annual update."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can, get_piano_for_user
from pianizona.dominio import ErroreDominio
from pianizona.models import Piano, Transizione, Versione

from .. import workflow
from ..forms import ApprovazioneForm, AttuativoForm, RichiestaIntegrazioniForm, TransizioneForm
from ..istantanee import Istantanea, impronta

AzioneFlusso = Transizione.Azione


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
    request: HttpRequest, pk: int, form_class, azione: str, template: str, riuscita: str
) -> HttpResponse:
    """The officer's two decisions share one shape: a form, the service, back to the plan."""
    piano = get_piano_for_user(request.user, pk, Azione.ISTRUIRE)
    extra = {"user": request.user} if form_class is ApprovazioneForm else {}
    if request.method == "POST":
        form = form_class(request.POST, **extra)
        if form.is_valid():
            try:
                workflow.piano_transizione(
                    piano=piano,
                    user=request.user,
                    azione=azione,
                    stato_atteso=form.cleaned_data["stato_atteso"],
                    commento=form.cleaned_data.get("commento", ""),
                )
            except ErroreDominio as err:
                messages.error(request, str(err))
                return redirect("piano_detail", pk=piano.pk)
            messages.success(request, riuscita)
            return redirect("piano_detail", pk=piano.pk)
        status = 400
    else:
        form = form_class(initial={"stato_atteso": piano.stato}, **extra)
        status = 200
    contesto = {
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
    return _decisione(
        request,
        pk,
        RichiestaIntegrazioniForm,
        AzioneFlusso.RICHIESTA_INTEGRAZIONI,
        "pianizona/workflow/richiesta_integrazioni.html",
        "Integrazioni richieste: il piano torna modificabile dall'Ufficio di Piano, che riceve "
        "una notifica.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def piano_approvazione(request: HttpRequest, pk: int) -> HttpResponse:
    return _decisione(
        request,
        pk,
        ApprovazioneForm,
        AzioneFlusso.APPROVAZIONE,
        "pianizona/workflow/approvazione.html",
        "Piano approvato. L'Ufficio di Piano riceve una notifica.",
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
        .order_by("-eseguita_il", "-pk")
    )
    approvate = {t.versione_id for t in transizioni if t.azione == AzioneFlusso.APPROVAZIONE}
    return render(
        request,
        "pianizona/workflow/versioni.html",
        {
            "piano": piano,
            "ambito": piano.ambito,
            "versioni": [(v, v.pk in approvate) for v in versioni],
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
            "transizioni": list(versione.transizioni.select_related("utente")),
            "ultima": piano.versioni.order_by("-numero").values_list("numero", flat=True).first(),
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
