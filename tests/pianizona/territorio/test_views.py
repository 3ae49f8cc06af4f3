from django.urls import reverse

from tests.factories import (
    AmbitoFactory,
    ComuneFactory,
    PianoFactory,
    piani_attuativi,
)


def test_the_ambito_page_shows_its_plans_municipalities_and_population(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("ambito_detail", args=[cast.ambito_a.pk]))
        .content.decode()
    )
    assert "Piano triennale 2025–2027" in html
    assert "Bozza" in html
    assert "Valenzano" in html
    assert "333.980" in html  # 315.933 + 18.047 with Italian separators
    assert "Altamura" not in html


def test_the_ambito_page_states_the_istat_year_age_bands_and_merged_municipalities(
    cast, client_for
):
    cast.ambito_a.comuni.update(popolazione_anno=2023, eta_65_piu=1000)
    ComuneFactory(
        ambito=None,
        regione=cast.regione,
        nome="Vecchio Borgo",
        codice_istat="072999",
        soppresso=True,
        confluito_in=cast.ambito_a.comune_capofila,
    )
    html = (
        client_for("operatore_a")
        .get(reverse("ambito_detail", args=[cast.ambito_a.pk]))
        .content.decode()
    )
    assert "Residenti ISTAT 2023" in html
    assert "Residenti (ISTAT 2023)</th>" in html
    assert '<td class="num fw-bold">2.000</td>' in html  # 65 and over: 1.000 + 1.000
    assert "Comprende i soppressi Vecchio Borgo (072999)" in html


def test_the_regional_overview_lists_every_ambito_with_its_plan_state(cast, client_for):
    html = (
        client_for("funzionario")
        .get(reverse("regione_detail", args=[cast.regione.pk]))
        .content.decode()
    )
    assert "Ambito di Bari" in html and "Ambito di Altamura" in html
    assert "Bozza: 1" in html and "Inviato: 1" in html


def test_the_regional_overview_states_the_istat_year_of_the_population(cast, client_for):
    cast.regione.comuni.update(popolazione_anno=2023)
    html = (
        client_for("funzionario")
        .get(reverse("regione_detail", args=[cast.regione.pk]))
        .content.decode()
    )
    assert "Popolazione (ISTAT 2023)</th>" in html
    assert "333.980" in html and "69.529" in html


def test_the_regional_overview_filters_by_cycle(cast, client_for):
    vecchio = PianoFactory(
        ambito=cast.ambito_a,
        ciclo__regione=cast.regione,
        ciclo__anno_inizio=2022,
        ciclo__anno_fine=2024,
    )
    url = reverse("regione_detail", args=[cast.regione.pk])
    html = client_for("funzionario").get(url, {"ciclo": vecchio.ciclo_id}).content.decode()
    assert "Piano triennale 2022–2024" in html
    assert "Piano triennale 2025–2027" not in html
    assert client_for("funzionario").get(url, {"ciclo": "non-un-numero"}).status_code == 200


def test_the_ambito_page_has_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    def grow():
        ComuneFactory.create_batch(20, ambito=cast.ambito_a)
        piani_attuativi(cast.piano_a)

    url = reverse("ambito_detail", args=[cast.ambito_a.pk])
    assert_constant_queries(client_for("operatore_a"), url, 10, grow)


def test_the_regional_overview_has_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    def grow():
        for ambito in AmbitoFactory.create_batch(10, regione=cast.regione):
            ComuneFactory(ambito=ambito)
            PianoFactory(ambito=ambito, ciclo=cast.piano_a.ciclo)

    url = reverse("regione_detail", args=[cast.regione.pk])
    # Ten for the overview, six for «Da istruire» (plans, remarks, reports, discrepancies).
    assert_constant_queries(client_for("funzionario"), url, 16, grow)
