"""The plan's state machine: who may move it where, what each move records and freezes."""

import itertools
from decimal import Decimal

import pytest
from django.core import mail

from pianizona import registry
from pianizona.iter import workflow
from pianizona.iter.istantanee import Istantanea, impronta, istantanea_del_piano
from pianizona.iter.workflow import ControlliNonSuperati, TransizioneNonConsentita
from pianizona.models import Membership, Piano, Ruolo, Transizione, Versione, VersioneImmutabile

Stato = Piano.Stato
A = Transizione.Azione
RUOLI_ATTIVI = ["operatore_a", "responsabile_a", "operatore_b", "funzionario", "admin"]

# Which role may start which transition on ambito A's plan: everything else is refused.
PERMESSI = {
    A.INVIO: {"responsabile_a"},
    A.PRESA_IN_CARICO: {"funzionario"},
    A.RICHIESTA_INTEGRAZIONI: {"funzionario"},
    A.APPROVAZIONE: {"funzionario"},
}
ARRIVO = {
    A.INVIO: Stato.INVIATO,
    A.PRESA_IN_CARICO: Stato.IN_ISTRUTTORIA,
    A.RICHIESTA_INTEGRAZIONI: Stato.RICHIESTA_INTEGRAZIONI,
    A.APPROVAZIONE: Stato.APPROVATO,
}
PARTENZE = {
    A.INVIO: {Stato.BOZZA, Stato.RICHIESTA_INTEGRAZIONI},
    A.PRESA_IN_CARICO: {Stato.INVIATO},
    A.RICHIESTA_INTEGRAZIONI: {Stato.IN_ISTRUTTORIA},
    A.APPROVAZIONE: {Stato.IN_ISTRUTTORIA},
}


@pytest.fixture
def senza_controlli(monkeypatch):
    """The state machine alone: no registered check fails (checks have their own tests)."""
    monkeypatch.setattr(registry, "_controlli", [])


@pytest.fixture
def con_controllo_bloccante(monkeypatch):
    esito = registry.EsitoControllo(
        "prova", "Il cofinanziamento di Bari è sotto il minimo.", True, "/piani/1/"
    )
    avviso = registry.EsitoControllo("avviso", "Un capitolo è molto breve.", False, None)
    monkeypatch.setattr(registry, "_controlli", [lambda piano: [esito, avviso]])
    return esito


def _porta(piano: Piano, stato: str) -> Piano:
    Piano.objects.filter(pk=piano.pk).update(stato=stato)
    piano.refresh_from_db()
    return piano


@pytest.mark.parametrize(
    ("stato", "azione", "ruolo"),
    list(itertools.product(Stato.values, list(A), RUOLI_ATTIVI)),
)
def test_every_state_action_and_role(cast, senza_controlli, stato, azione, ruolo):
    piano = _porta(cast.piano_a, stato)
    user = cast.user(ruolo)
    consentita = ruolo in PERMESSI[azione] and stato in PARTENZE[azione]
    if consentita:
        transizione = workflow.piano_transizione(
            piano=piano, user=user, azione=azione, stato_atteso=stato, commento="Da rivedere."
        )
        piano.refresh_from_db()
        assert piano.stato == ARRIVO[azione]
        assert (transizione.da_stato, transizione.a_stato, transizione.utente) == (
            stato,
            ARRIVO[azione],
            user,
        )
    else:
        with pytest.raises(TransizioneNonConsentita):
            workflow.piano_transizione(
                piano=piano, user=user, azione=azione, stato_atteso=stato, commento="Da rivedere."
            )
        piano.refresh_from_db()
        assert piano.stato == stato
        assert not Transizione.objects.filter(piano=piano).exists()
        assert not Versione.objects.filter(piano=piano).exists()


def test_the_whole_round_trip_records_every_move(cast, senza_controlli):
    piano = cast.piano_a
    workflow.piano_invia(piano=piano, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    workflow.piano_prendi_in_carico(piano=piano, user=cast.funzionario, stato_atteso=Stato.INVIATO)
    workflow.piano_richiedi_integrazioni(
        piano=piano,
        user=cast.funzionario,
        stato_atteso=Stato.IN_ISTRUTTORIA,
        commento="Manca il cofinanziamento di Valenzano.",
    )
    assert Piano.objects.get(pk=piano.pk).modificabile
    workflow.piano_invia(
        piano=piano, user=cast.responsabile_a, stato_atteso=Stato.RICHIESTA_INTEGRAZIONI
    )
    workflow.piano_prendi_in_carico(piano=piano, user=cast.funzionario, stato_atteso=Stato.INVIATO)
    approvazione = workflow.piano_approva(
        piano=piano, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA
    )

    storia = list(
        Transizione.objects.filter(piano=piano).values_list("azione", "da_stato", "a_stato")
    )
    assert storia == [
        (A.INVIO, Stato.BOZZA, Stato.INVIATO),
        (A.PRESA_IN_CARICO, Stato.INVIATO, Stato.IN_ISTRUTTORIA),
        (A.RICHIESTA_INTEGRAZIONI, Stato.IN_ISTRUTTORIA, Stato.RICHIESTA_INTEGRAZIONI),
        (A.INVIO, Stato.RICHIESTA_INTEGRAZIONI, Stato.INVIATO),
        (A.PRESA_IN_CARICO, Stato.INVIATO, Stato.IN_ISTRUTTORIA),
        (A.APPROVAZIONE, Stato.IN_ISTRUTTORIA, Stato.APPROVATO),
    ]
    assert list(piano.versioni.values_list("numero", flat=True)) == [1, 2]
    assert approvazione.versione.numero == 2  # the version approved is the last one submitted
    assert Piano.objects.get(pk=piano.pk).stato == Stato.APPROVATO


def test_a_request_for_changes_needs_a_comment(cast, senza_controlli):
    piano = _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    with pytest.raises(TransizioneNonConsentita, match="che cosa va corretto"):
        workflow.piano_richiedi_integrazioni(
            piano=piano, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA, commento="  "
        )
    assert Piano.objects.get(pk=piano.pk).stato == Stato.IN_ISTRUTTORIA


def test_nobody_approves_a_plan_they_submitted(cast, senza_controlli):
    # The district's responsabile submits, then moves to the Region as an officer.
    persona = cast.responsabile_a
    workflow.piano_invia(piano=cast.piano_a, user=persona, stato_atteso=Stato.BOZZA)
    Membership.objects.filter(user=persona).delete()
    Membership.objects.create(user=persona, ruolo=Ruolo.FUNZIONARIO, regione=cast.regione)
    persona = type(persona).objects.get(pk=persona.pk)  # a new request reads the new role
    workflow.piano_prendi_in_carico(piano=cast.piano_a, user=persona, stato_atteso=Stato.INVIATO)
    with pytest.raises(TransizioneNonConsentita, match="che si è inviato"):
        workflow.piano_approva(piano=cast.piano_a, user=persona, stato_atteso=Stato.IN_ISTRUTTORIA)
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.IN_ISTRUTTORIA
    workflow.piano_approva(
        piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA
    )
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.APPROVATO


def test_a_double_click_submits_once(cast, senza_controlli):
    prima = workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA
    )
    seconda = workflow.piano_invia(
        piano=Piano.objects.get(pk=cast.piano_a.pk),
        user=cast.responsabile_a,
        stato_atteso=Stato.BOZZA,
    )
    assert seconda == prima
    assert Transizione.objects.filter(piano=cast.piano_a).count() == 1
    assert Versione.objects.filter(piano=cast.piano_a).count() == 1


def test_a_stale_page_is_refused_with_the_current_state(cast, senza_controlli):
    piano = _porta(cast.piano_a, Stato.IN_ISTRUTTORIA)
    workflow.piano_approva(piano=piano, user=cast.funzionario, stato_atteso=Stato.IN_ISTRUTTORIA)
    other = type(cast.funzionario).objects.create_user(email="altro.funzionario@example.org")
    Membership.objects.create(user=other, ruolo=Ruolo.FUNZIONARIO, regione=cast.regione)
    with pytest.raises(TransizioneNonConsentita, match="passato allo stato «approvato»"):
        workflow.piano_richiedi_integrazioni(
            piano=piano, user=other, stato_atteso=Stato.IN_ISTRUTTORIA, commento="Rivedere."
        )
    assert Piano.objects.get(pk=piano.pk).stato == Stato.APPROVATO


def test_submission_is_refused_while_a_blocking_check_fails(cast, con_controllo_bloccante):
    with pytest.raises(ControlliNonSuperati) as err:
        workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    assert err.value.esiti == [con_controllo_bloccante]  # the warning does not block
    assert "1 controllo bloccante" in str(err.value)
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.BOZZA
    assert not Versione.objects.exists()


def test_warnings_alone_do_not_block(cast, monkeypatch):
    avviso = registry.EsitoControllo("avviso", "Un capitolo è breve.", False, None)
    monkeypatch.setattr(registry, "_controlli", [lambda piano: [avviso]])
    workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == Stato.INVIATO


def test_each_transition_notifies_the_next_actor_by_email(
    cast, senza_controlli, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.piano_invia(piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA)
    assert [m.to for m in mail.outbox] == [[cast.funzionario.email]]
    messaggio = mail.outbox[0]
    assert "Invio alla Regione" in messaggio.subject and "Ambito di Bari" in messaggio.subject
    assert f"/piani/{cast.piano_a.pk}/" in messaggio.body
    assert "«Bozza» allo stato «Inviato»" in messaggio.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.piano_prendi_in_carico(
            piano=cast.piano_a, user=cast.funzionario, stato_atteso=Stato.INVIATO
        )
    # The district's team hears about it; the officer who acted does not.
    assert sorted(m.to[0] for m in mail.outbox) == [
        cast.operatore_a.email,
        cast.responsabile_a.email,
    ]


# --- Frozen versions ----------------------------------------------------------------------------


@pytest.fixture
def piano_con_dati(cast, budget, catalogo):
    """Ambito A's plan with one sheet and its money, built through the services."""
    from pianizona.revisioni import revisione_corrente
    from programmazione import services
    from programmazione.models import SchedaIntervento, Sezione

    scheda = services.scheda_salva(
        piano=cast.piano_a,
        scheda=SchedaIntervento(
            sezione=Sezione.AMBITO,
            voce=catalogo.segretariato,
            titolo="Segretariato sociale",
            gestione=SchedaIntervento.Gestione.DIRETTA,
        ),
        user=cast.operatore_a,
    )
    services.allocazioni_salva(
        piano=cast.piano_a,
        scheda=scheda,
        importi={(budget["FNPS"].pk, 2025): Decimal("40000.00")},
        revisione=revisione_corrente(scheda, services.TABELLA_ALLOCAZIONI),
        user=cast.operatore_a,
    )
    return scheda


def test_a_submission_freezes_the_whole_plan(cast, senza_controlli, piano_con_dati):
    transizione = workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA
    )
    versione = transizione.versione
    istantanea = Istantanea.from_dict(versione.contenuto)
    assert istantanea.piano["stato"] == Stato.INVIATO and istantanea.piano["versione"] == 1
    allocazioni = istantanea.tabella("allocazioni")
    assert [(r["codice"], r["fonte"], r["anno"], r["importo"]) for r in allocazioni.righe] == [
        ("S-1", "FNPS", 2025, "40000.00")
    ]
    quadro = {(r["fonte"], r["anno"]): r["importo"] for r in istantanea.tabella("budget").righe}
    assert quadro[("FNPS", 2025)] == "100000.00" and quadro[("PNRR", 2025)] == "200000.00"
    assert versione.impronta == impronta(versione.contenuto)


def test_later_edits_never_change_a_submitted_version(cast, senza_controlli, piano_con_dati):
    from pianizona.revisioni import revisione_corrente
    from programmazione import services

    versione = workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA
    ).versione
    congelato = versione.contenuto
    _porta(cast.piano_a, Stato.RICHIESTA_INTEGRAZIONI)
    services.allocazioni_salva(
        piano=cast.piano_a,
        scheda=piano_con_dati,
        importi={(piano_con_dati.allocazioni.get().fonte_id, 2025): Decimal("55000.00")},
        revisione=revisione_corrente(piano_con_dati, services.TABELLA_ALLOCAZIONI),
        user=cast.operatore_a,
    )
    riletta = Versione.objects.get(pk=versione.pk)
    assert riletta.contenuto == congelato
    assert riletta.impronta == impronta(riletta.contenuto)
    attuale = istantanea_del_piano(cast.piano_a).tabella("allocazioni").righe[0]["importo"]
    assert attuale == "55000.00"


def test_a_version_cannot_be_saved_again(cast, senza_controlli):
    versione = workflow.piano_invia(
        piano=cast.piano_a, user=cast.responsabile_a, stato_atteso=Stato.BOZZA
    ).versione
    versione.contenuto = {"manomesso": True}
    with pytest.raises(VersioneImmutabile):
        versione.save()
    assert Versione.objects.get(pk=versione.pk).contenuto != {"manomesso": True}


# --- Annual update ------------------------------------------------------------------------------


def test_the_annual_update_starts_from_the_approved_triennial_plan(
    cast, senza_controlli, piano_con_dati
):
    _porta(cast.piano_a, Stato.APPROVATO)
    avvio = workflow.piano_attuativo_avvia(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2025, user=cast.operatore_a
    )
    nuovo = avvio.piano
    assert (nuovo.tipo, nuovo.anno, nuovo.stato) == (Piano.Tipo.ATTUATIVO, 2025, Stato.BOZZA)
    assert avvio.origine == cast.piano_a
    righe = istantanea_del_piano(nuovo).tabella("allocazioni").righe
    assert [(r["titolo"], r["fonte"], r["anno"], r["importo"]) for r in righe] == [
        ("Segretariato sociale", "FNPS", 2025, "40000.00")
    ]
    assert any("Ripresa 1 scheda intervento dal" in m for m in avvio.messaggi)
    # The copied sheet keeps the triennial sheet's lineage, so the comparison matches them.
    linea_origine = istantanea_del_piano(cast.piano_a).tabella("schede").righe[0]["linea"]
    assert istantanea_del_piano(nuovo).tabella("schede").righe[0]["linea"] == linea_origine


def test_the_annual_update_needs_an_approved_plan_and_a_free_year(cast, senza_controlli):
    with pytest.raises(TransizioneNonConsentita, match="approvato"):
        workflow.piano_attuativo_avvia(
            ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2026, user=cast.operatore_a
        )
    _porta(cast.piano_a, Stato.APPROVATO)
    workflow.piano_attuativo_avvia(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2026, user=cast.operatore_a
    )
    with pytest.raises(TransizioneNonConsentita, match="esiste già"):
        workflow.piano_attuativo_avvia(
            ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2026, user=cast.operatore_a
        )
    with pytest.raises(TransizioneNonConsentita, match="Ufficio di Piano"):
        workflow.piano_attuativo_avvia(
            ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2027, user=cast.funzionario
        )
    assert Piano.objects.filter(ambito=cast.ambito_a, tipo=Piano.Tipo.ATTUATIVO).count() == 1


def test_the_next_annual_update_starts_from_the_last_approved_annual_plan(cast, senza_controlli):
    _porta(cast.piano_a, Stato.APPROVATO)
    primo = workflow.piano_attuativo_avvia(
        ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2026, user=cast.operatore_a
    ).piano
    _porta(primo, Stato.APPROVATO)
    ciclo = cast.piano_a.ciclo
    assert workflow.origine_attuativo(cast.ambito_a, ciclo) == primo
    assert workflow.anni_attuativo_possibili(cast.ambito_a, ciclo, primo) == [2027]
    secondo = workflow.piano_attuativo_avvia(
        ambito=cast.ambito_a, ciclo=ciclo, anno=2027, user=cast.operatore_a
    )
    assert secondo.origine == primo
