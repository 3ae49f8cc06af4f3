"""The Region's table of plans: every ambito × plan of a cycle, its state and since when, its money.

A fixed number of queries however many ambiti and plans: the ambiti, the plans with their latest
transition and version (correlated subqueries), the open remarks (one grouped count) and each
phase's money totals (registered through ``registry.registra_totali``, one query per phase).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from pianizona import registry
from pianizona.models import Ambito, Ciclo, Commento, Piano, Regione, Transizione, Versione

ZERO = Decimal("0.00")
SENZA_PIANO = "nessuno"  # the state filter's choice for ambiti with no (matching) plan


@dataclass(frozen=True)
class FiltriPiani:
    stato: str = ""  # a Piano.Stato value, SENZA_PIANO, or "" for all
    tipo: str = ""  # a Piano.Tipo value or "" for all
    provincia: str = ""  # the province of the ambito's lead municipality
    osservazioni_aperte: bool = False  # only the plans with an open review remark


@dataclass
class RigaPiano:
    ambito: Ambito
    piano: Piano | None = None
    nello_stato_dal: date | None = None
    giorni_nello_stato: int | None = None
    ultima_versione: int | None = None
    budget: Decimal | None = None
    allocato: Decimal | None = None
    osservazioni_aperte: int = 0

    @property
    def provincia(self) -> str:
        capofila = self.ambito.comune_capofila
        return capofila.provincia if capofila else ""

    @property
    def da_allocare(self) -> Decimal | None:
        if self.piano is None:
            return None
        return (self.budget or ZERO) - (self.allocato or ZERO)


@dataclass
class PianiDellaRegione:
    regione: Regione
    ciclo: Ciclo
    righe: list[RigaPiano] = field(default_factory=list)

    @property
    def piani(self) -> list[RigaPiano]:
        return [r for r in self.righe if r.piano is not None]

    @property
    def totale_budget(self) -> Decimal:
        return sum((r.budget or ZERO for r in self.righe), ZERO)

    @property
    def totale_allocato(self) -> Decimal:
        return sum((r.allocato or ZERO for r in self.righe), ZERO)

    @property
    def totale_da_allocare(self) -> Decimal:
        return self.totale_budget - self.totale_allocato

    @property
    def totale_osservazioni(self) -> int:
        return sum(r.osservazioni_aperte for r in self.righe)


def ambiti_della_regione(regione: Regione) -> list[Ambito]:
    return list(
        Ambito.objects.filter(regione=regione).select_related("comune_capofila").order_by("codice")
    )


def province(ambiti: list[Ambito]) -> list[str]:
    """The provinces of the ambiti's lead municipalities, for the filter's choices."""
    return sorted({a.comune_capofila.provincia for a in ambiti if a.comune_capofila})


def _piani(ciclo: Ciclo, ambiti: list[Ambito], filtri: FiltriPiani) -> list[Piano]:
    ultima_transizione = Transizione.objects.filter(piano=OuterRef("pk")).order_by(
        "-eseguita_il", "-pk"
    )
    ultima_versione = Versione.objects.filter(piano=OuterRef("pk")).order_by("-numero")
    piani = Piano.objects.filter(ciclo=ciclo, ambito__in=[a.pk for a in ambiti])
    if filtri.tipo:
        piani = piani.filter(tipo=filtri.tipo)
    if filtri.stato and filtri.stato != SENZA_PIANO:
        piani = piani.filter(stato=filtri.stato)
    if filtri.osservazioni_aperte:
        piani = piani.filter(
            Exists(
                Commento.objects.filter(
                    piano=OuterRef("pk"), risposta_a__isnull=True, risolto_il__isnull=True
                )
            )
        )
    return list(
        piani.annotate(
            nello_stato_dal=Coalesce(
                Subquery(ultima_transizione.values("eseguita_il")[:1]), F("creato_il")
            ),
            ultima_versione=Subquery(ultima_versione.values("numero")[:1]),
        ).order_by("ambito__codice", F("anno").asc(nulls_first=True))  # the triennial first
    )


def _osservazioni_aperte(piani: list[Piano]) -> dict[int, int]:
    return dict(
        Commento.objects.filter(
            piano__in=[p.pk for p in piani], risposta_a__isnull=True, risolto_il__isnull=True
        )
        .values_list("piano_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _giorno(momento: datetime) -> date:
    return timezone.localtime(momento).date()


def piani_della_regione(
    regione: Regione,
    ciclo: Ciclo,
    ambiti: list[Ambito],
    filtri: FiltriPiani,
    oggi: date | None = None,
) -> PianiDellaRegione:
    """One row per plan of the cycle, and one for each ambito without a (matching) plan.

    Ambiti without a plan are listed unless a state is chosen (they have none); the state
    SENZA_PIANO lists only them.
    """
    oggi = oggi or timezone.localdate()
    if filtri.provincia:
        ambiti = [
            a
            for a in ambiti
            if a.comune_capofila and a.comune_capofila.provincia == filtri.provincia
        ]
    piani = _piani(ciclo, ambiti, filtri)
    per_ambito: dict[int, list[Piano]] = {}
    for piano in piani:
        per_ambito.setdefault(piano.ambito_id, []).append(piano)
    if filtri.stato == SENZA_PIANO:
        piani = []  # only the ambiti without a plan are listed
    totali = registry.totali_dei_piani(piani)
    osservazioni = _osservazioni_aperte(piani) if piani else {}

    risultato = PianiDellaRegione(regione, ciclo)
    for ambito in ambiti:
        suoi = per_ambito.get(ambito.pk, [])
        senza_filtri_sui_piani = (
            filtri.stato in ("", SENZA_PIANO) and not filtri.osservazioni_aperte
        )
        if not suoi and senza_filtri_sui_piani:
            risultato.righe.append(RigaPiano(ambito=ambito))
        if filtri.stato == SENZA_PIANO:
            continue
        for piano in suoi:
            piano.ambito, piano.ciclo = ambito, ciclo  # for titles and links: no query per plan
            dal = _giorno(piano.nello_stato_dal)
            importi = totali.get(piano.pk, {})
            risultato.righe.append(
                RigaPiano(
                    ambito=ambito,
                    piano=piano,
                    nello_stato_dal=dal,
                    giorni_nello_stato=(oggi - dal).days,
                    ultima_versione=piano.ultima_versione,
                    budget=importi.get("budget", ZERO),
                    allocato=importi.get("allocato", ZERO),
                    osservazioni_aperte=osservazioni.get(piano.pk, 0),
                )
            )
    return risultato


INTESTAZIONE_ESPORTAZIONE = [
    "ambito_codice",
    "ambito",
    "provincia",
    "piano_id",
    "tipo",
    "anno",
    "stato",
    "stato_descrizione",
    "nello_stato_dal",
    "giorni_nello_stato",
    "ultima_versione",
    "budget",
    "allocato",
    "da_allocare",
    "osservazioni_aperte",
]


def piani_foglio(righe: list[RigaPiano]) -> tablib.Dataset:
    """The table as data: amounts as numbers (dot decimals in CSV), dates in ISO format."""
    dataset = tablib.Dataset(headers=INTESTAZIONE_ESPORTAZIONE, title="Piani")
    for riga in righe:
        piano = riga.piano
        dataset.append(
            [
                riga.ambito.codice,
                riga.ambito.nome,
                riga.provincia,
                piano.pk if piano else "",
                piano.tipo if piano else "",
                (piano.anno or "") if piano else "",
                piano.stato if piano else "",
                piano.get_stato_display() if piano else "Nessun piano",
                riga.nello_stato_dal.isoformat() if riga.nello_stato_dal else "",
                riga.giorni_nello_stato if piano else "",
                riga.ultima_versione or "",
                riga.budget if piano else "",
                riga.allocato if piano else "",
                riga.da_allocare if piano else "",
                riga.osservazioni_aperte if piano else "",
            ]
        )
    return dataset
