"""Indicator pages: the region's catalogue (per cycle), an ambito's indicators, a value's history,
and the requests for a recalculation (which queue a job and send the user to its page).

The Region's pages hang from a cycle (its years are the columns); the catalogue itself is the
region's. Outsiders get 404, insiders without the right 403, as everywhere (pianizona.accessi.tenancy).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, can, get_ambito_for_user, get_ciclo_for_user
from pianizona.dominio import ErroreDominio
from pianizona.testo import plurale

from ..indicatori import selectors
from ..indicatori.forms import TargetForm, ValoreForm
from ..indicatori.lavori import indicatori_ricalcolo_richiedi
from ..indicatori.services import (
    indicatore_target_modifica,
    indicatori_carica_catalogo,
    valore_inserisci,
)
from ..models import Indicatore


def _indicatore(pk: str | int, regione_id: int, **filtri) -> Indicatore:
    try:
        return Indicatore.objects.select_related("regione").get(
            pk=int(pk), regione_id=regione_id, **filtri
        )
    except (Indicatore.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("Indicatore non trovato.") from exc


# --- the Region's side ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def indicatori_catalogo(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    """The region's catalogue and its regional values over the cycle; POST: one target."""
    ciclo = get_ciclo_for_user(request.user, ciclo_pk, Azione.PANORAMICA_REGIONALE)
    puo_configurare = can(request.user, Azione.CONFIGURARE, ciclo.regione)
    catalogo = selectors.catalogo_della_regione(ciclo.regione)
    modificato = None
    if request.method == "POST":
        if not puo_configurare:
            raise PermissionDenied("Solo i funzionari della Regione modificano i target.")
        indicatore = _indicatore(request.POST.get("indicatore"), ciclo.regione_id)
        modificato = TargetForm(request.POST, indicatore=indicatore)
        if modificato.is_valid():
            try:
                indicatore_target_modifica(
                    indicatore=indicatore,
                    testo=modificato.cleaned_data["target"],
                    user=request.user,
                )
            except ErroreDominio as err:
                modificato.add_error("target", str(err))
            else:
                messages.success(request, f"Target di «{indicatore.nome}» aggiornato.")
                return redirect("monitoraggio:indicatori_catalogo", ciclo.pk)
    righe = [
        (
            indicatore,
            modificato
            if modificato is not None and modificato.indicatore.pk == indicatore.pk
            else TargetForm(indicatore=indicatore),
            selectors.formatta(indicatore.target, indicatore.unita),
        )
        for indicatore in catalogo
    ]
    return render(
        request,
        "monitoraggio/indicatori/catalogo.html",
        {
            "ciclo": ciclo,
            "righe": righe,
            "regionali": selectors.valori_regionali(catalogo, ciclo.anni),
            "anni": ciclo.anni,
            "puo_configurare": puo_configurare,
            "puo_ricalcolare": can(request.user, Azione.ISTRUIRE, ciclo.regione),
        },
        status=400 if modificato is not None else 200,
    )


@require_POST
@login_required
def indicatori_catalogo_carica(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    """Add the standard indicators the region's catalogue lacks (the existing ones stay as they are)."""
    ciclo = get_ciclo_for_user(request.user, ciclo_pk, Azione.CONFIGURARE)
    try:
        esito = indicatori_carica_catalogo(regione=ciclo.regione)
    except ErroreDominio as err:
        messages.error(request, str(err))
    else:
        if esito.creati:
            messages.success(
                request,
                plurale(
                    esito.creati,
                    "Aggiunto {n} indicatore al catalogo della regione.",
                    "Aggiunti {n} indicatori al catalogo della regione.",
                ),
            )
        else:
            messages.info(request, "Il catalogo conteneva già tutti gli indicatori standard.")
    return redirect("monitoraggio:indicatori_catalogo", ciclo.pk)


@require_POST
@login_required
def indicatori_ricalcola_regione(request: HttpRequest, ciclo_pk: int) -> HttpResponse:
    """Recalculate every ambito of the region over the cycle's years: a job."""
    ciclo = get_ciclo_for_user(request.user, ciclo_pk, Azione.ISTRUIRE)
    try:
        job = indicatori_ricalcolo_richiedi(user=request.user, regione=ciclo.regione, ciclo=ciclo)
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect("monitoraggio:indicatori_catalogo", ciclo.pk)
    return redirect("job_detail", job.pk)


# --- the ambito's side ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def indicatori_ambito(request: HttpRequest, ambito_pk: int) -> HttpResponse:
    """Each indicator × the cycle's years against its target; POST: an entered value."""
    ambito = get_ambito_for_user(request.user, ambito_pk, Azione.VEDERE)
    cicli = selectors.cicli_della_regione(ambito.regione)
    ciclo = selectors.scegli_ciclo(cicli, request.GET.get("ciclo", ""))
    puo_inserire = can(request.user, Azione.MODIFICARE, ambito)
    anni = ciclo.anni if ciclo else []
    inviato = None
    if request.method == "POST":
        if not puo_inserire:
            raise PermissionDenied("Solo l'Ufficio di Piano dell'ambito inserisce i valori.")
        if ciclo is None:
            raise Http404("La regione non ha cicli di programmazione.")
        indicatore = _indicatore(
            request.POST.get("indicatore"),
            ambito.regione_id,
            tipo=Indicatore.Tipo.INSERITO,
            livello=Indicatore.Livello.AMBITO,
            attivo=True,
        )
        inviato = ValoreForm(request.POST, indicatore=indicatore, anni=anni)
        if inviato.is_valid():
            try:
                valore_inserisci(
                    indicatore=indicatore,
                    ambito=ambito,
                    anno=inviato.cleaned_data["anno"],
                    testo=inviato.cleaned_data["valore"],
                    nota=inviato.cleaned_data["nota"],
                    user=request.user,
                )
            except ErroreDominio as err:
                inviato.add_error("valore", str(err))
            else:
                messages.success(
                    request,
                    f"Valore {inviato.cleaned_data['anno']} di «{indicatore.nome}» salvato.",
                )
                return redirect(f"{request.path}?ciclo={ciclo.pk}" if ciclo else request.path)
    righe = selectors.indicatori_dell_ambito(ambito, anni)
    moduli = {}
    if puo_inserire and anni:
        for riga in righe:
            if riga.indicatore.tipo != Indicatore.Tipo.INSERITO:
                continue
            if inviato is not None and inviato.indicatore.pk == riga.indicatore.pk:
                moduli[riga.indicatore.pk] = inviato
            else:
                moduli[riga.indicatore.pk] = ValoreForm(indicatore=riga.indicatore, anni=anni)
    return render(
        request,
        "monitoraggio/indicatori/ambito.html",
        {
            "ambito": ambito,
            "cicli": cicli,
            "ciclo": ciclo,
            "anni": anni,
            "righe": [(riga, moduli.get(riga.indicatore.pk)) for riga in righe],
            "puo_ricalcolare": can(request.user, Azione.MODIFICARE, ambito)
            or can(request.user, Azione.ISTRUIRE, ambito),
            "puo_vedere_regione": can(request.user, Azione.PANORAMICA_REGIONALE, ambito.regione),
        },
        status=400 if inviato is not None else 200,
    )


@require_POST
@login_required
def indicatori_ricalcola_ambito(request: HttpRequest, ambito_pk: int) -> HttpResponse:
    """Recalculate the ambito's indicators over a cycle's years (POST ``ciclo``): a job."""
    ambito = get_ambito_for_user(request.user, ambito_pk, Azione.VEDERE)
    if not (
        can(request.user, Azione.MODIFICARE, ambito) or can(request.user, Azione.ISTRUIRE, ambito)
    ):
        raise PermissionDenied("Il ruolo assegnato non consente di ricalcolare gli indicatori.")
    cicli = selectors.cicli_della_regione(ambito.regione)
    ciclo = selectors.scegli_ciclo(cicli, request.POST.get("ciclo", ""))
    try:
        job = indicatori_ricalcolo_richiedi(
            user=request.user, regione=ambito.regione, ambito=ambito, ciclo=ciclo
        )
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect("monitoraggio:indicatori_ambito", ambito.pk)
    return redirect("job_detail", job.pk)


@require_http_methods(["GET"])
@login_required
def indicatore_storico(request: HttpRequest, ambito_pk: int, indicatore_pk: int) -> HttpResponse:
    """Every value the indicator took for the ambito: when, by recalculation or by hand, by whom."""
    ambito = get_ambito_for_user(request.user, ambito_pk, Azione.VEDERE)
    indicatore = _indicatore(indicatore_pk, ambito.regione_id, livello=Indicatore.Livello.AMBITO)
    return render(
        request,
        "monitoraggio/indicatori/storico.html",
        {
            "ambito": ambito,
            "indicatore": indicatore,
            "storico": selectors.storico_del_valore(indicatore, ambito),
        },
    )
