"""One regional figure: the same «media regionale» of programmed €/inhabitant, with its caption and
the count of ambiti, on the indicator page, the district dashboard and the regional dashboard.

The region has four ambiti and only two approved plans (indicatori_dati): A 100.000 inhabitants
and 200.000 € programmed in 2025, B 50.000 and 50.000 €. C (25.000) has a draft plan with
1.000.000 € that must not count; D (25.000) has no plan at all.
So the figure is (200.000 + 50.000) / 150.000 = 1,67 €, not the mean of A's 2,00 and B's 1,00
(1,50), nor 250.000 over all 200.000 inhabitants (1,25).
"""

import pytest
from django.urls import reverse

from monitoraggio.indicatori.services import indicatori_ricalcola
from pianizona.models import Regione
from tests.factories import AmbitoFactory, ComuneFactory, PianoFactory

from . import indicatori_dati as d

FIGURA = "1,67\xa0€"


@pytest.fixture
def regione_a_meta(cast, fonti, riferimenti):
    voci = d.programma_a_e_b(cast, fonti, riferimenti)
    d.approva(cast.piano_b)
    for codice, nome in (("BA03", "Ambito di Gioia"), ("BA04", "Ambito di Putignano")):
        ambito = AmbitoFactory(regione=cast.regione, codice=codice, nome=nome)
        ComuneFactory(ambito=ambito, regione=cast.regione, popolazione=25_000)
        if codice == "BA03":
            bozza = PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo)
            d.scheda(bozza, voci.infanzia, [(fonti["FNPS"], 2025, 1_000_000)])
    d.carica_catalogo(cast.regione)
    indicatori_ricalcola(regione=cast.regione)
    return cast


def pagina(client, nome: str, pk: int, **parametri) -> str:
    risposta = client.get(reverse(f"monitoraggio:{nome}", args=[pk]), parametri)
    assert risposta.status_code == 200
    return risposta.content.decode()


def test_the_indicator_page_shows_the_figure_of_the_ambiti_with_an_approved_plan(
    regione_a_meta, client_for
):
    testo = pagina(client_for("operatore_a"), "indicatori_ambito", regione_a_meta.ambito_a.pk)
    assert "2,00\xa0€ per abitante" in testo  # Bari itself
    assert f"media regionale: {FIGURA} per abitante (2 ambiti territoriali sociali su 4)" in testo
    assert "1,50\xa0€ per abitante" not in testo
    assert "senza piano approvato non contano" in testo  # the caption says which figure it is


def test_the_district_dashboard_shows_the_same_figure_and_how_many_ambiti_it_counts(
    regione_a_meta, client_for
):
    testo = pagina(client_for("operatore_a"), "cruscotto_ambito", regione_a_meta.ambito_a.pk)
    assert f'<td class="num">{FIGURA}</td>' in testo  # 2025, the regional column
    assert "2025: 2 ambiti territoriali sociali su 4" in testo
    assert "chi non ha un piano approvato non conta" in testo


def test_the_regional_dashboard_shows_the_same_figure_and_how_many_ambiti_it_counts(
    regione_a_meta, client_for
):
    testo = pagina(
        client_for("funzionario"), "cruscotto_regione", regione_a_meta.regione.pk, anno="2025"
    )
    assert f"media regionale {FIGURA} su 2 ambiti territoriali sociali su 4" in testo
    assert "1,25\xa0€" not in testo  # what dividing by every inhabitant gave
    # The totals by fund say whose plans they add up; C's draft (1.000.000 €) is not among them.
    assert (
        "programmato dei piani approvati di 2 ambiti territoriali sociali su 4, "
        "in totale 250.000,00\xa0€" in testo
    )


def test_the_regional_indicator_on_the_catalogue_page_is_the_same_figure(
    regione_a_meta, client_for
):
    testo = pagina(
        client_for("funzionario"), "indicatori_catalogo", regione_a_meta.piano_a.ciclo_id
    )
    assert f"{FIGURA} per abitante" in testo  # REG01, 2025
    assert "la somma degli ambiti territoriali sociali con un piano approvato" in testo


def test_the_captions_count_the_districts_in_the_regions_words(regione_a_meta, client_for):
    Regione.objects.filter(pk=regione_a_meta.regione.pk).update(denominazione_ambiti="distretto")
    ambito = regione_a_meta.ambito_a.pk
    assert "(2 distretti su 4)" in pagina(client_for("operatore_a"), "indicatori_ambito", ambito)
    assert "2025: 2 distretti su 4" in pagina(client_for("operatore_a"), "cruscotto_ambito", ambito)
    regionale = pagina(
        client_for("funzionario"), "cruscotto_regione", regione_a_meta.regione.pk, anno="2025"
    )
    assert f"media regionale {FIGURA} su 2 distretti su 4" in regionale
    assert "la somma dei distretti con un piano approvato" in regionale


def test_a_province_filter_counts_only_its_ambiti(regione_a_meta, client_for):
    testo = pagina(
        client_for("funzionario"),
        "cruscotto_regione",
        regione_a_meta.regione.pk,
        anno="2025",
        provincia="Bari",
    )
    # Only A has its lead municipality in the province of Bari: 200.000 € over 100.000.
    assert "media regionale 2,00\xa0€ su 1 ambito territoriale sociale su 1" in testo
