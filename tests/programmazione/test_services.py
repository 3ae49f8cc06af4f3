"""The allocation services and checks: every rule that refuses a write or fails a check."""

from decimal import Decimal

import pytest

from pianizona.dominio import ErroreDominio, PianoNonModificabile
from pianizona.models import Comune, Piano
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from programmazione import controlli, selectors, services
from programmazione.models import (
    Allocazione,
    BeneficiariPrevisti,
    FiguraProfessionale,
    SchedaIntervento,
    Sezione,
)
from risorse import services as risorse_services

from ..factories import CicloFactory, PianoFactory, UserFactory
from .conftest import assegna, crea_voce

pytestmark = pytest.mark.django_db

EURO = "\xa0€"


def nuova_scheda(piano: Piano, voce, sezione: str = Sezione.AMBITO, **campi) -> SchedaIntervento:
    dati = {"titolo": f"Intervento {voce.codice}", "gestione": "diretta", **campi}
    return services.scheda_salva(
        piano=piano, scheda=SchedaIntervento(sezione=sezione, voce=voce, **dati)
    )


def alloca(piano: Piano, scheda: SchedaIntervento, importi: dict, user=None) -> int:
    """``importi``: {(fonte, anno): amount}; reads the current revision, as a fresh page would."""
    return services.allocazioni_salva(
        piano=piano,
        scheda=scheda,
        importi={(f.pk, a): i for (f, a), i in importi.items()},
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        user=user,
    )


def importi_di(scheda: SchedaIntervento) -> dict:
    return {
        (a.fonte.codice, a.anno): a.importo
        for a in Allocazione.objects.filter(scheda=scheda).select_related("fonte")
    }


# --- Over-allocation ---------------------------------------------------------------------------


def test_allocating_beyond_a_funds_budget_is_refused_naming_fund_year_and_amounts(
    cast, catalogo, budget
):
    fnps, fna = budget["FNPS"], budget["FNA"]
    prima = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, prima, {(fnps, 2025): Decimal("60000.00")})
    seconda = nuova_scheda(cast.piano_a, catalogo.domiciliare)

    with pytest.raises(services.SovraAllocazione) as err:
        alloca(
            cast.piano_a,
            seconda,
            {
                (fnps, 2025): Decimal("40000.50"),
                (fnps, 2026): Decimal("10.00"),
                (fna, 2025): Decimal("50000.01"),
            },
        )
    assert str(err.value) == (
        "Importi oltre il budget, nulla è stato salvato. "
        f"FNPS 2025: allocati 100.000,50{EURO} su un budget di 100.000,00{EURO}, "
        f"oltre di 0,50{EURO}; "
        f"FNA 2025: allocati 50.000,01{EURO} su un budget di 50.000,00{EURO}, oltre di 0,01{EURO}."
    )
    assert importi_di(seconda) == {}  # not even the FNPS 2026 amount, which fitted
    assert revisione_corrente(seconda, services.TABELLA_ALLOCAZIONI) == 0


def test_a_fund_year_may_be_allocated_exactly_to_its_budget(cast, catalogo, budget):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("100000.00")})
    riga = next(
        r
        for r in selectors.quadro_allocazioni(cast.piano_a).righe
        if r.fonte.codice == "FNPS" and r.anno == 2025
    )
    assert (riga.da_programmare, riga.sovra_allocata) == (Decimal("0.00"), False)


def test_lowering_an_existing_excess_is_allowed_raising_it_is_not(cast, catalogo, budget):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    altra = nuova_scheda(cast.piano_a, catalogo.domiciliare)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("100000.00")})
    assegna(cast.piano_a, fnps, 2025, Decimal("80000.00"))  # the Region lowers the transfer

    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("90000.00")})  # still over, but less
    assert importi_di(scheda) == {("FNPS", 2025): Decimal("90000.00")}
    esiti = controlli.esiti_quadro(
        selectors.quadro_allocazioni(cast.piano_a), [], url=None
    )  # the excess is still a failing check
    assert [e.codice for e in esiti] == ["sovra_allocazione:FNPS:2025"]

    with pytest.raises(services.SovraAllocazione):
        alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("95000.00")})
    with pytest.raises(services.SovraAllocazione):
        alloca(cast.piano_a, altra, {(fnps, 2025): Decimal("1.00")})
    assert importi_di(scheda) == {("FNPS", 2025): Decimal("90000.00")}
    assert importi_di(altra) == {}


def test_emptying_a_cell_or_writing_zero_removes_the_amount(cast, catalogo, budget):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("10"), (fnps, 2026): Decimal("20")})
    alloca(cast.piano_a, scheda, {(fnps, 2025): None, (fnps, 2026): Decimal("0")})
    assert importi_di(scheda) == {}


# --- Earmarks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("budget_fondo", "percentuale", "richiesto"),
    [
        (Decimal("333333.33"), Decimal("50"), Decimal("166666.67")),
        (Decimal("1000.01"), Decimal("33.33"), Decimal("333.31")),
        (Decimal("100000.00"), Decimal("12.5"), Decimal("12500.00")),
        (Decimal("0.03"), Decimal("50"), Decimal("0.02")),
    ],
)
def test_an_earmark_asks_for_the_smallest_amount_to_the_cent_that_meets_its_percentage(
    cast, fonti, ciclo_configurato, catalogo, riferimenti, budget_fondo, percentuale, richiesto
):
    fnps = fonti["FNPS"]
    assegna(cast.piano_a, fnps, 2025, budget_fondo)
    risorse_services.vincolo_crea(
        ciclo=ciclo_configurato, fonte=fnps, area=riferimenti.infanzia, percentuale=percentuale
    )
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)  # FNPS area 1
    alloca(cast.piano_a, scheda, {(fnps, 2025): richiesto - Decimal("0.01")})

    [stato] = selectors.stato_vincoli(cast.piano_a)  # 2026 and 2027 have no FNPS: not earmarked
    assert (stato.anno, stato.budget, stato.richiesto) == (2025, budget_fondo, richiesto)
    assert not stato.rispettato and stato.mancano == Decimal("0.01")

    alloca(cast.piano_a, scheda, {(fnps, 2025): richiesto})
    [stato] = selectors.stato_vincoli(cast.piano_a)
    assert stato.rispettato and stato.mancano == 0


def test_a_broken_earmark_is_a_blocking_check_naming_fund_year_area_and_amounts(
    cast, catalogo, vincolo_fnps, budget
):
    fnps = budget["FNPS"]
    assegna(cast.piano_a, fnps, 2025, Decimal("333333.33"))
    nell_area = nuova_scheda(cast.piano_a, catalogo.segretariato)  # area 1
    fuori = nuova_scheda(cast.piano_a, catalogo.domiciliare)  # area 2
    alloca(cast.piano_a, nell_area, {(fnps, 2025): Decimal("166666.66")})
    alloca(cast.piano_a, fuori, {(fnps, 2025): Decimal("166666.67")})

    quadro = selectors.quadro_allocazioni(cast.piano_a)
    esiti = {
        e.codice: e
        for e in controlli.esiti_quadro(quadro, selectors.stato_vincoli(cast.piano_a, quadro), None)
    }
    esito = esiti["vincolo:FNPS:1:2025"]
    assert esito.bloccante
    assert esito.messaggio.startswith(
        f"FNPS 2025: all'area «Infanzia, adolescenza e responsabilità familiari» vanno "
        f"166.666,66{EURO}"
    )
    assert f"(333.333,33{EURO})" in esito.messaggio
    assert "il 50,00% del budget" in esito.messaggio and "almeno il 50,00%" in esito.messaggio
    assert esito.messaggio.endswith(f"cioè 166.666,67{EURO}: mancano 0,01{EURO}.")
    # 2026 and 2027: 100.000 € of FNPS each and nothing to the area yet.
    assert esiti["vincolo:FNPS:1:2026"].messaggio.endswith(f"mancano 50.000,00{EURO}.")


# --- Where a sheet may be ----------------------------------------------------------------------


def test_a_municipal_sheet_needs_a_municipality_of_the_ambito(cast, catalogo, budget):
    with pytest.raises(ErroreDominio, match="deve indicare il comune"):
        nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.COMUNALE)
    altamura = Comune.objects.get(nome="Altamura")
    with pytest.raises(ErroreDominio, match="Il comune indicato non appartiene all'ambito"):
        nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.COMUNALE, comune=altamura)
    bari = Comune.objects.get(nome="Bari")
    with pytest.raises(ErroreDominio, match="solo per i servizi a valenza comunale"):
        nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO, comune=bari)
    assert not SchedaIntervento.objects.exists()

    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.COMUNALE, comune=bari)
    assert (scheda.numero, scheda.codice, scheda.comune) == (1, "S-1", bari)


def test_a_municipal_sheet_without_municipality_fails_its_check(cast, catalogo):
    # Written around the service (e.g. by an old import): the check still catches it.
    scheda = SchedaIntervento.objects.create(
        piano=cast.piano_a,
        sezione=Sezione.COMUNALE,
        voce=catalogo.segretariato,
        numero=4,
        titolo="Sportello",
        gestione="diretta",
    )
    [esito] = controlli.esiti_schede(cast.piano_a, [scheda])
    assert esito.codice == "scheda_senza_comune:S-4"
    assert esito.messaggio == (
        "S-4 «Sportello»: un servizio a valenza comunale deve indicare il comune."
    )
    assert esito.url.endswith(f"/schede/{scheda.pk}/")


def test_an_entry_not_allowed_in_the_section_is_refused_and_fails_its_check(cast, catalogo):
    bari = Comune.objects.get(nome="Bari")
    with pytest.raises(ErroreDominio) as err:
        nuova_scheda(cast.piano_a, catalogo.centro_diurno, Sezione.COMUNALE, comune=bari)
    assert str(err.value) == (
        "La voce C3.01 «Centro diurno» non è ammessa tra i «servizi a valenza comunale»."
    )
    with pytest.raises(ErroreDominio, match="non è ammessa tra i «servizi a valenza d'ambito»"):
        nuova_scheda(cast.piano_a, catalogo.pnrr, Sezione.AMBITO)

    scheda = SchedaIntervento.objects.create(
        piano=cast.piano_a,
        sezione=Sezione.AMBITO,
        voce=catalogo.pnrr,
        numero=1,
        titolo="Progetto",
        gestione="diretta",
    )
    [esito] = controlli.esiti_schede(cast.piano_a, [scheda])
    assert esito.messaggio == (
        "S-1 «Progetto»: la voce P1.01 del catalogo non è ammessa tra i "
        "«servizi a valenza d'ambito»."
    )


def test_an_entry_of_another_cycles_catalogue_is_refused(cast, catalogo, riferimenti):
    vecchio = CicloFactory(regione=cast.regione, anno_inizio=2022, anno_fine=2024)
    voce = crea_voce(vecchio, riferimenti, "A1.01", "Segretariato sociale (2022)")
    with pytest.raises(ErroreDominio) as err:
        nuova_scheda(cast.piano_a, voce)
    assert str(err.value) == "La voce A1.01 non appartiene al catalogo del ciclo del piano."
    assert not SchedaIntervento.objects.exists()


def test_a_fund_of_another_section_or_a_year_outside_the_plan_is_refused(cast, catalogo, budget):
    d_ambito = nuova_scheda(cast.piano_a, catalogo.segretariato)
    altre = nuova_scheda(cast.piano_a, catalogo.pnrr, Sezione.ALTRE_RISORSE)
    with pytest.raises(ErroreDominio) as err:
        alloca(cast.piano_a, d_ambito, {(budget["PNRR"], 2025): Decimal("10")})
    assert str(err.value) == (
        "Il fondo indicato non è utilizzabile tra i «servizi a valenza d'ambito»."
    )
    with pytest.raises(ErroreDominio, match="interventi finanziati da altre risorse"):
        alloca(cast.piano_a, altre, {(budget["FNPS"], 2025): Decimal("10")})
    with pytest.raises(ErroreDominio, match="L'anno 2030 non appartiene al piano"):
        alloca(cast.piano_a, d_ambito, {(budget["FNPS"], 2030): Decimal("10")})
    # Funds the Region has not activated in the cycle are not usable either.
    with pytest.raises(ErroreDominio, match="non è utilizzabile"):
        alloca(cast.piano_a, d_ambito, {(budget["ASL"], 2025): Decimal("10")})
    assert not Allocazione.objects.exists()

    alloca(cast.piano_a, altre, {(budget["PNRR"], 2025): Decimal("200000")})
    assert importi_di(altre) == {("PNRR", 2025): Decimal("200000")}


def test_professional_profiles_are_unique_and_positive_and_beneficiaries_in_plan_years(
    cast, catalogo
):
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    with pytest.raises(ErroreDominio, match="una sola volta"):
        services.figure_salva(
            piano=cast.piano_a,
            scheda=scheda,
            figure=[("Educatore", Decimal("1")), (" educatore ", Decimal("2"))],
        )
    with pytest.raises(ErroreDominio, match="maggiori di zero"):
        services.figure_salva(piano=cast.piano_a, scheda=scheda, figure=[("OSS", Decimal("0"))])
    with pytest.raises(ErroreDominio, match="devono essere quelli del piano"):
        services.beneficiari_salva(piano=cast.piano_a, scheda=scheda, numeri={2031: 5})

    services.figure_salva(
        piano=cast.piano_a,
        scheda=scheda,
        figure=[("Assistente sociale", Decimal("1.5")), ("Educatore", Decimal("2"))],
    )
    services.beneficiari_salva(piano=cast.piano_a, scheda=scheda, numeri={2025: 120, 2026: 130})
    services.beneficiari_salva(piano=cast.piano_a, scheda=scheda, numeri={2025: 125, 2026: None})
    assert list(scheda.figure.values_list("profilo", "fte")) == [
        ("Assistente sociale", Decimal("1.50")),
        ("Educatore", Decimal("2.00")),
    ]
    assert dict(scheda.beneficiari.values_list("anno", "numero")) == {2025: 125}


# --- Copies ------------------------------------------------------------------------------------


def test_a_duplicate_copies_the_amounts_only_if_they_fit(cast, catalogo, budget):
    fnps = budget["FNPS"]
    piccola = nuova_scheda(cast.piano_a, catalogo.segretariato, titolo="Sportello")
    alloca(cast.piano_a, piccola, {(fnps, 2025): Decimal("30000"), (fnps, 2026): Decimal("1")})
    piccola.aree_utenza.set([catalogo.segretariato.area_utenza])
    services.figure_salva(piano=cast.piano_a, scheda=piccola, figure=[("OSS", Decimal("2"))])

    copia, con_importi = services.scheda_duplica(piano=cast.piano_a, scheda=piccola)
    assert con_importi
    assert (copia.numero, copia.titolo, copia.scheda_origine) == (2, "Sportello (copia)", piccola)
    assert importi_di(copia) == {("FNPS", 2025): Decimal("30000"), ("FNPS", 2026): Decimal("1")}
    assert list(copia.figure.values_list("profilo", flat=True)) == ["OSS"]
    assert list(copia.aree_utenza.all()) == [catalogo.segretariato.area_utenza]

    # 30.000 × 3 fits in 100.000, a fourth copy would not: it comes without amounts.
    services.scheda_duplica(piano=cast.piano_a, scheda=piccola)
    quarta, con_importi = services.scheda_duplica(piano=cast.piano_a, scheda=piccola)
    assert not con_importi
    assert quarta.numero == 4 and importi_di(quarta) == {}


def test_copying_forward_maps_entries_by_code_and_reports_the_missing_ones(
    cast, catalogo, budget, riferimenti
):
    vecchio = CicloFactory(regione=cast.regione, anno_inizio=2022, anno_fine=2024)
    precedente = PianoFactory(ambito=cast.ambito_a, ciclo=vecchio, stato=Piano.Stato.APPROVATO)
    bari = Comune.objects.get(nome="Bari")
    voci = {
        "A1.01": crea_voce(vecchio, riferimenti, "A1.01", "Segretariato sociale"),
        "Z9.99": crea_voce(vecchio, riferimenti, "Z9.99", "Voce soppressa"),
        "C3.01": crea_voce(vecchio, riferimenti, "C3.01", "Centro diurno"),
    }
    for numero, (codice, sezione, comune) in enumerate(
        [
            ("A1.01", Sezione.AMBITO, None),
            ("Z9.99", Sezione.AMBITO, None),
            ("C3.01", Sezione.COMUNALE, bari),  # now allowed only at ambito level
        ],
        start=1,
    ):
        SchedaIntervento.objects.create(
            piano=precedente,
            sezione=sezione,
            voce=voci[codice],
            comune=comune,
            numero=numero,
            titolo=f"Vecchia {codice}",
            gestione="appalto",
        )
    gia_presente = nuova_scheda(cast.piano_a, catalogo.domiciliare)

    risultato = services.piano_copia_schede(origine=precedente, destinazione=cast.piano_a)

    [copiata] = risultato.copiate
    assert (copiata.voce, copiata.numero, copiata.in_continuita) == (
        catalogo.segretariato,
        gia_presente.numero + 1,
        True,
    )
    assert copiata.scheda_origine.piano == precedente
    assert risultato.senza_voce == [
        "S-2 «Vecchia Z9.99» (voce Z9.99)",
        "S-3 «Vecchia C3.01» (voce C3.01)",
    ]
    assert risultato.allocazioni_copiate  # no year in common: nothing to copy, nothing refused
    assert importi_di(copiata) == {}


def test_an_annual_plan_starts_from_the_triennial_with_the_amounts_of_its_year(
    cast, catalogo, budget
):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("70000"), (fnps, 2026): Decimal("5")})
    annuale = PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025
    )

    risultato = services.piano_copia_schede(origine=cast.piano_a, destinazione=annuale)
    assert risultato.allocazioni_copiate
    [copia] = risultato.copiate
    assert not copia.in_continuita  # same cycle: the same intervention, not a continuation
    assert importi_di(copia) == {("FNPS", 2025): Decimal("70000")}

    # A second copy would put 140.000 € on a budget of 100.000 €: the sheets come, the money not.
    di_nuovo = services.piano_copia_schede(origine=cast.piano_a, destinazione=annuale)
    assert len(di_nuovo.copiate) == 1 and not di_nuovo.allocazioni_copiate
    assert importi_di(di_nuovo.copiate[0]) == {}


def test_sheets_are_copied_only_between_plans_of_the_same_ambito(cast, catalogo):
    with pytest.raises(ErroreDominio, match="stesso ambito"):
        services.piano_copia_schede(origine=cast.piano_b, destinazione=cast.piano_a)
    with pytest.raises(ErroreDominio, match="stesso ambito"):
        services.piano_copia_schede(origine=cast.piano_a, destinazione=cast.piano_a)


# --- Concurrency and locking -------------------------------------------------------------------


def test_a_stale_revision_is_a_conflict_and_overwrites_nothing(cast, catalogo, budget):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    collega = UserFactory(first_name="Anna", last_name="Verdi")
    services.allocazioni_salva(
        piano=cast.piano_a,
        scheda=scheda,
        importi={(fnps.pk, 2025): Decimal("1000")},
        revisione=0,
        user=collega,
    )
    with pytest.raises(ConflittoModifica, match="modificati da Anna Verdi"):
        services.allocazioni_salva(
            piano=cast.piano_a,
            scheda=scheda,
            importi={(fnps.pk, 2025): Decimal("2000")},
            revisione=0,
            user=cast.operatore_a,
        )
    assert importi_di(scheda) == {("FNPS", 2025): Decimal("1000")}
    assert revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI) == 1


def test_a_plan_that_is_not_editable_refuses_every_write(cast, catalogo, budget):
    fnps = budget["FNPS"]
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato)
    alloca(cast.piano_a, scheda, {(fnps, 2025): Decimal("1000")})
    annuale = PianoFactory(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2025
    )
    Piano.objects.filter(pk__in=[cast.piano_a.pk, annuale.pk]).update(stato=Piano.Stato.INVIATO)
    piano = Piano.objects.get(pk=cast.piano_a.pk)
    scheda.refresh_from_db()

    scritture = [
        lambda: nuova_scheda(piano, catalogo.domiciliare),
        lambda: services.scheda_salva(piano=piano, scheda=scheda),
        lambda: services.scheda_elimina(piano=piano, scheda=scheda),
        lambda: services.figure_salva(piano=piano, scheda=scheda, figure=[("OSS", Decimal(1))]),
        lambda: services.beneficiari_salva(piano=piano, scheda=scheda, numeri={2025: 3}),
        lambda: alloca(piano, scheda, {(fnps, 2025): Decimal("1")}),
        lambda: services.scheda_duplica(piano=piano, scheda=scheda),
        lambda: services.piano_copia_schede(origine=piano, destinazione=annuale),
    ]
    for scrittura in scritture:
        with pytest.raises(PianoNonModificabile, match="si può modificare solo in bozza"):
            scrittura()
    assert list(SchedaIntervento.objects.all()) == [scheda]
    assert importi_di(scheda) == {("FNPS", 2025): Decimal("1000")}
    assert not FiguraProfessionale.objects.exists()
    assert not BeneficiariPrevisti.objects.exists()
