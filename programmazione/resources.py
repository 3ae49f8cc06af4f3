"""Spreadsheet import/export of the Region's catalogue of interventions."""

from import_export import fields, widgets

from pianizona.importazioni.resources import CodiceWidget, RisorsaFoglio, SiNoWidget
from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Ciclo,
    ObiettivoServizio,
    PrestazioneSiuss,
)

from . import services_catalogo
from .models import Sezione, VoceCatalogo

# What decides whether a row changes an entry (the export must read back as "unchanged").
CAMPI_CONFRONTATI = [
    "codice",
    "nome",
    "descrizione",
    "obiettivo_servizio_id",
    "area_intervento_id",
    "area_utenza_id",
    "leps",
    "in_ambito",
    "in_comunale",
    "in_altre_risorse",
    "prestazione_siuss_id",
]
SEZIONI_AMMESSE = ", ".join(Sezione.values)


class TestoWidget(widgets.Widget):
    """Text without surrounding spaces; an empty cell is an empty string."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodiceRiferimentoWidget(CodiceWidget):
    """A code of a national list; ``esempio`` is shown when the cell is empty and required."""

    def __init__(self, model, etichetta: str, esempio: str | None = None, maiuscolo=False):
        super().__init__(model, "codice", etichetta)
        self.esempio = esempio
        self.maiuscolo = maiuscolo

    def normalizza(self, value) -> str:
        testo = str(value).strip()
        return testo.upper() if self.maiuscolo else testo

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            if self.esempio is None:
                return None
            raise ValueError(f"Indicare {self.etichetta.lower()} (codice, es. {self.esempio}).")
        return super().clean(self.normalizza(value), row, **kwargs)


class ObiettivoWidget(CodiceRiferimentoWidget):
    def normalizza(self, value) -> str:
        return str(value).strip().replace(",", ".")  # 2,1 as an Italian spreadsheet may write it


class AreaInterventoWidget(CodiceRiferimentoWidget):
    def normalizza(self, value) -> str:
        try:
            return str(int(float(str(value).strip().replace(",", "."))))  # 1.0 from Excel is 1
        except ValueError as exc:
            raise ValueError(
                f"Area di intervento «{value}» inesistente: indicare 1, 2 o 3."
            ) from exc


def leggi_sezioni(value) -> set[str]:
    """``"ambito; comunale"`` → the sections; separators ; or , and any capitalisation."""
    testo = "" if value is None else str(value)
    nomi = {p.strip().lower().replace(" ", "_") for p in testo.replace(",", ";").split(";")}
    nomi.discard("")
    if not nomi:
        raise ValueError(f"Indicare almeno una sezione ({SEZIONI_AMMESSE}).")
    sconosciute = sorted(nomi - set(Sezione.values))
    if sconosciute:
        elenco = ", ".join(f"«{s}»" for s in sconosciute)
        raise ValueError(f"Sezione {elenco} sconosciuta: ammesse {SEZIONI_AMMESSE}.")
    return nomi


def scrivi_sezioni(voce: VoceCatalogo) -> str:
    return "; ".join(s for s in Sezione.values if voce.ammessa_in(s))


class VoceCatalogoResource(RisorsaFoglio):
    """Columns: codice, nome, obiettivo_servizio, area_intervento, area_utenza, leps, sezioni,
    prestazione_siuss, descrizione. Rows are matched by code within the cycle."""

    codice = fields.Field("codice", "codice", TestoWidget())
    nome = fields.Field("nome", "nome", TestoWidget())
    obiettivo_servizio = fields.Field(
        "obiettivo_servizio",
        "obiettivo_servizio",
        ObiettivoWidget(ObiettivoServizio, "Obiettivo di servizio", esempio="2.1"),
    )
    area_intervento = fields.Field(
        "area_intervento",
        "area_intervento",
        AreaInterventoWidget(AreaInterventoFnps, "Area di intervento", esempio="1"),
    )
    area_utenza = fields.Field(
        "area_utenza",
        "area_utenza",
        CodiceRiferimentoWidget(AreaUtenzaIstat, "Area di utenza", esempio="FAM", maiuscolo=True),
    )
    leps = fields.Field("leps", "leps", SiNoWidget())
    sezioni = fields.Field("sezioni", "sezioni")
    prestazione_siuss = fields.Field(
        "prestazione_siuss",
        "prestazione_siuss",
        CodiceRiferimentoWidget(PrestazioneSiuss, "Prestazione SIUSS", maiuscolo=True),
    )
    descrizione = fields.Field("descrizione", "descrizione", TestoWidget())

    def __init__(self, ciclo: Ciclo):
        super().__init__()
        self.ciclo = ciclo

    class Meta:
        model = VoceCatalogo
        import_id_fields = ["codice"]
        fields = [
            "codice",
            "nome",
            "obiettivo_servizio",
            "area_intervento",
            "area_utenza",
            "leps",
            "sezioni",
            "prestazione_siuss",
            "descrizione",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            VoceCatalogo.objects.filter(ciclo=self.ciclo)
            .select_related(
                "obiettivo_servizio", "area_intervento", "area_utenza", "prestazione_siuss"
            )
            .order_by("codice")
        )

    def init_instance(self, row=None):
        return VoceCatalogo(ciclo=self.ciclo)

    def dehydrate_sezioni(self, voce: VoceCatalogo) -> str:
        return scrivi_sezioni(voce)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "sezioni":
            sezioni = leggi_sezioni(row.get("sezioni"))
            instance.in_ambito = Sezione.AMBITO in sezioni
            instance.in_comunale = Sezione.COMUNALE in sezioni
            instance.in_altre_risorse = Sezione.ALTRE_RISORSE in sezioni
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or original is None or original.pk is None:
            return False
        return all(getattr(instance, c) == getattr(original, c) for c in CAMPI_CONFRONTATI)

    def do_instance_save(self, instance, is_create):
        services_catalogo.voce_salva(ciclo=self.ciclo, voce=instance)
