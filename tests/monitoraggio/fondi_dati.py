"""Fund-monitoring test data, hand-computed on the allocation phase's cast.

``piano_a`` (BA01) is approved and programmes 2025 on three lines:

| line                               | sheets                         | programmed |
|------------------------------------|--------------------------------|-----------:|
| FNPS · 1.1 Accesso · area 1        | S1 30.000 + S3 10.000          |  40.000,00 |
| FNPS · 1.1 Accesso · area 2        | S2 20.000                      |  20.000,00 |
| FNA  · 1.1 Accesso · area 2        | S2 5.000                       |   5.000,00 |

FNPS total 2025: 60.000 €; the Region transferred 100.000 € of FNPS a year (the budget fixture).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from monitoraggio.fondi import services
from monitoraggio.models import Rendicontazione
from pianizona.models import AreaInterventoFnps, FonteFinanziamento, ObiettivoServizio, Piano
from programmazione.models import Allocazione, SchedaIntervento, Sezione

ANNO = 2025
OGGI = date(2026, 3, 1)  # "today" in these tests: the whole of 2025 is in the past


@dataclass
class Linee:
    fnps: FonteFinanziamento
    fna: FonteFinanziamento
    obiettivo: ObiettivoServizio
    infanzia: AreaInterventoFnps
    disabilita: AreaInterventoFnps

    def fnps_infanzia(self) -> dict:
        return {"fonte": self.fnps, "obiettivo": self.obiettivo, "area": self.infanzia}

    def fnps_disabilita(self) -> dict:
        return {"fonte": self.fnps, "obiettivo": self.obiettivo, "area": self.disabilita}

    def fna_disabilita(self) -> dict:
        return {"fonte": self.fna, "obiettivo": self.obiettivo, "area": self.disabilita}


def _scheda(piano: Piano, numero: int, voce) -> SchedaIntervento:
    return SchedaIntervento.objects.create(
        piano=piano,
        numero=numero,
        sezione=Sezione.AMBITO,
        voce=voce,
        titolo=f"Intervento {numero}",
        gestione="diretta",
    )


def alloca(scheda: SchedaIntervento, fonte, anno: int, importo: str) -> None:
    Allocazione.objects.create(scheda=scheda, fonte=fonte, anno=anno, importo=Decimal(importo))


@pytest.fixture
def oggi(monkeypatch):
    """Freeze the local date the services compare declarations with."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: OGGI)
    return OGGI


@pytest.fixture
def linee(cast, budget, catalogo, riferimenti) -> Linee:
    piano = cast.piano_a
    s1 = _scheda(piano, 1, catalogo.segretariato)
    s2 = _scheda(piano, 2, catalogo.domiciliare)
    s3 = _scheda(piano, 3, catalogo.centro_diurno)
    alloca(s1, budget["FNPS"], ANNO, "30000")
    alloca(s2, budget["FNPS"], ANNO, "20000")
    alloca(s3, budget["FNPS"], ANNO, "10000")
    alloca(s2, budget["FNA"], ANNO, "5000")
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.APPROVATO)
    piano.refresh_from_db()
    return Linee(
        budget["FNPS"],
        budget["FNA"],
        riferimenti.accesso,
        riferimenti.infanzia,
        riferimenti.disabilita,
    )


@pytest.fixture
def rendicontazione(cast, linee, oggi) -> Rendicontazione:
    return services.rendicontazione_apri(ambito=cast.ambito_a, anno=ANNO, user=cast.operatore_a)


def dichiara(
    rendicontazione, user, linea: dict, data: date, impegnato: str, liquidato: str, **extra
):
    return services.dichiarazione_registra(
        rendicontazione=rendicontazione,
        data=data,
        impegnato=Decimal(impegnato),
        liquidato=Decimal(liquidato),
        user=user,
        **linea,
        **extra,
    )
