"""Declarations: cumulative, dated inside the year, paid within committed, excess justified."""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

from datetime import date
from decimal import Decimal

import pytest

from monitoraggio.fondi import selectors, services
from monitoraggio.fondi.services import DichiarazioneNonValida, ErroreRendicontazione
from monitoraggio.models import Dichiarazione, Rendicontazione
from pianizona.models import Piano

from .fondi_dati import ANNO, dichiara, linee, oggi, rendicontazione  # noqa: F401 (fixtures)


def test_a_report_opens_only_for_a_year_an_approved_plan_programmes(cast, linee, oggi):
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    with pytest.raises(ErroreRendicontazione, match="non ha un piano approvato"):
        services.rendicontazione_apri(ambito=cast.ambito_a, anno=ANNO, user=cast.operatore_a)
    assert not Rendicontazione.objects.exists()


def test_opening_a_report_twice_returns_the_same_one(cast, rendicontazione):
    di_nuovo = services.rendicontazione_apri(
        ambito=cast.ambito_a, anno=ANNO, user=cast.responsabile_a
    )
    assert di_nuovo == rendicontazione
    assert rendicontazione.ciclo == cast.piano_a.ciclo


def test_only_the_district_opens_a_report(cast, linee, oggi):
    with pytest.raises(ErroreRendicontazione, match="Solo l'Ufficio di Piano"):
        services.rendicontazione_apri(ambito=cast.ambito_a, anno=ANNO, user=cast.funzionario)


def test_a_declaration_is_recorded_with_its_date(cast, linee, rendicontazione):
    d = dichiara(
        rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "20000", "5000"
    )
    assert (d.impegnato, d.liquidato, d.data) == (
        Decimal("20000"),
        Decimal("5000"),
        date(2025, 6, 30),
    )
    assert d.dichiarata_da == cast.operatore_a


def test_a_declaration_lower_than_the_previous_is_refused(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "20000", "5000")
    with pytest.raises(DichiarazioneNonValida) as err:
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 9, 30), "18000", "6000")
    messaggio = str(err.value)
    assert "FNPS · 1.1 Accesso" in messaggio
    assert "impegnato 18.000,00\xa0€ contro 20.000,00\xa0€" in messaggio
    assert "30/06/2025" in messaggio
    assert Dichiarazione.objects.count() == 1


def test_a_correction_with_a_reason_may_lower_the_figures(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "20000", "5000")
    d = dichiara(
        rendicontazione,
        cast.operatore_a,
        linea,
        date(2025, 9, 30),
        "18000",
        "5000",
        rettifica=True,
        motivazione_rettifica="Impegno 2025/114 revocato con determina n. 321.",
    )
    assert d.rettifica and d.impegnato == Decimal("18000")


def test_a_correction_without_a_reason_is_refused(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "20000", "5000")
    with pytest.raises(DichiarazioneNonValida, match="segnare la rettifica e scriverne"):
        dichiara(
            rendicontazione,
            cast.operatore_a,
            linea,
            date(2025, 9, 30),
            "18000",
            "5000",
            rettifica=True,
            motivazione_rettifica="   ",
        )


def test_committed_above_the_programmed_amount_needs_a_justification(cast, linee, rendicontazione):
    linea = linee.fnps_disabilita()  # programmed 20.000
    with pytest.raises(DichiarazioneNonValida) as err:
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "20000.01", "0")
    assert "supera il programmato (20.000,00\xa0€) di 0,01\xa0€" in str(err.value)
    d = dichiara(
        rendicontazione,
        cast.operatore_a,
        linea,
        date(2025, 6, 30),
        "20000.01",
        "0",
        giustificazione="Integrazione con economie 2024.",
    )
    assert d.giustificazione == "Integrazione con economie 2024."


def test_committed_equal_to_the_programmed_amount_needs_no_justification(
    cast, linee, rendicontazione
):
    d = dichiara(
        rendicontazione, cast.operatore_a, linee.fnps_disabilita(), date(2025, 6, 30), "20000", "0"
    )
    assert d.giustificazione == ""


@pytest.mark.parametrize(
    ("giorno", "frammento"),
    [
        (date(2024, 12, 31), "non è nel 2025"),
        (date(2026, 1, 1), "non è nel 2025"),
        (date(2025, 12, 31), None),
        (date(2025, 1, 1), None),
    ],
)
def test_a_date_outside_the_year_is_refused(cast, linee, rendicontazione, giorno, frammento):
    args = (rendicontazione, cast.operatore_a, linee.fnps_infanzia(), giorno, "100", "0")
    if frammento is None:
        assert dichiara(*args).data == giorno
    else:
        with pytest.raises(DichiarazioneNonValida, match=frammento):
            dichiara(*args)


def test_a_date_in_the_future_is_refused(cast, linee, oggi, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 9, 30))
    r = services.rendicontazione_apri(ambito=cast.ambito_a, anno=ANNO, user=cast.operatore_a)
    with pytest.raises(DichiarazioneNonValida, match="la data 01/10/2025 è futura"):
        dichiara(r, cast.operatore_a, linee.fnps_infanzia(), date(2025, 10, 1), "100", "0")


def test_a_date_before_the_lines_latest_declaration_is_refused(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "100", "0")
    with pytest.raises(DichiarazioneNonValida, match="precede quella dell'ultima"):
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 29), "200", "0")
    # Another line has its own history.
    dichiara(rendicontazione, cast.operatore_a, linee.fnps_disabilita(), date(2025, 3, 1), "1", "0")


def test_paid_above_committed_is_refused(cast, linee, rendicontazione):
    with pytest.raises(
        DichiarazioneNonValida, match=r"liquidato \(5.000,01\xa0€\) non può superare"
    ):
        dichiara(
            rendicontazione,
            cast.operatore_a,
            linee.fnps_infanzia(),
            date(2025, 6, 30),
            "5000",
            "5000.01",
        )


def test_negative_amounts_are_refused(cast, linee, rendicontazione):
    with pytest.raises(DichiarazioneNonValida, match="non possono essere negativi"):
        dichiara(
            rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "-1", "-1"
        )


def test_a_fund_outside_the_cycle_is_refused(cast, linee, rendicontazione, fonti):
    linea = {**linee.fnps_infanzia(), "fonte": fonti["COM"]}
    with pytest.raises(DichiarazioneNonValida, match="COM non è tra quelle attive"):
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "1", "0")


def test_a_submitted_report_takes_no_declarations(cast, linee, rendicontazione):
    linea = linee.fnps_infanzia()
    dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 6, 30), "100", "0")
    services.rendicontazione_invia(
        rendicontazione=rendicontazione, user=cast.responsabile_a, stato_atteso="bozza"
    )
    with pytest.raises(DichiarazioneNonValida, match="«inviata alla regione»"):
        dichiara(rendicontazione, cast.operatore_a, linea, date(2025, 7, 30), "200", "0")


def test_the_regional_officer_does_not_declare(cast, linee, rendicontazione):
    with pytest.raises(DichiarazioneNonValida, match="Solo l'Ufficio di Piano"):
        dichiara(
            rendicontazione, cast.funzionario, linee.fnps_infanzia(), date(2025, 6, 30), "1", "0"
        )


def test_a_refused_first_declaration_leaves_no_report_behind(cast, linee, oggi):
    with pytest.raises(DichiarazioneNonValida):
        services.dichiarazione_registra_per_anno(
            ambito=cast.ambito_a,
            anno=ANNO,
            user=cast.operatore_a,
            data=date(2025, 6, 30),
            impegnato=Decimal("1"),
            liquidato=Decimal("2"),
            **linee.fnps_infanzia(),
        )
    assert not Rendicontazione.objects.exists()


def test_the_years_page_reads_the_latest_declaration_of_each_line(cast, linee, rendicontazione):
    dichiara(
        rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "10000", "4000"
    )
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "30000",
        "12000",
    )
    dichiara(
        rendicontazione, cast.operatore_a, linee.fna_disabilita(), date(2025, 9, 1), "5000", "1000"
    )
    dati = selectors.monitoraggio_anno(cast.ambito_a, ANNO)
    assert [g.fonte.codice for g in dati.gruppi] == ["FNPS", "FNA"]
    fnps = dati.gruppi[0]
    assert [(r.area.codice, r.programmato, r.impegnato, r.liquidato) for r in fnps.righe] == [
        (1, Decimal("40000"), Decimal("30000"), Decimal("12000")),
        (2, Decimal("20000"), Decimal("0"), Decimal("0")),
    ]
    assert fnps.righe[0].perc_impegnato == Decimal("75.00")
    assert fnps.righe[0].perc_liquidato == Decimal("30.00")
    assert fnps.righe[0].data == date(2025, 12, 15)
    assert (fnps.totali.programmato, fnps.totali.impegnato) == (Decimal("60000"), Decimal("30000"))
    assert fnps.totali.perc_impegnato == Decimal("50.00")
    assert (dati.totali.programmato, dati.totali.impegnato, dati.totali.liquidato) == (
        Decimal("65000"),
        Decimal("35000"),
        Decimal("13000"),
    )
