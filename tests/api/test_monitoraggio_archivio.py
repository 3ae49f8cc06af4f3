"""Declarations, indicator values and adherents through the API: scope, approval, no personal data."""

from datetime import date

from django.urls import reverse

from archivio.models import Adesione
from monitoraggio.models import Rendicontazione
from tests.conftest import query_count

from . import dati
from .conftest import client_chiave


def risultati(client, nome: str, **parametri) -> list[dict]:
    response = client.get(reverse(f"api:{nome}-list"), parametri)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_line_shows_its_latest_declaration(cast, client_for):
    ciclo = cast.piano_a.ciclo
    dati.dichiarazione(cast.ambito_a, ciclo, cast.operatore_a, data=date(2025, 6, 30))
    ultima = dati.dichiarazione(
        cast.ambito_a, ciclo, cast.operatore_a, impegnato="3000.00", liquidato="2500.00"
    )
    (riga,) = risultati(client_for("operatore_a"), "dichiarazione")
    assert riga["id"] == ultima.pk
    assert (riga["impegnato"], riga["liquidato"], riga["data"]) == (
        "3000.00",
        "2500.00",
        "2025-12-31",
    )
    assert (riga["fonte"], riga["obiettivo_servizio"], riga["area_intervento"]) == (
        "FNPS",
        "1.1",
        1,
    )
    assert "dichiarata_da" not in riga


def test_keys_read_only_the_reports_the_region_accepted(cast, chiavi):
    ciclo = cast.piano_a.ciclo
    dati.dichiarazione(cast.ambito_a, ciclo, cast.operatore_a, anno=2025)
    accettata = dati.dichiarazione(
        cast.ambito_a, ciclo, cast.operatore_a, anno=2026, stato=Rendicontazione.Stato.ACCETTATA
    )
    assert [r["id"] for r in risultati(client_chiave(chiavi.regione), "dichiarazione")] == [
        accettata.pk
    ]
    assert risultati(client_chiave(chiavi.ambito_b), "dichiarazione") == []
    assert [
        r["anno"] for r in risultati(client_chiave(chiavi.ambito_a), "dichiarazione", anno=2026)
    ] == [2026]


def test_indicator_values_of_the_ambito_and_of_the_region(cast, chiavi):
    di_a = dati.valore_indicatore(cast.ambito_a, cast.regione)
    di_b = dati.valore_indicatore(cast.ambito_b, cast.regione)
    regionale = dati.valore_indicatore(None, cast.regione)
    tutti = {r["id"] for r in risultati(client_chiave(chiavi.regione), "valore-indicatore")}
    assert tutti == {di_a.pk, di_b.pk, regionale.pk}
    solo_a = risultati(client_chiave(chiavi.ambito_a), "valore-indicatore", ambito=cast.ambito_a.pk)
    assert [(r["id"], r["valore"], r["unita"]) for r in solo_a] == [
        (di_a.pk, "12.5000", "euro_abitante")
    ]
    assert di_b.pk not in {
        r["id"] for r in risultati(client_chiave(chiavi.ambito_a), "valore-indicatore")
    }
    assert risultati(client_chiave(chiavi.altra_regione), "valore-indicatore") == []


def test_adherents_are_the_accepted_ones_without_contact_details(cast, chiavi):
    accettata = dati.adesione(cast.ambito_a)
    dati.adesione(cast.ambito_a, stato=Adesione.Stato.IN_ATTESA, nome="In attesa")
    dati.adesione(cast.ambito_b, nome="Di Altamura")
    (riga,) = risultati(client_chiave(chiavi.ambito_a), "aderente")
    assert riga["id"] == accettata.pk
    assert riga["denominazione"] == "Cooperativa sociale Il Faro"
    assert (riga["aree_intervento"], riga["aree_utenza"]) == ([1], ["FAM"])
    assert not {"referente", "email", "indirizzo", "modulo"} & set(riga)
    assert len(risultati(client_chiave(chiavi.regione), "aderente")) == 2


def test_monitoring_lists_run_a_constant_number_of_queries(cast, chiavi, assert_constant_queries):
    client = client_chiave(chiavi.regione)
    ciclo = cast.piano_a.ciclo
    anni = iter(range(2025, 2040))

    def cresci() -> None:
        anno = next(anni)
        for ambito in (cast.ambito_a, cast.ambito_b):
            dati.dichiarazione(ambito, ciclo, cast.operatore_a, anno=anno, stato="accettata")
            dati.valore_indicatore(ambito, cast.regione, anno=anno)
            dati.adesione(ambito, nome=f"{ambito.codice}{anno}")

    cresci()
    for nome in ("dichiarazione", "valore-indicatore", "aderente"):
        url = reverse(f"api:{nome}-list")
        assert_constant_queries(client, url, query_count(client, url), cresci)
