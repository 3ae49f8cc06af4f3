"""Reads of the allocation phase: the allocation picture of a plan and its checks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_UP, Decimal

from django.db.models import Prefetch, Sum

from pianizona.models import Ciclo, FonteFinanziamento, Piano, User, UsoFonte
from pianizona.money import CENT
from risorse.models import FonteCiclo, Vincolo
from risorse.selectors import ZERO, TabellaImporti, anni_del_piano, budget_del_piano

from .models import Allocazione, Narrativa, SchedaIntervento, Sezione, VoceCatalogo

# (fonte_id, anno) → amount
Importi = dict[tuple[int, int], Decimal]


def catalogo_del_ciclo(ciclo: Ciclo) -> list[VoceCatalogo]:
    return list(
        VoceCatalogo.objects.filter(ciclo=ciclo).select_related(
            "obiettivo_servizio__macro_livello",
            "area_intervento",
            "area_utenza",
            "prestazione_siuss",
        )
    )


def voci_ammesse(ciclo: Ciclo, sezione: str) -> list[VoceCatalogo]:
    campo = {
        Sezione.AMBITO: "in_ambito",
        Sezione.COMUNALE: "in_comunale",
        Sezione.ALTRE_RISORSE: "in_altre_risorse",
    }[sezione]
    return [v for v in catalogo_del_ciclo(ciclo) if getattr(v, campo)]


def fonti_per_sezioni(
    piano: Piano, budget: TabellaImporti | None = None
) -> dict[str, list[FonteFinanziamento]]:
    """The funds a sheet may use, per section.

    Those the Region activated in the cycle for the section (ordinary or other resources), plus
    any other fund the plan has budget of (its co-financing, resources it brought in) by the
    fund's own section: money in the budget can always be programmed somewhere.
    """
    attive = {
        fc.fonte_id: (fc.sezione, fc.fonte)
        for fc in FonteCiclo.objects.filter(ciclo_id=piano.ciclo_id).select_related("fonte")
    }
    per_tipo: dict[str, dict[int, FonteFinanziamento]] = {"ordinarie": {}, "altre_risorse": {}}
    for pk, (sezione_fonte, fonte) in attive.items():
        if fonte.ammessa(UsoFonte.ALLOCAZIONE):  # RES has no budget of its own
            per_tipo[sezione_fonte][pk] = fonte
    if budget is None:
        budget = budget_del_piano(piano).tabella
    for fonte in budget.fonti:
        if fonte.pk not in attive and fonte.ammessa(UsoFonte.ALLOCAZIONE):
            per_tipo[fonte.sezione][fonte.pk] = fonte

    def ordinate(fonti: dict[int, FonteFinanziamento]) -> list[FonteFinanziamento]:
        return sorted(fonti.values(), key=lambda f: (f.ordine, f.codice))

    return {
        sezione: ordinate(
            per_tipo["altre_risorse" if sezione == Sezione.ALTRE_RISORSE else "ordinarie"]
        )
        for sezione in Sezione.values
    }


def fonti_per_sezione(
    piano: Piano, sezione: str, budget: TabellaImporti | None = None
) -> list[FonteFinanziamento]:
    """``budget``: the plan's budget table when the caller has read it already."""
    return fonti_per_sezioni(piano, budget)[sezione]


def schede_del_piano(
    piano: Piano, sezione: str | None = None, *, con_allocazioni: bool = True
) -> list[SchedaIntervento]:
    """The sheets with catalogue entry, municipality and allocations, in a fixed number of queries.

    ``con_allocazioni=False`` leaves the allocations out, for pages that only sum them.
    """
    schede = SchedaIntervento.objects.filter(piano=piano).select_related(
        "voce__obiettivo_servizio", "voce__area_intervento", "comune"
    )
    if sezione:
        schede = schede.filter(sezione=sezione)
    if con_allocazioni:
        schede = schede.prefetch_related(
            Prefetch("allocazioni", queryset=Allocazione.objects.select_related("fonte"))
        )
    return list(schede.order_by("numero"))


def allocato_del_piano(piano: Piano, escludi_scheda: int | None = None) -> Importi:
    righe = Allocazione.objects.filter(scheda__piano=piano)
    if escludi_scheda is not None:
        righe = righe.exclude(scheda_id=escludi_scheda)
    return {
        (r["fonte_id"], r["anno"]): r["totale"]
        for r in righe.values("fonte_id", "anno").annotate(totale=Sum("importo"))
    }


@dataclass
class RigaQuadro:
    fonte: FonteFinanziamento
    anno: int
    budget: Decimal
    allocato: Decimal

    @property
    def da_programmare(self) -> Decimal:
        return self.budget - self.allocato

    @property
    def sovra_allocata(self) -> bool:
        return self.allocato > self.budget


@dataclass
class Quadro:
    """Budget − allocated per fund × year: the live panel beside every allocation form."""

    anni: list[int]
    righe: list[RigaQuadro] = field(default_factory=list)

    def per_fonte(self) -> list[tuple[FonteFinanziamento, list[RigaQuadro]]]:
        gruppi: dict[int, list[RigaQuadro]] = defaultdict(list)
        fonti = {}
        for riga in self.righe:
            gruppi[riga.fonte.pk].append(riga)
            fonti[riga.fonte.pk] = riga.fonte
        return [(fonti[pk], gruppi[pk]) for pk in fonti]

    @property
    def totale_budget(self) -> Decimal:
        return sum((r.budget for r in self.righe), ZERO)

    @property
    def totale_allocato(self) -> Decimal:
        return sum((r.allocato for r in self.righe), ZERO)


def quadro_allocazioni(piano: Piano, allocato: Importi | None = None) -> Quadro:
    """``allocato`` replaces the saved totals (e.g. with a sheet's unsaved input) when given."""
    anni = anni_del_piano(piano)
    budget = budget_del_piano(piano).tabella
    allocato = allocato_del_piano(piano) if allocato is None else allocato
    fonti = {f.pk: f for f in budget.fonti}
    mancanti = {fonte_id for fonte_id, _ in allocato} - set(fonti)
    if mancanti:
        fonti |= {f.pk: f for f in FonteFinanziamento.objects.filter(pk__in=mancanti)}
    quadro = Quadro(anni=anni)
    for fonte in sorted(fonti.values(), key=lambda f: (f.ordine, f.codice)):
        for anno in anni:
            quadro.righe.append(
                RigaQuadro(
                    fonte, anno, budget.importo(fonte, anno), allocato.get((fonte.pk, anno), ZERO)
                )
            )
    return quadro


def con_importi_di_scheda(piano: Piano, scheda_id: int | None, importi: Importi) -> Importi:
    """The plan's totals if one sheet's allocations were ``importi`` (for the live panel)."""
    totali = allocato_del_piano(piano, escludi_scheda=scheda_id)
    for chiave, importo in importi.items():
        totali[chiave] = totali.get(chiave, ZERO) + importo
    return totali


def allocato_per_area(
    piano: Piano, escludi_scheda: int | None = None
) -> dict[tuple[int, int, int], Decimal]:
    """Allocated per (fund id, year, FNPS area id): what earmarks are measured on."""
    righe = Allocazione.objects.filter(scheda__piano=piano)
    if escludi_scheda is not None:
        righe = righe.exclude(scheda_id=escludi_scheda)
    return {
        (r["fonte_id"], r["anno"], r["scheda__voce__area_intervento_id"]): r["totale"]
        for r in righe.values("fonte_id", "anno", "scheda__voce__area_intervento_id").annotate(
            totale=Sum("importo")
        )
    }


@dataclass(frozen=True)
class StatoVincolo:
    vincolo: Vincolo
    anno: int
    budget: Decimal
    nell_area: Decimal

    @property
    def richiesto(self) -> Decimal:
        """The smallest amount, to the cent, that meets the minimum percentage."""
        return (self.budget * self.vincolo.percentuale_minima / 100).quantize(
            CENT, rounding=ROUND_UP
        )

    @property
    def percentuale(self) -> Decimal:
        return (self.nell_area * 100 / self.budget).quantize(CENT) if self.budget else ZERO

    @property
    def rispettato(self) -> bool:
        return self.nell_area >= self.richiesto

    @property
    def mancano(self) -> Decimal:
        return max(self.richiesto - self.nell_area, ZERO)


def stato_vincoli(
    piano: Piano, quadro: Quadro | None = None, per_area: dict | None = None
) -> list[StatoVincolo]:
    """Each earmark of the cycle, per year of the plan, against the fund's budget that year."""
    quadro = quadro or quadro_allocazioni(piano)
    budget = {(r.fonte.pk, r.anno): r.budget for r in quadro.righe}
    if per_area is None:
        per_area = allocato_per_area(piano)
    stati = []
    for vincolo in Vincolo.objects.filter(ciclo_id=piano.ciclo_id).select_related("fonte", "area"):
        for anno in quadro.anni:
            base = budget.get((vincolo.fonte_id, anno), ZERO)
            if base <= 0:
                continue  # no resources of that fund that year: nothing to earmark
            nell_area = per_area.get((vincolo.fonte_id, anno, vincolo.area_id), ZERO)
            stati.append(StatoVincolo(vincolo, anno, base, nell_area))
    return stati


@dataclass(frozen=True)
class Capitolo:
    """One chapter as the pages show it, written or not."""

    codice: str
    titolo: str
    testo: str
    aggiornato_da: User | None
    aggiornato_il: datetime | None


def capitoli_del_piano(piano: Piano) -> list[Capitolo]:
    """The seven chapters in their fixed order, in one query however many are written."""
    scritti = {
        n.capitolo: n for n in Narrativa.objects.filter(piano=piano).select_related("aggiornato_da")
    }
    capitoli = []
    for codice, titolo in Narrativa.Capitolo.choices:
        scritto = scritti.get(codice)
        capitoli.append(
            Capitolo(
                codice,
                titolo,
                scritto.testo if scritto else "",
                scritto.aggiornato_da if scritto else None,
                scritto.aggiornato_il if scritto else None,
            )
        )
    return capitoli
