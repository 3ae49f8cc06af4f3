"""Forms of the Region's pages: cycle configuration, transfers, riparto, criteria, flags."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from pianizona.models import Ambito, AreaInterventoFnps, FonteFinanziamento, Regione
from pianizona.money import EuroField

from ..models import CriterioRiparto, RegolaCiclo, Segnalazione
from ..riparto import Criterio
from ..selectors import CRITERI_POPOLAZIONE

NON_ATTIVA = ""
CRITERIO_POPOLAZIONE = "popolazione"  # built in by selectors.criteri_di_riparto


class CelleMixin:
    """Marks invalid inputs for Bootstrap Italia (Django already adds aria-invalid/describedby)."""

    def full_clean(self) -> None:
        super().full_clean()
        for nome in self.errors:
            if nome in self.fields:
                widget = self.fields[nome].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class NumeroField(EuroField):
    """A non-negative decimal typed the Italian way (``12,5``): percentages and weights."""

    default_error_messages = {
        **EuroField.default_error_messages,
        "invalid": "Numero non valido: usare il formato 12,5.",
        "max_digits": "Numero troppo grande.",
        "max_whole_digits": "Numero troppo grande.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(**kwargs)
        for validator in self.validators:
            if getattr(validator, "code", None) == "min_value":
                validator.message = "Il valore non può essere negativo."

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:  # parse_euro speaks of amounts: say "number" instead
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


# --- Configuration -----------------------------------------------------------------------------


class ConfigurazioneForm(CelleMixin, forms.Form):
    """One section choice per fund (empty = not active) and the minimum co-financing."""

    cofinanziamento_minimo = EuroField(
        label="Cofinanziamento comunale minimo (€ per abitante per anno)",
        help_text="Quanto ogni comune deve almeno cofinanziare; 0 se non è previsto un minimo.",
        error_messages={"required": "Indicare il cofinanziamento minimo (0 se non previsto)."},
    )

    def __init__(
        self,
        *args,
        fonti: list[FonteFinanziamento],
        attive: dict[int, str],
        regola: RegolaCiclo,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fonti = fonti
        self.fields["cofinanziamento_minimo"].initial = regola.cofinanziamento_minimo
        for fonte in fonti:
            scelte = [(NON_ATTIVA, "Non attiva")] + [
                (valore, f"{etichetta} (suggerita)" if valore == fonte.sezione else etichetta)
                for valore, etichetta in FonteFinanziamento.Sezione.choices
            ]
            self.fields[f"sezione_{fonte.pk}"] = forms.ChoiceField(
                label=f"Uso di {fonte.codice} – {fonte.nome} nel ciclo",
                choices=scelte,
                required=False,
                initial=attive.get(fonte.pk, NON_ATTIVA),
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={"invalid_choice": "Scegliere una delle voci proposte."},
            )

    def righe(self) -> list[tuple[FonteFinanziamento, forms.BoundField]]:
        return [(fonte, self[f"sezione_{fonte.pk}"]) for fonte in self.fonti]

    def sezioni(self) -> dict[int, str | None]:
        return {f.pk: self.cleaned_data[f"sezione_{f.pk}"] or None for f in self.fonti}


class VincoloForm(forms.Form):
    fonte = forms.TypedChoiceField(
        label="Fonte",
        coerce=int,
        error_messages={
            "required": "Scegliere la fonte.",
            "invalid_choice": "La fonte scelta non è attiva nel ciclo.",
        },
    )
    area = forms.TypedChoiceField(
        label="Area di intervento FNPS",
        coerce=int,
        error_messages={
            "required": "Scegliere l'area.",
            "invalid_choice": "L'area scelta non esiste.",
        },
    )
    percentuale = NumeroField(
        label="Percentuale minima (%)",
        decimal_places=2,
        max_digits=5,
        error_messages={"required": "Indicare la percentuale minima."},
    )
    descrizione = forms.CharField(
        label="Descrizione",
        max_length=250,
        required=False,
        error_messages={"max_length": "Al massimo 250 caratteri."},
    )

    def __init__(
        self, *args, fonti: list[FonteFinanziamento], aree: list[AreaInterventoFnps], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._fonti = {f.pk: f for f in fonti}
        self._aree = {a.pk: a for a in aree}
        self.fields["fonte"].choices = [("", "Scegliere…")] + [
            (f.pk, f"{f.codice} – {f.nome}") for f in fonti
        ]
        self.fields["area"].choices = [("", "Scegliere…")] + [
            (a.pk, f"{a.codice}. {a.nome}") for a in aree
        ]

    def clean_fonte(self) -> FonteFinanziamento:
        return self._fonti[self.cleaned_data["fonte"]]

    def clean_area(self) -> AreaInterventoFnps:
        return self._aree[self.cleaned_data["area"]]

    def clean_percentuale(self) -> Decimal:
        percentuale = self.cleaned_data["percentuale"]
        if not 0 < percentuale <= 100:
            raise ValidationError("La percentuale deve essere maggiore di 0 e al massimo 100.")
        return percentuale


class FonteRegionaleForm(forms.Form):
    """A Region's own fund, e.g. the Fondo regionale per la non autosufficienza."""

    codice = forms.RegexField(
        label="Codice",
        max_length=10,
        regex=r"^[A-Za-z0-9_-]+$",
        help_text="Breve e senza spazi, es. FRNA: è il codice usato nei fogli di calcolo.",
        error_messages={
            "required": "Indicare il codice della fonte.",
            "max_length": "Il codice ha al massimo 10 caratteri.",
            "invalid": "Il codice può contenere solo lettere, cifre, trattino e trattino basso.",
        },
    )
    nome = forms.CharField(
        label="Nome",
        max_length=200,
        error_messages={
            "required": "Indicare il nome della fonte.",
            "max_length": "Il nome ha al massimo 200 caratteri.",
        },
    )
    sezione = forms.ChoiceField(
        label="Sezione del piano",
        choices=[("", "Scegliere…"), *FonteFinanziamento.Sezione.choices],
        error_messages={
            "required": "Scegliere la sezione del piano.",
            "invalid_choice": "Sezione del piano non prevista.",
        },
    )


class DenominazioniForm(forms.Form):
    denominazione_ambiti = forms.ChoiceField(
        label="Come si chiamano i distretti",
        choices=Regione.DenominazioneAmbiti.choices,
        error_messages={
            "required": "Scegliere come si chiamano i distretti.",
            "invalid_choice": "Denominazione dei distretti non prevista.",
        },
    )
    organo_approvazione = forms.ChoiceField(
        label="Organo che approva il piano nel distretto",
        choices=Regione.OrganoApprovazione.choices,
        error_messages={
            "required": "Scegliere l'organo di approvazione.",
            "invalid_choice": "Organo di approvazione non previsto.",
        },
    )


# --- Transfers and riparto ---------------------------------------------------------------------


class FonteAnnoForm(forms.Form):
    """A fund the Region transfers, active in the cycle (by code), and one of the cycle's years."""

    fonte = forms.ChoiceField(
        label="Fonte",
        error_messages={
            "required": "Scegliere la fonte.",
            "invalid_choice": "Scegliere una fonte statale o regionale attiva nel ciclo.",
        },
    )
    anno = forms.TypedChoiceField(
        label="Anno",
        coerce=int,
        error_messages={
            "required": "Scegliere l'anno.",
            "invalid_choice": "L'anno scelto non appartiene al ciclo.",
        },
    )

    def __init__(self, *args, fonti: list[FonteFinanziamento], anni: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self._fonti = {f.codice: f for f in fonti}
        self.fields["fonte"].choices = [(f.codice, f"{f.codice} – {f.nome}") for f in fonti]
        self.fields["anno"].choices = [(a, str(a)) for a in anni]

    def clean_fonte(self) -> FonteFinanziamento:
        return self._fonti[self.cleaned_data["fonte"]]


class AssegnazioniForm(CelleMixin, forms.Form):
    """One amount per ambito for a fund and year; an empty cell removes the transfer."""

    revisione = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args, ambiti: list[Ambito], importi: dict[int, Decimal], revisione: int, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["revisione"].initial = revisione
        self.ambiti = ambiti
        for ambito in ambiti:
            self.fields[f"importo_{ambito.pk}"] = EuroField(
                label=f"Importo {ambito.codice} – {ambito.nome}",
                required=False,
                initial=importi.get(ambito.pk),
            )

    def righe(self) -> list[tuple[Ambito, forms.BoundField]]:
        return [(ambito, self[f"importo_{ambito.pk}"]) for ambito in self.ambiti]

    def importi(self) -> dict[int, Decimal | None]:
        return {a.pk: self.cleaned_data[f"importo_{a.pk}"] for a in self.ambiti}


class RipartoForm(FonteAnnoForm):
    totale = EuroField(
        label="Totale da ripartire (€)",
        error_messages={"required": "Indicare il totale da ripartire."},
    )

    def __init__(self, *args, criteri: list[Criterio], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteri = criteri
        for criterio in criteri:
            self.fields[f"peso_{criterio.codice}"] = NumeroField(
                label=f"Peso di «{criterio.nome}»",
                required=False,
                initial="100" if criterio.codice == CRITERIO_POPOLAZIONE else None,
            )

    def campi_pesi(self) -> list[forms.BoundField]:
        return [self[f"peso_{c.codice}"] for c in self.criteri]

    def clean(self) -> dict:
        dati = super().clean()
        pesi = [dati.get(f"peso_{c.codice}") for c in self.criteri]
        if not any(p for p in pesi) and not any(
            f"peso_{c.codice}" in self.errors for c in self.criteri
        ):
            raise ValidationError("Indicare un peso maggiore di zero per almeno un criterio.")
        return dati

    def pesi(self) -> dict[str, Decimal]:
        return {c.codice: self.cleaned_data[f"peso_{c.codice}"] or Decimal(0) for c in self.criteri}


# --- Criteria, imports, flags ------------------------------------------------------------------


class CriterioForm(forms.ModelForm):
    """A new criterion; the instance comes with its region set by the view."""

    class Meta:
        model = CriterioRiparto
        fields = ["codice", "nome", "fonte_dato"]
        labels = {"codice": "Codice", "nome": "Nome", "fonte_dato": "Fonte del dato"}
        help_texts = {
            "codice": "Lettere minuscole, cifre e trattini, es. minori-0-17.",
            "fonte_dato": "Da dove viene il dato, es. ISTAT, popolazione al 1° gennaio 2024.",
        }
        error_messages = {
            "codice": {
                "required": "Indicare il codice.",
                "invalid": "Il codice può contenere solo lettere, cifre, trattini e trattini bassi.",
                "max_length": "Il codice può avere al massimo 30 caratteri.",
            },
            "nome": {
                "required": "Indicare il nome.",
                "max_length": "Il nome può avere al massimo 150 caratteri.",
            },
            "fonte_dato": {"max_length": "Al massimo 250 caratteri."},
        }

    def clean_codice(self) -> str:
        codice = self.cleaned_data["codice"].lower()
        if codice in CRITERI_POPOLAZIONE:
            raise ValidationError(
                f"Il codice «{codice}» è riservato alla popolazione residente ISTAT, sempre presente."
            )
        # The region is not a form field, so Django skips the (regione, codice) constraint.
        if CriterioRiparto.objects.filter(
            regione_id=self.instance.regione_id, codice=codice
        ).exists():
            raise ValidationError("Esiste già un criterio con questo codice.")
        return codice


class RispostaForm(forms.Form):
    """The answer that closes a flag; one per open flag on the page, each with its own ids."""

    risposta = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scrivere una risposta per l'Ufficio di Piano."},
    )

    def __init__(self, *args, segnalazione: Segnalazione, **kwargs):
        kwargs.setdefault("auto_id", f"id_segnalazione_{segnalazione.pk}_%s")
        super().__init__(*args, **kwargs)
        self.segnalazione = segnalazione
        data = timezone.localtime(segnalazione.creata_il).strftime("%d/%m/%Y")
        self.fields[
            "risposta"
        ].label = f"Risposta alla segnalazione di {segnalazione.piano.ambito.codice} del {data}"
