"""Open data per cycle: approved plans only, aggregated, CSV and JSON, licence and DCAT-AP_IT metadata."""

import csv
import io
import json

from django.test import Client
from django.urls import reverse

from monitoraggio.models import Rendicontazione

from . import dati


def scarica(ciclo, codice: str, formato: str):
    response = Client().get(reverse("opendata_dataset", args=[ciclo.pk, codice, formato]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def righe_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_budget_dataset_has_the_approved_plan_only(cast, programmato):
    ciclo = cast.piano_a.ciclo
    righe = righe_csv(scarica(ciclo, "budget-fondi", "csv"))
    assert {r["ambito_codice"] for r in righe} == {"BA02"}  # BA01's plan is a draft
    assert [(r["fonte"], r["anno"], r["importo"]) for r in righe] == [
        ("FNPS", "2025", "80000.00"),
        ("FNPS", "2026", "80000.00"),
        ("FNPS", "2027", "80000.00"),
    ]


def test_the_allocations_dataset_sums_by_entry_and_area_in_json(cast, programmato):
    response = scarica(cast.piano_a.ciclo, "allocazioni-voci", "json")
    assert response["Content-Type"] == "application/json"
    corpo = json.loads(response.content)
    assert corpo["licenza"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [
        (r["ambito_codice"], r["voce"], r["area_intervento"], r["fonte"], r["anno"], r["importo"])
        for r in corpo["righe"]
    ] == [
        ("BA02", "B2.01", 2, "FNPS", 2025, "45000.00"),
        ("BA02", "B2.01", 2, "FNPS", 2027, "5000.00"),
    ]


def test_the_monitoring_dataset_totals_accepted_reports_against_the_programme(cast, programmato):
    ciclo = cast.piano_b.ciclo
    dati.dichiarazione(
        cast.ambito_b, ciclo, cast.operatore_b, stato=Rendicontazione.Stato.ACCETTATA
    )
    dati.dichiarazione(cast.ambito_a, ciclo, cast.operatore_a)  # a draft report: not published
    righe = righe_csv(scarica(ciclo, "monitoraggio-fondi", "csv"))
    per_anno = {(r["ambito_codice"], r["anno"]): r for r in righe}
    assert set(per_anno) == {("BA02", "2025"), ("BA02", "2027")}
    duemila25 = per_anno[("BA02", "2025")]
    assert (duemila25["programmato"], duemila25["impegnato"], duemila25["liquidato"]) == (
        "45000.00",
        "1000.00",
        "400.00",
    )


def test_no_personal_data_in_any_dataset(cast, programmato):
    ciclo = cast.piano_b.ciclo
    dati.dichiarazione(
        cast.ambito_b, ciclo, cast.operatore_b, stato=Rendicontazione.Stato.ACCETTATA
    )
    for codice in ("budget-fondi", "allocazioni-voci", "monitoraggio-fondi"):
        for formato in ("csv", "json"):
            testo = scarica(ciclo, codice, formato).content.decode()
            for persona in (cast.operatore_b, cast.funzionario, cast.operatore_a):
                assert persona.email not in testo


def test_an_empty_dataset_still_has_its_header(cast):
    response = scarica(cast.piano_a.ciclo, "budget-fondi", "csv")
    assert response.content.decode().splitlines() == [
        "ambito_codice,ambito,piano,tipo_piano,fonte,fonte_nome,livello,anno,trasferimenti,"
        "residui,altre_risorse,cofinanziamento,importo"
    ]


def test_unknown_dataset_format_or_cycle_is_a_404(cast):
    client = Client()
    ciclo = cast.piano_a.ciclo.pk
    for args in (
        [ciclo, "inventato", "csv"],
        [ciclo, "budget-fondi", "xlsx"],
        [9999, "budget-fondi", "csv"],
    ):
        assert client.get(reverse("opendata_dataset", args=args)).status_code == 404


def test_the_cycle_page_lists_datasets_with_licence_and_metadata(cast, programmato):
    ciclo = cast.piano_a.ciclo
    response = Client().get(reverse("opendata_ciclo", args=[ciclo.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "CC BY 4.0" in html
    assert "Regione Puglia" in html
    assert "dal 1° gennaio 2025 al 31 dicembre 2027" in html
    for codice in ("budget-fondi", "allocazioni-voci", "monitoraggio-fondi"):
        assert reverse("opendata_dataset", args=[ciclo.pk, codice, "csv"]) in html
        assert reverse("opendata_dataset", args=[ciclo.pk, codice, "json"]) in html
    assert reverse("opendata_metadati", args=[ciclo.pk]) in html


def test_the_metadata_are_dcat_ap_it_json_ld(cast, programmato):
    ciclo = cast.piano_a.ciclo
    response = Client().get(reverse("opendata_metadati", args=[ciclo.pk]))
    assert response["Content-Type"].startswith("application/ld+json")
    documento = response.json()
    assert documento["@context"]["dcatapit"] == "http://dati.gov.it/onto/dcatapit#"
    budget = next(d for d in documento["@graph"] if d["dct:identifier"].endswith(":budget-fondi"))
    assert budget["@type"] == ["dcat:Dataset", "dcatapit:Dataset"]
    assert budget["dct:title"]["@value"].startswith("Budget dei piani per fondo e anno – Puglia")
    assert budget["dct:publisher"]["foaf:name"] == "Regione Puglia"
    assert budget["dct:temporal"]["dcat:startDate"]["@value"] == "2025-01-01"
    assert budget["dct:temporal"]["dcat:endDate"]["@value"] == "2027-12-31"
    assert len(budget["dct:modified"]["@value"]) == 10  # the approval's date, ISO
    formati = {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in budget["dcat:distribution"]}
    assert formati == {"CSV", "JSON"}
    assert all(
        d["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        for d in budget["dcat:distribution"]
    )


def test_the_index_links_every_cycle(cast):
    response = Client().get(reverse("opendata_indice"))
    assert reverse("opendata_ciclo", args=[cast.piano_a.ciclo_id]) in response.content.decode()
