"""Administrators create keys in the admin: the clear key shown once, only its hash kept; revocation."""

from django.contrib.messages import get_messages
from django.urls import reverse

from pianizona.models import ChiaveApi
from pianizona.models.api import impronta_token

from .conftest import client_chiave


def test_a_new_key_is_shown_once_and_stored_hashed(cast, client_for):
    client = client_for("admin")
    response = client.post(
        reverse("admin:pianizona_chiaveapi_add"),
        {"nome": "Portale regionale", "regione": cast.regione.pk, "limite_al_minuto": 30},
    )
    assert response.status_code == 302
    chiave = ChiaveApi.objects.get()
    (messaggio,) = [
        str(m) for m in get_messages(response.wsgi_request) if str(m).startswith("Chiave API")
    ]
    token = messaggio.split(": ", 1)[1].split(" ")[0]
    assert token.startswith(chiave.prefisso)
    assert chiave.impronta == impronta_token(token)
    assert chiave.creata_da == cast.admin
    pagina = reverse("admin:pianizona_chiaveapi_change", args=[chiave.pk])
    assert token in client.get(pagina).content.decode()  # the one time it is displayed
    assert token not in client.get(pagina).content.decode()
    assert client_chiave(token).get(reverse("api:ambito-list")).json()["count"] == 2


def test_a_key_needs_exactly_one_kind_of_scope(cast, client_for):
    client = client_for("admin")
    url = reverse("admin:pianizona_chiaveapi_add")
    senza = client.post(url, {"nome": "Senza", "limite_al_minuto": 30})
    entrambi = client.post(
        url,
        {
            "nome": "Entrambi",
            "regione": cast.regione.pk,
            "ambiti": [cast.ambito_a.pk],
            "limite_al_minuto": 30,
        },
    )
    assert senza.status_code == entrambi.status_code == 200
    assert "Indicare il perimetro della chiave" in senza.content.decode()
    assert "non entrambi" in entrambi.content.decode()
    assert not ChiaveApi.objects.exists()


def test_the_revoke_action_stops_the_key_at_once(cast, client_for, chiavi):
    chiave = chiavi.oggetti["ambito_a"]
    response = client_for("admin").post(
        reverse("admin:pianizona_chiaveapi_changelist"),
        {"action": "revoca", "_selected_action": [chiave.pk]},
    )
    assert response.status_code == 302
    chiave.refresh_from_db()
    assert chiave.revocata_il is not None
    assert client_chiave(chiavi.ambito_a).get(reverse("api:ambito-list")).status_code == 401


def test_the_call_log_is_read_only_in_the_admin(cast, client_for, chiavi):
    client_chiave(chiavi.regione).get(reverse("api:ambito-list"))
    client = client_for("admin")
    pagina = client.get(reverse("admin:pianizona_chiamataapi_changelist"))
    assert "/api/v1/ambiti/" in pagina.content.decode()
    assert client.get(reverse("admin:pianizona_chiamataapi_add")).status_code == 403
