"""Bad input is a 4xx with a JSON body in Italian, never a 500; throttling and the call log."""

import pytest
from django.urls import reverse

from pianizona.models import ChiamataApi

from .conftest import client_chiave, crea_chiave


def test_an_unknown_filter_is_a_400_listing_the_allowed_ones(cast, chiavi):
    response = client_chiave(chiavi.regione).get(reverse("api:piano-list"), {"statto": "bozza"})
    assert response.status_code == 400
    corpo = response.json()
    assert corpo["errore"].startswith("Parametri non riconosciuti: statto.")
    assert corpo["dettagli"]["parametri_sconosciuti"] == ["statto"]
    assert {"ciclo", "ambito", "stato", "anno", "page", "page_size"} <= set(
        corpo["dettagli"]["parametri_consentiti"]
    )


def test_a_parameter_on_a_detail_is_refused_too(cast, chiavi):
    url = reverse("api:ambito-detail", args=[cast.ambito_a.pk])
    response = client_chiave(chiavi.regione).get(url, {"stato": "approvato"})
    assert response.status_code == 400
    assert response.json()["dettagli"]["parametri_consentiti"] == []


@pytest.mark.parametrize(
    ("parametri", "campo"),
    [
        ({"ciclo": "abc"}, "ciclo"),
        ({"ambito": "0"}, "ambito"),
        ({"ambito": str(2**70)}, "ambito"),
        ({"anno": "20250"}, "anno"),
        ({"stato": "inventato"}, "stato"),
    ],
)
def test_a_malformed_filter_value_is_a_400_naming_the_field(cast, chiavi, parametri, campo):
    response = client_chiave(chiavi.regione).get(reverse("api:piano-list"), parametri)
    assert response.status_code == 400
    assert response.json()["errore"] == "Parametri non validi."
    assert campo in response.json()["dettagli"]


@pytest.mark.parametrize(
    "percorso", ["piani/abc/", "piani/1.5/", "piani/-3/", "inesistente/", "cicli/%0A%C3%B7/"]
)
def test_a_malformed_id_or_unknown_path_is_a_json_404(cast, chiavi, percorso):
    response = client_chiave(chiavi.regione).get(f"/api/v1/{percorso}")
    assert response.status_code == 404
    assert response.json() == {"errore": "Risorsa non trovata.", "dettagli": None}


def test_a_huge_id_is_a_404_not_an_overflow(cast, chiavi):
    response = client_chiave(chiavi.regione).get(f"/api/v1/piani/{2**70}/")
    assert response.status_code == 404


def test_a_page_past_the_end_is_a_404(cast, chiavi):
    response = client_chiave(chiavi.regione).get(reverse("api:ambito-list"), {"page": 99})
    assert response.status_code == 404
    assert response.json()["errore"] == "Risorsa non trovata."


def test_lists_are_paginated(cast, chiavi):
    client = client_chiave(chiavi.regione)
    pagina = client.get(reverse("api:ambito-list"), {"page_size": 1}).json()
    assert pagina["count"] == 2
    assert len(pagina["results"]) == 1
    assert "page=2" in pagina["next"]
    seconda = client.get(pagina["next"]).json()
    assert seconda["results"][0]["id"] != pagina["results"][0]["id"]


def test_past_its_limit_a_key_gets_a_429_with_the_wait(cast):
    token, _ = crea_chiave("Limitata", regione=cast.regione, limite=2)
    client = client_chiave(token)
    url = reverse("api:regione-list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert response.json()["errore"].startswith("Troppe richieste")
    assert 1 <= response.json()["dettagli"]["attesa_secondi"] <= 61
    assert int(response["Retry-After"]) >= 1


def test_each_key_has_its_own_counter(cast):
    token_1, _ = crea_chiave("Prima", regione=cast.regione, limite=1)
    token_2, _ = crea_chiave("Seconda", regione=cast.regione, limite=1)
    url = reverse("api:regione-list")
    assert client_chiave(token_1).get(url).status_code == 200
    assert client_chiave(token_1).get(url).status_code == 429
    assert client_chiave(token_2).get(url).status_code == 200


def test_session_users_have_the_configured_limit(cast, client_for, settings):
    settings.PIANIZONA_API_LIMITE_SESSIONE = 1
    client = client_for("operatore_a")
    url = reverse("api:regione-list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]


def test_every_call_is_logged_with_key_path_status_and_time(cast, chiavi):
    chiave = chiavi.oggetti["ambito_a"]
    client = client_chiave(chiavi.ambito_a)
    client.get(reverse("api:ambito-list"), {"page_size": 5})
    client.get(reverse("api:ambito-detail", args=[cast.ambito_b.pk]))
    client.get("/api/v1/inesistente/")
    chiamate = list(ChiamataApi.objects.filter(chiave=chiave).order_by("pk"))
    assert [(c.metodo, c.percorso, c.stato) for c in chiamate] == [
        ("GET", "/api/v1/ambiti/?page_size=5", 200),
        ("GET", f"/api/v1/ambiti/{cast.ambito_b.pk}/", 404),
        ("GET", "/api/v1/inesistente/", 404),
    ]
    assert all(c.durata_ms >= 0 and c.eseguita_il for c in chiamate)
    chiave.refresh_from_db()
    assert chiave.ultima_chiamata_il is not None


def test_session_calls_are_logged_and_calls_without_valid_credentials_are_not(
    cast, chiavi, client_for
):
    # Anyone could fill the table with refused calls: they are limited per address instead.
    assert client_chiave("pz_sbagliata").get(reverse("api:piano-list")).status_code == 401
    client_for("operatore_a").get(reverse("api:piano-list"))
    (di_sessione,) = ChiamataApi.objects.order_by("pk")
    assert (di_sessione.utente, di_sessione.stato) == (cast.operatore_a, 200)


def test_the_clear_key_is_never_stored(cast, chiavi):
    chiave = chiavi.oggetti["regione"]
    assert chiavi.regione not in (chiave.impronta, chiave.prefisso)
    assert chiavi.regione.startswith(chiave.prefisso)
    assert len(chiave.impronta) == 64
