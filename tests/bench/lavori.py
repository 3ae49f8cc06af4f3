"""Long operations timed on their own (they run in a worker, not behind a page): the plan's PDF
at full scale, the regional batch of PDFs, the region's indicator recalculation (with its query
count). Adding one is one line in LAVORI.

Each runs inside a transaction rolled back afterwards, so its preparation may change the data.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from monitoraggio.indicatori.services import indicatori_carica_catalogo, indicatori_ricalcola
from monitoraggio.models import StoricoValoreIndicatore, ValoreIndicatore
from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.models import Piano, Transizione, User, Versione
from programmazione import stampa

from .scenarios import FUNZIONARIO, Db


@dataclass(frozen=True)
class Esito:
    prodotto: str  # what one run produced, e.g. "33 pagine, 60 schede"
    secondi: float


@dataclass(frozen=True)
class Lavoro:
    name: str
    esegui: Callable[[Db], Esito]  # one run, timed inside (preparation excluded)
    ripetizioni: int = 1
    obiettivo_s: float | None = None  # the target; exceeding it is reported, not an error
    riscaldamento: bool = True  # one untimed run first (templates, fonts, WeasyPrint's caches)


@dataclass
class MisuraLavoro:
    lavoro: Lavoro
    esiti: list[Esito]

    @property
    def mediana(self) -> float:
        return statistics.median(e.secondi for e in self.esiti)

    @property
    def entro_obiettivo(self) -> bool | None:
        if self.lavoro.obiettivo_s is None:
            return None
        return self.mediana <= self.lavoro.obiettivo_s

    def as_dict(self) -> dict:
        return {
            "job": self.lavoro.name,
            "produced": self.esiti[-1].prodotto,
            "median_s": round(self.mediana, 3),
            "runs_s": [round(e.secondi, 3) for e in self.esiti],
            "target_s": self.lavoro.obiettivo_s,
            "within_target": self.entro_obiettivo,
        }


def pdf_del_piano(codice: str) -> Callable[[Db], Esito]:
    """The draft of an ambito's triennial plan (about 60 sheets at --scale full)."""

    def esegui(db: Db) -> Esito:
        piano = db.piano_triennale(codice)
        inizio = time.perf_counter()
        risultato = stampa.stampa_del_piano(piano)
        secondi = time.perf_counter() - inizio
        schede = piano.schede.count()
        prodotto = f"{codice}: {risultato.pagine} pagine, {schede} schede, "
        prodotto += f"{len(risultato.contenuto) // 1024} KB"
        return Esito(prodotto, secondi)

    return esegui


def _approva_tutti(db: Db) -> int:
    """Every triennial plan of the current cycle approved on a frozen version, as after a review."""
    regione = db.regione()
    ciclo = db.ciclo(regione)
    funzionario = User.objects.get(email=FUNZIONARIO)
    piani = list(Piano.objects.filter(ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE))
    con_versione = set(Versione.objects.filter(piano__in=piani).values_list("piano_id", flat=True))
    for piano in piani:
        if piano.pk in con_versione:
            continue
        istantanea = istantanea_del_piano(piano)
        istantanea.piano.update(versione=1, stato=Piano.Stato.INVIATO)
        versione = Versione.objects.create(
            piano=piano,
            numero=1,
            creata_da=funzionario,
            contenuto=istantanea.as_dict(),
            impronta=istantanea.impronta(),
        )
        Transizione.objects.create(
            piano=piano,
            azione=Transizione.Azione.APPROVAZIONE,
            da_stato=Piano.Stato.IN_ISTRUTTORIA,
            a_stato=Piano.Stato.APPROVATO,
            utente=funzionario,
            versione=versione,
        )
    Piano.objects.filter(pk__in=[p.pk for p in piani]).update(stato=Piano.Stato.APPROVATO)
    return len(piani)


def lotto_regionale(db: Db) -> Esito:
    """The ZIP of the cycle's approved plans, once all 45 are approved."""
    with transaction.atomic():
        _approva_tutti(db)
        ciclo = db.ciclo(db.regione())
        inizio = time.perf_counter()
        contenuto, piani = stampa.zip_dei_piani_approvati(
            ciclo, lambda percentuale, messaggio: None
        )
        secondi = time.perf_counter() - inizio
        transaction.set_rollback(True)
    mb = len(contenuto) / 1024 / 1024
    return Esito(f"{piani} PDF, {mb:.1f} MB, {secondi / piani:.2f} s a piano", secondi)


def ricalcolo_indicatori_regione(db: Db) -> Esito:
    """Every indicator of every ambito over the cycle's 3 years, from scratch, all plans approved."""
    with transaction.atomic():
        regione = db.regione()
        ciclo = db.ciclo(regione)
        Piano.objects.filter(ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE).update(
            stato=Piano.Stato.APPROVATO
        )
        indicatori_carica_catalogo(regione=regione)
        ValoreIndicatore.objects.filter(indicatore__regione=regione).delete()
        StoricoValoreIndicatore.objects.filter(indicatore__regione=regione).delete()
        with CaptureQueriesContext(connection) as queries:
            inizio = time.perf_counter()
            esito = indicatori_ricalcola(regione=regione, anni=ciclo.anni)
            secondi = time.perf_counter() - inizio
        transaction.set_rollback(True)
    ambiti = len({r.ambito_codice for r in esito.righe if r.ambito_codice})
    indicatori = len({r.indicatore.pk for r in esito.righe})
    prodotto = f"{ambiti} ambiti × {indicatori} indicatori × {len(ciclo.anni)} anni = "
    prodotto += f"{len(esito.righe)} valori, {len(queries)} query"
    return Esito(prodotto, secondi)


LAVORI: list[Lavoro] = [
    Lavoro("PDF del piano (scala full)", pdf_del_piano("BA01"), ripetizioni=3, obiettivo_s=3.0),
    # After the plan's PDF, so already warm: a second 45-plan run would only double the wait.
    Lavoro("Lotto regionale 45 PDF", lotto_regionale, riscaldamento=False),
    # The same approved versions again: laid out once (at approval, by the worker), then read back.
    Lavoro("Lotto regionale 45 PDF, già impaginati", lotto_regionale, riscaldamento=False),
    Lavoro("Ricalcolo indicatori della regione", ricalcolo_indicatori_regione, obiettivo_s=15.0),
]


def misura_lavoro(lavoro: Lavoro, db: Db) -> MisuraLavoro:
    if lavoro.riscaldamento:
        lavoro.esegui(db)
    return MisuraLavoro(lavoro, [lavoro.esegui(db) for _ in range(lavoro.ripetizioni)])


def tabella_lavori(misure: list[MisuraLavoro]) -> str:
    righe = []
    for m in misure:
        obiettivo = ""
        if m.lavoro.obiettivo_s is not None:
            verdetto = "entro" if m.entro_obiettivo else "OLTRE"
            obiettivo = f" (obiettivo {m.lavoro.obiettivo_s:.0f} s: {verdetto})"
        righe.append(f"  {m.lavoro.name}: {m.mediana:.2f} s{obiettivo} — {m.esiti[-1].prodotto}")
    return "\n".join(righe)
