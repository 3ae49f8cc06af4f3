"""Rich but safe text: users write Markdown, pages and PDFs get sanitised HTML (no scripts, no styles).

Also the Italian words a sentence builds around a number or a noun: the one plural helper (``plurale``,
also the template filter of the same name) and the masculine plural article.
"""

import re

import markdown
import nh3

TAG_AMMESSI = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ATTRIBUTI_AMMESSI = {"a": {"href", "title"}, "th": {"scope"}}


def markdown_sicuro(testo: str) -> str:
    """Markdown → HTML with only structural tags; links keep http(s) and mailto, nothing else."""
    html = markdown.markdown(testo or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=TAG_AMMESSI,
        attributes=ATTRIBUTI_AMMESSI,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def plurale(numero: int | None, singolare: str, plurale: str) -> str:
    """«1 comune», «2 comuni», «1.234 comuni»: the number with Italian digits, the noun agreeing.

    Forms with ``{n}`` are whole phrases that place the number themselves, or leave it out:
    ``plurale(n, "un'altra riga", "altre {n} righe")``, ``plurale(n, "ripresa {n} scheda", …)``.
    """
    n = int(numero or 0)
    forma = singolare if n == 1 else plurale
    cifre = f"{n:,}".replace(",", ".")
    if "{n}" in singolare + plurale:
        return forma.replace("{n}", cifre)
    return f"{cifre} {forma}"


# A masculine plural takes «gli» before a vowel, s + consonant, z, gn, ps, pn, x, y.
_VUOLE_GLI = re.compile(r"^([aeiouàèéìòùh]|s[^aeiouàèéìòù]|z|gn|ps|pn|x|y)", re.IGNORECASE)
_GLI = {"i": "gli", "dei": "degli", "ai": "agli", "dai": "dagli", "nei": "negli", "sui": "sugli"}


def articolo_plurale(parole: str, articolo: str = "i") -> str:
    """«i servizi», «gli interventi», «tra gli interventi»: a masculine plural with its article.

    ``articolo`` is the form before a consonant («i», «dei», «tra i»…); its last word is changed
    to the form the first letters of ``parole`` want.
    """
    prima, _, ultimo = articolo.rpartition(" ")
    if _VUOLE_GLI.match(parole) and ultimo.lower() in _GLI:
        ultimo = _GLI[ultimo.lower()]
    return " ".join(filter(None, [prima, ultimo, parole]))
