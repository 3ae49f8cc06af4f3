"""The district's intervention sheets: the list with the live panel, one sheet's form, copies.

Every view reaches the plan through ``get_piano_for_user`` (VEDERE to read, MODIFICARE to write)
and a sheet only through its plan: another plan's sheet is a 404. The live panel only reads; its
POST carries one sheet's unsaved amounts and needs VEDERE.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pianizona.accessi.tenancy import Azione, can, get_piano_for_user
from pianizona.dominio import ErroreDominio, PianoNonModificabile, piano_deve_essere_modificabile
from pianizona.iter.cronologia import modifiche_registrate
from pianizona.iter.pagine import contesto_piano
from pianizona.models import FonteFinanziamento, Piano
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from pianizona.territorio.selectors import piani_dell_ambito
from pianizona.testo import plurale
from risorse.selectors import ZERO, anni_del_piano

from .. import selectors, services
from ..forms.schede import (
    PREFISSO_FIGURE,
    AllocazioniForm,
    BeneficiariForm,
    CopiaForm,
    FigureFormSet,
    SchedaForm,
    come_iniziali,
    figure_con_una_riga_in_piu,
)
from ..models import Allocazione, SchedaIntervento, Sezione, VoceCatalogo
from ..pannello import Pannello, area_della_voce, pannello_del_piano

GET_E_POST = require_http_methods(["GET", "POST"])
AGGIUNGI_FIGURA = "aggiungi_figura"


def _azione(request: HttpRequest) -> Azione:
    return Azione.MODIFICARE if request.method == "POST" else Azione.VEDERE


def _contesto(request: HttpRequest, piano: Piano, **altro) -> dict:
    return contesto_piano(request, piano, sezione_attiva="schede", **altro)


def _sezione(valore: str) -> Sezione:
    if valore not in Sezione.values:
        raise Http404("Sezione sconosciuta.")
    return Sezione(valore)


def _scheda_del_piano(piano: Piano, pk: int) -> SchedaIntervento:
    return get_object_or_404(
        SchedaIntervento.objects.select_related("voce", "comune"), pk=pk, piano=piano
    )


def _elenco(piano: Piano) -> HttpResponse:
    return redirect("programmazione:schede", piano_pk=piano.pk)


# --- The live panel ----------------------------------------------------------------------------


# --- The live panel (its view is in views/pannello.py) ----------------------------------------


def pannello_con_input(
    piano: Piano, scheda: SchedaIntervento | None, form: AllocazioniForm, dati: QueryDict
) -> Pannello:
    return pannello_del_piano(
        piano,
        scheda_id=scheda.pk if scheda else None,
        importi=form.importi_tolleranti(),
        area_id=area_della_voce(piano, dati.get("voce", ""), scheda),
    )


# --- The list ----------------------------------------------------------------------------------


@dataclass
class RigaScheda:
    scheda: SchedaIntervento
    per_anno: list[Decimal]
    totale: Decimal


def _righe(piano: Piano, schede: list[SchedaIntervento], anni: list[int]) -> list[RigaScheda]:
    """Each sheet's amounts per plan year, summed in Python from one read of plain tuples.

    A 60-sheet plan has over a thousand allocations: model instances (with their fund) for each
    were most of the list's time, for a page that only adds them up.
    """
    per_scheda = {s.pk: dict.fromkeys(anni, ZERO) for s in schede}
    importi = Allocazione.objects.filter(scheda__piano=piano, anno__in=anni)
    for scheda_id, anno, importo in importi.values_list("scheda_id", "anno", "importo"):
        if scheda_id in per_scheda:
            per_scheda[scheda_id][anno] += importo
    return [
        RigaScheda(s, list(per_scheda[s.pk].values()), sum(per_scheda[s.pk].values(), ZERO))
        for s in schede
    ]


@require_http_methods(["GET"])
@login_required
def schede(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.VEDERE)
    anni = anni_del_piano(piano)
    tutte = selectors.schede_del_piano(piano, con_allocazioni=False)
    righe = _righe(piano, tutte, anni)
    sezioni = [(sezione, [r for r in righe if r.scheda.sezione == sezione]) for sezione in Sezione]
    contesto = _contesto(
        request,
        piano,
        anni=anni,
        sezioni=sezioni,
        n_schede=len(tutte),
        pannello=pannello_del_piano(piano, schede=tutte),
    )
    return render(request, "programmazione/schede/elenco.html", contesto)


# --- One sheet ---------------------------------------------------------------------------------


def _importi_salvati(scheda: SchedaIntervento) -> selectors.Importi:
    return {(a.fonte_id, a.anno): a.importo for a in Allocazione.objects.filter(scheda=scheda)}


def _fonti_della_tabella(
    piano: Piano, sezione: str, salvati: selectors.Importi
) -> tuple[list[FonteFinanziamento], set[int]]:
    """The section's funds, and any other fund the sheet still has money on (so it can be cleared)."""
    fonti = selectors.fonti_per_sezione(piano, sezione)
    ammesse = {f.pk for f in fonti}
    if altre := {fonte_id for fonte_id, _ in salvati} - ammesse:
        fonti += list(FonteFinanziamento.objects.filter(pk__in=altre).order_by("ordine", "codice"))
    return fonti, ammesse


@dataclass
class _Moduli:
    """Everything one sheet's page edits; saved together or not at all."""

    scheda: SchedaForm
    figure: FigureFormSet
    beneficiari: BeneficiariForm
    allocazioni: AllocazioniForm
    salvati: selectors.Importi = field(default_factory=dict)

    def validi(self) -> bool:
        esiti = [  # a list, not all(...) on a generator: every form is checked and shows its errors
            self.scheda.is_valid(),
            self.figure.is_valid(),
            self.beneficiari.is_valid(),
            self.allocazioni.is_valid(),
        ]
        return all(esiti)

    def errori(self) -> list[dict]:
        """The error summary: each message with the field it links to."""
        voci = [
            {"id": None, "etichetta": "", "messaggio": e} for e in self.scheda.non_field_errors()
        ]
        for campo in self.scheda:
            voci += [
                {"id": campo.auto_id, "etichetta": campo.label, "messaggio": e}
                for e in campo.errors
            ]
        for form in self.figure.forms:
            for campo in form:
                voci += [
                    {"id": campo.auto_id, "etichetta": campo.label, "messaggio": e}
                    for e in campo.errors
                ]
        voci += [
            {"id": "figure", "etichetta": "Figure professionali", "messaggio": e}
            for e in self.figure.non_form_errors()
        ]
        for form in (self.beneficiari, self.allocazioni):
            for campo in form:
                if campo.is_hidden:
                    voci += [{"id": None, "etichetta": "", "messaggio": e} for e in campo.errors]
                else:
                    voci += [
                        {"id": campo.auto_id, "etichetta": campo.label, "messaggio": e}
                        for e in campo.errors
                    ]
        return voci


def _moduli(
    piano: Piano,
    scheda: SchedaIntervento,
    sezione: str,
    voci: list[VoceCatalogo],
    dati: QueryDict | None = None,
) -> _Moduli:
    anni = anni_del_piano(piano)
    if scheda.pk:
        salvati = _importi_salvati(scheda)
        figure = [{"profilo": f.profilo, "fte": f.fte} for f in scheda.figure.all()]
        numeri = dict(scheda.beneficiari.values_list("anno", "numero"))
        revisione = revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI)
    else:
        salvati, figure, numeri, revisione = {}, [], {}, 0
    fonti, ammesse = _fonti_della_tabella(piano, sezione, salvati)
    return _Moduli(
        scheda=SchedaForm(dati, instance=scheda, piano=piano, sezione=sezione, voci=voci),
        figure=FigureFormSet(dati, initial=figure, prefix=PREFISSO_FIGURE),
        beneficiari=BeneficiariForm(dati, anni=anni, numeri=numeri),
        allocazioni=AllocazioniForm(
            dati,
            fonti=fonti,
            anni=anni,
            importi=salvati,
            ammesse=ammesse,
            initial={"revisione": revisione},
        ),
        salvati=salvati,
    )


def _ridisegna(piano: Piano, moduli: _Moduli, voci: list[VoceCatalogo]) -> _Moduli:
    """The posted input, shown again without validating it, with one more professional row."""
    a = moduli.allocazioni
    figure = figure_con_una_riga_in_piu(moduli.figure)
    figure.forms[-1].fields["profilo"].widget.attrs["autofocus"] = True
    return _Moduli(
        scheda=SchedaForm(
            initial=come_iniziali(moduli.scheda),
            instance=moduli.scheda.instance,
            piano=piano,
            sezione=moduli.scheda.sezione,
            voci=voci,
        ),
        figure=figure,
        beneficiari=BeneficiariForm(
            initial=come_iniziali(moduli.beneficiari), anni=moduli.beneficiari.anni, numeri={}
        ),
        allocazioni=AllocazioniForm(
            initial=come_iniziali(a), fonti=a.fonti, anni=a.anni, importi={}, ammesse=a.ammesse
        ),
        salvati=moduli.salvati,
    )


def _scheda_render(
    request: HttpRequest,
    piano: Piano,
    scheda: SchedaIntervento,
    sezione: Sezione,
    moduli: _Moduli | None,
    *,
    voci: list[VoceCatalogo],
    titolo_salvato: str = "",
    pannello: Pannello | None = None,
    errore: str = "",
    conflitto: str = "",
    status: int = 200,
) -> HttpResponse:
    contesto = _contesto(
        request,
        piano,
        scheda=scheda,
        titolo_salvato=titolo_salvato,
        sezione=sezione,
        moduli=moduli,
        voci=voci,
        anni=anni_del_piano(piano),
        errore=errore,
        conflitto=conflitto,
        errori=moduli.errori() if moduli and moduli.scheda.is_bound else [],
        pannello=pannello,
    )
    if not contesto["puo_modificare"] and scheda.pk:
        contesto |= _sola_lettura(piano, scheda, sezione)
    return render(request, "programmazione/schede/scheda.html", contesto, status=status)


def _sola_lettura(piano: Piano, scheda: SchedaIntervento, sezione: str) -> dict:
    """The saved sheet for reading: profiles, beneficiaries and the fund × year table."""
    anni = anni_del_piano(piano)
    salvati = _importi_salvati(scheda)
    fonti, _ = _fonti_della_tabella(piano, sezione, salvati)
    righe = [
        {"fonte": f, "importi": [salvati.get((f.pk, a)) for a in anni]}
        for f in fonti
        if any((f.pk, a) in salvati for a in anni)
    ]
    numeri = dict(scheda.beneficiari.values_list("anno", "numero"))
    return {
        "aree_utenza": list(scheda.aree_utenza.all()),
        "figure": list(scheda.figure.all()),
        "beneficiari": [(a, numeri.get(a)) for a in anni],
        "righe_allocazioni": righe,
        "totali_anno": [sum((salvati.get((f.pk, a), ZERO) for f in fonti), ZERO) for a in anni],
    }


def _ripristina_nuova(scheda: SchedaIntervento) -> None:
    """After a rollback a new sheet is new again (its pk and number were never committed)."""
    scheda.pk = None
    scheda.numero = None
    scheda._state.adding = True


def _scheda(request: HttpRequest, piano: Piano, scheda: SchedaIntervento) -> HttpResponse:
    """The sheet's page (GET) and its one save (POST): description, profiles, beneficiaries, money."""
    sezione = Sezione(scheda.sezione)
    voci = selectors.voci_ammesse(piano.ciclo, sezione)
    # The form writes the input into the instance: the heading keeps the saved title.
    mostra = partial(
        _scheda_render, request, piano, scheda, sezione, voci=voci, titolo_salvato=scheda.titolo
    )
    if request.method == "GET":
        if not (piano.modificabile and can(request.user, Azione.MODIFICARE, piano)):
            return mostra(None)
        return mostra(_moduli(piano, scheda, sezione, voci), pannello=pannello_del_piano(piano))

    try:
        piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
    except ErroreDominio as err:
        messages.error(request, str(err))
        return _elenco(piano)
    moduli = _moduli(piano, scheda, sezione, voci, request.POST)

    def di_nuovo(**altro) -> HttpResponse:
        pannello = pannello_con_input(piano, scheda, moduli.allocazioni, request.POST)
        return mostra(moduli, pannello=pannello, **altro)

    if request.POST.get("azione") == AGGIUNGI_FIGURA:  # nothing is saved: one more empty row
        pannello = pannello_con_input(piano, scheda, moduli.allocazioni, request.POST)
        moduli = _ridisegna(piano, moduli, voci)
        if request.htmx:
            return render(request, "programmazione/schede/_figure.html", {"figure": moduli.figure})
        return mostra(moduli, pannello=pannello)
    if not moduli.validi():
        return di_nuovo()

    nuova = scheda.pk is None
    try:
        # One save, recorded as one change: nothing is kept if any part is refused.
        with modifiche_registrate(
            piano=piano, user=request.user, operazione="Scheda intervento salvata"
        ):
            scheda = services.scheda_salva(
                piano=piano,
                scheda=moduli.scheda.instance,
                aree_utenza=list(moduli.scheda.cleaned_data["aree_utenza"]),
                user=request.user,
            )
            services.figure_salva(
                piano=piano, scheda=scheda, figure=moduli.figure.figure(), user=request.user
            )
            services.beneficiari_salva(
                piano=piano, scheda=scheda, numeri=moduli.beneficiari.numeri(), user=request.user
            )
            services.allocazioni_salva(
                piano=piano,
                scheda=scheda,
                importi=moduli.allocazioni.importi(),
                revisione=moduli.allocazioni.cleaned_data["revisione"],
                user=request.user,
            )
    except PianoNonModificabile as err:  # submitted while the page was open
        messages.error(request, str(err))
        return _elenco(piano)
    except ConflittoModifica as err:
        # The stale revision stays in the form: saving again must not overwrite the other edit.
        if nuova:
            _ripristina_nuova(scheda)
        return di_nuovo(conflitto=str(err), status=409)
    except ValidationError as err:  # the model's own checks, run again by the service
        if nuova:
            _ripristina_nuova(scheda)
        moduli.scheda.add_error(None, err.messages)
        return di_nuovo()
    except ErroreDominio as err:  # over-allocation, a fund or entry the section does not allow
        if nuova:
            _ripristina_nuova(scheda)
        return di_nuovo(errore=str(err), status=422)

    messages.success(request, f"Scheda {scheda.codice} «{scheda.titolo}» salvata.")
    return _elenco(piano)


@GET_E_POST
@login_required
def scheda_crea(request: HttpRequest, piano_pk: int, sezione: str) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    sezione = _sezione(sezione)
    return _scheda(request, piano, SchedaIntervento(piano=piano, sezione=sezione))


@GET_E_POST
@login_required
def scheda_modifica(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    return _scheda(request, piano, _scheda_del_piano(piano, pk))


@GET_E_POST
@login_required
def scheda_elimina(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    scheda = _scheda_del_piano(piano, pk)
    if request.method == "POST":
        try:
            services.scheda_elimina(piano=piano, scheda=scheda, user=request.user)
        except ErroreDominio as err:
            messages.error(request, str(err))
        else:
            messages.success(request, f"Scheda {scheda.codice} «{scheda.titolo}» eliminata.")
        return _elenco(piano)
    totale = Allocazione.objects.filter(scheda=scheda).aggregate(t=Sum("importo"))["t"] or ZERO
    contesto = _contesto(request, piano, scheda=scheda, totale=totale)
    return render(request, "programmazione/schede/elimina.html", contesto)


@require_POST
@login_required
def scheda_duplica(request: HttpRequest, piano_pk: int, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, Azione.MODIFICARE)
    scheda = _scheda_del_piano(piano, pk)
    aveva_importi = Allocazione.objects.filter(scheda=scheda).exists()
    try:
        nuova, con_importi = services.scheda_duplica(piano=piano, scheda=scheda, user=request.user)
    except ErroreDominio as err:
        messages.error(request, str(err))
        return _elenco(piano)
    testo = f"Scheda {scheda.codice} duplicata come {nuova.codice} «{nuova.titolo}»"
    if not aveva_importi:
        messages.success(request, f"{testo}; la scheda di origine non aveva importi.")
    elif con_importi:
        messages.success(request, f"{testo}, con i suoi importi.")
    else:
        messages.warning(
            request,
            f"{testo}, senza importi: copiati avrebbero superato il budget. Inserirli nella nuova "
            "scheda entro quanto resta da programmare.",
        )
    return redirect("programmazione:scheda_modifica", piano_pk=piano.pk, pk=nuova.pk)


# --- Copy forward ------------------------------------------------------------------------------


def _altri_piani(piano: Piano):
    return piani_dell_ambito(piano.ambito).exclude(pk=piano.pk).annotate(n_schede=Count("schede"))


def _messaggi_copia(
    request: HttpRequest, origine: Piano, risultato: services.RisultatoCopia
) -> None:
    n = len(risultato.copiate)
    if n == 0:
        messages.warning(request, f"Nessuna scheda copiata da «{origine.titolo}».")
    else:
        testo = f"{plurale(n, 'scheda copiata', 'schede copiate')} da «{origine.titolo}»"
        if not risultato.allocazioni_copiate:
            testo += ", senza importi: copiati avrebbero superato il budget del piano."
        elif Allocazione.objects.filter(scheda__in=risultato.copiate).exists():
            testo += ", con gli importi degli anni in comune ai due piani."
        else:
            testo += (
                ", senza importi: i due piani non hanno anni in comune o le schede non ne avevano."
            )
        messages.success(request, testo)
    if risultato.senza_voce:
        messages.warning(
            request,
            "Non copiate perché la loro voce manca nel catalogo del ciclo o non è ammessa nella "
            f"sezione: {'; '.join(risultato.senza_voce)}.",
        )


@GET_E_POST
@login_required
def schede_copia(request: HttpRequest, piano_pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, piano_pk, _azione(request))
    piani = _altri_piani(piano)
    if request.method == "POST":
        form = CopiaForm(request.POST, piani=piani)
        try:
            piano_deve_essere_modificabile(piano)  # a read-only page has no form to show errors in
            if form.is_valid():
                origine = form.cleaned_data["origine"]
                risultato = services.piano_copia_schede(
                    origine=origine, destinazione=piano, user=request.user
                )
                _messaggi_copia(request, origine, risultato)
                return _elenco(piano)
        except ErroreDominio as err:
            messages.error(request, str(err))
            return _elenco(piano)
    else:
        form = CopiaForm(piani=piani)
    contesto = _contesto(request, piano, form=form, piani=list(piani))
    return render(request, "programmazione/schede/copia.html", contesto)
