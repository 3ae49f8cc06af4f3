"""The catalogue, the values the district enters and the targets the Region sets."""

import random
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoraggio.indicatori.demo import crea_dati_demo
from monitoraggio.indicatori.services import (
    IndicatoreNonValido,
    indicatore_target_modifica,
    indicatori_carica_catalogo,
    valore_inserisci,
)
from monitoraggio.models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from pianizona.models import Regione

from . import indicatori_dati as d


@pytest.fixture
def catalogo_caricato(cast):
    d.carica_catalogo(cast.regione)


def indicatore(cast, codice: str) -> Indicatore:
    return Indicatore.objects.get(regione=cast.regione, codice=codice)


def inserisci(cast, codice: str, testo: str, anno: int = 2025, user=None, nota: str = ""):
    return valore_inserisci(
        indicatore=indicatore(cast, codice),
        ambito=cast.ambito_a,
        anno=anno,
        testo=testo,
        nota=nota,
        user=user or cast.operatore_a,
    )


def test_loading_the_catalogue_twice_adds_nothing_the_second_time(cast, catalogo_caricato):
    totale = Indicatore.objects.filter(regione=cast.regione).count()
    esito = indicatori_carica_catalogo(regione=cast.regione)
    assert (esito.creati, esito.esistenti) == (0, totale)
    assert Indicatore.objects.filter(regione=cast.regione).count() == totale == 20


def test_loading_keeps_the_targets_the_region_changed(cast, catalogo_caricato):
    indicatore_target_modifica(
        indicatore=indicatore(cast, "FNP01"), testo="55", user=cast.funzionario
    )
    indicatori_carica_catalogo(regione=cast.regione)
    assert indicatore(cast, "FNP01").target == Decimal("55")


def test_the_catalogue_is_per_region(cast, catalogo_caricato):
    altra = Regione.objects.create(codice_istat="14", nome="Molise")
    indicatori_carica_catalogo(regione=altra)
    assert Indicatore.objects.filter(regione=altra, codice="SPS01").exists()


def test_the_catalogue_hangs_the_area_formulas_on_their_istat_area(cast, catalogo_caricato):
    assert indicatore(cast, "SPS04").area_utenza.codice == "ELD"
    assert indicatore(cast, "SPS01").area_utenza is None


def test_an_entered_value_in_italian_format_is_saved_with_its_history(cast, catalogo_caricato):
    valore = inserisci(cast, "UTE01", "1.250", nota="Cartella sociale al 31/12")
    assert valore.valore == Decimal("1250")
    storico = StoricoValoreIndicatore.objects.get(indicatore__codice="UTE01")
    assert (storico.origine, storico.utente, storico.valore) == (
        "inserimento",
        cast.operatore_a,
        Decimal("1250"),
    )
    assert storico.nota == "Cartella sociale al 31/12"


def test_entering_a_new_figure_keeps_the_old_one_in_the_history(cast, catalogo_caricato):
    inserisci(cast, "UTE01", "1.250")
    inserisci(cast, "UTE01", "1.300", user=cast.responsabile_a)
    inserisci(cast, "UTE01", "1.300", user=cast.responsabile_a)  # the same again: nothing new
    assert ValoreIndicatore.objects.get(indicatore__codice="UTE01").valore == Decimal("1300")
    storia = StoricoValoreIndicatore.objects.filter(indicatore__codice="UTE01").order_by("pk")
    assert [s.valore for s in storia] == [Decimal("1250"), Decimal("1300")]


def test_a_rate_per_10000_inhabitants_takes_decimals(cast, catalogo_caricato):
    assert inserisci(cast, "UTE03", "1,85").valore == Decimal("1.85")


@pytest.mark.parametrize(
    ("codice", "testo", "messaggio"),
    [
        ("UTE01", "dodici", "non è un numero"),
        ("UTE01", "12,5", "numero intero"),
        ("UTE01", "-3", "non può essere negativo"),
        ("UTE01", "", "Inserire un valore"),
        ("UTE02", "3,5", "numero intero"),
        ("UTE03", "1,23456", "al massimo 4 decimali"),
        ("UTE01", "1" * 20, "troppo grande"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_with_a_clear_message(
    cast, catalogo_caricato, codice, testo, messaggio
):
    with pytest.raises(IndicatoreNonValido, match=messaggio):
        inserisci(cast, codice, testo)
    assert not ValoreIndicatore.objects.exists()
    assert not StoricoValoreIndicatore.objects.exists()


def test_a_percentage_above_100_is_refused(cast, catalogo_caricato):
    Indicatore.objects.create(
        regione=cast.regione,
        codice="PCT",
        nome="Copertura del servizio",
        unita="percentuale",
        direzione="crescente",
        tipo="inserito",
    )
    with pytest.raises(IndicatoreNonValido, match="va da 0 a 100"):
        inserisci(cast, "PCT", "120")
    assert inserisci(cast, "PCT", "99,5").valore == Decimal("99.5")


def test_a_computed_indicator_is_not_entered_by_hand(cast, catalogo_caricato):
    with pytest.raises(IndicatoreNonValido, match="calcolato"):
        inserisci(cast, "SPS01", "12")


def test_a_year_outside_every_cycle_is_refused(cast, catalogo_caricato):
    with pytest.raises(IndicatoreNonValido, match="L'anno 2031 non rientra"):
        inserisci(cast, "UTE01", "12", anno=2031)


def test_a_year_not_yet_begun_is_refused(cast, catalogo_caricato, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 3, 1))
    with pytest.raises(IndicatoreNonValido, match="Anno 2027: l'anno non è ancora iniziato"):
        inserisci(cast, "UTE01", "12", anno=2027)
    assert inserisci(cast, "UTE01", "12", anno=2026).valore == Decimal("12")


@pytest.mark.parametrize("ruolo", ["funzionario", "operatore_b", "admin"])
def test_only_the_ambitos_users_enter_its_values(cast, catalogo_caricato, ruolo):
    with pytest.raises(IndicatoreNonValido, match="Solo l'Ufficio di Piano"):
        inserisci(cast, "UTE01", "12", user=cast.user(ruolo))


def test_a_target_is_read_in_italian_and_can_be_cleared(cast, catalogo_caricato):
    voce = indicatore(cast, "UTE02")
    indicatore_target_modifica(indicatore=voce, testo="20", user=cast.funzionario)
    assert indicatore(cast, "UTE02").target == Decimal("20")
    indicatore_target_modifica(indicatore=voce, testo="", user=cast.funzionario)
    assert indicatore(cast, "UTE02").target is None


def test_a_wrong_target_is_refused_and_the_old_one_stays(cast, catalogo_caricato):
    voce = indicatore(cast, "FNP01")
    with pytest.raises(IndicatoreNonValido, match="va da 0 a 100"):
        indicatore_target_modifica(indicatore=voce, testo="150", user=cast.funzionario)
    with pytest.raises(IndicatoreNonValido, match="Solo i funzionari"):
        indicatore_target_modifica(indicatore=voce, testo="40", user=cast.responsabile_a)
    assert indicatore(cast, "FNP01").target == Decimal("50")


def test_the_demo_loads_the_catalogue_entered_values_and_computed_ones_and_can_run_again(cast):
    d.aree_utenza()
    ambiti = [cast.ambito_a, cast.ambito_b]
    crea_dati_demo(cast.regione, ambiti, random.Random(1), "small")
    inseriti = ValoreIndicatore.objects.filter(indicatore__tipo="inserito").count()
    assert inseriti == 2 * 3  # two ambiti × three entered indicators × the cycle's first year
    assert ValoreIndicatore.objects.filter(indicatore__tipo="calcolato").exists()
    contati = (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count())
    crea_dati_demo(cast.regione, ambiti, random.Random(1), "small")
    assert (ValoreIndicatore.objects.count(), StoricoValoreIndicatore.objects.count()) == contati
