import pytest

from pianizona.testo import markdown_sicuro


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
