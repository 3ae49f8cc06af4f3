from decimal import Decimal

import pytest

from pianizona.dominio import ErroreDominio, PianoNonModificabile
from pianizona.models import Comune, Piano
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from risorse import selectors, services
from risorse.models import (
    Assegnazione,
    Cofinanziamento,
    Recepimento,
    ResiduoEconomia,
    RisorsaAggiuntiva,
)

from ..factories import AmbitoFactory, ComuneFactory

pytestmark = pytest.mark.django_db


def _assegna(ciclo, fonte, anno, importi):
    revisione = revisione_corrente(ciclo, services.tabella_assegnazioni(fonte, anno))
    return services.assegnazioni_salva(
        ciclo=ciclo, fonte=fonte, anno=anno, importi=importi, revisione=revisione, user=None
    )


def test_the_region_sets_a_funds_yearly_transfers(cast, fonti, ciclo_configurato):
    _assegna(
        ciclo_configurato,
        fonti["FNPS"],
        2025,
        {cast.ambito_a.pk: Decimal("1000.00"), cast.ambito_b.pk: Decimal("500.50")},
    )
    assert Assegnazione.objects.get(ambito=cast.ambito_a).importo == Decimal("1000.00")
    _assegna(ciclo_configurato, fonti["FNPS"], 2025, {cast.ambito_a.pk: None})
    assert not Assegnazione.objects.filter(ambito=cast.ambito_a).exists()


def test_transfers_of_an_inactive_fund_or_a_year_outside_the_cycle_are_refused(
    cast, fonti, ciclo_configurato
):
    with pytest.raises(ErroreDominio, match="non è attiva"):
        _assegna(ciclo_configurato, fonti["ASL"], 2025, {cast.ambito_a.pk: Decimal(1)})
    with pytest.raises(ErroreDominio, match="non appartiene al ciclo"):
        _assegna(ciclo_configurato, fonti["FNPS"], 2031, {cast.ambito_a.pk: Decimal(1)})
    altro = AmbitoFactory()
    with pytest.raises(ErroreDominio, match="non appartiene alla regione"):
        _assegna(ciclo_configurato, fonti["FNPS"], 2025, {altro.pk: Decimal(1)})


def test_the_riparto_writes_every_ambitos_transfer_and_records_its_criteria(
    cast, fonti, ciclo_configurato
):
    riparto = services.riparto_applica(
        ciclo=ciclo_configurato,
        fonte=fonti["FNPS"],
        anno=2026,
        totale=Decimal("1000000.01"),
        pesi={"popolazione": Decimal(100)},
        user=cast.funzionario,
    )
    importi = dict(
        Assegnazione.objects.filter(riparto=riparto).values_list("ambito__codice", "importo")
    )
    assert sum(importi.values()) == Decimal("1000000.01")
    # Bari + Valenzano (333,980 inhabitants) against Altamura (69,529): 82.7689…% and 17.2310…%
    assert importi == {"BA01": Decimal("827689.11"), "BA02": Decimal("172310.90")}
    assert riparto.criteri == [
        {"codice": "popolazione", "nome": "Popolazione residente", "peso": "100"}
    ]
    assert riparto.risultato == {"BA01": "827689.11", "BA02": "172310.90"}


def test_a_second_riparto_replaces_the_first_instead_of_adding(cast, fonti, ciclo_configurato):
    for totale in ("100.00", "200.00"):
        services.riparto_applica(
            ciclo=ciclo_configurato,
            fonte=fonti["FNPS"],
            anno=2026,
            totale=Decimal(totale),
            pesi={"popolazione": Decimal(1)},
            user=cast.funzionario,
        )
    assert Assegnazione.objects.filter(fonte=fonti["FNPS"], anno=2026).count() == 2
    assert sum(Assegnazione.objects.values_list("importo", flat=True)) == Decimal("200.00")


def test_the_district_acknowledges_the_transfers_once_and_again_when_they_change(
    cast, fonti, ciclo_configurato
):
    _assegna(ciclo_configurato, fonti["FNPS"], 2025, {cast.ambito_a.pk: Decimal("1000.00")})
    primo = services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)
    assert services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a) == primo
    assert selectors.stato_recepimento(cast.piano_a).valido
    _assegna(ciclo_configurato, fonti["FNPS"], 2025, {cast.ambito_a.pk: Decimal("1200.00")})
    stato = selectors.stato_recepimento(cast.piano_a)
    assert stato.da_rifare
    services.recepimento_registra(piano=cast.piano_a, user=cast.responsabile_a)
    assert Recepimento.objects.filter(piano=cast.piano_a).count() == 2
    assert selectors.stato_recepimento(cast.piano_a).ultimo.recepito_da == cast.responsabile_a


def test_nothing_to_acknowledge_before_the_region_transfers(cast, fonti, ciclo_configurato):
    with pytest.raises(ErroreDominio, match="non ha ancora inserito"):
        services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)


def test_a_discrepancy_is_flagged_and_answered(cast, fonti, ciclo_configurato):
    segnalazione = services.segnalazione_crea(
        piano=cast.piano_a,
        user=cast.operatore_a,
        nota="Manca la quota FNA 2025",
        fonte=fonti["FNA"],
        anno=2025,
    )
    assert selectors.segnalazioni_aperte_del_ciclo(ciclo_configurato) == [segnalazione]
    services.segnalazione_chiudi(
        segnalazione=segnalazione, user=cast.funzionario, risposta="Inserita."
    )
    assert selectors.segnalazioni_aperte_del_ciclo(ciclo_configurato) == []
    with pytest.raises(ErroreDominio):
        services.segnalazione_crea(piano=cast.piano_a, user=cast.operatore_a, nota="   ")


@pytest.mark.parametrize(
    "stato", [Piano.Stato.INVIATO, Piano.Stato.IN_ISTRUTTORIA, Piano.Stato.APPROVATO]
)
def test_nothing_is_written_while_the_plan_is_not_editable(cast, fonti, ciclo_configurato, stato):
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=stato)  # as if submitted meanwhile
    comune = Comune.objects.filter(ambito=cast.ambito_a).first()
    with pytest.raises(PianoNonModificabile, match="si può modificare solo in bozza"):
        services.cofinanziamento_salva(
            piano=cast.piano_a,
            importi={(comune.pk, 2025): Decimal(1)},
            revisione=0,
            user=cast.operatore_a,
        )
    residuo = ResiduoEconomia(
        fonte=fonti["FNPS"],
        anno_origine=2023,
        anno_impiego=2025,
        tipo="residuo",
        importo=Decimal(5),
    )
    with pytest.raises(PianoNonModificabile):
        services.residuo_salva(piano=cast.piano_a, residuo=residuo)
    with pytest.raises(PianoNonModificabile):
        services.risorsa_aggiuntiva_salva(
            piano=cast.piano_a,
            risorsa=RisorsaAggiuntiva(fonte=fonti["ASL"], anno=2025, importo=Decimal(5)),
        )
    assert not Cofinanziamento.objects.exists() and not ResiduoEconomia.objects.exists()


def test_a_plan_returned_for_changes_is_editable_again(cast, fonti, ciclo_configurato):
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.RICHIESTA_INTEGRAZIONI)
    comune = Comune.objects.filter(ambito=cast.ambito_a).first()
    services.cofinanziamento_salva(
        piano=cast.piano_a,
        importi={(comune.pk, 2025): Decimal(1)},
        revisione=0,
        user=cast.operatore_a,
    )
    assert Cofinanziamento.objects.count() == 1


def test_a_save_from_a_stale_page_is_a_conflict_and_loses_nothing(cast, fonti, ciclo_configurato):
    comune = Comune.objects.filter(ambito=cast.ambito_a).first()
    services.cofinanziamento_salva(
        piano=cast.piano_a,
        importi={(comune.pk, 2025): Decimal("100.00")},
        revisione=0,
        user=cast.operatore_a,
    )
    with pytest.raises(ConflittoModifica, match="modificati da"):
        services.cofinanziamento_salva(
            piano=cast.piano_a,
            importi={(comune.pk, 2025): Decimal("999.00")},
            revisione=0,
            user=cast.responsabile_a,
        )
    assert Cofinanziamento.objects.get().importo == Decimal("100.00")
    assert revisione_corrente(cast.piano_a, services.TABELLA_COFINANZIAMENTO) == 1


def test_municipalities_below_the_minimum_are_flagged(cast, fonti, ciclo_configurato):
    bari = Comune.objects.get(nome="Bari")  # 315,933 inhabitants: the minimum is 631,866 €
    valenzano = Comune.objects.get(nome="Valenzano")  # 18,047: 36,094 €
    services.cofinanziamento_salva(
        piano=cast.piano_a,
        importi={(bari.pk, 2025): Decimal("631866.00"), (valenzano.pk, 2025): Decimal("36093.99")},
        revisione=0,
        user=cast.operatore_a,
    )
    tabella = selectors.cofinanziamento_del_piano(cast.piano_a)
    righe = {r.comune.nome: r for r in tabella.righe}
    assert righe["Bari"].sotto_minimo == [False, True, True]  # 2026 and 2027 not entered yet
    assert righe["Valenzano"].sotto_minimo[0] is True
    assert righe["Bari"].per_abitante[0] == Decimal("2.00")
    assert tabella.comuni_sotto_minimo == [bari, valenzano]


def test_a_municipality_of_another_ambito_cannot_be_cofinanced_here(cast, fonti, ciclo_configurato):
    altamura = Comune.objects.get(nome="Altamura")
    with pytest.raises(ErroreDominio, match="non appartiene all'ambito"):
        services.cofinanziamento_salva(
            piano=cast.piano_a,
            importi={(altamura.pk, 2025): Decimal(1)},
            revisione=0,
            user=cast.operatore_a,
        )


def test_the_budget_adds_transfers_residui_cofinancing_and_other_resources(
    cast, fonti, ciclo_configurato
):
    _assegna(ciclo_configurato, fonti["FNPS"], 2025, {cast.ambito_a.pk: Decimal("1000.00")})
    _assegna(ciclo_configurato, fonti["FNPS"], 2026, {cast.ambito_a.pk: Decimal("1100.00")})
    _assegna(
        ciclo_configurato,
        fonti["FGSA"],
        2025,
        {cast.ambito_a.pk: Decimal("300.00"), cast.ambito_b.pk: Decimal("9999")},
    )
    services.residuo_salva(
        piano=cast.piano_a,
        residuo=ResiduoEconomia(
            fonte=fonti["FNPS"],
            anno_origine=2023,
            anno_impiego=2025,
            tipo="economia",
            importo=Decimal("50.25"),
        ),
    )
    services.risorsa_aggiuntiva_salva(
        piano=cast.piano_a,
        risorsa=RisorsaAggiuntiva(fonte=fonti["ASL"], anno=2027, importo=Decimal("700.00")),
    )
    bari, valenzano = Comune.objects.filter(ambito=cast.ambito_a).order_by("nome")
    services.cofinanziamento_salva(
        piano=cast.piano_a,
        importi={
            (bari.pk, 2025): Decimal("10.00"),
            (valenzano.pk, 2025): Decimal("5.00"),
            (bari.pk, 2026): Decimal("1.00"),
        },
        revisione=0,
        user=cast.operatore_a,
    )
    budget = selectors.budget_del_piano(cast.piano_a)
    righe = {r["fonte"].codice: r["importi"] for r in budget.tabella.righe()}
    assert righe == {
        "FNPS": [Decimal("1050.25"), Decimal("1100.00"), Decimal("0.00")],
        "FGSA": [Decimal("300.00"), Decimal("0.00"), Decimal("0.00")],
        "COM": [Decimal("15.00"), Decimal("1.00"), Decimal("0.00")],
        "ASL": [Decimal("0.00"), Decimal("0.00"), Decimal("700.00")],
    }
    assert budget.tabella.totali_anno() == [
        Decimal("1365.25"),
        Decimal("1101.00"),
        Decimal("700.00"),
    ]
    assert budget.tabella.totale == Decimal("3166.25")
    assert {r["codice"]: r["totale"] for r in budget.per_livello} == {
        "statale": Decimal("2150.25"),
        "regionale": Decimal("300.00"),
        "comunale": Decimal("16.00"),
        "sanitaria": Decimal("700.00"),
    }
    assert budget.componenti["Residui ed economie"] == Decimal("50.25")


def test_an_annual_plan_budget_counts_only_its_year(cast, fonti, ciclo_configurato):
    _assegna(ciclo_configurato, fonti["FNPS"], 2025, {cast.ambito_a.pk: Decimal("1000.00")})
    _assegna(ciclo_configurato, fonti["FNPS"], 2026, {cast.ambito_a.pk: Decimal("1100.00")})
    annuale = Piano.objects.create(
        ambito=cast.ambito_a, ciclo=ciclo_configurato, tipo="attuativo", anno=2026
    )
    assert selectors.budget_del_piano(annuale).tabella.totale == Decimal("1100.00")


def test_a_residuo_must_come_from_an_earlier_year_and_be_spent_in_the_plan(
    cast, fonti, ciclo_configurato
):
    with pytest.raises(ErroreDominio, match="anno di impiego"):
        services.residuo_salva(
            piano=cast.piano_a,
            residuo=ResiduoEconomia(
                fonte=fonti["FNPS"],
                anno_origine=2023,
                anno_impiego=2030,
                tipo="residuo",
                importo=Decimal(5),
            ),
        )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.residuo_salva(
            piano=cast.piano_a,
            residuo=ResiduoEconomia(
                fonte=fonti["FNPS"],
                anno_origine=2026,
                anno_impiego=2025,
                tipo="residuo",
                importo=Decimal(5),
            ),
        )


def test_configuration_activates_funds_and_sets_the_minimum(cast, fonti):
    ciclo = cast.piano_a.ciclo
    services.ciclo_configura(
        ciclo=ciclo,
        sezioni={
            fonti["FNPS"].pk: "ordinarie",
            fonti["PNRR"].pk: "altre_risorse",
            fonti["FNA"].pk: None,
        },
        cofinanziamento_minimo=Decimal("3.50"),
    )
    assert {f.fonte.codice for f in selectors.fonti_del_ciclo(ciclo)} == {"FNPS", "PNRR"}
    assert selectors.regola_del_ciclo(ciclo).cofinanziamento_minimo == Decimal("3.50")
    services.ciclo_configura(
        ciclo=ciclo,
        sezioni={fonti["FNPS"].pk: None, fonti["PNRR"].pk: "altre_risorse"},
        cofinanziamento_minimo=Decimal(0),
    )
    assert {f.fonte.codice for f in selectors.fonti_del_ciclo(ciclo)} == {"PNRR"}


def test_the_cofinancing_table_reads_in_constant_queries(
    cast, fonti, ciclo_configurato, django_assert_num_queries
):
    ComuneFactory.create_batch(30, ambito=cast.ambito_a)
    with django_assert_num_queries(3):
        selectors.cofinanziamento_del_piano(cast.piano_a)


def test_a_transfer_grid_saved_after_a_riparto_or_a_colleague_is_a_conflict(
    cast, fonti, ciclo_configurato
):
    aperta = revisione_corrente(
        ciclo_configurato, services.tabella_assegnazioni(fonti["FNPS"], 2025)
    )
    services.riparto_applica(
        ciclo=ciclo_configurato,
        fonte=fonti["FNPS"],
        anno=2025,
        totale=Decimal("100.00"),
        pesi={"popolazione": Decimal(1)},
        user=cast.funzionario,
    )
    with pytest.raises(ConflittoModifica):
        services.assegnazioni_salva(
            ciclo=ciclo_configurato,
            fonte=fonti["FNPS"],
            anno=2025,
            importi={cast.ambito_a.pk: Decimal("1.00")},
            revisione=aperta,
            user=cast.funzionario,
        )
    assert sum(Assegnazione.objects.values_list("importo", flat=True)) == Decimal("100.00")


def test_a_fund_with_transfers_cannot_be_deactivated(cast, fonti, ciclo_configurato):
    _assegna(ciclo_configurato, fonti["FNA"], 2025, {cast.ambito_a.pk: Decimal("1.00")})
    sezioni = {f.pk: "ordinarie" for f in fonti.values()} | {fonti["FNA"].pk: None}
    with pytest.raises(ErroreDominio, match="Non si può disattivare FNA"):
        services.ciclo_configura(
            ciclo=ciclo_configurato, sezioni=sezioni, cofinanziamento_minimo=Decimal(0)
        )
    assert {f.fonte.codice for f in selectors.fonti_del_ciclo(ciclo_configurato)} >= {"FNA"}


def test_an_earmark_twice_or_on_an_inactive_fund_is_refused(cast, fonti, ciclo_configurato):
    from pianizona.models import AreaInterventoFnps

    area = AreaInterventoFnps.objects.create(codice=1, nome="Infanzia")
    services.vincolo_crea(
        ciclo=ciclo_configurato, fonte=fonti["FNPS"], area=area, percentuale=Decimal(50)
    )
    with pytest.raises(ErroreDominio, match="Esiste già"):
        services.vincolo_crea(
            ciclo=ciclo_configurato, fonte=fonti["FNPS"], area=area, percentuale=Decimal(40)
        )
    with pytest.raises(ErroreDominio, match="non è attiva"):
        services.vincolo_crea(
            ciclo=ciclo_configurato, fonte=fonti["ASL"], area=area, percentuale=Decimal(40)
        )


def test_the_population_criterion_is_reserved(cast):
    with pytest.raises(ErroreDominio, match="riservato"):
        services.criterio_crea(regione=cast.regione, codice="Popolazione", nome="Doppione")
    services.criterio_crea(regione=cast.regione, codice="minori", nome="Minori")
    with pytest.raises(ErroreDominio, match="Esiste già"):
        services.criterio_crea(regione=cast.regione, codice="minori", nome="Ancora")
