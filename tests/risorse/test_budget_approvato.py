"""An approved plan's budget page, when the resources change after the approval."""

import re
from decimal import Decimal

import pytest

from pianizona.models import Piano, Versione

from ..factories import approva_con_il_workflow
from .test_views_piano import assegna, url

pytestmark = pytest.mark.django_db

AVVISO = "Risorse cambiate dopo l'approvazione"


def approva(cast, piano: Piano) -> Versione:
    approva_con_il_workflow(piano, autore=cast.responsabile_a, funzionario=cast.funzionario)
    return piano.versioni.get()


def in_chiaro(html: str) -> str:
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_approved_plan_whose_resources_did_not_change_shows_no_warning(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    approva(cast, cast.piano_a)

    html = client_for("operatore_a").get(url("budget", cast.piano_a)).content.decode()

    assert "1.000,00\xa0€" in html
    assert AVVISO not in html


def test_transfers_changed_after_approval_are_shown_against_the_approved_version(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    assegna(cast, fonti["FNA"], 2025, Decimal("400.00"))
    versione = approva(cast, cast.piano_a)
    assegna(cast, fonti["FNPS"], 2025, Decimal("1100.00"))  # a new regional riparto
    assegna(cast, fonti["FNA"], 2025, Decimal("0.00"))
    assegna(cast, fonti["FGSA"], 2026, Decimal("500.00"))

    html = client_for("operatore_a").get(url("budget", cast.piano_a)).content.decode()
    avviso = in_chiaro(html[html.index('id="scostamento"') : html.index("Per fonte e anno")])

    assert AVVISO in html
    assert f"/piani/{cast.piano_a.pk}/versioni/{versione.numero}/" in html
    assert "budget di 1.400,00\xa0€" in avviso
    assert "ammontano a 1.600,00\xa0€ (+200,00\xa0€)" in avviso
    assert (
        "Fondo Nazionale Politiche Sociali (FNPS) 2025 1.000,00\xa0€ 1.100,00\xa0€ +100,00\xa0€"
        in (avviso)
    )
    assert "Fondo Non Autosufficienze (FNA) 2025 400,00\xa0€ 0,00\xa0€ \u2212400,00\xa0€" in avviso
    assert "(FGSA) 2026 0,00\xa0€ 500,00\xa0€ +500,00\xa0€" in avviso
    # Only the fund × year cells that moved are listed.
    assert "2027" not in avviso


def test_a_plan_not_yet_approved_shows_the_current_budget_without_comparing(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    approva(cast, cast.piano_a)
    cast.piano_a.stato = Piano.Stato.IN_ISTRUTTORIA  # e.g. sent back for changes
    cast.piano_a.save(update_fields=["stato"])
    assegna(cast, fonti["FNPS"], 2025, Decimal("2000.00"))

    html = client_for("operatore_a").get(url("budget", cast.piano_a)).content.decode()

    assert "2.000,00\xa0€" in html
    assert AVVISO not in html


def test_the_budget_page_of_an_approved_plan_runs_the_same_queries_however_many_changes(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    approva(cast, cast.piano_a)
    assegna(cast, fonti["FNPS"], 2025, Decimal("1001.00"))

    def grow():
        for fonte in ("FNA", "FGSA"):
            for anno in (2025, 2026, 2027):
                assegna(cast, fonti[fonte], anno, Decimal(anno))

    assert_constant_queries(client_for("operatore_a"), url("budget", cast.piano_a), 13, grow)
