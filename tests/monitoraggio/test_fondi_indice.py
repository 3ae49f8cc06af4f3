"""The yearly report's page is long (a line per fund × objective × area): figures and index on top."""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

from datetime import date

from django.urls import reverse

from tests.collegamenti import ancore_senza_titolo, indice

from .fondi_dati import ANNO, dichiara, linee, oggi, rendicontazione  # noqa: F401


def _pagina(cast, client) -> str:
    url = f"{reverse('monitoraggio:fondi_ambito', args=[cast.ambito_a.pk])}?anno={ANNO}"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _sintesi(html: str) -> str:
    inizio = html.index('id="titolo-sintesi"')
    return html[inizio : html.index("</section>", inizio)]


def test_the_report_page_opens_with_the_years_key_figures(cast, client_for, linee, rendicontazione):
    dichiara(
        rendicontazione,
        cast.operatore_a,
        linee.fnps_infanzia(),
        date(2025, 12, 15),
        "30000",
        "12000",
    )

    sintesi = _sintesi(_pagina(cast, client_for("operatore_a")))

    assert f"Rendicontazione {ANNO}" in sintesi and "In compilazione" in sintesi
    assert "65.000,00\xa0€" in sintesi  # programmed: 40.000 + 20.000 + 5.000
    assert "30.000,00\xa0€" in sintesi and "46,15% del programmato" in sintesi  # committed
    assert "12.000,00\xa0€" in sintesi and "18,46% del programmato" in sintesi  # paid
    assert "1 su 3" in sintesi  # lines declared


def test_the_report_pages_index_jumps_to_each_section_and_each_fund(
    cast, client_for, linee, rendicontazione
):
    html = _pagina(cast, client_for("operatore_a"))

    assert indice(html) == [
        (f"Rendicontazione {ANNO}", "titolo-rendicontazione"),
        ("Regola del 75% (FNPS)", "titolo-regola"),
        (f"Linee di spesa {ANNO}", "titolo-linee"),
        ("FNPS", f"fonte-{linee.fnps.pk}"),
        ("FNA", f"fonte-{linee.fna.pk}"),
        ("Passaggi della rendicontazione", "titolo-passaggi"),
    ]
    assert ancore_senza_titolo(html) == []
    assert html.index("Indice della pagina") < html.index('id="titolo-rendicontazione"')


def test_a_year_without_a_report_has_no_steps_in_its_index(cast, client_for, linee):
    html = _pagina(cast, client_for("funzionario"))

    assert "Non ancora aperta" in _sintesi(html)
    assert "Passaggi della rendicontazione" not in [t for t, _ in indice(html)]
    assert ancore_senza_titolo(html) == []
