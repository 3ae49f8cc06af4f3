"""The district's pages of the preliminary phase: transfers, residui, other resources, co-financing.

Every view reaches the plan through ``get_piano_for_user`` (VEDERE to read, MODIFICARE to write);
the services refuse writes to a plan that is no longer editable, and the views turn every domain
error into an Italian message.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.dominio import ErroreDominio, PianoNonModificabile, piano_deve_essere_modificabile
from pianizona.importazioni.forms import FoglioForm
from pianizona.importazioni.services import importa, in_sospeso_elimina, in_sospeso_leggi
from pianizona.importazioni.views import Importazione, importazione
from pianizona.iter.pagine import contesto_piano
from pianizona.lavori.download import allegato_xlsx
from pianizona.models import Piano, User
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from pianizona.testo import plurale

from .. import selectors, services
from ..forms.piano import (
    CofinanziamentoForm,
    ResiduoForm,
    RisorsaAggiuntivaForm,
    SegnalazioneForm,
)
from ..models import Cofinanziamento, ResiduoEconomia, RisorsaAggiuntiva
from ..resources import CofinanziamentoResource

GET_E_POST = require_http_methods(["GET", "POST"])
AIUTO_COFINANZIAMENTO = (
    "Un foglio Excel (.xlsx) o un file CSV con le colonne codice_istat, comune, anno, importo: "
    "lo stesso formato del file esportato da questa pagina."
)


def _azione(request: HttpRequest) -> Azione:
    return Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE


def _contesto(request: HttpRequest, piano: Piano, **altro) -> dict:
    return contesto_piano(request, piano, **altro)


def _quando(momento) -> str:
    return date_format(localtime(momento), "j F Y, H:i")


# --- Transfers, acknowledgement and discrepancies ------------------------------------------


def _riepilogo_render(
    request: HttpRequest, piano: Piano, form: SegnalazioneForm, status: int = 200
) -> HttpResponse:
    tabella = selectors.assegnazioni_del_piano(piano)
    contesto = _contesto(
        request,
        piano,
        tabella=tabella,
        righe=tabella.righe(),
        recepimento=selectors.stato_recepimento(piano, tabella),
        segnalazioni=selectors.segnalazioni_del_piano(piano),
        form=form,
    )
    return render(request, "risorse/piano/riepilogo.html", contesto, status=status)


@require_GET
@login_required
def riepilogo(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    return _riepilogo_render(request, piano, SegnalazioneForm(piano=piano))


@require_POST
@login_required
def recepimento(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.MODIFICARE)
    try:
        fatto = services.recepimento_registra(piano=piano, user=request.user)
    except ErroreDominio as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            f"Assegnazioni recepite da {fatto.recepito_da} il {_quando(fatto.recepito_il)}.",
        )
    return redirect("risorse:riepilogo", piano_pk=piano.pk)


@require_POST
@login_required
def segnalazione_crea(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.MODIFICARE)
    form = SegnalazioneForm(request.POST, piano=piano)
    try:
        piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
        if not form.is_valid():
            return _riepilogo_render(request, piano, form)
        services.segnalazione_crea(piano=piano, user=request.user, **form.cleaned_data)
    except ErroreDominio as err:
        messages.error(request, str(err))
    else:
        messages.success(request, "Segnalazione inviata alla Regione.")
    return redirect("risorse:riepilogo", piano_pk=piano.pk)


# --- Residui and other resources: one code path for both -----------------------------------

RigaDelPiano = ResiduoEconomia | RisorsaAggiuntiva


@dataclass(frozen=True)
class _Sezione:
    """What differs between the residui pages and the other-resources pages."""

    modello: type[ResiduoEconomia] | type[RisorsaAggiuntiva]
    form: type[forms.ModelForm]
    elenco: Callable[[Piano], list]
    salva: Callable[[Piano, RigaDelPiano, User], RigaDelPiano]
    elimina: Callable[[Piano, RigaDelPiano, User], None]
    anno: Callable[[RigaDelPiano], int]  # the plan year the row counts in
    url_elenco: str
    template: str  # prefix: <template>.html lists, <template>_modifica.html edits
    titolo: str
    salvata: str
    eliminata: str


RESIDUI = _Sezione(
    modello=ResiduoEconomia,
    form=ResiduoForm,
    elenco=selectors.residui_del_piano,
    salva=lambda piano, riga, user: services.residuo_salva(piano=piano, residuo=riga, user=user),
    elimina=lambda piano, riga, user: services.residuo_elimina(
        piano=piano, residuo=riga, user=user
    ),
    anno=lambda riga: riga.anno_impiego,
    url_elenco="risorse:residui",
    template="risorse/piano/residui",
    titolo="Residui ed economie",
    salvata="Residuo salvato.",
    eliminata="Residuo eliminato.",
)
ALTRE_RISORSE = _Sezione(
    modello=RisorsaAggiuntiva,
    form=RisorsaAggiuntivaForm,
    elenco=selectors.risorse_aggiuntive_del_piano,
    salva=lambda piano, riga, user: services.risorsa_aggiuntiva_salva(
        piano=piano, risorsa=riga, user=user
    ),
    elimina=lambda piano, riga, user: services.risorsa_aggiuntiva_elimina(
        piano=piano, risorsa=riga, user=user
    ),
    anno=lambda riga: riga.anno,
    url_elenco="risorse:altre_risorse",
    template="risorse/piano/altre_risorse",
    titolo="Altre risorse",
    salvata="Risorsa salvata.",
    eliminata="Risorsa eliminata.",
)


def _totali_per_fonte(piano: Piano, righe: list[RigaDelPiano], sezione: _Sezione):
    anni = selectors.anni_del_piano(piano)
    return selectors.tabella_importi(anni, ((r.fonte, sezione.anno(r), r.importo) for r in righe))


def _salva(
    request: HttpRequest, piano: Piano, form: forms.ModelForm, sezione: _Sezione
) -> HttpResponse | None:
    """Save a valid form through the service; None when the form has to be shown again."""
    try:
        piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
        if not form.is_valid():
            return None
        sezione.salva(piano, form.instance, request.user)
    except ValidationError as err:  # the model's own checks, run again by the service
        form.add_error(None, err.messages)
        return None
    except PianoNonModificabile as err:
        messages.error(request, str(err))
    except ErroreDominio as err:  # a misplaced fund, a duplicate: shown beside what was typed
        form.add_error(None, str(err))
        return None
    else:
        messages.success(request, sezione.salvata)
    return redirect(sezione.url_elenco, piano_pk=piano.pk)


def _elenco(request: HttpRequest, piano_pk: int, sezione: _Sezione) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    nuova = sezione.modello(piano=piano)
    if request.method == "POST":
        form = sezione.form(request.POST, instance=nuova, piano=piano)
        if risposta := _salva(request, piano, form, sezione):
            return risposta
    else:
        form = sezione.form(instance=nuova, piano=piano)
    righe = sezione.elenco(piano)
    contesto = _contesto(
        request,
        piano,
        righe=righe,
        totali=_totali_per_fonte(piano, righe, sezione),
        form=form,
        titolo=sezione.titolo,
    )
    return render(request, f"{sezione.template}.html", contesto)


def _riga_del_piano(piano: Piano, pk: int, sezione: _Sezione) -> RigaDelPiano:
    return get_object_or_404(sezione.modello.objects.select_related("fonte"), pk=pk, piano=piano)


def _modifica(request: HttpRequest, piano_pk: int, pk: int, sezione: _Sezione) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    riga = _riga_del_piano(piano, pk, sezione)
    descrizione = str(riga)  # before the form changes the instance
    if request.method == "POST":
        form = sezione.form(request.POST, instance=riga, piano=piano)
        if risposta := _salva(request, piano, form, sezione):
            return risposta
    else:
        form = sezione.form(instance=riga, piano=piano)
    contesto = _contesto(
        request, piano, riga=riga, descrizione=descrizione, form=form, titolo=sezione.titolo
    )
    return render(request, f"{sezione.template}_modifica.html", contesto)


def _elimina(request: HttpRequest, piano_pk: int, pk: int, sezione: _Sezione) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    riga = _riga_del_piano(piano, pk, sezione)
    if request.method == "POST":
        try:
            sezione.elimina(piano, riga, request.user)
        except ErroreDominio as err:
            messages.error(request, str(err))
        else:
            messages.success(request, sezione.eliminata)
        return redirect(sezione.url_elenco, piano_pk=piano.pk)
    contesto = _contesto(
        request, piano, riga=riga, titolo=sezione.titolo, url_elenco=sezione.url_elenco
    )
    return render(request, "risorse/piano/elimina.html", contesto)


@GET_E_POST
@login_required
def residui(request: HttpRequest, piano_pk: int) -> HttpResponse:
    return _elenco(request, piano_pk, RESIDUI)


@GET_E_POST
@login_required
def residuo_modifica(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _modifica(request, piano_pk, pk, RESIDUI)


@GET_E_POST
@login_required
def residuo_elimina(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _elimina(request, piano_pk, pk, RESIDUI)


@GET_E_POST
@login_required
def altre_risorse(request: HttpRequest, piano_pk: int) -> HttpResponse:
    return _elenco(request, piano_pk, ALTRE_RISORSE)


@GET_E_POST
@login_required
def altra_risorsa_modifica(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _modifica(request, piano_pk, pk, ALTRE_RISORSE)


@GET_E_POST
@login_required
def altra_risorsa_elimina(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    return _elimina(request, piano_pk, pk, ALTRE_RISORSE)


# --- Municipal co-financing ----------------------------------------------------------------


def _cofinanziamento_render(
    request: HttpRequest,
    piano: Piano,
    form: CofinanziamentoForm,
    *,
    conflitto: str = "",
    status: int = 200,
) -> HttpResponse:
    contesto = _contesto(
        request, piano, tabella=form.tabella, form=form, righe=form.righe(), conflitto=conflitto
    )
    return render(request, "risorse/piano/cofinanziamento.html", contesto, status=status)


@GET_E_POST
@login_required
def cofinanziamento(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    tabella = selectors.cofinanziamento_del_piano(piano)
    if request.method == "GET":
        revisione = revisione_corrente(piano, services.TABELLA_COFINANZIAMENTO)
        form = CofinanziamentoForm(tabella=tabella, initial={"revisione": revisione})
        return _cofinanziamento_render(request, piano, form)

    form = CofinanziamentoForm(request.POST, tabella=tabella)
    try:
        piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
        if not form.is_valid():
            return _cofinanziamento_render(request, piano, form)
        services.cofinanziamento_salva(
            piano=piano,
            importi=form.importi(),
            revisione=form.cleaned_data["revisione"],
            user=request.user,
        )
    except ConflittoModifica as err:
        # The stale revision stays in the form: saving again must not overwrite the other edit.
        return _cofinanziamento_render(request, piano, form, conflitto=str(err), status=409)
    except ErroreDominio as err:
        messages.error(request, str(err))
        return redirect("risorse:cofinanziamento", piano_pk=piano.pk)

    messages.success(request, "Cofinanziamento salvato.")
    if sotto := selectors.cofinanziamento_del_piano(piano).comuni_sotto_minimo:
        nomi = ", ".join(c.nome for c in sotto)
        messages.warning(request, f"Comuni sotto il cofinanziamento minimo regionale: {nomi}.")
    return redirect("risorse:cofinanziamento", piano_pk=piano.pk)


def _righe_da_esportare(piano: Piano) -> list[Cofinanziamento]:
    """Every municipality × year, empty where nothing is entered yet, so the file can be filled in."""
    tabella = selectors.cofinanziamento_del_piano(piano)
    return [
        Cofinanziamento(piano=piano, comune=riga.comune, anno=anno, importo=importo)
        for riga in tabella.righe
        for anno, importo in zip(tabella.anni, riga.importi, strict=True)
    ]


@require_GET
@login_required
def cofinanziamento_esporta(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    dataset = CofinanziamentoResource(piano).export(_righe_da_esportare(piano))
    dataset.title = "Cofinanziamento"
    periodo = piano.anno or f"{piano.ciclo.anno_inizio}-{piano.ciclo.anno_fine}"
    return allegato_xlsx(dataset, f"cofinanziamento-{piano.ambito.codice}-{periodo}.xlsx")


def _chiave_importazione(piano: Piano) -> str:
    return f"cofinanziamento-{piano.pk}"


def _importa_render(request: HttpRequest, piano: Piano, form: FoglioForm) -> HttpResponse:
    """The upload form, or the preview of the file waiting for confirmation."""
    anteprima, nome, revisione = None, "", 0
    if sospeso := in_sospeso_leggi(request, _chiave_importazione(piano)):
        dataset, nome = sospeso
        revisione = revisione_corrente(piano, services.TABELLA_COFINANZIAMENTO)
        try:
            anteprima = importa(CofinanziamentoResource(piano), dataset, conferma=False)
        except ErroreDominio as err:  # e.g. missing columns: the file has to be fixed first
            in_sospeso_elimina(request, _chiave_importazione(piano))
            messages.error(request, f"«{nome}»: {err}")
            anteprima = None
    contesto = _contesto(
        request, piano, form=form, anteprima=anteprima, nome_file=nome, revisione=revisione
    )
    return render(request, "risorse/piano/cofinanziamento_importa.html", contesto)


def _importa_conferma(request: HttpRequest, piano: Piano) -> HttpResponse:
    sospeso = in_sospeso_leggi(request, _chiave_importazione(piano))
    if sospeso is None:
        messages.error(request, "Nessun file in attesa di conferma: caricarlo di nuovo.")
        return redirect("risorse:cofinanziamento_importa", piano_pk=piano.pk)
    dataset, nome = sospeso
    try:
        revisione = int(request.POST.get("revisione", ""))
    except ValueError:
        revisione = -1  # never a real revision: the import is refused as stale
    try:
        anteprima = services.cofinanziamento_importa(
            piano=piano, dataset=dataset, revisione=revisione, user=request.user
        )
    except ConflittoModifica as err:
        chi = err.revisione.modificata_da or "un altro utente"
        messages.error(
            request,
            f"La tabella è stata modificata da {chi} dopo l'anteprima: nessuna riga è stata "
            "importata. Controllare di nuovo l'anteprima e confermare.",
        )
        return redirect("risorse:cofinanziamento_importa", piano_pk=piano.pk)
    in_sospeso_elimina(request, _chiave_importazione(piano))
    messages.success(
        request,
        f"Importato «{nome}»: {plurale(anteprima.nuove, 'importo nuovo', 'importi nuovi')}, "
        f"{plurale(anteprima.modificate, 'modificato', 'modificati')}, "
        f"{plurale(anteprima.invariate, 'invariato o vuoto', 'invariati o vuoti')}.",
    )
    return redirect("risorse:cofinanziamento", piano_pk=piano.pk)


@GET_E_POST
@login_required
def cofinanziamento_importa(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    passi = Importazione(
        chiave=_chiave_importazione(piano),
        pagina=reverse("risorse:cofinanziamento_importa", kwargs={"piano_pk": piano.pk}),
        form=partial(FoglioForm, aiuto=AIUTO_COFINANZIAMENTO),
        mostra=partial(_importa_render, request, piano),
        conferma=partial(_importa_conferma, request, piano),
        modificabile=partial(piano_deve_essere_modificabile, piano),
    )
    return importazione(request, passi)
