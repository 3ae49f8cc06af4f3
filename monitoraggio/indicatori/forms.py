"""Small forms of the indicator pages; the numbers are read by the services (Italian format)."""

from django import forms
from django.utils import timezone

from ..models import Indicatore
from .services import ANNO_FUTURO


def _testo_numerico(label: str, required: bool, help_text: str = "") -> forms.CharField:
    # Text, not type=number: the browser would refuse "1.234,5".
    return forms.CharField(
        label=label,
        required=required,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ValoreForm(forms.Form):
    """The value of one entered indicator for one year of the cycle, on the ambito's page."""

    def __init__(self, *args, indicatore: Indicatore, anni: list[int], **kwargs):
        kwargs.setdefault("prefix", f"valore-{indicatore.pk}")
        super().__init__(*args, **kwargs)
        self.indicatore = indicatore
        passati = [a for a in anni if a <= timezone.localdate().year]
        self.fields["anno"] = forms.TypedChoiceField(
            label="Anno",
            choices=[(a, a) for a in anni],
            coerce=int,
            initial=passati[-1] if passati else anni[0],
        )
        aiuto = {
            Indicatore.Unita.NUMERO: "Un numero intero, per esempio 1.250.",
            Indicatore.Unita.PERCENTUALE: "Una percentuale da 0 a 100, per esempio 48,5.",
        }.get(indicatore.unita, "Un numero non negativo, per esempio 1.234,56.")
        self.fields["valore"] = _testo_numerico(
            f"Valore ({indicatore.get_unita_display()})", True, aiuto
        )
        self.fields["nota"] = forms.CharField(
            label="Nota (fonte del dato, avvertenze)", required=False, max_length=500
        )

    def clean_anno(self) -> int:
        anno = self.cleaned_data["anno"]
        if anno > timezone.localdate().year:
            raise forms.ValidationError(ANNO_FUTURO.format(anno=anno))
        return anno


class TargetForm(forms.Form):
    """The target of one catalogue indicator; empty clears it."""

    def __init__(self, *args, indicatore: Indicatore, **kwargs):
        kwargs.setdefault("prefix", f"target-{indicatore.pk}")
        super().__init__(*args, **kwargs)
        self.indicatore = indicatore
        iniziale = ""
        if indicatore.target is not None:
            iniziale = format(indicatore.target.normalize(), "f").replace(".", ",")
        self.fields["target"] = _testo_numerico(
            f"Target di {indicatore.codice}", False, "Vuoto: nessun target."
        )
        self.fields["target"].initial = iniziale
