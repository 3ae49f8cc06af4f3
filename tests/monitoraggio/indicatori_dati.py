"""Hand-computed data for the indicator tests, on the cast (BA01 = ambito A, BA02 = ambito B).

Populations are set to round figures: A 100.000 (Bari 90.000 + Valenzano 10.000), B 50.000.
Two catalogue entries: INF (FNPS area 1, family and minors, LEPS) and DOM (FNPS area 2, elderly).

A's triennial plan (approved) programmes
  2025: INF FNPS 60.000; DOM FNPS 40.000 + FNA 100.000     → 200.000, FNPS 100.000 (60% area 1)
  2026: INF FNPS 30.000                                   →  30.000
  2027: nothing
and its municipalities co-finance 2025: Bari 100.000 + Valenzano 20.000 = 120.000.
B's triennial plan, when approved, programmes 2025: DOM FNPS 50.000.
A's 2025 report (submitted): latest declarations commit 150.000 and pay 100.000.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from monitoraggio.indicatori.services import indicatori_carica_catalogo
from monitoraggio.models import Dichiarazione, Rendicontazione
from pianizona.models import (
    Ambito,
    AreaUtenzaIstat,
    Comune,
    FonteFinanziamento,
    Piano,
    Regione,
    User,
)
from programmazione.models import Allocazione, SchedaIntervento, VoceCatalogo
from risorse.models import Cofinanziamento
from tests.factories import AmbitoFactory, ComuneFactory, PianoFactory


@dataclass
class Voci:
    infanzia: VoceCatalogo
    domiciliare: VoceCatalogo


def aree_utenza() -> None:
    """The ISTAT user areas the standard catalogue names (the fixtures create only two)."""
    for codice, nome in [
        ("FAM", "Famiglia e minori"),
        ("DIS", "Disabili"),
        ("ELD", "Anziani"),
        ("POV", "Povertà, disagio adulti e senza dimora"),
    ]:
        AreaUtenzaIstat.objects.get_or_create(codice=codice, defaults={"nome": nome})


def carica_catalogo(regione: Regione) -> None:
    aree_utenza()
    indicatori_carica_catalogo(regione=regione)


def popolazioni_tonde(cast) -> None:
    for nome, popolazione in [("Bari", 90_000), ("Valenzano", 10_000), ("Altamura", 50_000)]:
        Comune.objects.filter(nome=nome, regione=cast.regione).update(popolazione=popolazione)


def voci(cast, riferimenti) -> Voci:
    ciclo = cast.piano_a.ciclo

    def voce(codice, area, utenza, leps) -> VoceCatalogo:
        return VoceCatalogo.objects.create(
            ciclo=ciclo,
            codice=codice,
            nome=f"Voce {codice}",
            obiettivo_servizio=riferimenti.accesso,
            area_intervento=area,
            area_utenza=utenza,
            leps=leps,
        )

    return Voci(
        infanzia=voce("INF", riferimenti.infanzia, riferimenti.famiglia, True),
        domiciliare=voce("DOM", riferimenti.disabilita, riferimenti.anziani, False),
    )


def scheda(piano: Piano, voce: VoceCatalogo, importi: list[tuple[FonteFinanziamento, int, int]]):
    numero = SchedaIntervento.objects.filter(piano=piano).count() + 1
    nuova = SchedaIntervento.objects.create(
        piano=piano,
        sezione="ambito",
        voce=voce,
        numero=numero,
        titolo=f"{voce.nome} {numero}",
        gestione="diretta",
    )
    for fonte, anno, importo in importi:
        Allocazione.objects.create(scheda=nuova, fonte=fonte, anno=anno, importo=Decimal(importo))
    return nuova


def approva(piano: Piano) -> None:
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.APPROVATO)
    piano.stato = Piano.Stato.APPROVATO


def programma_a(cast, fonti, v: Voci) -> None:
    fnps, fna = fonti["FNPS"], fonti["FNA"]
    scheda(cast.piano_a, v.infanzia, [(fnps, 2025, 60_000), (fnps, 2026, 30_000)])
    scheda(cast.piano_a, v.domiciliare, [(fnps, 2025, 40_000), (fna, 2025, 100_000)])
    for comune, importo in [("Bari", 100_000), ("Valenzano", 20_000)]:
        Cofinanziamento.objects.create(
            piano=cast.piano_a,
            comune=Comune.objects.get(nome=comune, regione=cast.regione),
            anno=2025,
            importo=Decimal(importo),
        )
    approva(cast.piano_a)


def programma_b(cast, fonti, v: Voci) -> None:
    scheda(cast.piano_b, v.domiciliare, [(fonti["FNPS"], 2025, 50_000)])


def programma_a_e_b(cast, fonti, riferimenti) -> Voci:
    """Round populations, the two catalogue entries, A's plan approved, B's programmed only."""
    popolazioni_tonde(cast)
    v = voci(cast, riferimenti)
    programma_a(cast, fonti, v)
    programma_b(cast, fonti, v)
    return v


def rendiconta(
    ambito: Ambito,
    piano: Piano,
    anno: int,
    righe: list[tuple],
    user: User,
    stato: str = Rendicontazione.Stato.INVIATA,
) -> Rendicontazione:
    """``righe``: (fonte, obiettivo, area, data, impegnato, liquidato) declarations, in order."""
    rendicontazione = Rendicontazione.objects.create(
        ambito=ambito, ciclo=piano.ciclo, anno=anno, stato=stato
    )
    for fonte, obiettivo, area, data, impegnato, liquidato in righe:
        Dichiarazione.objects.create(
            rendicontazione=rendicontazione,
            fonte=fonte,
            obiettivo_servizio=obiettivo,
            area_intervento=area,
            data=data,
            impegnato=Decimal(impegnato),
            liquidato=Decimal(liquidato),
            dichiarata_da=user,
        )
    return rendicontazione


def rendiconta_a(cast, fonti, riferimenti) -> Rendicontazione:
    r = riferimenti
    return rendiconta(
        cast.ambito_a,
        cast.piano_a,
        2025,
        [
            (fonti["FNPS"], r.accesso, r.infanzia, date(2025, 6, 30), 30_000, 10_000),
            (fonti["FNPS"], r.accesso, r.infanzia, date(2025, 12, 31), 50_000, 40_000),
            (fonti["FNA"], r.domiciliare, r.disabilita, date(2025, 12, 31), 100_000, 60_000),
        ],
        cast.responsabile_a,
    )


def altro_ambito(cast, fonti, v: Voci, n: int) -> Ambito:
    """One more ambito of the region, 10.000 inhabitants, approved plan with 10.000 € FNPS, a report."""
    ambito = AmbitoFactory(regione=cast.regione, codice=f"BA9{n}", nome=f"Ambito extra {n}")
    ComuneFactory(ambito=ambito, regione=cast.regione, popolazione=10_000)
    piano = PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo, stato=Piano.Stato.APPROVATO)
    scheda(piano, v.infanzia, [(fonti["FNPS"], 2025, 10_000)])
    rendiconta(
        ambito,
        piano,
        2025,
        [
            (
                fonti["FNPS"],
                v.infanzia.obiettivo_servizio,
                v.infanzia.area_intervento,
                date(2025, 12, 31),
                5_000,
                1_000,
            )
        ],
        cast.responsabile_a,
    )
    return ambito
