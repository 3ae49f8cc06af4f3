"""The preliminary phase's imports take the spreadsheets officers really make: title rows above
the header, our own export labels, blank and «Totale» rows, numbers as Excel writes them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risorse.models import Assegnazione, Cofinanziamento, CriterioRiparto, ValoreCriterio

from ..factories import ComuneFactory
from ..fogli import xlsx

pytestmark = pytest.mark.django_db


def test_the_regions_transfers_import_reads_a_sheet_with_titles_blank_and_total_rows(
    cast, fonti, ciclo_configurato, client_for
):
    Assegnazione.objects.create(
        ciclo=ciclo_configurato,
        ambito=cast.ambito_a,
        fonte=fonti["FNPS"],
        anno=2025,
        importo=Decimal("1000.00"),
    )
    file = xlsx(
        [
            ["Regione Puglia – Riparto FNPS 2025"],
            ["Determinazione dirigenziale n. 12/2025"],
            ["Codice ambito", "Fonte", "Anno", "Importo (€)"],
            ["BA01", "FNPS", 2025, 301234.56000000006],
            [None, None, None, None],
            ["BA02", "FNPS", 2025, 120000],
            ["TOTALE", None, None, 421234.56],
        ]
    )
    client = client_for("funzionario")
    url = reverse("risorse:assegnazioni_importa", args=[ciclo_configurato.pk])
    html = client.post(url, {"file": file}).content.decode()
    assert 'Errori</dt><dd class="col-sm-7">0' in html
    assert "Intestazione letta nella riga 3" in html
    assert "Riga 7: «TOTALE»: riga dei totali, non importata" in html
    # The preview shows what changes, old → new, before anything is saved.
    assert '<th scope="col">Codice ambito · Fonte · Anno</th>' in html  # as the file names them
    assert '<td class="num">4</td>' in html  # the row as Excel numbers it
    assert "<td>BA01 · FNPS · 2025 <em>(modificata)</em></td>" in html
    assert "Importo (€): 1.000,00\xa0€ → 301.234,56\xa0€" in html
    assert "Importo (€): — → 120.000,00\xa0€" in html
    assert Assegnazione.objects.get(ambito=cast.ambito_a).importo == Decimal("1000.00")

    client.post(url, {"azione": "conferma"})
    importi = dict(Assegnazione.objects.values_list("ambito__codice", "importo"))
    assert importi == {"BA01": Decimal("301234.56"), "BA02": Decimal("120000.00")}


def test_the_transfers_import_names_the_excel_row_of_a_three_decimal_amount(
    cast, fonti, ciclo_configurato, client_for
):
    file = xlsx(
        [["Trasferimenti"], ["ambito", "fonte", "anno", "importo"], ["BA01", "FNPS", 2025, 10.005]]
    )
    client = client_for("funzionario")
    url = reverse("risorse:assegnazioni_importa", args=[ciclo_configurato.pk])
    html = client.post(url, {"file": file}).content.decode()
    assert (
        '<td class="num">3</td><td>importo: Inserire al massimo 2 decimali. '
        "Valore letto: «10,005».</td>"
    ) in html
    assert not Assegnazione.objects.exists()


def test_a_criterions_values_are_imported_from_a_sheet_with_a_title_and_a_total(
    cast, ciclo_configurato, client_for
):
    criterio = CriterioRiparto.objects.create(regione=cast.regione, codice="minori", nome="Minori")
    file = SimpleUploadedFile(
        "minori.csv",
        "Residenti minorenni al 1° gennaio;\nCODICE AMBITO;Valore\nBA01;52.000\n;\n"
        "BA02;12345,5\nTotale;64.345,5\n".encode(),
    )
    client = client_for("funzionario")
    url = reverse("risorse:criterio_importa", args=[ciclo_configurato.pk, criterio.pk])
    html = client.post(url, {"file": file}).content.decode()
    assert 'Errori</dt><dd class="col-sm-7">0' in html
    assert "Riga 6: «Totale»: riga dei totali, non importata" in html
    client.post(url, {"azione": "conferma"})
    valori = dict(ValoreCriterio.objects.values_list("ambito__codice", "valore"))
    assert valori == {"BA01": Decimal("52000"), "BA02": Decimal("12345.5")}


def test_the_districts_cofinancing_import_accepts_istat_codes_excel_made_numbers(
    cast, fonti, ciclo_configurato, client_for
):
    ComuneFactory(ambito=cast.ambito_a, codice_istat="072004", nome="Acquaviva")
    file = xlsx(
        [
            ["Cofinanziamento comunale – Ambito di Bari"],
            ["Codice ISTAT", "Comune", "Anno", "Importo (€)"],
            [72004, "Acquaviva", 2025, 1500.1],
            ["Totale", None, None, 1500.1],
        ],
        "cofinanziamento.xlsx",
    )
    client = client_for("operatore_a")
    url = reverse("risorse:cofinanziamento_importa", kwargs={"piano_pk": cast.piano_a.pk})
    client.post(url, {"file": file})
    html = client.get(url).content.decode()
    assert 'Errori</dt><dd class="col-sm-7">0' in html
    assert "Importo (€): — → 1.500,10\xa0€" in html
    client.post(url, {"azione": "conferma", "revisione": "0"})
    cofinanziamento = Cofinanziamento.objects.get()
    assert cofinanziamento.comune.codice_istat == "072004"
    assert cofinanziamento.importo == Decimal("1500.10")


def test_the_transfers_preview_runs_the_same_queries_however_many_transfers_exist(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    from ..factories import AmbitoFactory

    file = xlsx([["Riparto"], ["ambito", "fonte", "anno", "importo"], ["BA01", "FNPS", 2025, 10]])
    client = client_for("funzionario")
    url = reverse("risorse:assegnazioni_importa", args=[ciclo_configurato.pk])
    client.post(url, {"file": file})
    assert "Anteprima di «dati.xlsx»" in client.get(url).content.decode()

    def grow():
        for _ in range(10):
            ambito = AmbitoFactory(regione=cast.regione)
            Assegnazione.objects.create(
                ciclo=ciclo_configurato, ambito=ambito, fonte=fonti["FNA"], anno=2026, importo=5
            )

    assert_constant_queries(client, url, 25, grow)
