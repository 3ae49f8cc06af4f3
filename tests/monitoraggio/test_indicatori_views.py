"""The indicator pages: what they show, their forms, and constant queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoraggio.indicatori.services import indicatori_ricalcola, valore_inserisci
from monitoraggio.models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from pianizona.models import Job

from . import indicatori_dati as d


@pytest.fixture
def calcolati(cast, fonti, riferimenti):
    """A and B approved and programmed, the catalogue loaded and recalculated once."""
    voci = d.programma_a_e_b(cast, fonti, riferimenti)
    d.approva(cast.piano_b)
    d.carica_catalogo(cast.regione)
    indicatori_ricalcola(regione=cast.regione)
    return voci


def url_ambito(cast) -> str:
    return reverse("monitoraggio:indicatori_ambito", args=[cast.ambito_a.pk])


def url_catalogo(cast) -> str:
    return reverse("monitoraggio:indicatori_catalogo", args=[cast.piano_a.ciclo_id])


def indicatore(cast, codice: str) -> Indicatore:
    return Indicatore.objects.get(regione=cast.regione, codice=codice)


def test_the_ambito_page_shows_values_against_the_target_and_the_regional_average(
    cast, client_for, calcolati
):
    risposta = client_for("operatore_a").get(url_ambito(cast))
    testo = risposta.content.decode()
    assert risposta.status_code == 200
    assert "Spesa sociale programmata per abitante" in testo
    assert "2,00\xa0€ per abitante" in testo  # A in 2025
    # (200.000 + 50.000) € over 150.000 inhabitants, not the mean of 2 and 1
    assert "media regionale: 1,67\xa0€ per abitante (2 ambiti territoriali sociali su 2)" in testo
    assert "60,00%" in testo and "target raggiunto" in testo  # FNPS share 60% ≥ 50%
    assert "Nessun importo FNPS programmato" in testo  # 2027


def test_a_target_read_downwards_is_met_below_it(cast, client_for, calcolati):
    valore_inserisci(
        indicatore=indicatore(cast, "UTE02"),
        ambito=cast.ambito_a,
        anno=2025,
        testo="45",
        nota="",
        user=cast.operatore_a,
    )
    testo = client_for("operatore_a").get(url_ambito(cast)).content.decode()
    assert "target non raggiunto" in testo  # 45 days against at most 30


def test_district_users_get_a_form_for_each_entered_indicator_officers_none(
    cast, client_for, calcolati
):
    pk = indicatore(cast, "UTE01").pk
    assert (
        f'name="valore-{pk}-valore"'
        in client_for("operatore_a").get(url_ambito(cast)).content.decode()
    )
    assert f'name="valore-{pk}-valore"' not in (
        client_for("funzionario").get(url_ambito(cast)).content.decode()
    )


def test_entering_a_value_saves_it_and_returns_to_the_page(cast, client_for, calcolati):
    pk = indicatore(cast, "UTE01").pk
    risposta = client_for("responsabile_a").post(
        url_ambito(cast),
        {"indicatore": pk, f"valore-{pk}-anno": "2026", f"valore-{pk}-valore": "1.250"},
    )
    assert risposta.status_code == 302
    valore = ValoreIndicatore.objects.get(indicatore_id=pk, ambito=cast.ambito_a, anno=2026)
    assert valore.valore == Decimal("1250")


def test_a_value_of_the_wrong_type_is_shown_at_its_field_and_nothing_is_saved(
    cast, client_for, calcolati
):
    pk = indicatore(cast, "UTE01").pk
    risposta = client_for("operatore_a").post(
        url_ambito(cast),
        {"indicatore": pk, f"valore-{pk}-anno": "2025", f"valore-{pk}-valore": "12,5"},
    )
    testo = risposta.content.decode()
    assert risposta.status_code == 400
    assert "si esprime con un numero intero" in testo
    assert f'aria-describedby="id_valore-{pk}-valore_aiuto id_valore-{pk}-valore_errori"' in testo
    assert 'value="12,5"' in testo  # what the user typed is shown again
    assert not ValoreIndicatore.objects.filter(indicatore_id=pk).exists()


def test_a_value_for_a_year_not_yet_begun_is_refused_at_the_year(
    cast, client_for, calcolati, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 3, 1))
    pk = indicatore(cast, "UTE01").pk
    client = client_for("operatore_a")
    pagina = client.get(url_ambito(cast)).content.decode()
    assert '<option value="2026" selected>2026</option>' in pagina  # not the cycle's last, 2027

    risposta = client.post(
        url_ambito(cast),
        {"indicatore": pk, f"valore-{pk}-anno": "2027", f"valore-{pk}-valore": "1.250"},
    )
    testo = risposta.content.decode()
    assert risposta.status_code == 400
    assert "Anno 2027: l&#x27;anno non è ancora iniziato" in testo
    assert f'id="id_valore-{pk}-anno_errori"' in testo
    assert not ValoreIndicatore.objects.filter(indicatore_id=pk).exists()


def test_a_computed_indicator_cannot_be_posted_as_entered(cast, client_for, calcolati):
    pk = indicatore(cast, "SPS01").pk
    risposta = client_for("operatore_a").post(
        url_ambito(cast),
        {"indicatore": pk, f"valore-{pk}-anno": "2025", f"valore-{pk}-valore": "3"},
    )
    assert risposta.status_code == 404


def test_the_ambito_page_runs_the_same_queries_with_more_indicators_and_values(
    cast, client_for, calcolati, assert_constant_queries
):
    client = client_for("operatore_a")

    def cresci():
        for n in range(5):
            nuovo = Indicatore.objects.create(
                regione=cast.regione,
                codice=f"X{n}",
                nome=f"Extra {n}",
                unita="numero",
                direzione="crescente",
                tipo="inserito",
                target=Decimal(10),
            )
            for anno in (2025, 2026):
                ValoreIndicatore.objects.create(
                    indicatore=nuovo,
                    ambito=cast.ambito_a,
                    anno=anno,
                    valore=Decimal(n),
                    aggiornato_il=timezone.now(),
                )

    from tests.conftest import query_count

    assert_constant_queries(client, url_ambito(cast), query_count(client, url_ambito(cast)), cresci)


def test_the_history_lists_every_value_with_origin_date_and_user(cast, client_for, calcolati):
    voce = indicatore(cast, "UTE01")
    for testo in ("1.250", "1.300"):
        valore_inserisci(
            indicatore=voce,
            ambito=cast.ambito_a,
            anno=2025,
            testo=testo,
            nota="",
            user=cast.operatore_a,
        )
    url = reverse("monitoraggio:indicatore_storico", args=[cast.ambito_a.pk, voce.pk])
    testo = client_for("funzionario").get(url).content.decode()
    assert "1.250" in testo and "1.300" in testo
    assert "Inserimento manuale" in testo and str(cast.operatore_a) in testo


def test_the_history_of_a_computed_value_says_it_came_from_a_recalculation(
    cast, client_for, calcolati
):
    url = reverse(
        "monitoraggio:indicatore_storico", args=[cast.ambito_a.pk, indicatore(cast, "SPS01").pk]
    )
    testo = client_for("operatore_a").get(url).content.decode()
    assert "Ricalcolo" in testo and "2,00\xa0€ per abitante" in testo


def test_the_history_page_runs_the_same_queries_however_long_the_history(
    cast, client_for, calcolati, assert_constant_queries
):
    voce = indicatore(cast, "UTE01")
    url = reverse("monitoraggio:indicatore_storico", args=[cast.ambito_a.pk, voce.pk])
    client = client_for("operatore_a")

    def cresci():
        for n in range(5):
            StoricoValoreIndicatore.objects.create(
                indicatore=voce,
                ambito=cast.ambito_a,
                anno=2025,
                valore=Decimal(n),
                origine="inserimento",
                utente=cast.responsabile_a if n % 2 else cast.operatore_a,
                registrato_il=timezone.now(),
            )

    from tests.conftest import query_count

    assert_constant_queries(client, url, query_count(client, url), cresci)


def test_the_catalogue_lists_every_indicator_and_the_regional_values(cast, client_for, calcolati):
    testo = client_for("funzionario").get(url_catalogo(cast)).content.decode()
    assert "Ambiti con un piano approvato" in testo
    assert "1,67\xa0€ per abitante" in testo  # the region's 2025 spending per inhabitant
    assert "Tempo medio di attesa" in testo and "Più basso è meglio" in testo


def test_an_officer_edits_a_target_and_a_wrong_one_is_shown_at_its_field(
    cast, client_for, calcolati
):
    pk = indicatore(cast, "FNP01").pk
    client = client_for("funzionario")
    risposta = client.post(url_catalogo(cast), {"indicatore": pk, f"target-{pk}-target": "55,5"})
    assert risposta.status_code == 302
    assert indicatore(cast, "FNP01").target == Decimal("55.5")
    risposta = client.post(url_catalogo(cast), {"indicatore": pk, f"target-{pk}-target": "abc"})
    assert risposta.status_code == 400
    assert "non è un numero" in risposta.content.decode()
    assert indicatore(cast, "FNP01").target == Decimal("55.5")


def test_the_administrator_sees_the_catalogue_without_forms(cast, client_for, calcolati):
    testo = client_for("admin").get(url_catalogo(cast)).content.decode()
    assert "target-" not in testo and "Ricalcola gli indicatori" not in testo


def test_the_catalogue_page_runs_the_same_queries_with_more_indicators(
    cast, client_for, calcolati, assert_constant_queries
):
    client = client_for("funzionario")

    def cresci():
        for n in range(5):
            Indicatore.objects.create(
                regione=cast.regione,
                codice=f"R{n}",
                nome=f"Regionale {n}",
                livello="regionale",
                unita="euro",
                direzione="crescente",
                tipo="calcolato",
                formula="spesa_leps",
                area_utenza=d.AreaUtenzaIstat.objects.first(),
            )
        indicatori_ricalcola(regione=cast.regione)

    from tests.conftest import query_count

    url = url_catalogo(cast)
    assert_constant_queries(client, url, query_count(client, url), cresci)


def test_asking_for_the_ambitos_recalculation_leads_to_the_job_page(cast, client_for, calcolati):
    risposta = client_for("operatore_a").post(
        reverse("monitoraggio:indicatori_ricalcola_ambito", args=[cast.ambito_a.pk]),
        {"ciclo": cast.piano_a.ciclo_id},
    )
    job = Job.objects.get(tipo="ricalcolo_indicatori")
    assert risposta["Location"] == reverse("job_detail", args=[job.pk])
    assert job.parametri == {"regione": cast.regione.pk, "ambito": cast.ambito_a.pk}
    assert client_for("operatore_a").get(risposta["Location"]).status_code == 200


def test_the_regions_recalculation_is_asked_for_from_the_catalogue(cast, client_for, calcolati):
    risposta = client_for("funzionario").post(
        reverse("monitoraggio:indicatori_ricalcola_regione", args=[cast.piano_a.ciclo_id])
    )
    job = Job.objects.get(tipo="ricalcolo_indicatori")
    assert risposta["Location"] == reverse("job_detail", args=[job.pk])
    assert job.parametri["ambito"] is None


def test_the_ambito_and_cycle_pages_link_the_indicators(cast, client_for, calcolati):
    pagina_ambito = client_for("operatore_a").get(reverse("ambito_detail", args=[cast.ambito_a.pk]))
    assert url_ambito(cast) in pagina_ambito.content.decode()
    regione = client_for("funzionario").get(reverse("regione_detail", args=[cast.regione.pk]))
    assert url_catalogo(cast) in regione.content.decode()
