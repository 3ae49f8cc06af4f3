"""The dashboards' filters (GET): a wrong value is shown as an error and ignored, never a 500."""

from django import forms

from pianizona.models import Ciclo

from .regione import FiltriCruscotto

TUTTI = ""


class FiltroCicloForm(forms.Form):
    """The cycle only (the latest by default): the district's dashboard."""

    ciclo = forms.TypedChoiceField(
        label="Ciclo di programmazione",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Il ciclo scelto non è della regione."},
    )

    def __init__(self, *args, cicli: list[Ciclo], **kwargs):
        super().__init__(*args, **kwargs)
        self.cicli = cicli
        self.fields["ciclo"].choices = [(c.pk, c.nome) for c in cicli]

    def _dati(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data  # only the fields that passed

    def ciclo_scelto(self) -> Ciclo | None:
        scelto = self._dati().get("ciclo")
        ciclo = next((c for c in self.cicli if c.pk == scelto), None)
        return ciclo or (self.cicli[0] if self.cicli else None)  # the latest first


class FiltroCruscottoForm(FiltroCicloForm):
    """Cycle, one of its years (all by default), the province of the lead municipality."""

    anno = forms.TypedChoiceField(
        label="Anno",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Anno sconosciuto."},
    )
    provincia = forms.ChoiceField(
        label="Provincia del comune capofila",
        required=False,
        error_messages={
            "invalid_choice": "Nessun ambito della regione ha capofila in quella provincia."
        },
    )

    def __init__(self, *args, cicli: list[Ciclo], province: list[str], **kwargs):
        super().__init__(*args, cicli=cicli, **kwargs)
        anni = sorted({anno for c in cicli for anno in c.anni})
        self.fields["anno"].choices = [(TUTTI, "Tutti gli anni del ciclo")] + [
            (a, str(a)) for a in anni
        ]
        self.fields["provincia"].choices = [(TUTTI, "Tutte le province")] + [
            (p, p) for p in province
        ]

    def clean(self) -> dict:
        dati = super().clean()
        ciclo = next((c for c in self.cicli if c.pk == dati.get("ciclo")), None)
        ciclo = ciclo or (self.cicli[0] if self.cicli else None)
        anno = dati.get("anno")
        if anno and ciclo and anno not in ciclo.anni:
            self.add_error("anno", f"L'anno {anno} non cade nel ciclo {ciclo.periodo}.")
        return dati

    def scelte(self) -> tuple[Ciclo | None, FiltriCruscotto]:
        dati = self._dati()
        return self.ciclo_scelto(), FiltriCruscotto(
            anno=dati.get("anno"), provincia=dati.get("provincia") or ""
        )
