"""Forms of the Region's catalogue pages: one entry, and the filters of the list."""

from django import forms

from pianizona.models import AreaInterventoFnps, AreaUtenzaIstat, ObiettivoServizio

from ..models import Sezione, VoceCatalogo

SCEGLI = "Scegliere dall'elenco"
NESSUNA = ""


def _obiettivi_per_macro_livello() -> list:
    """The service objectives grouped under their FNPS macro-level (one query)."""
    gruppi: dict[str, list] = {}
    for obiettivo in ObiettivoServizio.objects.select_related("macro_livello").order_by(
        "macro_livello__codice", "codice"
    ):
        macro = obiettivo.macro_livello
        gruppi.setdefault(f"{macro.codice}. {macro.nome}", []).append(
            (obiettivo.pk, f"{obiettivo.codice} {obiettivo.nome}")
        )
    return [(NESSUNA, SCEGLI), *gruppi.items()]


class VoceForm(forms.ModelForm):
    """An entry of the catalogue; the three section flags are one group of checkboxes."""

    sezioni = forms.MultipleChoiceField(
        label="Sezioni del piano in cui la voce può essere usata",
        choices=Sezione.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Scegliere almeno una sezione del piano in cui la voce può essere usata.",
            "invalid_choice": "Sezione sconosciuta.",
        },
    )

    class Meta:
        model = VoceCatalogo
        fields = [
            "codice",
            "nome",
            "obiettivo_servizio",
            "area_intervento",
            "area_utenza",
            "leps",
            "prestazione_siuss",
            "descrizione",
        ]
        labels = {
            "codice": "Codice",
            "nome": "Nome dell'intervento",
            "obiettivo_servizio": "Macro-livello e obiettivo di servizio FNPS",
            "area_intervento": "Area di intervento FNPS",
            "area_utenza": "Area di utenza ISTAT",
            "leps": "È un livello essenziale delle prestazioni sociali (LEPS)",
            "prestazione_siuss": "Prestazione SIUSS (facoltativa)",
            "descrizione": "Descrizione",
        }
        help_texts = {
            "codice": "Univoco nel ciclo, es. A.1.01.",
            "obiettivo_servizio": "Gli obiettivi sono raggruppati per macro-livello: il primo "
            "numero del codice è il macro-livello.",
            "prestazione_siuss": "Il codice INPS con cui le prestazioni della voce vanno al SIUSS.",
            "leps": "",
        }
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "codice": {
                "required": "Indicare il codice della voce.",
                "max_length": "Il codice può avere al massimo 20 caratteri.",
            },
            "nome": {
                "required": "Indicare il nome dell'intervento.",
                "max_length": "Il nome può avere al massimo 200 caratteri.",
            },
            "obiettivo_servizio": {
                "required": "Scegliere l'obiettivo di servizio FNPS.",
                "invalid_choice": "L'obiettivo di servizio scelto non esiste.",
            },
            "area_intervento": {
                "required": "Scegliere l'area di intervento FNPS.",
                "invalid_choice": "L'area di intervento scelta non esiste.",
            },
            "area_utenza": {
                "required": "Scegliere l'area di utenza ISTAT.",
                "invalid_choice": "L'area di utenza scelta non esiste.",
            },
            "prestazione_siuss": {"invalid_choice": "La prestazione SIUSS scelta non esiste."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obiettivo_servizio"].choices = _obiettivi_per_macro_livello()
        self.fields["area_intervento"].label_from_instance = lambda a: f"{a.codice}. {a.nome}"
        self.fields["area_utenza"].label_from_instance = lambda a: f"{a.codice} – {a.nome}"
        self.fields["area_intervento"].empty_label = SCEGLI
        self.fields["area_utenza"].empty_label = SCEGLI
        self.fields["prestazione_siuss"].empty_label = "Nessuna"
        self.fields["sezioni"].initial = [s for s in Sezione.values if self.instance.ammessa_in(s)]

    def clean_codice(self) -> str:
        return self.cleaned_data["codice"].strip()

    def clean(self) -> dict:
        dati = super().clean()
        if "sezioni" in dati:
            scelte = set(dati["sezioni"])
            self.instance.in_ambito = Sezione.AMBITO in scelte
            self.instance.in_comunale = Sezione.COMUNALE in scelte
            self.instance.in_altre_risorse = Sezione.ALTRE_RISORSE in scelte
        return dati


class FiltroCatalogoForm(forms.Form):
    """The list's filters (GET): a section, an FNPS area, an ISTAT user area."""

    sezione = forms.ChoiceField(
        label="Sezione",
        required=False,
        choices=[(NESSUNA, "Tutte le sezioni"), *Sezione.choices],
        error_messages={"invalid_choice": "Sezione sconosciuta."},
    )
    area = forms.TypedChoiceField(
        label="Area di intervento FNPS",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Area di intervento sconosciuta."},
    )
    utenza = forms.ChoiceField(
        label="Area di utenza ISTAT",
        required=False,
        error_messages={"invalid_choice": "Area di utenza sconosciuta."},
    )

    def __init__(
        self, *args, aree: list[AreaInterventoFnps], utenze: list[AreaUtenzaIstat], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(NESSUNA, "Tutte le aree")] + [
            (a.codice, f"{a.codice}. {a.nome}") for a in aree
        ]
        self.fields["utenza"].choices = [(NESSUNA, "Tutte le aree di utenza")] + [
            (u.codice, u.nome) for u in utenze
        ]

    def filtra(self, voci: list[VoceCatalogo]) -> list[VoceCatalogo]:
        if not self.is_valid():
            return voci
        sezione, area, utenza = (self.cleaned_data[c] for c in ("sezione", "area", "utenza"))
        return [
            v
            for v in voci
            if (not sezione or v.ammessa_in(sezione))
            and (area is None or v.area_intervento.codice == area)
            and (not utenza or v.area_utenza.codice == utenza)
        ]

    @property
    def attivo(self) -> bool:
        return self.is_valid() and any(v not in (None, "") for v in self.cleaned_data.values())
