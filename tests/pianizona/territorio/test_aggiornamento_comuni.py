"""Updating the municipalities to a new ISTAT list: what the report tells, on a small before/after."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from pianizona.models import Ambito, Comune, Regione
from pianizona.territorio.aggiornamento import Popolazione, comuni_aggiorna
from pianizona.territorio.riferimento import aggiorna_riferimenti, load_reference
from tests.factories import AmbitoFactory, ComuneFactory, RegioneFactory

pytestmark = pytest.mark.django_db


def _riga(codice, nome, regione, catastale, sigla="XX"):
    codice_regione, nome_regione = regione
    return {
        "codice_istat": codice,
        "nome": nome,
        "codice_regione": codice_regione,
        "regione": nome_regione,
        "provincia": "Provincia",
        "sigla": sigla,
        "codice_catastale": catastale,
    }


MARCHE = ("11", "Marche")
EMILIA = ("08", "Emilia-Romagna")


@pytest.fixture
def prima(db):
    """Before: two Marche ambiti; A holds three municipalities, two of which will merge."""
    marche = RegioneFactory(codice_istat="11", nome="Marche")
    RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    a = AmbitoFactory(regione=marche, codice="ATS1", nome="Pesaro")
    b = AmbitoFactory(regione=marche, codice="ATS2", nome="Urbino")
    for codice, nome, catastale, ambito in [
        ("041001", "Uno", "A001", a),
        ("041002", "Due", "A002", a),
        ("041003", "Tre", "A003", a),
        ("041033", "Montecopiolo", "F478", b),
        ("041004", "Quattro", "A004", b),
    ]:
        ComuneFactory(
            codice_istat=codice,
            nome=nome,
            codice_catastale=catastale,
            sigla_provincia="XX",
            ambito=ambito,
            regione=marche,
        )
    return a, b


DOPO = [
    _riga("041003", "Tre Nuovo Nome", MARCHE, "A003"),
    _riga("041004", "Quattro", MARCHE, "A004"),
    _riga("041099", "Unodue", MARCHE, "M999"),  # the merger of Uno and Due
    _riga("041100", "Cinque", MARCHE, "M998"),  # a new municipality out of nothing
    _riga("099030", "Montecopiolo", EMILIA, "F478", sigla="RN"),  # moved to Emilia-Romagna
]
VARIAZIONI = [
    {"codice_istat": "041001", "tipo": "fusione", "codice_successore": "041099"},
    {"codice_istat": "041002", "tipo": "fusione", "codice_successore": "041099"},
]
POPOLAZIONI = {
    "041099": Popolazione(anno=2023, totale=300, eta_0_17=50, eta_65_piu=90, eta_75_piu=40),
    "099030": Popolazione(anno=2023, totale=1000),
}


def test_the_report_names_new_merged_moved_municipalities_and_the_ambiti_they_changed(prima):
    rapporto = comuni_aggiorna(comuni=DOPO, popolazioni=POPOLAZIONI, variazioni=VARIAZIONI)
    testo = "\n".join(rapporto.righe())

    assert rapporto.nuovi == [
        "Unodue (XX, 041099), regione Marche (nato da fusione)",
        "Cinque (XX, 041100), regione Marche",
    ]
    assert "Uno (XX, 041001): fusione in Unodue (XX, 041099); era nell'ambito ATS1 Pesaro" in testo
    assert "Due (XX, 041002): fusione in Unodue (XX, 041099)" in testo
    assert (
        "Montecopiolo (XX, 041033) passa da Marche a Emilia-Romagna con il codice 099030: "
        "esce dall'ambito ATS2 Urbino, da assegnare a un ambito della regione Emilia-Romagna"
    ) in testo
    assert "Tre (041003) ora Tre Nuovo Nome" in testo
    assert "Ambiti la cui composizione è cambiata: 2" in testo
    assert (
        "ATS1 Pesaro: esce Uno (XX, 041001) (soppresso, fusione in Unodue (XX, 041099)); "
        "esce Due (XX, 041002) (soppresso, fusione in Unodue (XX, 041099)); "
        "entra Unodue (XX, 041099) (fusione)"
    ) in testo
    assert "ATS2 Urbino: esce Montecopiolo (XX, 041033)" in testo


def test_nothing_is_deleted_and_no_municipality_stays_in_another_regions_ambito(prima):
    a, b = prima
    comuni_aggiorna(comuni=DOPO, popolazioni=POPOLAZIONI, variazioni=VARIAZIONI)

    assert Comune.objects.count() == 8  # 5 before, 3 new codes, none deleted
    uno = Comune.objects.get(codice_istat="041001")
    assert (uno.soppresso, uno.confluito_in.nome, uno.ambito, uno.popolazione) == (
        True,
        "Unodue",
        None,
        0,
    )
    assert sorted(a.comuni.values_list("nome", flat=True)) == ["Tre Nuovo Nome", "Unodue"]
    assert list(b.comuni.values_list("nome", flat=True)) == ["Quattro"]
    nuovo = Comune.objects.get(codice_istat="099030")
    assert (nuovo.regione.nome, nuovo.ambito, nuovo.popolazione) == ("Emilia-Romagna", None, 1000)
    assert Comune.objects.get(codice_istat="041033").confluito_in == nuovo
    assert not Comune.objects.exclude(ambito=None).exclude(ambito__regione=F("regione")).exists()


def test_a_second_run_changes_and_reports_nothing(prima):
    comuni_aggiorna(comuni=DOPO, popolazioni=POPOLAZIONI, variazioni=VARIAZIONI)
    prima_volta = list(
        Comune.objects.order_by("codice_istat").values_list(
            "codice_istat", "nome", "ambito_id", "soppresso", "confluito_in_id", "popolazione"
        )
    )
    rapporto = comuni_aggiorna(comuni=DOPO, popolazioni=POPOLAZIONI, variazioni=VARIAZIONI)

    assert rapporto.vuoto
    assert rapporto.righe()[-1] == "Nessuna variazione di comuni rispetto ai dati già caricati."
    assert prima_volta == list(
        Comune.objects.order_by("codice_istat").values_list(
            "codice_istat", "nome", "ambito_id", "soppresso", "confluito_in_id", "popolazione"
        )
    )


def test_a_province_change_within_the_region_keeps_the_row_and_its_ambito(prima):
    a, _ = prima
    dopo = [*DOPO[:-1], _riga("111001", "Uno", MARCHE, "A001")]
    rapporto = comuni_aggiorna(comuni=dopo, popolazioni={}, variazioni=[])

    assert rapporto.ricodificati == ["Uno (XX, 041001) ora 111001"]
    assert Comune.objects.get(codice_istat="111001").ambito == a
    assert not Comune.objects.filter(codice_istat="041001").exists()


def test_the_command_prints_the_report_and_a_second_run_says_nothing_changed():
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "Primo caricamento: 7.896 comuni." in out.getvalue()
    out = StringIO()
    call_command("load_reference", stdout=out)
    testo = out.getvalue()
    assert "Comuni nell'elenco ISTAT: 7896." in testo
    assert "Nessuna variazione di comuni rispetto ai dati già caricati." in testo


def test_the_vendored_variations_bring_a_2021_database_to_todays_list():
    load_reference()
    veneto, marche = Regione.objects.get(nome="Veneto"), Regione.objects.get(nome="Marche")
    vicenza = Ambito.objects.create(regione=veneto, codice="VI01", nome="Ovest Vicentino")
    pesaro = Ambito.objects.create(regione=marche, codice="PU01", nome="Pesaro")
    # As stored before the 2024 merger and the 2021 move to Emilia-Romagna.
    Comune.objects.filter(codice_istat__in=["024128", "099030"]).delete()
    for codice, nome, regione, sigla, catastale, ambito in [
        ("024044", "Gambugliano", veneto, "VI", "D902", vicenza),
        ("024103", "Sovizzo", veneto, "VI", "I879", vicenza),
        ("041033", "Montecopiolo", marche, "PU", "F478", pesaro),
    ]:
        Comune.objects.create(
            codice_istat=codice,
            nome=nome,
            regione=regione,
            provincia="",
            sigla_provincia=sigla,
            codice_catastale=catastale,
            popolazione=1,
            ambito=ambito,
        )

    _, rapporto = aggiorna_riferimenti()

    assert list(vicenza.comuni.values_list("codice_istat", "nome")) == [("024128", "Sovizzo")]
    assert rapporto.soppressi == [
        "Gambugliano (VI, 024044): fusione in Sovizzo (VI, 024128); "
        "era nell'ambito VI01 Ovest Vicentino",
        "Sovizzo (VI, 024103): fusione in Sovizzo (VI, 024128); era nell'ambito VI01 Ovest Vicentino",
    ]
    assert rapporto.trasferiti[0].startswith(
        "Montecopiolo (PU, 041033) passa da Marche a Emilia-Romagna con il codice 099030"
    )
    assert not pesaro.comuni.exists()
    assert Comune.objects.filter(soppresso=False).count() == 7896
