"""The load drill's users find their pages and forms (fast: the small demo, the test client).

`make drill-load` takes minutes and is not run in CI; these checks are, so that a renamed route or
a changed form breaks here and not in the middle of a release's load run. The locustfile itself is
not imported (locust patches the standard library with gevent); what it relies on is: the targets
(bersagli.py), the form reader (moduli.py) and the drill's URL conf with the bare view.
"""

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import resolve

from pianizona.demo import seed_demo
from pianizona.models import User
from programmazione.models import Allocazione
from tests.drills.carico.bersagli import bersagli
from tests.drills.carico.moduli import euro, in_euro, modulo_verso


@pytest.fixture
def prova(settings) -> None:
    """The drill's URL conf, and no second factor required (its users log in with a password)."""
    settings.ROOT_URLCONF = "tests.drills.carico.urls"
    settings.PIANIZONA_MFA_OBBLIGATORIA = False


@pytest.fixture
def demo(db, prova) -> dict:
    seed_demo(scale="small")
    return bersagli()


def _utente(client, email: str):
    client.force_login(User.objects.get(email=email))
    return client


def test_the_bare_view_answers_under_the_drill_urlconf(client, db, prova):
    risposta = client.get("/carico/nudo/")
    assert risposta.status_code == 200
    assert risposta.content == b"ok"


def test_production_urls_have_no_bare_view(client, db):
    assert client.get("/carico/nudo/").status_code == 404


def test_the_district_user_reads_every_page_of_its_plan(client, demo):
    ambito = demo["ambiti"][0]
    assert ambito["codice"] == "BA01" and ambito["modificabile"]  # editable plans get users first
    _utente(client, ambito["utenti"][0])
    for nome, url in [*ambito["pagine"].items(), ("scheda", ambito["schede"][0])]:
        assert client.get(url).status_code == 200, nome
    assert resolve(ambito["pdf"]).url_name == "pdf_richiedi"
    assert resolve(ambito["recepimento"]).url_name == "recepimento"


def test_the_regional_officer_reads_every_overview_and_plan(client, demo):
    funzionario = demo["funzionario"]
    assert len(funzionario["piani"]) == 45  # one triennial plan per ambito of Puglia
    _utente(client, funzionario["utente"])
    for nome, url in [*funzionario["pagine"].items(), ("piano", funzionario["piani"][0])]:
        assert client.get(url).status_code == 200, nome


def test_a_load_user_saves_a_sheet_through_its_form_and_a_stale_copy_is_a_conflict(client, demo):
    ambito = demo["ambiti"][0]
    url = ambito["schede"][0]
    _utente(client, ambito["utenti"][1])  # the operatore
    modulo = modulo_verso(client.get(url).content.decode(), url, url)
    assert modulo is not None and modulo.valore("revisione") is not None
    nome, valore = next((n, euro(v)) for n, v in modulo.campi if n.startswith("importo_") and v)
    dati = urlencode(modulo.dati(**{nome: in_euro(valore - 1)}))
    tipo = "application/x-www-form-urlencoded"

    salvata = client.post(url, data=dati, content_type=tipo)
    di_nuovo = client.post(url, data=dati, content_type=tipo)  # the same, stale revision

    assert salvata.status_code == 302
    _, fonte, anno = nome.split("_")
    allocazione = Allocazione.objects.get(scheda_id=url.split("/")[-2], fonte_id=fonte, anno=anno)
    assert allocazione.importo == valore - Decimal(1)
    assert di_nuovo.status_code == 409
