"""The manager revokes an accepted adhesion: the organisation is told and leaves the plan's
adherents, while the versions frozen before the revocation keep listing it."""

from datetime import timedelta

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from archivio import adesioni
from archivio.models import Adesione
from pianizona import registry
from pianizona.models import Versione

from .utili import adesione_di, cf_ente

MOTIVO = "L'ente ha cessato le attività nel territorio dell'ambito."


def _accettata(cast, nome="Cooperativa sociale Il Faro", codice="00743110157", quando=None):
    adesione = adesione_di(cast.ambito_a, denominazione=nome, codice=codice)
    Adesione.objects.filter(pk=adesione.pk).update(
        stato=Adesione.Stato.ACCETTATA,
        decisa_da=cast.responsabile_a,
        decisa_il=quando or timezone.now() - timedelta(days=30),
    )
    adesione.refresh_from_db()
    return adesione


def _revoca(client, adesione, motivo=MOTIVO):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("archivio:adesione_revoca", args=[adesione.pk]), {"motivo": motivo}
        )


def _versione(cast, numero, quando):
    return Versione.objects.create(
        piano=cast.piano_a,
        numero=numero,
        creata_da=cast.responsabile_a,
        creata_il=quando,
        contenuto={},
        impronta="0" * 64,
    )


def test_the_manager_revokes_and_the_organisation_is_told_why(cast, client_for):
    adesione = _accettata(cast)
    client = client_for("responsabile_a")
    dettaglio = client.get(reverse("archivio:adesione_dettaglio", args=[adesione.pk]))
    assert dettaglio.context["puo_revocare"] is True
    assert reverse("archivio:adesione_revoca", args=[adesione.pk]) in dettaglio.content.decode()

    response = _revoca(client, adesione)
    assert response.status_code == 302
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.REVOCATA
    assert adesione.revocata_da == cast.responsabile_a and adesione.motivo_revoca == MOTIVO
    assert adesione.revocata_il is not None
    # The acceptance stays on record: who accepted it, and when.
    assert adesione.decisa_da == cast.responsabile_a and adesione.decisa_il < adesione.revocata_il
    [messaggio] = mail.outbox
    assert messaggio.to == ["maria.rossi@ilfaro.example"]
    assert "adesione revocata" in messaggio.subject
    assert MOTIVO in messaggio.body
    pagina = client.get(response["Location"]).content.decode()
    assert "revocata" in pagina and "Revoca l&#x27;adesione" not in pagina
    elenco = client.get(
        reverse("archivio:adesioni", args=[cast.ambito_a.pk]), {"stato": "revocata"}
    )
    assert adesione.denominazione in elenco.content.decode()


def test_a_revocation_needs_a_reason(cast, client_for):
    adesione = _accettata(cast)
    response = _revoca(client_for("responsabile_a"), adesione, motivo="   ")
    assert response.status_code == 400
    assert "Indica il motivo della revoca" in response.content.decode()
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA and adesione.revocata_il is None
    assert mail.outbox == []


def test_only_the_manager_revokes(cast, client_for):
    adesione = _accettata(cast)
    for ruolo in ("operatore_a", "funzionario", "admin"):
        client = client_for(ruolo)
        assert _revoca(client, adesione).status_code == 403
        dettaglio = client.get(reverse("archivio:adesione_dettaglio", args=[adesione.pk]))
        assert dettaglio.context["puo_revocare"] is False
    assert _revoca(client_for("operatore_b"), adesione).status_code == 404
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA and mail.outbox == []


def test_revocation_is_post_only(cast, client_for):
    adesione = _accettata(cast)
    url = reverse("archivio:adesione_revoca", args=[adesione.pk])
    assert client_for("responsabile_a").get(url).status_code == 405


def test_only_an_accepted_adhesion_can_be_revoked(cast, client_for):
    in_attesa = adesione_di(cast.ambito_a)
    client = client_for("responsabile_a")
    response = _revoca(client, in_attesa)
    assert response.status_code == 302
    assert "Si può revocare solo un'adesione accettata" in client.get(
        response["Location"]
    ).content.decode().replace("&#x27;", "'")
    in_attesa.refresh_from_db()
    assert in_attesa.stato == Adesione.Stato.IN_ATTESA and mail.outbox == []

    accettata = _accettata(cast, nome="Auser APS", codice=cf_ente(5))
    _revoca(client, accettata)
    _revoca(client, accettata, motivo="Di nuovo.")  # twice: the second one is refused
    accettata.refresh_from_db()
    assert accettata.motivo_revoca == MOTIVO and len(mail.outbox) == 1


def test_the_service_refuses_who_may_not_revoke(cast):
    adesione = _accettata(cast)
    try:
        adesioni.adesione_revoca(user=cast.operatore_a, adesione=adesione, motivo=MOTIVO)
    except adesioni.AdesioneNonValida as err:
        assert "responsabile" in str(err)
    else:
        raise AssertionError("un operatore non deve poter revocare")
    adesione.refresh_from_db()
    assert adesione.stato == Adesione.Stato.ACCETTATA


def test_a_revoked_adherent_leaves_the_plan_and_the_draft_pdf(cast, client_for):
    adesione = _accettata(cast)
    _accettata(cast, nome="Auser APS", codice=cf_ente(5))
    _revoca(client_for("responsabile_a"), adesione)
    pagina = client_for("operatore_a").get(
        reverse("archivio:aderenti_piano", args=[cast.piano_a.pk])
    )
    assert "Auser APS" in pagina.content.decode()
    assert "Cooperativa sociale Il Faro" not in pagina.content.decode()
    [sezione] = registry.sezioni_pdf(cast.piano_a, None)
    assert "Auser APS" in sezione.html and "Cooperativa sociale Il Faro" not in sezione.html
    api = client_for("operatore_a").get("/api/v1/aderenti/")
    assert api.status_code == 200 and "Auser APS" in api.content.decode()
    assert "Cooperativa sociale Il Faro" not in api.content.decode()


def test_frozen_versions_list_a_revoked_adherent_only_before_its_revocation(cast, client_for):
    adesione = _accettata(cast, quando=timezone.now() - timedelta(days=30))
    prima = _versione(cast, 1, timezone.now() - timedelta(days=10))
    _revoca(client_for("responsabile_a"), adesione)
    dopo = _versione(cast, 2, timezone.now() + timedelta(seconds=1))
    [sezione_prima] = registry.sezioni_pdf(cast.piano_a, prima)
    [sezione_dopo] = registry.sezioni_pdf(cast.piano_a, dopo)
    assert "Cooperativa sociale Il Faro" in sezione_prima.html
    assert "Cooperativa sociale Il Faro" not in sezione_dopo.html


def test_a_revoked_organisation_may_ask_again(cast):
    adesione = _accettata(cast)
    adesioni.adesione_revoca(user=cast.responsabile_a, adesione=adesione, motivo=MOTIVO)
    nuova = adesione_di(cast.ambito_a)
    assert nuova.stato == Adesione.Stato.IN_ATTESA and nuova.pk != adesione.pk
