"""The plan's narrative, as the Ufficio di Piano writes it and the Region reads it."""

import pytest
from django.urls import reverse

from pianizona.models import Piano
from pianizona.revisioni import revisione_corrente
from programmazione import services
from programmazione.models import Narrativa

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

CAPITOLI = [
    "Analisi del contesto",
    "Obiettivi strategici e priorità",
    "Organizzazione",
    "Integrazione tra i servizi",
    "Collaborazione tra servizi pubblici",
    "Concertazione con l&#x27;azienda sanitaria",
    "Sistema informativo",
]


def url(nome: str, piano: Piano, **kwargs) -> str:
    return reverse(f"programmazione:{nome}", kwargs={"piano_pk": piano.pk, **kwargs})


def scrivi(piano: Piano, capitolo: str, testo: str, user=None) -> Narrativa:
    revisione = revisione_corrente(piano, f"{services.TABELLA_NARRATIVA}:{capitolo}")
    return services.narrativa_salva(
        piano=piano, capitolo=capitolo, testo=testo, revisione=revisione, user=user
    )


def test_the_narrative_shows_the_seven_chapters_in_order_and_says_which_are_to_be_written(
    cast, client_for
):
    scrivi(cast.piano_a, "organizzazione", "L'Ufficio di Piano ha **sei** persone.")
    html = client_for("operatore_a").get(url("narrativa", cast.piano_a)).content.decode()
    posizioni = [html.index(f"{i}. {titolo}</h2>") for i, titolo in enumerate(CAPITOLI, start=1)]
    assert posizioni == sorted(posizioni)
    assert html.count("<em>Da scrivere</em>") == 6
    assert "<strong>sei</strong>" in html
    assert html.count("Modifica<span") == 7


def test_a_chapter_is_saved_and_shown_as_formatted_text_with_who_wrote_it(cast, client_for):
    client = client_for("operatore_a")
    testo = (
        "### Bisogni\n\nUn **obiettivo** *chiaro*:\n\n- uno\n- due\n\n[Fonte](https://www.istat.it)"
    )
    response = client.post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": testo, "revisione": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("narrativa", cast.piano_a) + "#contesto"
    html = client.get(response["Location"]).content.decode()
    assert "Capitolo «Analisi del contesto» salvato." in html
    assert "<h3>Bisogni</h3>" in html
    assert "<strong>obiettivo</strong> <em>chiaro</em>" in html
    assert "<li>uno</li>" in html
    assert 'href="https://www.istat.it"' in html
    assert f"Ultima modifica di {cast.operatore_a.get_full_name()}" in html
    capitolo = Narrativa.objects.get(piano=cast.piano_a, capitolo="contesto")
    assert capitolo.testo == testo and capitolo.aggiornato_da == cast.operatore_a


def test_the_edit_page_shows_the_saved_markdown_the_revision_and_a_guide(cast, client_for):
    scrivi(cast.piano_a, "obiettivi", "Priorità: **minori**.")
    html = (
        client_for("responsabile_a")
        .get(url("narrativa_modifica", cast.piano_a, capitolo="obiettivi"))
        .content.decode()
    )
    assert "Priorità: **minori**.</textarea>" in html
    assert 'name="revisione" value="1"' in html
    assert "<code>**grassetto**</code>" in html and "<code>### </code>" in html
    assert "<strong>minori</strong>" in html  # the preview of the saved text
    assert f'hx-post="{url("narrativa_anteprima", cast.piano_a)}"' in html


ATTACCHI = [
    "<script>alert('x1')</script>",
    "[clic](javascript:alert('x2'))",
    "<a href=\"javascript:alert('x3')\">link</a>",
    "<img src=x onerror=\"alert('x4')\">",
    '<iframe src="https://evil.example/x5"></iframe>',
    '<p onclick="alert(\'x6\')" style="color:red">testo</p>',
]


def test_no_script_survives_in_the_page_or_in_the_preview(cast, client_for):
    testo = "Testo sicuro.\n\n" + "\n\n".join(ATTACCHI)
    client = client_for("operatore_a")
    client.post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": testo, "revisione": "0"},
    )
    pagina = client.get(url("narrativa", cast.piano_a)).content.decode()
    anteprima = client.post(url("narrativa_anteprima", cast.piano_a), {"testo": testo})
    for html in (pagina, anteprima.content.decode()):
        assert "Testo sicuro." in html
        assert "alert(" not in html and "javascript:" not in html
        assert "onerror" not in html and "onclick" not in html and "<iframe" not in html
        assert "evil.example" not in html and 'style="color' not in html and "<img" not in html


def test_the_preview_returns_the_formatted_text_and_saves_nothing(cast, client_for):
    response = client_for("funzionario").post(
        url("narrativa_anteprima", cast.piano_a), {"testo": "Un **punto** fermo."}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p>Un <strong>punto</strong> fermo.</p>"
    assert not Narrativa.objects.exists()
    vuota = client_for("operatore_a").post(url("narrativa_anteprima", cast.piano_a), {})
    assert "Da scrivere" in vuota.content.decode()


def test_a_stale_page_gets_a_conflict_keeps_the_users_text_and_overwrites_nothing(cast, client_for):
    collega = UserFactory(first_name="Lucia", last_name="Bianchi")
    scrivi(cast.piano_a, "contesto", "La versione della collega.", user=collega)
    response = client_for("operatore_a").post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": "La mia versione, scritta a lungo.", "revisione": "0"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "modificati da Lucia Bianchi" in html
    assert "La mia versione, scritta a lungo.</textarea>" in html
    assert "La versione della collega." in html  # shown, to merge by hand
    assert 'name="revisione" value="0"' in html  # saving again is refused again
    assert Narrativa.objects.get().testo == "La versione della collega."


def test_two_chapters_are_written_at_once_without_conflict(cast, client_for):
    client = client_for("operatore_a")
    for capitolo in ("contesto", "obiettivi"):
        response = client.post(
            url("narrativa_modifica", cast.piano_a, capitolo=capitolo),
            {"testo": f"Testo di {capitolo}", "revisione": "0"},
        )
        assert response.status_code == 302
    assert Narrativa.objects.filter(piano=cast.piano_a).count() == 2


def test_a_chapter_too_long_is_refused_with_an_italian_message(cast, client_for):
    response = client_for("operatore_a").post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": "x" * 50_001, "revisione": "0"},
    )
    assert response.status_code == 200
    assert "al massimo 50000 caratteri (ora ne ha 50001)" in response.content.decode()
    assert not Narrativa.objects.exists()


def test_an_unknown_chapter_is_not_found(cast, client_for):
    client = client_for("operatore_a")
    assert (
        client.get(url("narrativa_modifica", cast.piano_a, capitolo="bilancio")).status_code == 404
    )
    response = client.post(
        url("narrativa_modifica", cast.piano_a, capitolo="bilancio"),
        {"testo": "x", "revisione": "0"},
    )
    assert response.status_code == 404


def test_a_submitted_plan_shows_the_narrative_without_forms_and_refuses_saving(cast, client_for):
    scrivi(cast.piano_a, "contesto", "Testo inviato.")
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    client = client_for("operatore_a")
    assert "Modifica<span" not in client.get(url("narrativa", cast.piano_a)).content.decode()
    pagina = client.get(url("narrativa_modifica", cast.piano_a, capitolo="contesto"))
    assert "<textarea" not in pagina.content.decode()
    response = client.post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": "Cambiato dopo l'invio", "revisione": "1"},
        follow=True,
    )
    assert "si può modificare solo in bozza" in response.content.decode()
    assert Narrativa.objects.get().testo == "Testo inviato."


def test_another_ambitos_user_finds_nothing(cast, client_for):
    client = client_for("operatore_b")
    assert client.get(url("narrativa", cast.piano_a)).status_code == 404
    assert (
        client.get(url("narrativa_modifica", cast.piano_a, capitolo="contesto")).status_code == 404
    )
    assert client.post(url("narrativa_anteprima", cast.piano_a), {"testo": "x"}).status_code == 404


def test_the_regional_officer_reads_without_forms_and_may_not_write(cast, client_for):
    scrivi(cast.piano_a, "contesto", "Il **contesto**.")
    client = client_for("funzionario")
    html = client.get(url("narrativa", cast.piano_a)).content.decode()
    assert "<strong>contesto</strong>" in html and "Modifica<span" not in html
    pagina = client.get(url("narrativa_modifica", cast.piano_a, capitolo="contesto"))
    assert pagina.status_code == 200 and "<textarea" not in pagina.content.decode()
    response = client.post(
        url("narrativa_modifica", cast.piano_a, capitolo="contesto"),
        {"testo": "Riscritto dalla Regione", "revisione": "1"},
    )
    assert response.status_code == 403
    assert Narrativa.objects.get().testo == "Il **contesto**."


def test_the_narrative_runs_the_same_queries_however_many_chapters_are_written(
    cast, client_for, assert_constant_queries
):
    scrivi(cast.piano_a, "contesto", "Uno.", user=cast.operatore_a)

    def grow():
        for capitolo in Narrativa.Capitolo.values[1:]:
            scrivi(cast.piano_a, capitolo, f"Testo di {capitolo}.", user=UserFactory())

    assert_constant_queries(client_for("operatore_a"), url("narrativa", cast.piano_a), 8, grow)


def test_every_unwritten_chapter_is_a_blocking_check(cast):
    from programmazione.controlli import esiti_narrativa
    from programmazione.models import Narrativa

    assert len(esiti_narrativa(cast.piano_a)) == 7
    Narrativa.objects.create(piano=cast.piano_a, capitolo="contesto", testo="Il territorio…")
    esiti = esiti_narrativa(cast.piano_a)
    assert len(esiti) == 6 and all(e.bloccante for e in esiti)
    assert "«Analisi del contesto»" not in " ".join(e.messaggio for e in esiti)
    assert "«Sistema informativo» non è ancora scritto" in " ".join(e.messaggio for e in esiti)
