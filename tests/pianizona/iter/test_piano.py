from django.urls import reverse

from pianizona.iter import commenti
from pianizona.models import Piano, Transizione
from tests.factories import (
    piani_attuativi,
)


def test_the_plan_page_tells_whether_it_can_still_be_edited(cast, client_for):
    html = (
        client_for("operatore_a")
        .get(reverse("piano_detail", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "modificabile dall'Ufficio di Piano" in html
    cast.piano_a.stato = Piano.Stato.APPROVATO
    cast.piano_a.save()
    html = (
        client_for("operatore_a")
        .get(reverse("piano_detail", args=[cast.piano_a.pk]))
        .content.decode()
    )
    assert "non sono più modificabili" in html


def test_the_plan_page_has_a_constant_number_of_queries(cast, client_for, assert_constant_queries):
    url = reverse("piano_detail", args=[cast.piano_a.pk])

    def cresci():
        piani_attuativi(cast.piano_a)
        Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.IN_ISTRUTTORIA)
        for testo in ("Integrare il contesto.", "Rivedere le schede."):
            commenti.commento_crea(
                piano=cast.piano_a, user=cast.funzionario, sezione="generale", testo=testo
            )
        Transizione.objects.create(
            piano=cast.piano_a,
            azione=Transizione.Azione.RICHIESTA_INTEGRAZIONI,
            da_stato=Piano.Stato.IN_ISTRUTTORIA,
            a_stato=Piano.Stato.RICHIESTA_INTEGRAZIONI,
            utente=cast.funzionario,
            commento="Integrare.",
        )
        Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.RICHIESTA_INTEGRAZIONI)

    # Plan, its links, the last state change, last version, open remarks: whatever their number.
    assert_constant_queries(client_for("operatore_a"), url, 11, cresci)
