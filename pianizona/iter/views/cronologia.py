"""A plan's change history: who changed what, when, from which value to which, and its state moves."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.lavori.download import allegato_csv, allegato_xlsx
from pianizona.models import Modifica, User

from .. import cronologia_selectors as selectors
from ..pagine import contesto_piano

TUTTE = ""
FORMATI_DATA = ["%Y-%m-%d", "%d/%m/%Y"]  # the browser's date picker, or typed by hand


class FiltroCronologiaForm(forms.Form):
    """The history's filters (GET): a table, a user, an origin, a period."""

    tabella = forms.ChoiceField(
        label="Tabella",
        required=False,
        error_messages={"invalid_choice": "La tabella scelta non compare nella cronologia."},
    )
    utente = forms.TypedChoiceField(
        label="Utente",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "L'utente scelto non compare nella cronologia."},
    )
    origine = forms.ChoiceField(
        label="Origine",
        required=False,
        choices=[(TUTTE, "Tutte le origini"), *Modifica.Origine.choices],
        error_messages={"invalid_choice": "Origine sconosciuta."},
    )
    dal = forms.DateField(
        label="Dal giorno",
        required=False,
        input_formats=FORMATI_DATA,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Data non valida: usare il formato gg/mm/aaaa."},
    )
    al = forms.DateField(
        label="Al giorno",
        required=False,
        input_formats=FORMATI_DATA,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Data non valida: usare il formato gg/mm/aaaa."},
    )

    def __init__(self, *args, tabelle: list[str], utenti: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tabella"].choices = [(TUTTE, "Tutte le tabelle")] + [(t, t) for t in tabelle]
        self.fields["utente"].choices = [(TUTTE, "Tutti gli utenti")] + [
            (u.pk, str(u)) for u in utenti
        ]

    def clean(self) -> dict:
        dati = super().clean()
        dal, al = dati.get("dal"), dati.get("al")
        if dal and al and dal > al:
            self.add_error("al", "La data finale non può precedere quella iniziale.")
        return dati

    def filtri(self) -> selectors.FiltriCronologia:
        """The valid filters only: a wrong one is shown as an error and ignored, never a 500."""
        if not self.is_bound:
            return selectors.FiltriCronologia()
        self.is_valid()
        dati = self.cleaned_data
        return selectors.FiltriCronologia(
            tabella=dati.get("tabella") or "",
            utente_id=dati.get("utente"),
            origine=dati.get("origine") or "",
            dal=dati.get("dal"),
            al=dati.get("al"),
        )


def _filtro(request: HttpRequest, piano) -> FiltroCronologiaForm:
    dati = request.GET.copy()
    dati.pop("pagina", None)
    dati.pop("formato", None)
    return FiltroCronologiaForm(
        dati or None,
        tabelle=selectors.tabelle_nella_cronologia(piano),
        utenti=selectors.utenti_nella_cronologia(piano),
    )


@require_GET
@login_required
def piano_cronologia(request: HttpRequest, pk: int) -> HttpResponse:
    piano = get_piano_for_user(request.user, pk, Azione.VEDERE)
    filtro = _filtro(request, piano)
    filtri = filtro.filtri()
    pagina = selectors.pagina_di_modifiche(piano, filtri, request.GET.get("pagina"))
    parametri = request.GET.copy()
    parametri.pop("pagina", None)
    return render(
        request,
        "pianizona/cronologia/elenco.html",
        contesto_piano(
            request,
            piano,
            filtro=filtro,
            filtri=filtri,
            pagina=pagina,
            pagine=list(pagina.paginator.get_elided_page_range(pagina.number)),
            ellissi=Paginator.ELLIPSIS,
            transizioni=selectors.transizioni_del_piano(piano, filtri),
            parametri=parametri.urlencode(),
        ),
    )


@require_GET
@login_required
def piano_cronologia_esporta(request: HttpRequest, pk: int) -> HttpResponse:
    """The filtered history as a spreadsheet (.xlsx) or, with ``formato=csv``, as CSV."""
    piano = get_piano_for_user(request.user, pk, Azione.VEDERE)
    dataset = selectors.cronologia_foglio(piano, _filtro(request, piano).filtri())
    nome = f"cronologia-{piano.ambito.codice}-{piano.pk}"
    if request.GET.get("formato") == "csv":
        return allegato_csv(dataset, f"{nome}.csv")
    return allegato_xlsx(dataset, f"{nome}.xlsx")
