"""The whole allocation of a plan in one spreadsheet: exported, filled in offline, imported back.

One row per sheet × fund × year (every fund the sheet's section may use, empty where nothing is
allocated). Rows are matched by (scheda, fonte, anno); the descriptive columns (sezione, voce,
titolo, comune) only say which sheet a row is about and must agree with it, since sheets are
created and edited on their own pages. An empty amount means no allocation. An import that would
push any fund-year over its budget is refused in the preview, and again at confirmation before
anything is written.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, widgets

from pianizona.dominio import piano_blocca_per_modifica
from pianizona.importazioni.foglio import codice_numerico
from pianizona.importazioni.resources import AnnoWidget, EuroWidget, RisorsaFoglio
from pianizona.importazioni.services import Anteprima, importa
from pianizona.iter.cronologia import modifica_del_piano
from pianizona.models import FonteFinanziamento, Modifica, Piano, User, UsoFonte
from pianizona.money import format_euro
from pianizona.revisioni import revisione_avanza, revisione_corrente
from risorse.selectors import ZERO, anni_del_piano

from . import selectors, services
from .models import Allocazione, SchedaIntervento, Sezione

COLONNE = ["scheda", "sezione", "voce", "titolo", "comune", "fonte", "anno", "importo"]
DESCRITTIVE = ["sezione", "voce", "titolo", "comune"]

# (scheda id, fonte id, anno) → the saved allocation
Chiave = tuple[int, int, int]


def _testo(valore) -> str:
    """A cell as text: numbers without a trailing ``.0``, spaces collapsed."""
    if valore is None:
        return ""
    if isinstance(valore, float) and valore.is_integer():
        valore = int(valore)
    return " ".join(str(valore).split())


class _DatiDelPiano:
    """What reading the file needs from the database, read once for every row."""

    def __init__(self, piano: Piano):
        self.piano = piano

    @cached_property
    def schede(self) -> dict[int, SchedaIntervento]:
        return {
            s.numero: s
            for s in SchedaIntervento.objects.filter(piano=self.piano).select_related(
                "voce", "comune"
            )
        }

    @cached_property
    def fonti(self) -> dict[str, FonteFinanziamento]:
        regione_id = self.piano.ambito.regione_id
        return {f.codice.upper(): f for f in FonteFinanziamento.objects.della_regione(regione_id)}

    @cached_property
    def consentite(self) -> dict[str, set[int]]:
        """Per section, the ids of the funds its sheets may use."""
        return {
            sezione: {f.pk for f in fonti}
            for sezione, fonti in selectors.fonti_per_sezioni(self.piano).items()
        }

    @cached_property
    def _salvate(self) -> tuple[dict[Chiave, Allocazione], dict[Chiave, Decimal]]:
        # The amounts are kept apart from the instances, which the import changes in memory.
        istanze = {
            (a.scheda_id, a.fonte_id, a.anno): a
            for a in Allocazione.objects.filter(scheda__piano=self.piano)
        }
        return istanze, {chiave: a.importo for chiave, a in istanze.items()}

    @property
    def allocazioni(self) -> dict[Chiave, Allocazione]:
        return self._salvate[0]

    @property
    def importi(self) -> dict[Chiave, Decimal]:
        """The saved amounts, as they were before the import."""
        return self._salvate[1]


class SchedaWidget(widgets.Widget):
    """A sheet of the plan written as its code: ``S-3`` (also ``s3`` or ``3``)."""

    FORMA = re.compile(r"(?:s\s*-?\s*)?(\d+)", re.IGNORECASE)

    def __init__(self, dati: _DatiDelPiano):
        super().__init__()
        self.dati = dati

    def clean(self, value, row=None, **kwargs) -> SchedaIntervento:
        testo = _testo(value)
        if not testo:
            raise ValueError("Indicare la scheda (codice, es. S-1).")
        forma = self.FORMA.fullmatch(testo)
        scheda = self.dati.schede.get(int(forma.group(1))) if forma else None
        if scheda is None:
            raise ValueError(
                f"La scheda «{testo}» non esiste nel piano: le schede si creano dalla loro pagina."
            )
        return scheda

    def render(self, value, obj=None, **kwargs) -> str:
        return value.codice if value else ""


class FonteWidget(widgets.Widget):
    """A fund written as its code (FNPS, FNA, …)."""

    def __init__(self, dati: _DatiDelPiano):
        super().__init__()
        self.dati = dati

    def clean(self, value, row=None, **kwargs) -> FonteFinanziamento:
        testo = _testo(value)
        if not testo:
            raise ValueError("Indicare la fonte (codice, es. FNPS).")
        fonte = self.dati.fonti.get(testo.upper())
        if fonte is None:
            raise ValueError(f"Fonte «{testo}» inesistente.")
        return fonte

    def render(self, value, obj=None, **kwargs) -> str:
        return value.codice if value else ""


class ImportoWidget(EuroWidget):
    """An amount, or nothing: an empty cell (or zero) means no allocation."""

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        importo = super().clean(value, row, **kwargs)
        return importo or None


@dataclass(frozen=True)
class RigaLetta:
    scheda: SchedaIntervento
    fonte: FonteFinanziamento
    anno: int
    importo: Decimal | None

    @property
    def chiave(self) -> Chiave:
        return (self.scheda.pk, self.fonte.pk, self.anno)


class AllocazioneResource(RisorsaFoglio):
    """Columns: scheda (S-n), sezione, voce, titolo, comune (ISTAT), fonte, anno, importo."""

    def __init__(self, piano: Piano):
        super().__init__()
        self.piano = piano
        self.dati = _DatiDelPiano(piano)
        self.toccate: dict[int, SchedaIntervento] = {}  # sheets whose allocation the import changed
        self.tolte = 0  # allocations removed by an emptied amount
        self._riga: RigaLetta | None = None
        self.fields["scheda"] = fields.Field("scheda", "scheda", SchedaWidget(self.dati))
        for nome in DESCRITTIVE:
            self.fields[nome] = fields.Field(column_name=nome, readonly=True)
        self.fields["fonte"] = fields.Field("fonte", "fonte", FonteWidget(self.dati))
        self.fields["anno"] = fields.Field("anno", "anno", AnnoWidget(anni_del_piano(piano)))
        self.fields["importo"] = fields.Field("importo", "importo", ImportoWidget())

    class Meta:
        model = Allocazione
        import_id_fields = ["scheda", "fonte", "anno"]
        fields = COLONNE
        export_order = COLONNE
        skip_unchanged = True
        report_skipped = True

    # --- Export: the descriptive columns come from the sheet -----------------------------------

    def dehydrate_sezione(self, obj: Allocazione) -> str:
        return obj.scheda.sezione

    def dehydrate_voce(self, obj: Allocazione) -> str:
        return obj.scheda.voce.codice

    def dehydrate_titolo(self, obj: Allocazione) -> str:
        return obj.scheda.titolo

    def dehydrate_comune(self, obj: Allocazione) -> str:
        return obj.scheda.comune.codice_istat if obj.scheda.comune_id else ""

    # --- Import: every row is read and checked before import-export touches it ------------------

    def leggi(self, row) -> RigaLetta:
        """One row's sheet, fund, year and amount; ValidationError names what is wrong."""
        errori: dict[str, str] = {}
        valori = {}
        for nome in ("scheda", "fonte", "anno", "importo"):
            if nome not in row:
                errori[nome] = f"Manca la colonna «{nome}»."
                continue
            try:
                valori[nome] = self.fields[nome].clean(row)
            except ValueError as err:
                errori[nome] = str(err)
        scheda = valori.get("scheda")
        if scheda is not None:
            errori |= self._descrizione_diversa(scheda, row)
            if messaggio := self._fonte_non_ammessa(scheda, valori):
                errori["fonte"] = messaggio
        if errori:
            raise ValidationError(errori)
        return RigaLetta(scheda, valori["fonte"], valori["anno"], valori["importo"])

    def _fonte_non_ammessa(self, scheda: SchedaIntervento, valori: dict) -> str | None:
        """A new or changed amount on a fund the sheet's section may not use."""
        fonte, anno, importo = valori.get("fonte"), valori.get("anno"), valori.get("importo")
        if fonte is None or anno is None or importo is None:
            return None  # nothing to allocate, or already an error of its own
        if fonte.pk in self.dati.consentite[scheda.sezione]:
            return None
        if self.dati.importi.get((scheda.pk, fonte.pk, anno)) == importo:
            return None  # an amount already there may stay as it is
        if not fonte.ammessa(UsoFonte.ALLOCAZIONE):
            return fonte.rifiuto(UsoFonte.ALLOCAZIONE)
        return (
            f"La fonte {fonte.codice} non è utilizzabile tra i "
            f"«{Sezione(scheda.sezione).label.lower()}» in questo ciclo."
        )

    def _descrizione_diversa(self, scheda: SchedaIntervento, row) -> dict[str, str]:
        """Descriptive cells that disagree with the sheet; an empty cell is not checked."""
        valori = {c: _testo(row.get(c)) for c in DESCRITTIVE}
        errori = {}
        sezione = valori["sezione"]
        if sezione and sezione.lower() not in (
            scheda.sezione,
            scheda.get_sezione_display().lower(),
        ):
            errori["sezione"] = (
                f"La scheda {scheda.codice} è nella sezione «{scheda.sezione}», non «{sezione}»."
            )
        voce = valori["voce"]
        if voce and voce.upper() != scheda.voce.codice.upper():
            errori["voce"] = (
                f"La scheda {scheda.codice} ha la voce «{scheda.voce.codice}» del catalogo, "
                f"non «{voce}»."
            )
        titolo = valori["titolo"]
        if titolo and titolo.casefold() != " ".join(scheda.titolo.split()).casefold():
            errori["titolo"] = (
                f"La scheda {scheda.codice} si intitola «{scheda.titolo}», non «{titolo}»."
            )
        comune = valori["comune"]
        if comune:
            codice = codice_numerico(comune, 6)  # Excel drops leading zeros
            atteso = scheda.comune.codice_istat if scheda.comune_id else ""
            if codice != atteso:
                errori["comune"] = (
                    f"La scheda {scheda.codice} è del comune «{atteso}», non «{comune}»."
                    if atteso
                    else f"La scheda {scheda.codice} non è di un comune, il file indica «{comune}»."
                )
        return errori

    def before_import_row(self, row, **kwargs) -> None:
        self._riga = self.leggi(row)  # a ValidationError makes the row invalid, with its messages

    def get_instance(self, instance_loader, row) -> Allocazione | None:
        return self.dati.allocazioni.get(self._riga.chiave)

    def init_instance(self, row=None) -> Allocazione:
        r = self._riga
        return Allocazione(scheda=r.scheda, fonte=r.fonte, anno=r.anno)

    def for_delete(self, row, instance) -> bool:
        return self._riga.importo is None  # nothing saved yet: import-export counts it as skipped

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        super().save_instance(instance, is_create, row, **kwargs)
        self.toccate[instance.scheda_id] = instance.scheda

    def delete_instance(self, instance, row, **kwargs) -> None:
        super().delete_instance(instance, row, **kwargs)
        self.toccate[instance.scheda_id] = instance.scheda
        self.tolte += 1

    # --- The whole file against the budget -----------------------------------------------------

    def sovra_allocazioni(self, dataset: tablib.Dataset) -> list[tuple[str, int, Decimal, Decimal]]:
        """Fund-years the file would push (further) over budget: (fund code, year, total, budget).

        Computed from the saved amounts and the readable rows, before anything is written.
        """
        nuovi: dict[Chiave, Decimal] = {}
        for row in self.normalizza(dataset).dict:
            try:
                riga = self.leggi(row)
            except ValidationError:
                continue  # shown as a row error; the import cannot be confirmed anyway
            nuovi[riga.chiave] = riga.importo or ZERO
        prima: selectors.Importi = {}
        for (_, fonte_id, anno), importo in self.dati.importi.items():
            prima[(fonte_id, anno)] = prima.get((fonte_id, anno), ZERO) + importo
        dopo = dict(prima)
        for (scheda_id, fonte_id, anno), importo in nuovi.items():
            salvato = self.dati.importi.get((scheda_id, fonte_id, anno), ZERO)
            dopo[(fonte_id, anno)] = dopo.get((fonte_id, anno), ZERO) - salvato + importo
        # The rule of services._sovra_allocazioni (lowering an excess is always allowed), read
        # through the allocation picture, which names every fund, even one with no budget at all.
        quadro = selectors.quadro_allocazioni(self.piano, allocato=dopo)
        return [
            (r.fonte.codice, r.anno, r.allocato, r.budget)
            for r in quadro.righe
            if r.sovra_allocata and r.allocato > prima.get((r.fonte.pk, r.anno), ZERO)
        ]


@dataclass
class AnteprimaAllocazioni(Anteprima):
    """The import preview, with how many saved amounts an emptied cell removes."""

    tolte: int = 0


def _con_tolte(anteprima: Anteprima, risorsa: AllocazioneResource) -> AnteprimaAllocazioni:
    # A removed amount is a modified row: the preview's counts add up to the rows of the file.
    dati = {**vars(anteprima), "modificate": anteprima.modificate + risorsa.tolte}
    return AnteprimaAllocazioni(**dati, tolte=risorsa.tolte)


def messaggio_sovra_allocazione(fonte: str, anno: int, totale: Decimal, budget: Decimal) -> str:
    return (
        f"{fonte} {anno}: con questo file gli importi allocati sarebbero {format_euro(totale)} "
        f"su un budget di {format_euro(budget)}, oltre di {format_euro(totale - budget)}. "
        "L'importazione non si può confermare finché il file supera il budget."
    )


# --- Export, preview, import -------------------------------------------------------------------


def righe_da_esportare(piano: Piano) -> list[Allocazione]:
    """Every fund × year each sheet may use, empty where nothing is allocated, then any amount
    saved outside them: the file shows the whole allocation and can be filled in offline."""
    anni = anni_del_piano(piano)
    per_sezione = selectors.fonti_per_sezioni(piano)
    righe = []
    for scheda in selectors.schede_del_piano(piano):
        salvate = {(a.fonte_id, a.anno): a for a in scheda.allocazioni.all()}
        for fonte in per_sezione[scheda.sezione]:
            for anno in anni:
                riga = salvate.pop((fonte.pk, anno), None)
                righe.append(
                    riga or Allocazione(scheda=scheda, fonte=fonte, anno=anno, importo=None)
                )
        righe += salvate.values()
    return righe


def allocazioni_foglio(piano: Piano) -> tablib.Dataset:
    dataset = AllocazioneResource(piano).export(righe_da_esportare(piano))
    dataset.title = "Allocazioni"
    return dataset


def allocazioni_anteprima(*, piano: Piano, dataset: tablib.Dataset) -> AnteprimaAllocazioni:
    """What the import would do, row by row, in a rolled-back run; over-budget fund-years are
    errors of the whole file (line 0), so the preview offers no confirmation."""
    risorsa = AllocazioneResource(piano)
    eccessi = risorsa.sovra_allocazioni(dataset)
    anteprima = _con_tolte(importa(risorsa, dataset, conferma=False), risorsa)
    anteprima.errori += [(0, messaggio_sovra_allocazione(*e)) for e in eccessi]
    anteprima.errori.sort()
    return anteprima


@modifica_del_piano("Importi importati da foglio di calcolo", origine=Modifica.Origine.IMPORTAZIONE)
def allocazioni_importa(
    *, piano: Piano, dataset: tablib.Dataset, user: User | None
) -> AnteprimaAllocazioni:
    """Import the file: all rows or none, with the plan locked.

    Refuses before writing anything when the file would over-allocate a fund-year; moves on the
    allocation revision of every sheet it changes, so pages opened before it get a conflict.
    """
    piano = piano_blocca_per_modifica(piano)
    risorsa = AllocazioneResource(piano)
    if eccessi := risorsa.sovra_allocazioni(dataset):
        raise services.SovraAllocazione(eccessi)
    anteprima = importa(risorsa, dataset, conferma=True)
    for scheda_id in sorted(risorsa.toccate):
        scheda = risorsa.toccate[scheda_id]
        revisione_avanza(
            proprietario=scheda,
            tabella=services.TABELLA_ALLOCAZIONI,
            attesa=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
            user=user,
        )
    return _con_tolte(anteprima, risorsa)
