"""The links of a page region as a user meets them, and a long page's index checked against its headings."""

import re
from html.parser import HTMLParser

VUOTI = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


class _Link(HTMLParser):
    """The links inside the element whose aria-label is ``etichetta``: (text, href, aria-current)."""

    def __init__(self, etichetta: str):
        super().__init__()
        self.etichetta, self.profondita, self.links, self._corrente = etichetta, 0, [], None

    def handle_starttag(self, tag, attrs):
        attributi = dict(attrs)
        if self.profondita:
            self.profondita += tag not in VUOTI
        elif attributi.get("aria-label") == self.etichetta:
            self.profondita = 1
        if self.profondita and tag == "a":
            self._corrente = [attributi.get("href"), attributi.get("aria-current"), ""]

    def handle_endtag(self, tag):
        if self.profondita and tag == "a" and self._corrente:
            href, corrente, testo = self._corrente
            self.links.append((" ".join(testo.split()), href, corrente))
            self._corrente = None
        if self.profondita and tag not in VUOTI:
            self.profondita -= 1

    def handle_data(self, data):
        if self._corrente is not None:
            self._corrente[2] += data


def links(html: str, etichetta: str = "Navigazione principale") -> list[tuple[str, str, str]]:
    parser = _Link(etichetta)
    parser.feed(html)
    return parser.links


def indice(html: str) -> list[tuple[str, str]]:
    """A long page's index («Indice della pagina»): (text, anchor) of every entry, in order."""
    return [(testo, href[1:]) for testo, href, _ in links(html, "Indice della pagina")]


def ancore_senza_titolo(html: str) -> list[str]:
    """The index's anchors that no element of the page carries as its id (broken jumps)."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return [ancora for _, ancora in indice(html) if ancora not in ids]
