"""The yearly report's journey: submitted by the responsabile, accepted or sent back by the Region."""

# ruff: noqa: F811 (the fixtures imported from fondi_dati are these tests' parameters)

from datetime import date

import pytest
from django.core import mail

from monitoraggio.fondi import services
from monitoraggio.fondi.services import TransizioneNonConsentita
from monitoraggio.models import Rendicontazione, TransizioneRendicontazione

from .fondi_dati import dichiara, linee, oggi, rendicontazione  # noqa: F401 (fixtures)

Stato = Rendicontazione.Stato
Azione = TransizioneRendicontazione.Azione
UTENTI = ["operatore_a", "responsabile_a", "operatore_b", "funzionario", "admin"]
# Who may make each move, from the states it starts from.
CHI = {
    Azione.INVIO: "responsabile_a",
    Azione.ACCETTAZIONE: "funzionario",
    Azione.RESTITUZIONE: "funzionario",
}
DA = {
    Azione.INVIO: {Stato.BOZZA, Stato.RESTITUITA},
    Azione.ACCETTAZIONE: {Stato.INVIATA},
    Azione.RESTITUZIONE: {Stato.INVIATA},
}
ARRIVO = {
    Azione.INVIO: Stato.INVIATA,
    Azione.ACCETTAZIONE: Stato.ACCETTATA,
    Azione.RESTITUZIONE: Stato.RESTITUITA,
}


@pytest.fixture
def dichiarata(cast, linee, rendicontazione) -> Rendicontazione:
    dichiara(
        rendicontazione, cast.operatore_a, linee.fnps_infanzia(), date(2025, 6, 30), "100", "50"
    )
    return rendicontazione


def muovi(r: Rendicontazione, user, azione: str, stato_atteso: str | None = None, commento="ok"):
    return services.rendicontazione_transizione(
        rendicontazione=r,
        user=user,
        azione=azione,
        stato_atteso=stato_atteso or r.stato,
        commento=commento,
    )


@pytest.mark.parametrize("stato", list(Stato))
@pytest.mark.parametrize("azione", list(Azione))
@pytest.mark.parametrize("ruolo", UTENTI)
def test_every_state_action_and_role(cast, dichiarata, stato, azione, ruolo):
    Rendicontazione.objects.filter(pk=dichiarata.pk).update(stato=stato)
    dichiarata.refresh_from_db()
    consentita = ruolo == CHI[azione] and stato in DA[azione]
    if consentita:
        transizione = muovi(dichiarata, cast.user(ruolo), azione)
        assert (transizione.da_stato, transizione.a_stato) == (stato, ARRIVO[azione])
        assert Rendicontazione.objects.get(pk=dichiarata.pk).stato == ARRIVO[azione]
    else:
        with pytest.raises(TransizioneNonConsentita):
            muovi(dichiarata, cast.user(ruolo), azione)
        assert Rendicontazione.objects.get(pk=dichiarata.pk).stato == stato
        assert not TransizioneRendicontazione.objects.exists()


def test_a_report_without_declarations_cannot_be_submitted(cast, rendicontazione):
    with pytest.raises(TransizioneNonConsentita, match="non ha ancora dichiarazioni"):
        muovi(rendicontazione, cast.responsabile_a, Azione.INVIO)


def test_sending_back_needs_a_comment(cast, dichiarata):
    muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    with pytest.raises(TransizioneNonConsentita, match="scrivere all'Ufficio di Piano"):
        muovi(dichiarata, cast.funzionario, Azione.RESTITUZIONE, commento="  ")
    assert Rendicontazione.objects.get(pk=dichiarata.pk).stato == Stato.INVIATA


def test_a_report_sent_back_is_editable_and_submitted_again(cast, linee, dichiarata):
    muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    muovi(dichiarata, cast.funzionario, Azione.RESTITUZIONE, commento="Manca il liquidato FNA.")
    dichiara(
        dichiarata, cast.operatore_a, linee.fna_disabilita(), date(2025, 12, 1), "5000", "4000"
    )
    muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    muovi(dichiarata, cast.funzionario, Azione.ACCETTAZIONE)
    assert list(dichiarata.transizioni.values_list("azione", flat=True)) == [
        Azione.INVIO,
        Azione.RESTITUZIONE,
        Azione.INVIO,
        Azione.ACCETTAZIONE,
    ]


def test_a_stale_page_is_refused_naming_the_current_state(cast, dichiarata):
    muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    with pytest.raises(TransizioneNonConsentita, match="passata allo stato «inviata alla regione»"):
        muovi(dichiarata, cast.funzionario, Azione.ACCETTAZIONE, stato_atteso=Stato.BOZZA)


def test_a_double_submit_returns_the_move_already_made(cast, dichiarata):
    prima = muovi(dichiarata, cast.responsabile_a, Azione.INVIO, stato_atteso=Stato.BOZZA)
    seconda = muovi(dichiarata, cast.responsabile_a, Azione.INVIO, stato_atteso=Stato.BOZZA)
    assert prima == seconda
    assert TransizioneRendicontazione.objects.count() == 1


def test_the_region_is_told_of_a_submission_and_the_district_of_the_outcome(
    cast, dichiarata, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    assert [m.to for m in mail.outbox] == [[cast.funzionario.email]]
    assert "Rendicontazione 2025" in mail.outbox[0].subject
    assert f"/ambiti/{cast.ambito_a.pk}/fondi/?anno=2025" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        muovi(dichiarata, cast.funzionario, Azione.RESTITUZIONE, commento="Manca il FNA.")
    assert sorted(m.to[0] for m in mail.outbox) == [
        cast.operatore_a.email,
        cast.responsabile_a.email,
    ]
    assert "Manca il FNA." in mail.outbox[0].body


def test_registered_hooks_run_after_each_move_with_the_action(
    cast, dichiarata, django_capture_on_commit_callbacks, monkeypatch
):
    chiamate = []
    monkeypatch.setattr(services, "dopo_rendicontazione", [])
    services.registra_dopo_rendicontazione(lambda r, azione: chiamate.append((r.pk, azione)))
    with django_capture_on_commit_callbacks(execute=True):
        muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    with django_capture_on_commit_callbacks(execute=True):
        muovi(dichiarata, cast.funzionario, Azione.ACCETTAZIONE)
    assert chiamate == [(dichiarata.pk, Azione.INVIO), (dichiarata.pk, Azione.ACCETTAZIONE)]


def test_a_failing_hook_does_not_undo_the_move(
    cast, dichiarata, django_capture_on_commit_callbacks, monkeypatch
):
    def rotto(r, azione):
        raise RuntimeError("indicatori non disponibili")

    monkeypatch.setattr(services, "dopo_rendicontazione", [rotto])
    with django_capture_on_commit_callbacks(execute=True):
        muovi(dichiarata, cast.responsabile_a, Azione.INVIO)
    assert Rendicontazione.objects.get(pk=dichiarata.pk).stato == Stato.INVIATA
