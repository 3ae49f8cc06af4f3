"""Drill: the public adhesion form cannot be used to send an attacker's words to any address.

Issue #21, item 3, one test per promise. The form is open to anyone and e-mails a receipt: the
receipt carries fixed text, the request's number and the ambito only; an address and an ambito
receive a bounded number of requests a day; control characters never reach a one-line field (a
CR/LF in the organisation's name once dropped the managers' notice unseen); the anti-bot token
serves one request; and invalid posts do not use up the quota the real organisations need.
"""

import html
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import TestCase

from archivio import adesioni
from archivio.models import Adesione
from tests.archivio import corpus
from tests.archivio.utili import (
    aree_di_riferimento,
    carica,
    cf_ente,
    dati_adesione,
    gettone,
    invia_adesione,
)

from .conftest import figura

PHISHING = "Conto sospeso: accedere a https://phish.example/sblocca entro oggi"


@pytest.fixture(autouse=True)
def ambiente(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    aree_di_riferimento()
    cache.clear()  # the limits and the spent tokens live in the cache
    yield
    cache.clear()


def _ricevute(indirizzo: str) -> list:
    return [m for m in mail.outbox if m.to == [indirizzo] and "ricevuta" in m.subject]


def _testo(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_receipt_carries_fixed_text_the_number_and_the_ambito_only(cast, client):
    dati = dati_adesione(
        denominazione=PHISHING,
        referente="Gentile cliente, il suo conto è sospeso",
        indirizzo="Rispondere con le credenziali a phish@phish.example",
        attivita=f"{PHISHING}\nCliccare il link.",
        email="vittima@example.org",
        modulo=carica("sblocca-conto-phish.example.pdf", corpus.PDF),
    )
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    adesione = Adesione.objects.get()
    [ricevuta] = _ricevute("vittima@example.org")
    testo = f"{ricevuta.subject}\n{ricevuta.body}"
    for parola in ("phish", "sospeso", "credenziali", "Gentile cliente", "sblocca", "Cliccare"):
        assert parola not in testo, f"la ricevuta riporta «{parola}» scritto da chi ha inviato"
    assert adesione.ricevuta in ricevuta.subject and adesione.ricevuta in ricevuta.body
    assert "Ambito di Bari" in ricevuta.body and "Regione Puglia" in ricevuta.body
    assert not re.search(r"https?://", ricevuta.body)  # no link at all to dress up
    figura(adesione_ricevuta_senza_testo_altrui=True)


def test_one_address_receives_a_bounded_number_of_receipts_a_day(cast, client, settings):
    settings.ARCHIVIO_ADESIONI_LIMITE = "100/h/ip"
    settings.ARCHIVIO_ADESIONI_PER_EMAIL_AL_GIORNO = 3
    # The same mailbox, written four ways: one count.
    indirizzi = ["vittima@example.org", "Vittima@Example.org", "vittima+1@example.org"]
    for n, indirizzo in enumerate(indirizzi):
        dati = dati_adesione(codice_fiscale=cf_ente(n), email=indirizzo)
        assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    dati = dati_adesione(codice_fiscale=cf_ente(9), email="vittima+2@example.org")
    response = invia_adesione(client, cast.ambito_a, dati)
    assert response.status_code == 429
    assert "All'indirizzo e-mail indicato sono già state inviate oggi troppe ricevute" in _testo(
        response
    )
    assert Adesione.objects.count() == 3
    inviate = [m for m in mail.outbox if "ricevuta" in m.subject]
    assert len(inviate) == 3
    # Another organisation, another address: served as usual.
    dati = dati_adesione(codice_fiscale=cf_ente(10), email="altro.ente@example.org")
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    figura(adesione_ricevute_per_indirizzo=len(inviate))


def test_one_ambito_receives_a_bounded_number_of_requests_a_day(cast, client, settings):
    settings.ARCHIVIO_ADESIONI_LIMITE = "100/h/ip"
    settings.ARCHIVIO_ADESIONI_PER_AMBITO_AL_GIORNO = 2
    for n in range(2):
        dati = dati_adesione(codice_fiscale=cf_ente(n), email=f"ente{n}@example.org")
        assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    dati = dati_adesione(codice_fiscale=cf_ente(5), email="ente5@example.org")
    response = invia_adesione(client, cast.ambito_a, dati)
    assert response.status_code == 429
    assert "L'ambito ha ricevuto oggi il numero massimo di richieste" in _testo(response)
    assert Adesione.objects.filter(ambito=cast.ambito_a).count() == 2
    assert not _ricevute("ente5@example.org")
    # The limit is the ambito's: the next ambito is not touched.
    dati = dati_adesione(codice_fiscale=cf_ente(5), email="ente5@example.org")
    assert invia_adesione(client, cast.ambito_b, dati).status_code == 302
    figura(adesione_richieste_per_ambito=2)


@pytest.mark.parametrize("campo", ["denominazione", "indirizzo", "referente", "codice_fiscale"])
@pytest.mark.parametrize(
    "carattere", ["\r\n", "\n", "\r", "\t", "\x1b", "\x0b", "\u2028", "\u202e"]
)
def test_control_characters_are_refused_in_one_line_fields(cast, client, campo, carattere):
    valore = {
        "denominazione": "Cooperativa Il Faro",
        "indirizzo": "Via Roma 1",
        "referente": "Maria Rossi",
        "codice_fiscale": "00743110157",
    }[campo]
    # In the middle and at the end, where the form's stripping once made it vanish unseen.
    for scritto in (
        valore[:5] + carattere + "Bcc: tutti@example.org" + valore[5:],
        valore + carattere,
    ):
        response = invia_adesione(client, cast.ambito_a, dati_adesione(**{campo: scritto}))
        assert response.status_code == 400
        assert "va scritto su una sola riga" in _testo(response)
    assert not Adesione.objects.exists()
    assert mail.outbox == []


def test_control_characters_are_refused_in_the_email_address(cast, client):
    dati = dati_adesione(email="vittima@example.org\r\nBcc: tutti@example.org")
    response = invia_adesione(client, cast.ambito_a, dati)
    assert response.status_code == 400
    assert "va scritto su una sola riga" in _testo(response)
    assert mail.outbox == []


def test_the_anti_bot_token_serves_one_request_only(cast, client, settings):
    settings.ARCHIVIO_ADESIONI_LIMITE = "100/h/ip"
    dati = dati_adesione(inizio=gettone())
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    # The same page posted again, as a script would, with another organisation's code.
    for n in range(3):
        replica = {**dati, "codice_fiscale": cf_ente(n), "modulo": carica("m.pdf", corpus.PDF)}
        response = invia_adesione(client, cast.ambito_a, replica)
        assert response.status_code == 400
        assert "Questo modulo è già stato inviato" in _testo(response)
    assert Adesione.objects.count() == 1
    assert len([m for m in mail.outbox if "ricevuta" in m.subject]) == 1
    # The page it answers with carries a fresh token: a person may send another organisation's.
    nuovo = response.context["form"].data["inizio"]
    assert nuovo != dati["inizio"]
    figura(adesione_gettone_riusato_rifiutato=True)


def test_invalid_posts_do_not_use_up_the_quota(cast, client, settings):
    settings.ARCHIVIO_ADESIONI_LIMITE = "2/h/ip"
    settings.ARCHIVIO_ADESIONI_PER_EMAIL_AL_GIORNO = 1
    settings.ARCHIVIO_ADESIONI_PER_AMBITO_AL_GIORNO = 1
    invalidi = [
        dati_adesione(codice_fiscale="12345"),
        dati_adesione(sito_web="https://spam.example"),
        dati_adesione(inizio=gettone(secondi_fa=0)),
        dati_adesione(inizio="falso"),
        dati_adesione(modulo=carica("modulo.pdf", corpus.HTML)),
        dati_adesione(aree_intervento=[], aree_utenza=[]),
        dati_adesione(denominazione="Ente\r\nBcc: x@example.org"),
    ]
    for dati in invalidi * 3:
        assert invia_adesione(client, cast.ambito_a, dati).status_code == 400
    # A refusal the service makes (a request already pending) does not count either.
    Adesione.objects.create(
        ambito=cast.ambito_b,  # another ambito: its count is its own
        denominazione="Ente già in attesa",
        forma_giuridica="odv",
        codice_fiscale=cf_ente(3),
        indirizzo="Via Roma 2",
        referente="Luca Bianchi",
        email="maria.rossi@ilfaro.example",
        attivita="Attività.",
        modulo="archivio/adesioni/x.pdf",
    )
    gia = dati_adesione(codice_fiscale=cf_ente(3))
    assert invia_adesione(client, cast.ambito_b, gia).status_code == 400
    # The organisation that fills the form in properly is served.
    assert invia_adesione(client, cast.ambito_a, dati_adesione()).status_code == 302
    assert Adesione.objects.filter(ambito=cast.ambito_a).count() == 1
    figura(adesione_invii_non_validi_senza_quota=len(invalidi) * 3 + 1)


def test_a_rejection_repeats_none_of_the_sender_s_words(cast, client):
    """Rejecting a phishing request must not deliver its text either: only number and note."""
    dati = dati_adesione(
        denominazione=PHISHING, referente="Gentile cliente", email="vittima@example.org"
    )
    assert invia_adesione(client, cast.ambito_a, dati).status_code == 302
    adesione = Adesione.objects.get()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        adesioni.adesione_decidi(
            user=cast.responsabile_a,
            adesione=adesione,
            accetta=False,
            nota="Richiesta non pertinente.",
        )
    [esito] = mail.outbox
    testo = f"{esito.subject}\n{esito.body}"
    assert "phish" not in testo and "Gentile cliente" not in testo
    assert adesione.ricevuta in esito.body and "Richiesta non pertinente." in esito.body
