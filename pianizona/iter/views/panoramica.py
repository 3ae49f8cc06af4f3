"""The Region's table of every ambito's plans in a cycle: state, days in it, money, open remarks."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pianizona.accessi.tenancy import Azione, get_regione_for_user
from pianizona.lavori.download import allegato_csv, allegato_xlsx
from pianizona.models import Ciclo, Piano, Regione
from pianizona.territorio.selectors import cicli_della_regione

from .. import panoramica as selectors

TUTTI = ""
CON_OSSERVAZIONI = "aperte"


class FiltroPianiForm(forms.Form):
    """The table's filters (GET): cycle (the latest by default), state, type, remarks, province."""

    ciclo = forms.TypedChoiceField(
        label="Ciclo di programmazione",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Il ciclo scelto non è della regione."},
    )
    stato = forms.ChoiceField(
        label="Stato del piano",
        required=False,
        choices=[
            (TUTTI, "Tutti gli stati"),
            *Piano.Stato.choices,
            (selectors.SENZA_PIANO, "Nessun piano"),
        ],
        error_messages={"invalid_choice": "Stato sconosciuto."},
    )
    tipo = forms.ChoiceField(
        label="Tipo di piano",
        required=False,
        choices=[(TUTTI, "Tutti i tipi"), *Piano.Tipo.choices],
        error_messages={"invalid_choice": "Tipo di piano sconosciuto."},
    )
    osservazioni = forms.ChoiceField(
        label="Osservazioni dell'istruttoria",
        required=False,
        choices=[
            (TUTTI, "Con o senza osservazioni"),
            (CON_OSSERVAZIONI, "Con osservazioni aperte"),
        ],
        error_messages={"invalid_choice": "Scelta sulle osservazioni sconosciuta."},
    )
    provincia = forms.ChoiceField(
        label="Provincia del comune capofila",
        required=False,
        error_messages={
            "invalid_choice": "Nessun ambito della regione ha capofila in quella provincia."
        },
    )

    def __init__(self, *args, cicli: list[Ciclo], province: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.cicli = cicli
        self.fields["ciclo"].choices = [(c.pk, c.nome) for c in cicli]
        self.fields["provincia"].choices = [(TUTTI, "Tutte le province")] + [
            (p, p) for p in province
        ]

    def scelte(self) -> tuple[Ciclo | None, selectors.FiltriPiani]:
        """The cycle and the valid filters: a wrong one is shown as an error and ignored."""
        dati = {}
        if self.is_bound:
            self.is_valid()
            dati = self.cleaned_data  # only the fields that passed
        ciclo = next((c for c in self.cicli if c.pk == dati.get("ciclo")), None)
        if ciclo is None and self.cicli:
            ciclo = self.cicli[0]  # cicli_della_regione: the latest first
        filtri = selectors.FiltriPiani(
            stato=dati.get("stato") or "",
            tipo=dati.get("tipo") or "",
            provincia=dati.get("provincia") or "",
            osservazioni_aperte=dati.get("osservazioni") == CON_OSSERVAZIONI,
        )
        return ciclo, filtri


def _panoramica(request: HttpRequest, regione: Regione):
    ambiti = selectors.ambiti_della_regione(regione)
    filtro = FiltroPianiForm(
        request.GET.dict() or None,
        cicli=cicli_della_regione(regione),
        province=selectors.province(ambiti),
    )
    ciclo, filtri = filtro.scelte()
    panoramica = selectors.piani_della_regione(regione, ciclo, ambiti, filtri) if ciclo else None
    return filtro, filtri, panoramica


@require_GET
@login_required
def regione_piani(request: HttpRequest, pk: int) -> HttpResponse:
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    filtro, filtri, panoramica = _panoramica(request, regione)
    parametri = request.GET.copy()
    parametri.pop("formato", None)
    return render(
        request,
        "pianizona/panoramica/piani.html",
        {
            "regione": regione,
            "filtro": filtro,
            "filtri": filtri,
            "panoramica": panoramica,
            "parametri": parametri.urlencode(),
        },
    )


@require_GET
@login_required
def regione_piani_esporta(request: HttpRequest, pk: int) -> HttpResponse:
    """The filtered table as a spreadsheet (.xlsx) or, with ``formato=csv``, as CSV."""
    regione = get_regione_for_user(request.user, pk, Azione.PANORAMICA_REGIONALE)
    _, _, panoramica = _panoramica(request, regione)
    dataset = selectors.piani_foglio(panoramica.righe if panoramica else [])
    nome = "piani"
    if panoramica is not None:
        nome = f"piani-{panoramica.ciclo.anno_inizio}-{panoramica.ciclo.anno_fine}"
    if request.GET.get("formato") == "csv":
        return allegato_csv(dataset, f"{nome}.csv")
    return allegato_xlsx(dataset, f"{nome}.xlsx")
