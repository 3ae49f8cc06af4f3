"""The public adhesion form: anyone may ask, bots and bad input are refused with nothing stored."""

import pytest
from django.core import mail, signing
from django.urls import reverse

from archivio.models import Adesione
from pianizona.models import Membership, Ruolo
from tests.factories import AmbitoFactory, RegioneFactory, UserFactory

from . import corpus
from .utili import CF_ENTE, CF_PERSONA, carica, cf_ente, dati_adesione, gettone, invia_adesione


@pytest.fixture
def modulo(aree):
    return dati_adesione


def _invia(client, cast, dati):
    return invia_adesione(client, cast.ambito_a, dati)


def test_the_form_is_public_and_hides_its_trap_from_people(cast, client):
    response = client.get(reverse("archivio:adesione", args=["16", cast.ambito_a.codice]))
    pagina = response.content.decode()
    assert response.status_code == 200
    assert 'name="sito_web"' in pagina and 'tabindex="-1"' in pagina
    assert "Lascia vuoto questo campo" in pagina
    assert 'name="inizio"' in pagina


def test_an_organisation_asks_to_join_and_gets_a_confirmation(cast, client, modulo, file_salvati):
    response = _invia(client, cast, modulo())
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("archivio:adesione_ricevuta", args=["16", cast.ambito_a.codice]) + "?r="
    )
    adesione = Adesione.objects.get()
    assert adesione.stato == Adesione.Stato.IN_ATTESA
    assert adesione.ambito == cast.ambito_a and adesione.codice_fiscale == CF_ENTE
    assert adesione.aree_intervento.count() == 1 and adesione.aree_utenza.count() == 1
    assert adesione.ip_impronta and "127.0.0.1" not in adesione.ip_impronta
    [salvato] = file_salvati()
    assert salvato.read_bytes() == corpus.PDF
    [messaggio] = [m for m in mail.outbox if m.to == ["maria.rossi@ilfaro.example"]]
    assert "richiesta di adesione ricevuta" in messaggio.subject
    assert adesione.ricevuta in messaggio.subject and adesione.ricevuta in messaggio.body


def test_the_ufficio_di_piano_is_told_of_a_new_request_with_its_link(
    cast, client, client_for, modulo, settings
):
    settings.SITE_URL = "https://pianidizona.regione.example"
    # A second manager of the same ambito, and one who left (inactive): only active ones hear.
    secondo = UserFactory(email="vice.responsabile.a@example.org")
    Membership.objects.create(user=secondo, ruolo=Ruolo.RESPONSABILE, ambito=cast.ambito_a)
    uscito = UserFactory(email="uscito.a@example.org", is_active=False)
    Membership.objects.create(user=uscito, ruolo=Ruolo.RESPONSABILE, ambito=cast.ambito_a)

    assert _invia(client, cast, modulo()).status_code == 302
    adesione = Adesione.objects.get()
    avvisi = [m for m in mail.outbox if "nuova richiesta di adesione" in m.subject]
    # One message each, nobody sees the other's address; not the operator, not ambito B.
    assert sorted(m.to[0] for m in avvisi) == [
        "responsabile.a@example.org",
        "vice.responsabile.a@example.org",
    ]
    assert all(len(m.to) == 1 for m in avvisi)
    avviso = avvisi[0]
    assert "Cooperativa sociale Il Faro" in avviso.subject and cast.ambito_a.nome in avviso.subject
    assert "Cooperativa sociale Il Faro" in avviso.body
    link = "https://pianidizona.regione.example" + reverse(
        "archivio:adesione_dettaglio", args=[adesione.pk]
    )
    assert link in avviso.body
    pagina = client_for("responsabile_a").get(link.removeprefix(settings.SITE_URL))
    assert pagina.status_code == 200 and pagina.context["puo_decidere"] is True


def test_no_notice_to_the_office_when_the_form_is_invalid(cast, client, modulo, file_salvati):
    response = _invia(client, cast, modulo(denominazione="", codice_fiscale="12345"))
    _rifiutata(response, "Il codice fiscale non è valido", file_salvati)


def test_a_person_s_codice_fiscale_and_a_signed_p7m_are_accepted(cast, client, modulo):
    dati = modulo(codice_fiscale="rssmra85t10a562s", modulo=carica("modulo.pdf.p7m", corpus.p7m()))
    assert _invia(client, cast, dati).status_code == 302
    assert Adesione.objects.get().codice_fiscale == CF_PERSONA


def _rifiutata(response, messaggio, file_salvati, stato=400):
    assert response.status_code == stato
    assert messaggio in response.content.decode()
    assert not Adesione.objects.exists()
    assert file_salvati() == []
    assert mail.outbox == []


@pytest.mark.parametrize("codice", ["00743110158", "RSSMRA85T10A562X", "12345", "ABCDEFGHIJKLMNOP"])
def test_an_invalid_codice_fiscale_is_refused(cast, client, modulo, file_salvati, codice):
    response = _invia(client, cast, modulo(codice_fiscale=codice))
    _rifiutata(response, "Il codice fiscale non è valido", file_salvati)


def test_a_filled_honeypot_is_refused(cast, client, modulo, file_salvati):
    response = _invia(client, cast, modulo(sito_web="https://spam.example"))
    _rifiutata(response, "compilato un campo che va lasciato vuoto", file_salvati)


def test_a_form_sent_too_fast_is_refused(cast, client, modulo, file_salvati):
    response = _invia(client, cast, modulo(inizio=gettone(secondi_fa=0)))
    _rifiutata(response, "inviato troppo in fretta", file_salvati)


@pytest.mark.parametrize("inizio", ["", "falso", signing.dumps(0.0, salt="altro")])
def test_a_form_without_a_genuine_start_token_is_refused(
    cast, client, modulo, file_salvati, inizio
):
    _rifiutata(_invia(client, cast, modulo(inizio=inizio)), "troppo in fretta", file_salvati)


def test_too_many_requests_from_one_network_address_are_refused(
    cast, client, modulo, file_salvati, settings
):
    settings.ARCHIVIO_ADESIONI_LIMITE = "2/h/ip"
    for n in range(2):
        dati = modulo(codice_fiscale=cf_ente(n), email=f"ente{n}@example.org")
        assert _invia(client, cast, dati).status_code == 302
    response = _invia(client, cast, modulo(codice_fiscale=cf_ente(5), email="altro@example.org"))
    assert response.status_code == 429
    assert "troppe richieste" in response.content.decode()
    assert Adesione.objects.count() == 2


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("modulo.pdf", corpus.HTML, "codice HTML o script"),
        ("modulo.pdf", b"", "Il file è vuoto"),
        ("modulo.docx", corpus.docx(), "va caricato come PDF"),
        ("modulo.svg", corpus.SVG, "SVG non sono ammesse"),
    ],
)
def test_a_bad_signed_form_is_refused(
    cast, client, modulo, file_salvati, nome, contenuto, messaggio
):
    response = _invia(client, cast, modulo(modulo=carica(nome, contenuto)))
    _rifiutata(response, messaggio, file_salvati)


def test_at_least_one_area_is_required(cast, client, modulo, file_salvati):
    response = _invia(client, cast, modulo(aree_intervento=[], aree_utenza=[]))
    _rifiutata(response, "almeno un&#x27;area", file_salvati)


def test_a_second_pending_request_of_the_same_organisation_is_refused(cast, client, modulo):
    assert _invia(client, cast, modulo()).status_code == 302
    response = _invia(client, cast, modulo())
    assert response.status_code == 400
    assert "già una richiesta di adesione in attesa" in response.content.decode()
    assert Adesione.objects.count() == 1


def test_an_unknown_ambito_has_no_form(db, client):
    assert client.get(reverse("archivio:adesione", args=["16", "ZZ99"])).status_code == 404


def test_the_form_is_addressed_by_region_and_code_as_codes_repeat_across_regions(cast, client):
    AmbitoFactory(regione__codice_istat="08", codice="BA01", nome="Distretto di Bazzano")
    puglia = client.get(reverse("archivio:adesione", args=["16", "BA01"])).content.decode()
    emilia = client.get(reverse("archivio:adesione", args=["08", "BA01"])).content.decode()
    assert "Ambito di Bari" in puglia and "Distretto di Bazzano" not in puglia
    assert "Distretto di Bazzano" in emilia
    assert client.get(reverse("archivio:adesione", args=["09", "BA01"])).status_code == 404


def test_a_link_sent_before_codes_repeated_across_regions_still_opens_the_form(cast, client):
    risposta = client.get(f"/accordo/{cast.ambito_a.codice}/adesione/")
    assert risposta.status_code == 301
    assert risposta["Location"] == reverse(
        "archivio:adesione", args=[cast.regione.codice_istat, cast.ambito_a.codice]
    )


def test_an_old_link_whose_code_two_regions_now_share_is_not_guessed(cast, client):
    altra = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    AmbitoFactory(regione=altra, codice=cast.ambito_a.codice, nome="Distretto di Bologna")
    risposta = client.get(f"/accordo/{cast.ambito_a.codice}/adesione/")
    assert risposta.status_code == 404


def test_the_public_list_links_every_ambitos_form_grouped_by_region(
    cast, client, django_assert_num_queries
):
    altra = RegioneFactory(nome="Basilicata", codice_istat="17")
    lontano = AmbitoFactory(regione=altra, codice="PZ01", nome="Potenza")
    with django_assert_num_queries(1):
        html = client.get(reverse("archivio:adesioni_pubbliche")).content.decode()
    for ambito in (cast.ambito_a, cast.ambito_b, lontano):
        url = reverse("archivio:adesione", args=[ambito.regione.codice_istat, ambito.codice])
        assert f'href="{url}"' in html
    assert html.index("Basilicata") < html.index(cast.ambito_a.regione.nome)
    for n in range(3):
        AmbitoFactory(regione=altra, codice=f"PZ1{n}", nome=f"Ambito {n}")
    with django_assert_num_queries(1):
        client.get(reverse("archivio:adesioni_pubbliche"))
