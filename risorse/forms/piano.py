"""Forms of the district's resource pages: they read and check input, the services decide."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet

from pianizona.models import Comune, FonteFinanziamento, Piano, UsoFonte
from pianizona.money import EuroField, EuroInput

from .. import selectors
from ..models import FonteCiclo, ResiduoEconomia, RisorsaAggiuntiva
from ..selectors import TabellaCofinanziamento

ANNI_DI_PROVENIENZA = 10  # how far back a residuo may come from, in years


def fonti_attive(piano: Piano, uso: str, anche: int | None = None) -> QuerySet[FonteFinanziamento]:
    """The funds active in the plan's cycle that admit ``uso``, and ``anche`` (a saved row's)."""
    attive = Q(pk__in=FonteCiclo.objects.filter(ciclo_id=piano.ciclo_id).values("fonte_id"))
    ammesse = FonteFinanziamento.objects.per_uso(uso).filter(attive)
    return ammesse | FonteFinanziamento.objects.filter(pk=anche) if anche else ammesse


def _scelte_anni(anni: list[int]) -> list[tuple[int, str]]:
    return [(a, str(a)) for a in anni]


def _importo_positivo(importo: Decimal | None) -> Decimal | None:
    if importo is not None and importo <= 0:
        raise forms.ValidationError("L'importo deve essere maggiore di zero.")
    return importo


class SegnalazioneForm(forms.Form):
    fonte = forms.ModelChoiceField(
        label="Fondo",
        queryset=FonteFinanziamento.objects.none(),
        required=False,
        empty_label="Nessun fondo in particolare",
    )
    anno = forms.TypedChoiceField(
        label="Anno", coerce=int, empty_value=None, required=False, choices=[]
    )
    nota = forms.CharField(
        label="Descrizione della discrepanza",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Descrivere la discrepanza."},
    )

    def __init__(self, *args, piano: Piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fonte"].queryset = fonti_attive(piano, UsoFonte.TRASFERIMENTO)
        self.fields["anno"].choices = [
            ("", "Nessun anno in particolare"),
            *_scelte_anni(selectors.anni_del_piano(piano)),
        ]

    def clean_nota(self) -> str:
        nota = self.cleaned_data["nota"].strip()
        if not nota:
            raise forms.ValidationError("Descrivere la discrepanza.")
        return nota


class ResiduoForm(forms.ModelForm):
    importo = EuroField(label="Importo")

    class Meta:
        model = ResiduoEconomia
        fields = ["fonte", "anno_origine", "anno_impiego", "tipo", "importo", "stato", "nota"]
        widgets = {"nota": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, piano: Piano, **kwargs):
        super().__init__(*args, **kwargs)
        anni = selectors.anni_del_piano(piano)
        provenienza = set(range(min(anni) - ANNI_DI_PROVENIENZA, max(anni)))
        if self.instance.anno_origine:
            provenienza.add(self.instance.anno_origine)  # an older row stays editable
        # A row saved before the Region deactivated its fund stays editable.
        self.fields["fonte"].queryset = fonti_attive(
            piano, UsoFonte.RESIDUO, anche=self.instance.fonte_id
        )
        self.fields["fonte"].empty_label = "Scegliere il fondo"
        self.fields["anno_origine"] = forms.TypedChoiceField(
            label="Anno di provenienza",
            coerce=int,
            choices=[("", "Scegliere l'anno"), *_scelte_anni(sorted(provenienza, reverse=True))],
        )
        self.fields["anno_impiego"] = forms.TypedChoiceField(
            label="Anno di impiego",
            coerce=int,
            choices=[("", "Scegliere l'anno"), *_scelte_anni(anni)],
            help_text="Anno del piano in cui la somma viene riprogrammata.",
        )

    def clean_importo(self) -> Decimal | None:
        return _importo_positivo(self.cleaned_data.get("importo"))

    def clean(self) -> dict:
        dati = super().clean()
        origine, impiego = dati.get("anno_origine"), dati.get("anno_impiego")
        if origine and impiego and origine >= impiego:
            self.add_error(
                "anno_origine", "L'anno di provenienza deve precedere l'anno di impiego."
            )
        return dati


class RisorsaAggiuntivaForm(forms.ModelForm):
    importo = EuroField(label="Importo")

    class Meta:
        model = RisorsaAggiuntiva
        fields = ["fonte", "anno", "importo", "descrizione"]
        labels = {"descrizione": "Descrizione (es. progetto, avviso, convenzione)"}

    def __init__(self, *args, piano: Piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fonte"].queryset = FonteFinanziamento.objects.della_regione(
            piano.ambito.regione_id
        ).per_uso(UsoFonte.ALTRA_RISORSA)
        self.fields["fonte"].empty_label = "Scegliere la fonte"
        self.fields["anno"] = forms.TypedChoiceField(
            label="Anno",
            coerce=int,
            choices=[("", "Scegliere l'anno"), *_scelte_anni(selectors.anni_del_piano(piano))],
        )

    def clean_importo(self) -> Decimal | None:
        return _importo_positivo(self.cleaned_data.get("importo"))


@dataclass
class CellaCofinanziamento:
    anno: int
    campo: forms.BoundField
    importo: Decimal | None  # as saved
    per_abitante: Decimal | None
    sotto_minimo: bool


@dataclass
class RigaForm:
    comune: Comune
    minimo: Decimal  # the Region's minimum for this municipality, per year
    celle: list[CellaCofinanziamento]

    @property
    def celle_sotto_minimo(self) -> list[CellaCofinanziamento]:
        return [c for c in self.celle if c.sotto_minimo]


class CofinanziamentoForm(forms.Form):
    """The whole table: one amount per municipality × year, and the revision it was loaded at."""

    revisione = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, tabella: TabellaCofinanziamento, **kwargs):
        super().__init__(*args, **kwargs)
        self.tabella = tabella
        for riga in tabella.righe:
            for anno, importo in zip(tabella.anni, riga.importi, strict=True):
                self.fields[self.nome_campo(riga.comune.pk, anno)] = EuroField(
                    label=f"Cofinanziamento {anno} – {riga.comune.nome}",
                    required=False,
                    initial=importo,
                    widget=EuroInput(attrs={"size": 12}),
                )

    @staticmethod
    def nome_campo(comune_id: int, anno: int) -> str:
        return f"importo_{comune_id}_{anno}"

    def righe(self) -> list[RigaForm]:
        t = self.tabella
        return [
            RigaForm(
                comune=riga.comune,
                minimo=t.minimo * riga.comune.popolazione,
                celle=[
                    CellaCofinanziamento(
                        anno=anno,
                        campo=self[self.nome_campo(riga.comune.pk, anno)],
                        importo=riga.importi[i],
                        per_abitante=riga.per_abitante[i],
                        sotto_minimo=riga.sotto_minimo[i],
                    )
                    for i, anno in enumerate(t.anni)
                ],
            )
            for riga in t.righe
        ]

    def importi(self) -> dict[tuple[int, int], Decimal | None]:
        """(comune id, anno) → amount, None where the cell was left empty; after is_valid()."""
        return {
            (riga.comune.pk, anno): self.cleaned_data.get(self.nome_campo(riga.comune.pk, anno))
            for riga in self.tabella.righe
            for anno in self.tabella.anni
        }
