import re
from decimal import Decimal

from django.urls import reverse

from pianizona.iter import commenti
from pianizona.models import Comune, Piano, Transizione
from programmazione.models import Narrativa, Sezione
from risorse import services as risorse_services
from tests.factories import (
    piani_attuativi,
)
from tests.programmazione import conftest as programmazione
from tests.programmazione.test_narrativa import scrivi
from tests.programmazione.test_services import alloca, nuova_scheda

# the allocation phase's cast: a catalogue for the cycle and a budget to allocate
fonti = programmazione.fonti
ciclo_configurato = programmazione.ciclo_configurato
riferimenti = programmazione.riferimenti
catalogo = programmazione.catalogo
budget = programmazione.budget

# the sections the checks speak for, by the title their card and their checklist items carry
RECEPIMENTO, COFINANZIAMENTO = "Trasferimenti e recepimento", "Cofinanziamento comunale"
SCHEDE, NARRATIVA = "Schede intervento", "Parte narrativa"


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


# --- Each section's card says where it stands, from the checklist's own checks -------------------


def _card(html: str, titolo: str) -> str:
    """One section's card as the user reads it, tags stripped."""
    inizio = html.index(f">{titolo}</a></h3>") + 1
    blocco = html[inizio : html.index("</div></div>", inizio)]
    return " ".join(re.sub(r"<[^>]+>", " ", blocco).split())


def _voci_checklist(html: str, lista: str, titolo: str) -> int:
    """How many items of the checklist's list (blocking or warnings) name the section."""
    if f'id="{lista}"' not in html:
        return 0
    return html.split(f'id="{lista}"')[1].split("</ul>")[0].count(f"<strong>{titolo}</strong>")


def _pagine(client, piano: Piano) -> tuple[str, str]:
    dettaglio = client.get(reverse("piano_detail", args=[piano.pk])).content.decode()
    checklist = client.get(reverse("piano_invio", args=[piano.pk])).content.decode()
    return dettaglio, checklist


def _un_piano_a_meta(cast, catalogo, budget) -> None:
    """Not acknowledged, no co-financing, 60.000 € of FNPS 2025 allocated, two chapters written."""
    scheda = nuova_scheda(cast.piano_a, catalogo.segretariato, Sezione.AMBITO)
    alloca(cast.piano_a, scheda, {(budget["FNPS"], 2025): Decimal("60000")})
    scrivi(cast.piano_a, "contesto", "L'ambito comprende Bari e Valenzano.")
    scrivi(cast.piano_a, "obiettivi", "Rafforzare il segretariato sociale.")


def test_each_section_card_shows_its_state_and_count_as_the_checklist_does(
    cast, client_for, catalogo, budget
):
    _un_piano_a_meta(cast, catalogo, budget)
    dettaglio, checklist = _pagine(client_for("operatore_a"), cast.piano_a)

    assert _card(dettaglio, RECEPIMENTO).endswith("Bloccante 1 problema da correggere")
    # Bari and Valenzano below the regional minimum in each of the three years
    assert _card(dettaglio, COFINANZIAMENTO).endswith("Bloccante 6 problemi da correggere")
    # FNPS 2025, 2026, 2027, FNA 2025 and PNRR 2025 not fully programmed: warnings only
    assert _card(dettaglio, SCHEDE).endswith("Da fare 5 avvisi da verificare")
    assert _card(dettaglio, NARRATIVA).endswith("Bloccante 5 problemi da correggere")
    for titolo, bloccanti, avvisi in [
        (RECEPIMENTO, 1, 0),
        (COFINANZIAMENTO, 6, 0),
        (SCHEDE, 0, 5),
        (NARRATIVA, 5, 0),
    ]:
        assert _voci_checklist(checklist, "controlli-bloccanti", titolo) == bloccanti, titolo
        assert _voci_checklist(checklist, "controlli-avvisi", titolo) == avvisi, titolo
    # every item of the checklist is counted on one card: the two pages cannot disagree
    assert checklist.count('<span class="badge bg-danger me-2">Da correggere</span>') == 12
    assert checklist.count('<span class="badge bg-warning me-2">Da verificare</span>') == 5


def test_a_section_with_nothing_to_fix_reads_completed_and_one_no_check_covers_has_no_state(
    cast, client_for, catalogo, budget
):
    _un_piano_a_meta(cast, catalogo, budget)
    risorse_services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)
    for codice, _ in Narrativa.Capitolo.choices:
        scrivi(cast.piano_a, codice, f"Il capitolo {codice}, scritto.")
    dettaglio, checklist = _pagine(client_for("operatore_a"), cast.piano_a)

    assert _card(dettaglio, RECEPIMENTO).endswith("Completata nessun problema")
    assert _card(dettaglio, NARRATIVA).endswith("Completata nessun problema")
    assert _voci_checklist(checklist, "controlli-bloccanti", NARRATIVA) == 0
    assert _card(dettaglio, "Residui ed economie") == (
        "Residui ed economie Somme dei cicli precedenti riprogrammate nel piano."
    )


def test_once_submitted_the_cards_no_longer_show_a_state(cast, client_for, catalogo, budget):
    _un_piano_a_meta(cast, catalogo, budget)
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    dettaglio = (
        client_for("funzionario").get(reverse("piano_detail", args=[cast.piano_a.pk])).content
    ).decode()
    assert "Bloccante" not in _card(dettaglio, NARRATIVA)
    assert "stato-sezione" not in dettaglio


def test_the_plan_page_has_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries, catalogo, budget
):
    url = reverse("piano_detail", args=[cast.piano_a.pk])
    _un_piano_a_meta(cast, catalogo, budget)

    def cresci():
        piani_attuativi(cast.piano_a)
        bari = Comune.objects.get(nome="Bari")
        for voce, sezione, fonte, comune in [
            (catalogo.domiciliare, Sezione.AMBITO, "FNA", None),
            (catalogo.segretariato, Sezione.COMUNALE, "FNPS", bari),
            (catalogo.pnrr, Sezione.ALTRE_RISORSE, "PNRR", None),
        ]:
            scheda = nuova_scheda(cast.piano_a, voce, sezione, comune=comune)
            alloca(cast.piano_a, scheda, {(budget[fonte], 2025): Decimal("1000")})
        scrivi(cast.piano_a, "organizzazione", "Sei persone.")
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

    # Plan, its links, the last state change, last version, open remarks (11), and the
    # submission checks behind the cards (15): whatever the number of sheets and chapters.
    assert_constant_queries(client_for("operatore_a"), url, 26, cresci)
