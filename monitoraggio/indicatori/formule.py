"""The formulas of computed indicators: each computes every ambito × year (and the region) at once.

A formula reads the data already loaded by ``Dati`` (a few aggregate queries, made once per
recalculation whatever the number of ambiti, years or indicators) and returns
``{(ambito_id | None, anno): Calcolo}``; ``None`` as ambito is the region as a whole. A value that
cannot be computed (nothing approved, a zero denominator) is ``Calcolo(None, reason)``, never an
error. The region's figure is the same ratio over the ambiti that have the data, not an average.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Q, Sum

from pianizona.models import Ambito, Comune, Piano, Regione
from risorse.models import Cofinanziamento

from ..models import Indicatore, Rendicontazione
from ..programmato import (
    CODICE_FNPS,
    allocazioni_programmate,
    piani_di_riferimento,
    ultime_dichiarazioni,
)

ZERO = Decimal("0")
CENTO = Decimal("100")
QUATTRO_DECIMALI = Decimal("0.0001")  # ValoreIndicatore.valore keeps four decimals
AREA_INFANZIA = 1  # FNPS intervention area 1: childhood, adolescence and families

SENZA_PIANO = "Nessun piano approvato per l'anno."
SENZA_POPOLAZIONE = "Popolazione residente non disponibile."
SENZA_PROGRAMMATO = "Nulla di programmato per l'anno nel piano approvato."
SENZA_FNPS = "Nessun importo FNPS programmato per l'anno."
SENZA_RENDICONTAZIONE = "Nessuna rendicontazione inviata alla Regione per l'anno."

# Reports whose figures count: the ones the Region has received (a draft is still being written).

Chiave = tuple[int | None, int]


@dataclass(frozen=True)
class Calcolo:
    valore: Decimal | None
    nota: str = ""
    # How many ambiti the figure counts (those with the data): for captions, not for equality.
    ambiti: int = field(default=0, compare=False)


def arrotonda(valore: Decimal | None) -> Decimal | None:
    """Four decimals, as stored: a recomputed value compares equal to the saved one."""
    return None if valore is None else valore.quantize(QUATTRO_DECIMALI, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RigaProgrammato:
    fonte: str
    area_intervento: int
    area_utenza_id: int
    leps: bool
    importo: Decimal


class Dati:
    """What the formulas read, for every ambito of a region and the given years; each source is
    loaded on first use with one aggregate query (two for the programmed amounts)."""

    def __init__(self, regione: Regione, anni: Iterable[int]):
        self.regione = regione
        self.anni = sorted(set(anni))

    @cached_property
    def ambiti(self) -> dict[int, str]:
        """Ambito pk → code, for every ambito of the region."""
        return dict(
            Ambito.objects.filter(regione=self.regione)
            .order_by("codice")
            .values_list("pk", "codice")
        )

    @cached_property
    def popolazione(self) -> dict[int, int]:
        righe = (
            Comune.objects.filter(ambito__regione=self.regione)
            .values("ambito_id")
            .annotate(totale=Sum("popolazione"))
            .order_by()
        )
        return {r["ambito_id"]: r["totale"] or 0 for r in righe}

    @cached_property
    def riferimento(self) -> dict[tuple[int, int], Piano]:
        """(ambito, anno) → the approved plan programming that year."""
        return piani_di_riferimento(self.ambiti, self.anni)

    @cached_property
    def programmato(self) -> dict[tuple[int, int], list[RigaProgrammato]]:
        righe = (
            allocazioni_programmate(self.ambiti, self.anni)
            .values(
                "scheda__piano__ambito_id",
                "anno",
                "fonte__codice",
                "scheda__voce__area_intervento__codice",
                "scheda__voce__area_utenza_id",
                "scheda__voce__leps",
            )
            .annotate(totale=Sum("importo"))
            .order_by()
        )
        per_chiave: dict[tuple[int, int], list[RigaProgrammato]] = defaultdict(list)
        for r in righe:
            per_chiave[(r["scheda__piano__ambito_id"], r["anno"])].append(
                RigaProgrammato(
                    fonte=r["fonte__codice"],
                    area_intervento=r["scheda__voce__area_intervento__codice"],
                    area_utenza_id=r["scheda__voce__area_utenza_id"],
                    leps=r["scheda__voce__leps"],
                    importo=r["totale"] or ZERO,
                )
            )
        return per_chiave

    @cached_property
    def cofinanziamento(self) -> dict[tuple[int, int], Decimal]:
        """(ambito, anno) → the municipalities' co-financing in that year's reference plan."""
        piani = {piano.pk: piano.ambito_id for piano in self.riferimento.values()}
        righe = (
            Cofinanziamento.objects.filter(piano_id__in=piani, anno__in=self.anni)
            .values("piano_id", "anno")
            .annotate(totale=Sum("importo"))
            .order_by()
        )
        totali: dict[tuple[int, int], Decimal] = {}
        for r in righe:
            chiave = (piani[r["piano_id"]], r["anno"])
            riferimento = self.riferimento.get(chiave)
            if riferimento is not None and riferimento.pk == r["piano_id"]:  # the plan of the year
                totali[chiave] = r["totale"] or ZERO
        return totali

    @cached_property
    def rendicontato(self) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
        """(ambito, anno) → (committed, paid): each line's latest declaration, summed."""
        righe = (
            ultime_dichiarazioni(
                Q(
                    rendicontazione__ambito__regione=self.regione,
                    rendicontazione__anno__in=self.anni,
                    rendicontazione__stato__in=Rendicontazione.STATI_RENDICONTATI,
                )
            )
            .values("rendicontazione__ambito_id", "rendicontazione__anno")
            .annotate(impegnato=Sum("impegnato"), liquidato=Sum("liquidato"))
            .order_by()
        )
        return {
            (r["rendicontazione__ambito_id"], r["rendicontazione__anno"]): (
                r["impegnato"] or ZERO,
                r["liquidato"] or ZERO,
            )
            for r in righe
        }

    def somma(
        self, ambito_id: int, anno: int, condizione: Callable[[RigaProgrammato], bool]
    ) -> Decimal:
        return sum(
            (r.importo for r in self.programmato.get((ambito_id, anno), []) if condizione(r)),
            ZERO,
        )


# Computes one figure for a group of ambiti (one ambito, or all of the region) in one year.
Gruppo = Callable[[list[int], int], Calcolo]


def per_ambito_e_regione(dati: Dati, calcola: Gruppo) -> dict[Chiave, Calcolo]:
    valori: dict[Chiave, Calcolo] = {}
    tutti = list(dati.ambiti)
    for anno in dati.anni:
        for ambito_id in tutti:
            valori[(ambito_id, anno)] = calcola([ambito_id], anno)
        valori[(None, anno)] = calcola(tutti, anno)
    return valori


def _con_piano(dati: Dati, ambiti: list[int], anno: int) -> list[int]:
    return [a for a in ambiti if (a, anno) in dati.riferimento]


def _quoziente(numeratore: Decimal, denominatore: Decimal, nota_zero: str, fattore=1) -> Calcolo:
    if not denominatore:
        return Calcolo(None, nota_zero)
    return Calcolo(arrotonda(numeratore * fattore / denominatore))


def per_abitante_nel_periodo(
    dati: Dati, ambiti: list[int], anni: list[int], importo: Callable[[int, int], Decimal]
) -> Calcolo:
    """``importo`` of the ambiti with an approved plan for any of ``anni``, over their inhabitants.

    The one definition of a group's figure per inhabitant: one ambito, the region, a province.
    """
    con_piano = [a for a in ambiti if any((a, anno) in dati.riferimento for anno in anni)]
    if not con_piano:
        return Calcolo(None, SENZA_PIANO)
    numeratore = sum((importo(a, anno) for a in con_piano for anno in anni), ZERO)
    abitanti = sum(dati.popolazione.get(a, 0) for a in con_piano)
    return replace(
        _quoziente(numeratore, Decimal(abitanti), SENZA_POPOLAZIONE), ambiti=len(con_piano)
    )


def programmato(dati: Dati, ambito_id: int, anno: int) -> Decimal:
    """Everything the ambito's reference plan programmes for the year, every fund."""
    return dati.somma(ambito_id, anno, _tutto)


def _per_abitante(dati: Dati, importo: Callable[[int, int], Decimal]) -> Gruppo:
    def calcola(ambiti: list[int], anno: int) -> Calcolo:
        return per_abitante_nel_periodo(dati, ambiti, [anno], importo)

    return calcola


def _importo(dati: Dati, condizione: Callable[[RigaProgrammato], bool]) -> Gruppo:
    def calcola(ambiti: list[int], anno: int) -> Calcolo:
        con_piano = _con_piano(dati, ambiti, anno)
        if not con_piano:
            return Calcolo(None, SENZA_PIANO)
        totale = sum((dati.somma(a, anno, condizione) for a in con_piano), ZERO)
        return Calcolo(arrotonda(totale), ambiti=len(con_piano))

    return calcola


def _quota(
    dati: Dati,
    parte: Callable[[RigaProgrammato], bool],
    tutto: Callable[[RigaProgrammato], bool],
    nota_zero: str,
) -> Gruppo:
    def calcola(ambiti: list[int], anno: int) -> Calcolo:
        con_piano = _con_piano(dati, ambiti, anno)
        if not con_piano:
            return Calcolo(None, SENZA_PIANO)
        numeratore = sum((dati.somma(a, anno, parte) for a in con_piano), ZERO)
        denominatore = sum((dati.somma(a, anno, tutto) for a in con_piano), ZERO)
        return replace(
            _quoziente(numeratore, denominatore, nota_zero, CENTO), ambiti=len(con_piano)
        )

    return calcola


def _tutto(_: RigaProgrammato) -> bool:
    return True


# --- the formulas --------------------------------------------------------------------------------


def spesa_sociale_per_abitante(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    """Programmed amounts of every fund per inhabitant; only the ISTAT user area if it has one."""
    area = indicatore.area_utenza_id

    def condizione(r: RigaProgrammato) -> bool:
        return area is None or r.area_utenza_id == area

    return per_ambito_e_regione(
        dati, _per_abitante(dati, lambda a, anno: dati.somma(a, anno, condizione))
    )


def quota_fnps_infanzia(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    """FNPS programmed in intervention area 1 on all FNPS programmed, in %."""
    return per_ambito_e_regione(
        dati,
        _quota(
            dati,
            lambda r: r.fonte == CODICE_FNPS and r.area_intervento == AREA_INFANZIA,
            lambda r: r.fonte == CODICE_FNPS,
            SENZA_FNPS,
        ),
    )


def cofinanziamento_per_abitante(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    return per_ambito_e_regione(
        dati, _per_abitante(dati, lambda a, anno: dati.cofinanziamento.get((a, anno), ZERO))
    )


def rendicontato_su_programmato(dati: Dati, indice: int) -> dict[Chiave, Calcolo]:
    """Committed (indice 0) or paid (1) on programmed, in %, over the ambiti with an approved plan
    that submitted their report: each ambito, and the region as their sum."""

    def calcola(ambiti: list[int], anno: int) -> Calcolo:
        con_piano = _con_piano(dati, ambiti, anno)
        if not con_piano:
            return Calcolo(None, SENZA_PIANO)
        rendicontati = [a for a in con_piano if (a, anno) in dati.rendicontato]
        if not rendicontati:
            return Calcolo(None, SENZA_RENDICONTAZIONE)
        numeratore = sum((dati.rendicontato[(a, anno)][indice] for a in rendicontati), ZERO)
        totale = sum((programmato(dati, a, anno) for a in rendicontati), ZERO)
        return replace(
            _quoziente(numeratore, totale, SENZA_PROGRAMMATO, CENTO), ambiti=len(rendicontati)
        )

    return per_ambito_e_regione(dati, calcola)


def percentuale_impegnata(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    return rendicontato_su_programmato(dati, 0)


def percentuale_liquidata(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    return rendicontato_su_programmato(dati, 1)


def spesa_leps(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    return per_ambito_e_regione(dati, _importo(dati, lambda r: r.leps))


def quota_leps(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    return per_ambito_e_regione(dati, _quota(dati, lambda r: r.leps, _tutto, SENZA_PROGRAMMATO))


def spesa_sociale_programmata(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    area = indicatore.area_utenza_id
    return per_ambito_e_regione(
        dati, _importo(dati, lambda r: area is None or r.area_utenza_id == area)
    )


def ambiti_con_piano_approvato(dati: Dati, indicatore: Indicatore) -> dict[Chiave, Calcolo]:
    """Regional only: how many ambiti have an approved plan for the year."""
    valori = {}
    for anno in dati.anni:
        con_piano = len(_con_piano(dati, list(dati.ambiti), anno))
        valori[(None, anno)] = Calcolo(Decimal(con_piano), ambiti=con_piano)
    return valori


@dataclass(frozen=True)
class Formula:
    nome: str
    descrizione: str
    calcola: Callable[[Dati, Indicatore], dict[Chiave, Calcolo]]
    livelli: tuple[str, ...] = (Indicatore.Livello.AMBITO, Indicatore.Livello.REGIONALE)


FORMULE: dict[str, Formula] = {
    f.nome: f
    for f in [
        Formula(
            "spesa_sociale_per_abitante",
            "Spesa programmata per abitante (per area di utenza se indicata)",
            spesa_sociale_per_abitante,
        ),
        Formula(
            "spesa_sociale_programmata",
            "Spesa programmata in euro (per area di utenza se indicata)",
            spesa_sociale_programmata,
        ),
        Formula(
            "quota_fnps_infanzia",
            "Quota FNPS nell'area infanzia, adolescenza e famiglie (%)",
            quota_fnps_infanzia,
        ),
        Formula(
            "cofinanziamento_per_abitante",
            "Cofinanziamento comunale per abitante",
            cofinanziamento_per_abitante,
        ),
        Formula(
            "percentuale_impegnata",
            "Impegnato su programmato (%)",
            percentuale_impegnata,
        ),
        Formula(
            "percentuale_liquidata",
            "Liquidato su programmato (%)",
            percentuale_liquidata,
        ),
        Formula("spesa_leps", "Spesa programmata per i LEPS (€)", spesa_leps),
        Formula("quota_leps", "Quota della spesa programmata per i LEPS (%)", quota_leps),
        Formula(
            "ambiti_con_piano_approvato",
            "Ambiti con un piano approvato per l'anno",
            ambiti_con_piano_approvato,
            livelli=(Indicatore.Livello.REGIONALE,),
        ),
    ]
}
