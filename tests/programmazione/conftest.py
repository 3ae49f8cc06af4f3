"""The allocation phase's cast: a small catalogue for the cast's cycle and a budget to allocate.

The budget of ``piano_a`` (built through the risorse services, as the Region and the district
would): FNPS 100.000 € a year, FNA 50.000 € in 2025, PNRR (another resource) 200.000 € in 2025.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Ciclo,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    Piano,
)
from pianizona.revisioni import revisione_corrente
from programmazione.models import VoceCatalogo
from risorse import services as risorse_services
from risorse.models import FonteCiclo, RisorsaAggiuntiva, Vincolo
from tests.risorse import conftest as risorse_conftest

fonti = risorse_conftest.fonti
ciclo_configurato = risorse_conftest.ciclo_configurato


@dataclass
class Riferimenti:
    infanzia: AreaInterventoFnps  # FNPS area 1
    disabilita: AreaInterventoFnps  # FNPS area 2
    poverta: AreaInterventoFnps  # FNPS area 3
    accesso: ObiettivoServizio
    domiciliare: ObiettivoServizio
    famiglia: AreaUtenzaIstat
    anziani: AreaUtenzaIstat


@pytest.fixture
def riferimenti(db) -> Riferimenti:
    """The few national codes the catalogue hangs from (a slice of pianizona/data/reference)."""
    accesso_ml, _ = MacroLivello.objects.get_or_create(
        codice=1, defaults={"nome": "Servizi per l'accesso e la presa in carico"}
    )
    domicilio_ml, _ = MacroLivello.objects.get_or_create(
        codice=2, defaults={"nome": "Servizi e misure per favorire la permanenza a domicilio"}
    )

    def area(codice: int, nome: str) -> AreaInterventoFnps:
        return AreaInterventoFnps.objects.get_or_create(codice=codice, defaults={"nome": nome})[0]

    def utenza(codice: str, nome: str) -> AreaUtenzaIstat:
        return AreaUtenzaIstat.objects.get_or_create(codice=codice, defaults={"nome": nome})[0]

    return Riferimenti(
        infanzia=area(1, "Infanzia, adolescenza e responsabilità familiari"),
        disabilita=area(2, "Disabilità e non autosufficienza"),
        poverta=area(3, "Povertà ed esclusione sociale"),
        accesso=ObiettivoServizio.objects.get_or_create(
            codice="1.1", defaults={"nome": "Accesso", "macro_livello": accesso_ml}
        )[0],
        domiciliare=ObiettivoServizio.objects.get_or_create(
            codice="2.1", defaults={"nome": "Assistenza domiciliare", "macro_livello": domicilio_ml}
        )[0],
        famiglia=utenza("FAM", "Famiglia e minori"),
        anziani=utenza("ELD", "Anziani"),
    )


def crea_voce(
    ciclo: Ciclo,
    riferimenti: Riferimenti,
    codice: str,
    nome: str,
    *,
    area: AreaInterventoFnps | None = None,
    **sezioni,
) -> VoceCatalogo:
    return VoceCatalogo.objects.create(
        ciclo=ciclo,
        codice=codice,
        nome=nome,
        obiettivo_servizio=riferimenti.accesso,
        area_intervento=area or riferimenti.infanzia,
        area_utenza=riferimenti.famiglia,
        **sezioni,
    )


@dataclass
class Catalogo:
    segretariato: VoceCatalogo  # every section, FNPS area 1
    domiciliare: VoceCatalogo  # every section, FNPS area 2
    centro_diurno: VoceCatalogo  # servizi d'ambito only
    pnrr: VoceCatalogo  # altre risorse only


@pytest.fixture
def catalogo(cast, riferimenti) -> Catalogo:
    ciclo = cast.piano_a.ciclo
    return Catalogo(
        segretariato=crea_voce(ciclo, riferimenti, "A1.01", "Segretariato sociale"),
        domiciliare=crea_voce(
            ciclo,
            riferimenti,
            "B2.01",
            "Assistenza domiciliare",
            area=riferimenti.disabilita,
        ),
        centro_diurno=crea_voce(
            ciclo,
            riferimenti,
            "C3.01",
            "Centro diurno",
            in_comunale=False,
            in_altre_risorse=False,
        ),
        pnrr=crea_voce(
            ciclo,
            riferimenti,
            "P1.01",
            "Progetto PNRR 1.1.1",
            in_ambito=False,
            in_comunale=False,
            area=riferimenti.poverta,
        ),
    )


def assegna(piano: Piano, fonte: FonteFinanziamento, anno: int, importo: Decimal) -> None:
    """The Region transfers ``importo`` of ``fonte`` for ``anno`` to the plan's ambito."""
    ciclo = piano.ciclo
    tabella = risorse_services.tabella_assegnazioni(fonte, anno)
    risorse_services.assegnazioni_salva(
        ciclo=ciclo,
        fonte=fonte,
        anno=anno,
        importi={piano.ambito_id: importo},
        revisione=revisione_corrente(ciclo, tabella),
        user=None,
    )


@pytest.fixture
def budget(cast, fonti, ciclo_configurato) -> dict[str, FonteFinanziamento]:
    """FNPS 100.000 € a year, FNA 50.000 € in 2025, PNRR 200.000 € in 2025 (altre risorse)."""
    FonteCiclo.objects.create(ciclo=ciclo_configurato, fonte=fonti["PNRR"], sezione="altre_risorse")
    for anno in (2025, 2026, 2027):
        assegna(cast.piano_a, fonti["FNPS"], anno, Decimal("100000.00"))
    assegna(cast.piano_a, fonti["FNA"], 2025, Decimal("50000.00"))
    risorse_services.risorsa_aggiuntiva_salva(
        piano=cast.piano_a,
        risorsa=RisorsaAggiuntiva(
            fonte=fonti["PNRR"], anno=2025, importo=Decimal("200000.00"), descrizione="M5C2 1.1"
        ),
    )
    return fonti


@pytest.fixture
def vincolo_fnps(cast, budget, riferimenti) -> Vincolo:
    """The Region's earmark: at least 50% of FNPS to children, adolescents and families."""
    return risorse_services.vincolo_crea(
        ciclo=cast.piano_a.ciclo,
        fonte=budget["FNPS"],
        area=riferimenti.infanzia,
        percentuale=Decimal("50"),
    )
