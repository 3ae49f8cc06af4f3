import re

import pytest
from django.urls import reverse

from tests.factories import (
    UserFactory,
)


def test_a_district_user_lands_on_its_ambito(cast, client_for):
    response = client_for("operatore_a").get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ambito_detail", args=[cast.ambito_a.pk])


def test_the_regional_officer_lands_on_the_regional_overview(cast, client_for):
    response = client_for("funzionario").get(reverse("home"))
    assert response["Location"] == reverse("regione_detail", args=[cast.regione.pk])


def test_an_administrator_without_roles_sees_the_admin_entry_point(cast, client_for):
    response = client_for("admin").get(reverse("home"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


def test_a_user_without_roles_is_told_to_ask_for_one(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "non ha ancora un ruolo" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_our_italian_page(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.operatore_a)
    risposta = client.post(reverse("contesto_switch"), {"contesto": "x"})
    assert risposta.status_code == 403
    assert "Richiesta non valida" in risposta.content.decode()
    assert "CSRF" not in risposta.content.decode()


def test_error_pages_are_in_italian(cast, client_for):
    client = client_for("operatore_b")
    assert (
        "Pagina non trovata"
        in client.get(reverse("piano_detail", args=[cast.piano_a.pk])).content.decode()
    )
    assert (
        "Accesso non consentito"
        in client.get(reverse("regione_detail", args=[cast.regione.pk])).content.decode()
    )


def test_a_visitor_sees_the_public_pages_on_the_home(client, db):
    risposta = client.get(reverse("home"))
    html = risposta.content.decode()
    assert risposta.status_code == 200
    for nome in ("opendata_indice", "api:documentazione", "archivio:adesioni_pubbliche"):
        assert f'href="{reverse(nome)}"' in html
    assert f'href="{reverse("account_login")}"' in html


@pytest.mark.parametrize(
    "nome, parola",
    [
        ("home", "Piano sociale di zona"),
        ("opendata_indice", "Dati aperti"),
        ("api:documentazione", "API"),
        ("archivio:adesioni_pubbliche", "Terzo settore"),
        ("accessibilita", "accessibilità"),
        ("account_login", "Accesso"),
    ],
)
def test_public_pages_describe_themselves_for_search_engines(client, db, nome, parola):
    html = client.get(reverse(nome)).content.decode()
    descrizioni = re.findall(r'<meta name="description" content="([^"]+)">', html)
    assert len(descrizioni) == 1
    assert parola in descrizioni[0]
