"""Who sees what: keys within their region or ambiti, approved plans only; users within their scope."""

import pytest
from django.urls import reverse
from django.utils import timezone

from pianizona.models import Piano

from .conftest import client_chiave


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def test_a_region_key_sees_every_ambito_of_its_region(cast, chiavi):
    client = client_chiave(chiavi.regione)
    assert ids(client.get(reverse("api:ambito-list"))) == {cast.ambito_a.pk, cast.ambito_b.pk}
    assert ids(client.get(reverse("api:regione-list"))) == {cast.regione.pk}


def test_an_ambito_key_sees_only_its_ambito(cast, chiavi):
    client = client_chiave(chiavi.ambito_a)
    assert ids(client.get(reverse("api:ambito-list"))) == {cast.ambito_a.pk}
    response = client.get(reverse("api:ambito-detail", args=[cast.ambito_b.pk]))
    assert response.status_code == 404
    assert response.json() == {"errore": "Risorsa non trovata.", "dettagli": None}


def test_the_x_api_key_header_works_like_the_bearer_one(cast, chiavi):
    client = client_chiave(chiavi.ambito_b, header="x-api-key")
    assert ids(client.get(reverse("api:ambito-list"))) == {cast.ambito_b.pk}


def test_a_key_of_another_region_finds_nothing_of_this_one(cast, chiavi, programmato):
    client = client_chiave(chiavi.altra_regione)
    for nome in ("ambito", "piano", "scheda", "budget", "ciclo"):
        risultati = client.get(reverse(f"api:{nome}-list")).json()["results"]
        assert all(r.get("regione", 0) != cast.regione.pk for r in risultati)
    assert ids(client.get(reverse("api:piano-list"))).isdisjoint({cast.piano_a.pk, cast.piano_b.pk})
    assert client.get(reverse("api:piano-detail", args=[cast.piano_b.pk])).status_code == 404
    assert (
        client.get(reverse("api:scheda-detail", args=[programmato.scheda_b.pk])).status_code == 404
    )
    assert client.get(reverse("api:regione-detail", args=[cast.regione.pk])).status_code == 404


def test_keys_see_approved_plans_only_and_never_a_draft(cast, chiavi, programmato):
    client = client_chiave(chiavi.regione)
    assert ids(client.get(reverse("api:piano-list"))) == {cast.piano_b.pk}
    assert client.get(reverse("api:piano-detail", args=[cast.piano_a.pk])).status_code == 404
    assert ids(client.get(reverse("api:scheda-list"))) == {programmato.scheda_b.pk}
    assert client.get(reverse("api:budget-detail", args=[cast.piano_a.pk])).status_code == 404


def test_users_of_the_ambito_see_its_drafts_with_their_session(cast, client_for, programmato):
    client = client_for("operatore_a")
    assert ids(client.get(reverse("api:piano-list"))) == {cast.piano_a.pk}
    assert ids(client.get(reverse("api:scheda-list"))) == {programmato.scheda_a.pk}
    piano = client.get(reverse("api:piano-detail", args=[cast.piano_a.pk])).json()
    assert piano["stato"] == "bozza"
    assert client.get(reverse("api:piano-detail", args=[cast.piano_b.pk])).status_code == 404


def test_the_regional_officer_sees_every_plan_of_the_region(cast, client_for, programmato):
    client = client_for("funzionario")
    assert ids(client.get(reverse("api:piano-list"))) == {cast.piano_a.pk, cast.piano_b.pk}
    assert ids(client.get(reverse("api:ambito-list"))) == {cast.ambito_a.pk, cast.ambito_b.pk}


def test_no_credentials_is_a_401_in_json(cast):
    from django.test import Client

    response = Client().get(reverse("api:piano-list"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "Autenticazione richiesta" in response.json()["errore"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("token", ["pz_inventata", "x" * 500, ""])
def test_an_unknown_key_is_a_401_and_no_fallback_to_the_session(cast, client_for, token):
    client = client_for("operatore_a")
    response = client.get(reverse("api:piano-list"), HTTP_X_API_KEY=token)
    assert response.status_code == 401
    assert response.json() == {"errore": "Chiave API non valida.", "dettagli": None}


def test_a_revoked_key_is_a_401_naming_when(cast, chiavi):
    chiave = chiavi.oggetti["regione"]
    chiave.revocata_il = timezone.now()
    chiave.save(update_fields=["revocata_il"])
    response = client_chiave(chiavi.regione).get(reverse("api:ambito-list"))
    assert response.status_code == 401
    assert response.json()["errore"].startswith("Chiave API revocata il ")


def test_a_key_only_reads(cast, chiavi):
    client = client_chiave(chiavi.regione)
    response = client.post(reverse("api:piano-list"), {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["errore"].startswith("Metodo non consentito")


def test_versions_show_keys_the_approved_one_and_users_every_one(
    cast, chiavi, client_for, programmato
):
    piano = cast.piano_b
    url = reverse("api:piano-versioni", args=[piano.pk])
    dalla_chiave = client_chiave(chiavi.ambito_b).get(url).json()
    assert [(v["numero"], v["stato"]) for v in dalla_chiave] == [(1, "approvata")]
    assert len(dalla_chiave[0]["impronta"]) == 64
    assert Piano.objects.get(pk=piano.pk).stato == "approvato"
    dall_operatore = client_for("operatore_b").get(url).json()
    assert [v["numero"] for v in dall_operatore] == [1]
