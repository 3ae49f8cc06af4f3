"""Forms of the intervention sheets: they read and check input, the services decide."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from pianizona.models import AreaUtenzaIstat, Comune, FonteFinanziamento, Piano
from pianizona.money import EuroField, EuroInput, parse_euro
from pianizona.territorio.denominazioni import denominazione_distretti

from ..models import SchedaIntervento, Sezione, VoceCatalogo
from ..selectors import Importi

CLASSE_CELLA = "cella-allocazione"  # the live panel listens to input in these cells


class SchedaForm(forms.ModelForm):
    """What the sheet is: catalogue entry, municipality (municipal sheets only), description."""

    class Meta:
        model = SchedaIntervento
        fields = [
            "voce",
            "comune",
            "titolo",
            "descrizione",
            "obiettivi",
            "aree_utenza",
            "gestione",
            "soggetto_attuatore",
            "risorse_strutturali",
            "integrazione_sociosanitaria",
            "azienda_sanitaria",
            "modalita_integrazione",
            "in_continuita",
        ]
        labels = {
            "voce": "Voce del catalogo",
            "comune": "Comune",
            "titolo": "Titolo",
            "descrizione": "Descrizione",
            "obiettivi": "Obiettivi",
            "aree_utenza": "Aree di utenza destinatarie",
            "gestione": "Modalità di gestione",
            "soggetto_attuatore": "Soggetto attuatore",
            "risorse_strutturali": "Risorse strutturali",
            "integrazione_sociosanitaria": "Intervento a integrazione socio-sanitaria",
            "azienda_sanitaria": "ASL/AUSL coinvolta",
            "modalita_integrazione": "Modalità dell'integrazione",
            "in_continuita": "In continuità con un intervento dei cicli precedenti",
        }
        help_texts = {
            "comune": "",
            "soggetto_attuatore": "Ente o organizzazione che realizza l'intervento.",
            "risorse_strutturali": "Sedi, strutture e attrezzature impiegate.",
        }
        widgets = {
            "descrizione": forms.Textarea(attrs={"rows": 3}),
            "obiettivi": forms.Textarea(attrs={"rows": 3}),
            "aree_utenza": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "risorse_strutturali": forms.Textarea(attrs={"rows": 2}),
            "modalita_integrazione": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "voce": {
                "required": "Scegliere la voce del catalogo.",
                "invalid_choice": "La voce scelta non è ammessa in questa sezione.",
            },
            "titolo": {"required": "Indicare il titolo della scheda."},
            "gestione": {"required": "Scegliere la modalità di gestione."},
        }

    def __init__(
        self, *args, piano: Piano, sezione: str, voci: list[VoceCatalogo], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sezione = sezione
        self.fields["voce"].queryset = VoceCatalogo.objects.filter(pk__in=[v.pk for v in voci])
        self.fields["voce"].empty_label = "Scegliere la voce"
        self.fields["gestione"].choices = [
            ("", "Scegliere la modalità"),
            *SchedaIntervento.Gestione.choices,
        ]
        self.fields["aree_utenza"].queryset = AreaUtenzaIstat.objects.all()
        if sezione == Sezione.COMUNALE:
            comune = self.fields["comune"]
            comune.queryset = Comune.objects.filter(ambito_id=piano.ambito_id).order_by("nome")
            comune.required = True
            comune.empty_label = "Scegliere il comune"
            parola = denominazione_distretti(piano)
            comune.help_text = f"Il comune {parola.forma('del')} in cui si svolge il servizio."
            comune.error_messages = {
                **comune.error_messages,
                "required": "Indicare il comune: un servizio a valenza comunale deve averlo.",
                "invalid_choice": f"Il comune scelto non appartiene {parola.forma('al')}.",
            }
            if not self.is_bound and not self.initial.get("comune"):
                unici = list(comune.queryset.values_list("pk", flat=True)[:2])
                if len(unici) == 1:  # a one-municipality district has nothing to choose
                    self.initial["comune"] = unici[0]
        else:
            del self.fields["comune"]

    def clean(self) -> dict:
        dati = super().clean()
        if dati.get("integrazione_sociosanitaria") and not dati.get("azienda_sanitaria"):
            self.add_error(
                "azienda_sanitaria",
                "Indicare l'ASL/AUSL coinvolta nell'integrazione socio-sanitaria.",
            )
        return dati


class FteField(forms.DecimalField):
    """Full-time equivalents as an Italian user types them: ``0,5`` or ``0.5``."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)  # shown as 0,5
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "Indicare un numero, ad esempio 1 o 0,5."

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class FiguraForm(forms.Form):
    profilo = forms.CharField(label="Profilo professionale", max_length=120, required=False)
    fte = FteField(
        label="Unità a tempo pieno (FTE)",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )

    def clean(self) -> dict:
        dati = super().clean()
        profilo, fte = (dati.get("profilo") or "").strip(), dati.get("fte")
        dati["profilo"] = profilo
        if fte is not None and fte <= 0:
            self.add_error("fte", "Le unità a tempo pieno devono essere maggiori di zero.")
        elif profilo and fte is None and "fte" not in self.errors:
            self.add_error("fte", "Indicare le unità a tempo pieno.")
        elif fte is not None and not profilo:
            self.add_error("profilo", "Indicare il profilo professionale.")
        return dati

    def vuota(self) -> bool:
        return not self.cleaned_data.get("profilo") and self.cleaned_data.get("fte") is None


class BaseFigureFormSet(forms.BaseFormSet):
    def _construct_form(self, i: int, **kwargs) -> FiguraForm:
        form = super()._construct_form(i, **kwargs)
        form.fields["profilo"].label = f"Profilo professionale, figura {i + 1}"
        form.fields["fte"].label = f"Unità a tempo pieno, figura {i + 1}"
        form.fields["DELETE"].label = f"Rimuovi la figura {i + 1}"
        return form

    def _tenute(self) -> list[FiguraForm]:
        return [
            f
            for f in self.forms
            if not self._should_delete_form(f) and not f.errors and not f.vuota()
        ]

    def clean(self) -> None:
        profili = [f.cleaned_data["profilo"].lower() for f in self._tenute()]
        if len(set(profili)) != len(profili):
            raise ValidationError("Ogni profilo professionale va indicato una sola volta.")

    def figure(self) -> list[tuple[str, Decimal]]:
        """(profile, FTE) of the rows kept: neither removed nor left empty; after is_valid()."""
        return [(f.cleaned_data["profilo"], f.cleaned_data["fte"]) for f in self._tenute()]


FigureFormSet = forms.formset_factory(
    FiguraForm, formset=BaseFigureFormSet, extra=1, can_delete=True, max_num=50
)
PREFISSO_FIGURE = "figure"


class NumeroInteroInput(forms.TextInput):
    """Shows a saved count as it is typed, ``1.300``; what the user typed, as typed."""

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return super().format_value(value)


class NumeroInteroField(forms.IntegerField):
    """A count as an Italian user types it: ``1.300`` (dot for thousands, as in amounts) or ``1300``."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            numero = parse_euro(str(value))
        except ValidationError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if numero != numero.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(numero)


class BeneficiariForm(forms.Form):
    """Expected beneficiaries per plan year; an empty cell means not estimated."""

    def __init__(self, *args, anni: list[int], numeri: dict[int, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.anni = anni
        for anno in anni:
            self.fields[self.nome_campo(anno)] = NumeroInteroField(
                label=f"Beneficiari previsti {anno}",
                required=False,
                min_value=0,
                max_value=2_147_483_647,  # PositiveIntegerField's ceiling on every database
                initial=numeri.get(anno),
                widget=NumeroInteroInput(attrs={"inputmode": "numeric", "size": 8}),
                error_messages={
                    "invalid": "Indicare un numero intero, senza decimali: ad esempio 1.300.",
                    "min_value": "Il numero non può essere negativo.",
                    "max_value": "Il numero è troppo grande.",
                },
            )

    @staticmethod
    def nome_campo(anno: int) -> str:
        return f"beneficiari_{anno}"

    def numeri(self) -> dict[int, int | None]:
        return {anno: self.cleaned_data.get(self.nome_campo(anno)) for anno in self.anni}


@dataclass
class RigaAllocazione:
    fonte: FonteFinanziamento
    celle: list[forms.BoundField]  # one per plan year
    ammessa: bool  # False: a fund the section no longer allows, shown so it can be emptied


class AllocazioniForm(forms.Form):
    """The sheet's money: one amount per fund × plan year, and the revision it was loaded at."""

    revisione = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "La pagina è incompleta: ricaricarla e ripetere le modifiche.",
            "invalid": "La pagina è incompleta: ricaricarla e ripetere le modifiche.",
        },
    )

    def __init__(
        self,
        *args,
        fonti: list[FonteFinanziamento],
        anni: list[int],
        importi: Importi,
        ammesse: set[int] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fonti, self.anni = fonti, anni
        self.ammesse = {f.pk for f in fonti} if ammesse is None else ammesse
        for fonte in fonti:
            for anno in anni:
                self.fields[self.nome_campo(fonte.pk, anno)] = EuroField(
                    label=f"{fonte.codice} {anno}",
                    required=False,
                    initial=importi.get((fonte.pk, anno)),
                    widget=EuroInput(
                        attrs={"class": f"form-control text-end {CLASSE_CELLA}", "size": 12}
                    ),
                )

    @staticmethod
    def nome_campo(fonte_id: int, anno: int) -> str:
        return f"importo_{fonte_id}_{anno}"

    def righe(self) -> list[RigaAllocazione]:
        return [
            RigaAllocazione(
                fonte=f,
                celle=[self[self.nome_campo(f.pk, a)] for a in self.anni],
                ammessa=f.pk in self.ammesse,
            )
            for f in self.fonti
        ]

    def importi(self) -> dict[tuple[int, int], Decimal | None]:
        """(fund id, year) → amount, None where the cell is empty; after is_valid()."""
        return {
            (f.pk, a): self.cleaned_data.get(self.nome_campo(f.pk, a))
            for f in self.fonti
            for a in self.anni
        }

    def importi_tolleranti(self) -> Importi:
        """The amounts typed so far, for the live panel: a cell that is not valid counts as empty."""
        importi = {}
        for fonte in self.fonti:
            for anno in self.anni:
                nome = self.nome_campo(fonte.pk, anno)
                try:
                    valore = self.fields[nome].clean(self.data.get(self.add_prefix(nome)))
                except (ValidationError, InvalidOperation):
                    continue
                if valore:
                    importi[(fonte.pk, anno)] = valore
        return importi


def come_iniziali(form: forms.Form) -> dict:
    """A bound form's raw input as ``initial`` of an unbound one: shown again, not validated."""
    return {
        nome: campo.widget.value_from_datadict(form.data, form.files, form.add_prefix(nome))
        for nome, campo in form.fields.items()
    }


def figure_con_una_riga_in_piu(formset: BaseFigureFormSet) -> BaseFigureFormSet:
    """The posted profiles (without the removed ones) and one more empty row, not validated."""
    righe = []
    for form in formset.forms:
        dati = come_iniziali(form)
        if not dati.get("DELETE"):
            righe.append({"profilo": dati.get("profilo") or "", "fte": dati.get("fte") or ""})
    return FigureFormSet(initial=righe, prefix=PREFISSO_FIGURE)


class CopiaForm(forms.Form):
    origine = forms.ModelChoiceField(
        label="Piano da cui copiare le schede",
        queryset=Piano.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Scegliere il piano da cui copiare le schede.",
            "invalid_choice": "Il piano scelto non è un altro piano dell'ambito.",
        },
    )

    def __init__(self, *args, piani, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origine"].queryset = piani
        self.fields["origine"].label_from_instance = self.etichetta

    @staticmethod
    def etichetta(piano: Piano) -> str:
        schede = getattr(piano, "n_schede", None)
        quante = "" if schede is None else f", {schede} schede" if schede != 1 else ", 1 scheda"
        return f"{piano.titolo} ({piano.get_stato_display().lower()}{quante})"
