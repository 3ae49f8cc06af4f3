"""Spreadsheet import/export of transfers, co-financing and allocation criteria values."""

from import_export import fields

from pianizona.importazioni.resources import (
    AnnoWidget,
    CodiceWidget,
    EuroWidget,
    QuantitaWidget,
    RisorsaFoglio,
)
from pianizona.models import Ambito, Ciclo, Comune, Piano, UsoFonte
from pianizona.territorio.denominazioni import denominazione_distretti
from pianizona.territorio.selectors import codice_di_esempio

from .models import Assegnazione, Cofinanziamento, FonteCiclo, ValoreCriterio
from .selectors import anni_del_piano


class FonteAttivaWidget(CodiceWidget):
    """A fund code that must be active in the cycle."""

    def __init__(self, ciclo: Ciclo):
        from pianizona.models import FonteFinanziamento

        super().__init__(FonteFinanziamento, "codice", "Fonte")
        self.ciclo = ciclo
        self.regione_id = ciclo.regione_id
        self.attive = set(
            FonteCiclo.objects.filter(ciclo=ciclo).values_list("fonte__codice", flat=True)
        )

    def get_queryset(self, value, row, *args, **kwargs):
        from pianizona.models import FonteFinanziamento

        # Another Region's fund reads as unknown: its code is no business of this Region.
        return FonteFinanziamento.objects.della_regione(self.regione_id)

    def clean(self, value, row=None, **kwargs):
        fonte = super().clean(value, row, **kwargs)
        if fonte is None:
            raise ValueError("Indicare la fonte (codice, es. FNPS).")
        if fonte.codice not in self.attive:
            raise ValueError(
                f"La fonte «{fonte.codice}» non è attiva nel ciclo {self.ciclo.periodo}."
            )
        if not fonte.ammessa(UsoFonte.TRASFERIMENTO):
            raise ValueError(fonte.rifiuto(UsoFonte.TRASFERIMENTO))
        return fonte


class AmbitoDellaRegioneWidget(CodiceWidget):
    def __init__(self, ciclo: Ciclo):
        self.denominazione = denominazione_distretti(ciclo.regione)
        super().__init__(Ambito, "codice", self.denominazione.singolare.capitalize())
        self.regione_id = ciclo.regione_id

    def get_queryset(self, value, row, *args, **kwargs):
        return Ambito.objects.filter(regione_id=self.regione_id)

    def clean(self, value, row=None, **kwargs):
        ambito = super().clean(value, row, **kwargs)
        if ambito is None:
            esempio = codice_di_esempio(self.regione_id)
            raise ValueError(
                f"Indicare {self.denominazione.forma('il')} "
                f"(codice{f', es. {esempio}' if esempio else ''})."
            )
        return ambito


class AssegnazioneResource(RisorsaFoglio):
    """Columns: ambito (code), fonte (code), anno, importo. One row per ambito × fund × year."""

    etichette = {
        "ambito": "Codice ambito",
        "fonte": "Fonte",
        "anno": "Anno",
        "importo": "Importo (€)",
    }

    def __init__(self, ciclo: Ciclo):
        super().__init__()
        self.ciclo = ciclo
        self.fields["ambito"] = fields.Field("ambito", "ambito", AmbitoDellaRegioneWidget(ciclo))
        self.fields["fonte"] = fields.Field("fonte", "fonte", FonteAttivaWidget(ciclo))
        self.fields["anno"] = fields.Field("anno", "anno", AnnoWidget(ciclo.anni))
        self.fields["importo"] = fields.Field("importo", "importo", EuroWidget())

    class Meta:
        model = Assegnazione
        import_id_fields = ["ambito", "fonte", "anno"]
        fields = ["ambito", "fonte", "anno", "importo"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Assegnazione.objects.filter(ciclo=self.ciclo).select_related("ambito", "fonte")

    def init_instance(self, row=None):
        return Assegnazione(ciclo=self.ciclo)

    def dehydrate_ambito(self, obj: Assegnazione) -> str:
        return obj.ambito.codice

    def dehydrate_fonte(self, obj: Assegnazione) -> str:
        return obj.fonte.codice

    def before_save_instance(self, instance, row, **kwargs):
        instance.riparto = None  # imported amounts are no longer a calculator's result


class CofinanziamentoResource(RisorsaFoglio):
    """Columns: codice_istat, comune (the name: for people, ignored on import), anno, importo."""

    etichette = {
        "codice_istat": "Codice ISTAT",
        "comune": "Comune",
        "anno": "Anno",
        "importo": "Importo (€)",
    }

    def __init__(self, piano: Piano):
        super().__init__()
        self.piano = piano
        self.fields["comune"] = fields.Field(
            "comune", "codice_istat", ComuneDellAmbitoWidget(piano)
        )
        self.fields["nome_comune"] = fields.Field(column_name="comune", readonly=True)
        self.fields["anno"] = fields.Field("anno", "anno", AnnoWidget(anni_del_piano(piano)))
        self.fields["importo"] = fields.Field("importo", "importo", EuroWidget())

    class Meta:
        model = Cofinanziamento
        import_id_fields = ["comune", "anno"]
        fields = ["comune", "nome_comune", "anno", "importo"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Cofinanziamento.objects.filter(piano=self.piano).select_related("comune")

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        importo = row.get("importo")
        if importo is None or not str(importo).strip():
            return True  # the export has a row per comune × year: an empty cell changes nothing
        return super().skip_row(instance, original, row, import_validation_errors)

    def init_instance(self, row=None):
        return Cofinanziamento(piano=self.piano)

    def dehydrate_comune(self, obj: Cofinanziamento) -> str:
        return obj.comune.codice_istat

    def dehydrate_nome_comune(self, obj: Cofinanziamento) -> str:
        return obj.comune.nome


class ComuneDellAmbitoWidget(CodiceWidget):
    def __init__(self, piano: Piano):
        super().__init__(Comune, "codice_istat", "Comune con codice ISTAT", cifre=6)
        self.ambito_id = piano.ambito_id

    def get_queryset(self, value, row, *args, **kwargs):
        return Comune.objects.filter(ambito_id=self.ambito_id)

    def clean(self, value, row=None, **kwargs):
        comune = super().clean(value, row, **kwargs)
        if comune is None:
            raise ValueError("Indicare il codice ISTAT del comune.")
        return comune


class ValoreCriterioResource(RisorsaFoglio):
    """Columns: ambito (code), valore. For one allocation criterion of the region."""

    etichette = {"ambito": "Codice ambito", "valore": "Valore"}

    def __init__(self, criterio, ciclo: Ciclo):
        super().__init__()
        self.criterio = criterio
        self.fields["ambito"] = fields.Field("ambito", "ambito", AmbitoDellaRegioneWidget(ciclo))
        self.fields["valore"] = fields.Field("valore", "valore", QuantitaWidget())

    class Meta:
        model = ValoreCriterio
        import_id_fields = ["ambito"]
        fields = ["ambito", "valore"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return ValoreCriterio.objects.filter(criterio=self.criterio).select_related("ambito")

    def init_instance(self, row=None):
        return ValoreCriterio(criterio=self.criterio)

    def dehydrate_ambito(self, obj: ValoreCriterio) -> str:
        return obj.ambito.codice
