"""Forms as a browser submits them, read from a page's HTML with the standard library.

Shared by the locustfile (under gevent) and the saturation client: no Django, no locust here.
"""

from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit


class Modulo:
    """One <form>: its action, method and the fields a browser would send (no submit button)."""

    def __init__(self, action: str, method: str):
        self.action, self.method = action, method.lower()
        self.campi: list[tuple[str, str]] = []

    def dati(self, **sostituzioni: str) -> list[tuple[str, str]]:
        campi = [(n, sostituzioni.get(n, v)) for n, v in self.campi]
        presenti = {n for n, _ in campi}
        return campi + [(n, v) for n, v in sostituzioni.items() if n not in presenti]

    def valore(self, nome: str) -> str | None:
        return next((v for n, v in self.campi if n == nome), None)


class _LettoreModuli(HTMLParser):
    def __init__(self, pagina: str):
        super().__init__(convert_charrefs=True)
        self.pagina = pagina
        self.moduli: list[Modulo] = []
        self._modulo: Modulo | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._modulo = Modulo(a.get("action") or self.pagina, a.get("method") or "get")
            self.moduli.append(self._modulo)
        if self._modulo is None or "disabled" in a:
            return
        nome = a.get("name", "")
        if tag == "input" and nome:
            tipo = a.get("type", "text").lower()
            if tipo in ("submit", "button", "image", "reset", "file"):
                return
            if tipo in ("checkbox", "radio") and "checked" not in a:
                return
            self._modulo.campi.append((nome, a.get("value", "on" if tipo == "checkbox" else "")))
        elif tag == "select" and nome:
            self._select = (nome, "multiple" in a, [], [])
        elif tag == "option" and self._select:
            valore = a.get("value", "")
            self._select[2].append(valore)
            if "selected" in a:
                self._select[3].append(valore)
        elif tag == "textarea" and nome:
            self._textarea = (nome, [])

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._modulo = None
        elif tag == "select" and self._select and self._modulo:
            nome, multipla, opzioni, scelte = self._select
            # A single select with nothing marked sends its first option, as browsers do.
            for valore in scelte or ([] if multipla else opzioni[:1]):
                self._modulo.campi.append((nome, valore))
            self._select = None
        elif tag == "textarea" and self._textarea and self._modulo:
            nome, testo = self._textarea
            self._modulo.campi.append((nome, "".join(testo).removeprefix("\n")))
            self._textarea = None


def moduli(html: str, pagina: str) -> list[Modulo]:
    lettore = _LettoreModuli(pagina)
    lettore.feed(html)
    return lettore.moduli


def modulo_verso(html: str, pagina: str, azione: str) -> Modulo | None:
    """The POST form of the page whose action is ``azione`` (a path), if the page shows it."""
    for modulo in moduli(html, pagina):
        if modulo.method == "post" and urlsplit(modulo.action).path == azione:
            return modulo
    return None


def euro(testo: str) -> Decimal:
    """'12.345,67' (Italian, as the amount inputs show it) → Decimal."""
    return Decimal(testo.replace(".", "").replace(",", "."))


def in_euro(valore: Decimal) -> str:
    return f"{valore:.2f}".replace(".", ",")
