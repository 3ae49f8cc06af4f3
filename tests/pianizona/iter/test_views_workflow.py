"""The workflow's pages: what each role sees and can do, and how refusals read."""

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from pianizona import registry
from pianizona.iter import workflow
from pianizona.models import Piano, Transizione, Versione
from tests.conftest import query_count
from tests.factories import PASSWORD

Stato = Piano.Stato


@pytest.fixture
def senza_controlli(monkeypatch):
    monkeypatch.setattr(registry, "_controlli", [])


@pytest.fixture
def controllo_bloccante(monkeypatch):
    esito = registry.EsitoControllo(
        "cofinanziamento", "Valenzano è sotto il minimo regionale.", True, "/correggi/qui/"
    )
    monkeypatch.setattr(registry, "_controlli", [lambda piano: [esito]])


def _porta(piano: Piano, stato: str) -> None:
    Piano.objects.filter(pk=piano.pk).update(stato=stato)


def test_the_checklist_lists_each_blocking_check_with_a_link_to_fix_it(
    cast, client_for, controllo_bloccante
):
    risposta = client_for("responsabile_a").get(reverse("piano_invio", args=[cast.piano_a.pk]))
    testo = risposta.content.decode()
    assert "Valenzano è sotto il minimo regionale." in testo
    assert 'href="/correggi/qui/"' in testo
    assert "Invia il piano alla Regione" not in testo  # no button while a check blocks


def test_the_responsabile_submits_from_the_checklist(cast, client_for, senza_controlli):
    client = client_for("responsabile_a")
    pagina = client.get(reverse("piano_invio", args=[cast.piano_a.pk])).content.decode()
    assert "Tutti i controlli sono superati" in pagina and "Invia il piano alla Regione" in pagina
    assert "si invia dopo l'approvazione del Coordinamento istituzionale" in pagina
    risposta = client.post(
        reverse("piano_invio", args=[cast.piano_a.pk]), {"stato_atteso": "bozza"}, follow=True
    )
    assert "congelati nella versione 1" in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.INVIATO


def test_a_blocked_submission_shows_the_reason_and_changes_nothing(
    cast, client_for, controllo_bloccante
):
    risposta = client_for("responsabile_a").post(
        reverse("piano_invio", args=[cast.piano_a.pk]), {"stato_atteso": "bozza"}
    )
    assert risposta.status_code == 400
    assert "1 controllo bloccante non è superato" in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.BOZZA


def test_an_operator_sees_the_checklist_but_cannot_submit(cast, client_for, senza_controlli):
    client = client_for("operatore_a")
    pagina = client.get(reverse("piano_invio", args=[cast.piano_a.pk])).content.decode()
    assert "Il piano lo invia il responsabile" in pagina
    risposta = client.post(
        reverse("piano_invio", args=[cast.piano_a.pk]), {"stato_atteso": "bozza"}
    )
    assert risposta.status_code == 403
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.BOZZA


def test_a_stale_page_submitting_twice_is_told_and_nothing_moves(cast, client_for, senza_controlli):
    client = client_for("responsabile_a")
    url = reverse("piano_invio", args=[cast.piano_a.pk])
    client.post(url, {"stato_atteso": "bozza"})
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)  # the officer took it meanwhile
    risposta = client.post(url, {"stato_atteso": "bozza"})
    assert "passato allo stato «in istruttoria»" in risposta.content.decode()
    assert Transizione.objects.filter(piano=cast.piano_a).count() == 1


def test_the_plan_page_offers_each_role_its_own_actions(cast, client_for):
    _porta(cast.piano_a, Stato.INVIATO)
    url = reverse("piano_detail", args=[cast.piano_a.pk])
    assert "Prendi in carico" in client_for("funzionario").get(url).content.decode()
    assert "Prendi in carico" not in client_for("responsabile_a").get(url).content.decode()
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    pagina = client_for("funzionario").get(url).content.decode()
    assert "Chiedi integrazioni" in pagina and "Approva" in pagina


def test_the_officer_takes_the_plan_in_charge(cast, client_for):
    _porta(cast.piano_a, Stato.INVIATO)
    risposta = client_for("funzionario").post(
        reverse("piano_presa_in_carico", args=[cast.piano_a.pk]),
        {"stato_atteso": "inviato"},
        follow=True,
    )
    assert "l&#x27;istruttoria è aperta" in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA


def test_a_request_for_changes_without_a_comment_is_refused(cast, client_for):
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    risposta = client_for("funzionario").post(
        reverse("piano_richiesta_integrazioni", args=[cast.piano_a.pk]),
        {"stato_atteso": "in_istruttoria", "commento": ""},
    )
    assert risposta.status_code == 400
    assert "Scrivere all&#x27;Ufficio di Piano che cosa va corretto." in risposta.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA


def test_the_district_reads_the_request_for_changes_on_its_plan(cast, client_for):
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    client_for("funzionario").post(
        reverse("piano_richiesta_integrazioni", args=[cast.piano_a.pk]),
        {"stato_atteso": "in_istruttoria", "commento": "Manca la quota di Valenzano."},
    )
    pagina = client_for("operatore_a").get(reverse("piano_detail", args=[cast.piano_a.pk]))
    testo = pagina.content.decode()
    assert "La Regione chiede integrazioni" in testo and "Manca la quota di Valenzano." in testo


def test_approval_needs_the_officer_s_password(cast, client_for):
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    client = client_for("funzionario")
    url = reverse("piano_approvazione", args=[cast.piano_a.pk])
    sbagliata = client.post(url, {"stato_atteso": "in_istruttoria", "conferma": "indovina"})
    assert sbagliata.status_code == 400
    assert "Password o codice non corretti" in sbagliata.content.decode()
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA

    giusta = client.post(url, {"stato_atteso": "in_istruttoria", "conferma": PASSWORD})
    assert giusta.status_code == 302
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.APPROVATO


def test_approval_accepts_a_code_from_the_officer_s_authenticator_app(cast, client_for):
    _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    segreto = generate_totp_secret()
    TOTP.activate(cast.funzionario, segreto)
    codice = format_hotp_value(hotp_value(segreto, int(time.time()) // 30))
    risposta = client_for("funzionario").post(
        reverse("piano_approvazione", args=[cast.piano_a.pk]),
        {"stato_atteso": "in_istruttoria", "conferma": codice},
    )
    assert risposta.status_code == 302
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.APPROVATO


def test_a_version_is_shown_read_only_with_its_fingerprint_checked(
    cast, client_for, senza_controlli, budget
):
    versione = workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA
    ).versione
    url = reverse("piano_versione", args=[cast.piano_a.pk, versione.numero])
    testo = client_for("funzionario").get(url).content.decode()
    assert "Versione congelata, in sola lettura" in testo and "Verificata" in testo
    assert "Budget per fondo e anno" in testo and "100.000,00\u00a0€" in testo

    contenuto = dict(versione.contenuto, piano={**versione.contenuto["piano"], "titolo": "Altro"})
    Versione.objects.filter(pk=versione.pk).update(contenuto=contenuto)  # tampering in the DB
    assert "Non corrisponde" in client_for("funzionario").get(url).content.decode()


def test_the_versions_page_lists_versions_and_state_changes(cast, client_for, senza_controlli):
    workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    testo = client_for("operatore_a").get(reverse("piano_versioni", args=[cast.piano_a.pk]))
    testo = testo.content.decode()
    assert "Versione 1" in testo and "Invio alla Regione" in testo and "Bozza → Inviato" in testo


def test_an_unknown_version_is_not_found(cast, client_for):
    risposta = client_for("operatore_a").get(reverse("piano_versione", args=[cast.piano_a.pk, 9]))
    assert risposta.status_code == 404


def test_the_district_starts_the_annual_update_from_the_approved_plan(
    cast, client_for, senza_controlli
):
    _porta(cast.piano_a, Stato.APPROVATO)
    client = client_for("operatore_a")
    pagina = client.get(reverse("piano_detail", args=[cast.piano_a.pk])).content.decode()
    assert "Avvia il piano attuativo" in pagina
    risposta = client.post(
        reverse("piano_attuativo_avvia", args=[cast.piano_a.pk]), {"anno": "2026"}, follow=True
    )
    nuovo = Piano.objects.get(ambito=cast.ambito_a, tipo=Piano.Tipo.ATTUATIVO)
    assert risposta.redirect_chain[-1][0] == reverse("piano_detail", args=[nuovo.pk])
    assert "Piano attuativo 2026 avviato dal piano triennale 2025–2027" in (
        risposta.content.decode()
    )


def test_an_annual_update_for_a_year_already_taken_is_refused(cast, client_for):
    _porta(cast.piano_a, Stato.APPROVATO)
    Piano.objects.create(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2026
    )
    risposta = client_for("operatore_a").post(
        reverse("piano_attuativo_avvia", args=[cast.piano_a.pk]), {"anno": "2026"}
    )
    assert risposta.status_code == 400
    assert "Per l&#x27;anno scelto non si può avviare" in risposta.content.decode()
    assert Piano.objects.filter(ambito=cast.ambito_a, tipo=Piano.Tipo.ATTUATIVO).count() == 1


def test_the_versions_page_has_a_constant_number_of_queries(
    cast, client_for, senza_controlli, assert_constant_queries
):
    def cresci():
        piano = Piano.objects.get(pk=cast.piano_a.pk)
        if piano.stato == Stato.BOZZA:
            workflow.piano_invia(piano=piano, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
        else:
            workflow.piano_prendi_in_carico(
                piano=piano, user=cast.funzionario, stato_atteso=Stato.INVIATO
            )
            workflow.piano_richiedi_integrazioni(
                piano=piano, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA, commento="x"
            )
            workflow.piano_invia(
                piano=piano, user=cast.responsabile_a, stato_atteso=Stato.RICHIESTA_INTEGRAZIONI
            )

    cresci()
    client = client_for("operatore_a")
    url = reverse("piano_versioni", args=[cast.piano_a.pk])
    assert_constant_queries(client, url, expected=query_count(client, url), grow=cresci)
