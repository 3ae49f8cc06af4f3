"""Real concurrent saves on PostgreSQL: one wins per revision, the others get the conflict."""

import os
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from pianizona.models import Comune
from pianizona.revisioni import ConflittoModifica
from risorse import services
from risorse.models import Cofinanziamento

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
UTENTI = 8


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("PIANIZONA_REQUIRE_STACK") == "1":
            pytest.fail("PIANIZONA_REQUIRE_STACK=1 ma il database non è PostgreSQL")
        pytest.skip("serve PostgreSQL: SQLite serializza le scritture da solo")


def test_of_eight_users_saving_the_same_table_at_once_exactly_one_wins(postgresql, cast):
    comune = Comune.objects.filter(ambito=cast.ambito_a).first()
    via = threading.Barrier(UTENTI)
    esiti: list[str] = []

    def salva(i: int) -> None:
        try:
            via.wait()
            services.cofinanziamento_salva(
                piano=cast.piano_a,
                importi={(comune.pk, 2025): Decimal(100 + i)},
                revisione=0,
                user=cast.operatore_a,
            )
            esiti.append(f"ok {100 + i}")
        except ConflittoModifica:
            esiti.append("conflitto")
        finally:
            connections.close_all()

    fili = [threading.Thread(target=salva, args=(i,)) for i in range(UTENTI)]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join()

    vincenti = [e for e in esiti if e.startswith("ok")]
    assert len(vincenti) == 1 and esiti.count("conflitto") == UTENTI - 1
    assert Cofinanziamento.objects.get().importo == Decimal(vincenti[0].split()[1])


def test_of_two_officers_deciding_on_the_same_plan_at_once_exactly_one_wins(
    postgresql, cast, monkeypatch
):
    from pianizona import registry
    from pianizona.iter import workflow
    from pianizona.models import Membership, Piano, Ruolo, Transizione, User

    monkeypatch.setattr(registry, "_controlli", [])
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
    secondo = User.objects.create_user(email="secondo.funzionario@example.org")
    Membership.objects.create(user=secondo, ruolo=Ruolo.FUNZIONARIO, regione=cast.regione)
    via = threading.Barrier(2)
    esiti: list[str] = []

    def decidi(user, azione: str) -> None:
        try:
            via.wait()
            workflow.piano_transizione(
                piano=cast.piano_a,
                user=User.objects.get(pk=user.pk),
                azione=azione,
                stato_atteso=Piano.Stato.IN_ISTRUTTORIA,
                commento="Integrare il contesto.",
            )
            esiti.append(azione)
        except workflow.TransizioneNonConsentita:
            esiti.append("rifiutata")
        finally:
            connections.close_all()

    fili = [
        threading.Thread(target=decidi, args=(cast.funzionario, "approvazione")),
        threading.Thread(target=decidi, args=(secondo, "richiesta_integrazioni")),
    ]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join()

    assert esiti.count("rifiutata") == 1
    vincente = next(e for e in esiti if e != "rifiutata")
    assert list(Transizione.objects.values_list("azione", flat=True)) == [vincente]
    atteso = "approvato" if vincente == "approvazione" else "richiesta_integrazioni"
    assert Piano.objects.get(pk=cast.piano_a.pk).stato == atteso
