import pytest

from pianizona.testo import articolo_plurale, markdown_sicuro, plurale


def test_markdown_becomes_structured_html():
    html = markdown_sicuro("## Titolo\n\nUn **obiettivo**:\n\n- uno\n- due\n")
    assert "<strong>obiettivo</strong>" in html and "<li>uno</li>" in html


@pytest.mark.parametrize(
    "attacco",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<iframe src='//evil'></iframe>",
    ],
)
def test_no_script_survives(attacco):
    html = markdown_sicuro(attacco)
    assert "javascript:" not in html and "<script" not in html and "onerror" not in html
    assert "<iframe" not in html and "style=" not in html and "<img" not in html


@pytest.mark.parametrize(
    "numero, atteso",
    [(0, "0 righe"), (1, "1 riga"), (2, "2 righe"), (1234, "1.234 righe"), (None, "0 righe")],
)
def test_a_count_agrees_with_its_noun(numero, atteso):
    assert plurale(numero, "riga", "righe") == atteso


def test_a_whole_phrase_agrees_and_places_the_number_itself():
    assert plurale(1, "Ripresa {n} scheda", "Riprese {n} schede") == "Ripresa 1 scheda"
    assert plurale(3, "Ripresa {n} scheda", "Riprese {n} schede") == "Riprese 3 schede"
    assert plurale(1, "un'altra riga", "altre {n} righe") == "un'altra riga"
    assert plurale(12, "un'altra riga", "altre {n} righe") == "altre 12 righe"


@pytest.mark.parametrize(
    "parole, articolo, atteso",
    [
        ("servizi a valenza comunale", "tra i", "tra i servizi a valenza comunale"),
        ("interventi finanziati", "tra i", "tra gli interventi finanziati"),
        ("studi", "dei", "degli studi"),
        ("zaini", "i", "gli zaini"),
        ("psicologi", "ai", "agli psicologi"),
        ("servizi", "i", "i servizi"),
    ],
)
def test_a_masculine_plural_takes_the_article_its_first_letters_want(parole, articolo, atteso):
    assert articolo_plurale(parole, articolo) == atteso


def test_the_template_filters_are_the_same_helpers():
    from django.template import Context, Template

    modello = Template(
        '{% load pianizona %}{{ n|plurale:"riga,righe" }}; {{ sezione|articolo_plurale:"tra i" }}'
    )
    contesto = Context({"n": 1, "sezione": "interventi finanziati da altre risorse"})
    assert modello.render(contesto) == "1 riga; tra gli interventi finanziati da altre risorse"
