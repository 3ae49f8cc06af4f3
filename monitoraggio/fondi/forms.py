"""Forms of fund monitoring: a line's declaration, the report's moves, the Region's filters."""

from django import forms

from pianizona.money import EuroField

from ..models import Rendicontazione
from .selectors import SENZA_RENDICONTAZIONE, FiltriRendicontazioni

TUTTI = ""


class DichiarazioneForm(forms.Form):
    data = forms.DateField(
        label="Data di riferimento",
        help_text="Gli importi sono cumulativi: quanto impegnato e liquidato dall'inizio dell'anno "
        "fino a questa data.",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indicare la data di riferimento.",
            "invalid": "Data non valida: usare il formato gg/mm/aaaa.",
        },
    )
    impegnato = EuroField(
        label="Impegnato (euro)", error_messages={"required": "Indicare l'importo impegnato."}
    )
    liquidato = EuroField(
        label="Liquidato (euro)", error_messages={"required": "Indicare l'importo liquidato."}
    )
    rettifica = forms.BooleanField(
        label="Rettifica: correggo in diminuzione una dichiarazione precedente", required=False
    )
    motivazione_rettifica = forms.CharField(
        label="Motivazione della rettifica",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    giustificazione = forms.CharField(
        label="Giustificazione dell'eccedenza",
        help_text="Obbligatoria se l'impegnato supera il programmato della linea.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransizioneRendicontazioneForm(forms.Form):
    """A report's move: carries the state the page showed, so a stale page or a double click is caught."""

    stato_atteso = forms.ChoiceField(
        choices=Rendicontazione.Stato.choices,
        widget=forms.HiddenInput,
        error_messages={"required": "Richiesta incompleta: ricaricare la pagina."},
    )
    commento = forms.CharField(
        label="Nota per l'Ufficio di Piano (facoltativa)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestituzioneForm(TransizioneRendicontazioneForm):
    commento = forms.CharField(
        label="Che cosa deve integrare o correggere l'Ufficio di Piano",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scrivere all'Ufficio di Piano che cosa va integrato."},
    )


class AperturaForm(forms.Form):
    anno = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Richiesta incompleta: ricaricare la pagina."},
    )


class FiltroRendicontazioniForm(forms.Form):
    """The Region's list filters (GET): year of the funds, province, state of the report."""

    anno = forms.TypedChoiceField(
        label="Anno delle risorse",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Nessun ciclo della regione comprende quell'anno."},
    )
    provincia = forms.ChoiceField(
        label="Provincia del comune capofila",
        required=False,
        error_messages={
            "invalid_choice": "Nessun ambito della regione ha capofila in quella provincia."
        },
    )
    stato = forms.ChoiceField(
        label="Stato della rendicontazione",
        required=False,
        choices=[
            (TUTTI, "Tutti gli stati"),
            *Rendicontazione.Stato.choices,
            (SENZA_RENDICONTAZIONE, "Non aperta"),
        ],
        error_messages={"invalid_choice": "Stato sconosciuto."},
    )

    def __init__(self, *args, anni: list[int], predefinito: int | None, province: list[str], **kw):
        super().__init__(*args, **kw)
        self.anni, self.predefinito = anni, predefinito
        self.fields["anno"].choices = [(a, str(a)) for a in anni]
        self.fields["anno"].initial = predefinito  # the latest year comes first in the list
        self.fields["provincia"].choices = [(TUTTI, "Tutte le province")] + [
            (p, p) for p in province
        ]

    def scelte(self) -> tuple[int | None, FiltriRendicontazioni]:
        """The year and the valid filters: a wrong one is shown as an error and ignored."""
        dati = {}
        if self.is_bound:
            self.is_valid()
            dati = self.cleaned_data  # only the fields that passed
        anno = dati.get("anno") if dati.get("anno") in self.anni else self.predefinito
        if self.is_bound and dati.get("anno") != anno:
            # A missing or wrong year: the selector shows the year listed, its error stays.
            self.data = {**self.data, "anno": "" if anno is None else str(anno)}
        return anno, FiltriRendicontazioni(
            provincia=dati.get("provincia") or "", stato=dati.get("stato") or ""
        )
