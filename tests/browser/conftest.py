"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per session, a fresh context (cookies, storage) per test. Every page a test lands on
is checked by two independent engines: axe-core against WCAG 2.1 A and AA, then HTML_CodeSniffer
against WCAG2AA (its errors only), which finds what axe does not (header associations in tables
with two levels of row headers, select boxes with no selected option). Navigate with
``visita(page, url)`` or, after a click that loads a new page, call ``controlla_accessibilita(page)``.
A test that loads a page and never checks it fails at teardown, so a page cannot slip through
unchecked.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
HTMLCS_JS = Path(__file__).parent / "vendor" / "HTMLCS.js"
HTMLCS_SOURCE = HTMLCS_JS.read_text(encoding="utf-8")
# HTML_CodeSniffer's message types: 1 error, 2 warning, 3 notice; only errors are certain failures.
HTMLCS_ERRORE = 1
QUI = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if QUI in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        motivo = f"Chromium non trovato in {CHROMIUM}: installare il pacchetto Debian 'chromium'"
        if os.environ.get("PIANIZONA_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{motivo} (PIANIZONA_REQUIRE_BROWSER=1: i test nel browser sono obbligatori)"
            )
        pytest.skip(motivo)
    # From here to the end of the session Playwright's sync API keeps an event loop running in
    # this thread, and Django would refuse ORM calls from test code (fixtures, database checks).
    prima = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if prima is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = prima


@pytest.fixture
def cast(transactional_db, cast):
    """The shared cast, committed for real so that the live server's thread sees it."""
    return cast


class _Navigazioni:
    """The documents a page loaded, and which of them axe has checked."""

    def __init__(self, page: Page):
        self.caricate: list[str] = []
        self.controllate: set[int] = set()
        page.on("framenavigated", self._navigata)
        self._page = page

    def _navigata(self, frame) -> None:
        if frame != self._page.main_frame or frame.url == "about:blank":
            return
        # A jump to an anchor (the skip link) stays on the same document: nothing new to check.
        if (
            self.caricate
            and "#" in frame.url
            and urldefrag(frame.url)[0] == urldefrag(self.caricate[-1])[0]
        ):
            return
        self.caricate.append(frame.url)

    def segna_controllata(self) -> None:
        if self.caricate:
            self.controllate.add(len(self.caricate) - 1)

    def non_controllate(self) -> list[str]:
        return [url for i, url in enumerate(self.caricate) if i not in self.controllate]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="it-IT", timezone_id="Europe/Rome")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.navigazioni = _Navigazioni(page)
    violazioni_csp: list[str] = []
    page.on(
        "console",
        lambda m: violazioni_csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    non_controllate = page.navigazioni.non_controllate()
    context.close()
    if violazioni_csp:
        pytest.fail(
            "Violazioni della Content Security Policy:\n"
            + "\n".join(v[:300] for v in violazioni_csp)
        )
    if non_controllate:
        pytest.fail(
            "Pagine caricate senza il controllo di accessibilità (usare visita() o "
            "controlla_accessibilita()): " + ", ".join(non_controllate)
        )


def _descrivi(violazioni: list[dict]) -> str:
    righe = []
    for v in violazioni:
        righe.append(f"- {v['id']} [{v.get('impact')}]: {v['help']} ({v['helpUrl']})")
        for nodo in v["nodes"][:3]:
            html = " ".join(nodo["html"].split())
            righe.append(f"    {' '.join(map(str, nodo['target']))}: {html[:200]}")
            if nodo.get("why"):
                righe.append("      " + " ".join(nodo["why"].split())[:300])
        if len(v["nodes"]) > 3:
            righe.append(f"    … e altri {len(v['nodes']) - 3} elementi")
    return "\n".join(righe)


_HTMLCS_ERRORI = """(tipo) => new Promise((risolvi, rifiuta) => {
    // A CSS path for each element: from its nearest ancestor with an id, nth-of-type below it.
    const percorso = (el) => {
        if (!el || el.nodeType !== 1) return '(documento)';
        const parti = [];
        while (el && el.nodeType === 1) {
            if (el.id) { parti.unshift('#' + CSS.escape(el.id)); break; }
            let passo = el.localName, fratello = el, n = 1;
            while ((fratello = fratello.previousElementSibling)) {
                if (fratello.localName === el.localName) n++;
            }
            parti.unshift(passo + ':nth-of-type(' + n + ')');
            el = el.parentElement;
        }
        return parti.join(' > ');
    };
    HTMLCS.process('WCAG2AA', document, () => {
        // H32.2 asks a form for a submit button; a form with no control to fill in (the admin's
        // empty changelist, its token alone) has nothing to submit, so the rule does not apply.
        const senzaControlli = (m) => m.code.endsWith('H32.2') && m.element && !m.element.querySelector(
            'input:not([type=hidden]), select, textarea, button');
        risolvi(HTMLCS.getMessages().filter(m => m.type === tipo && !senzaControlli(m)).map(m => ({
            code: m.code, msg: m.msg, selettore: percorso(m.element),
            html: m.element && m.element.outerHTML ? m.element.outerHTML.slice(0, 300) : '',
        })));
    }, () => rifiuta(new Error('HTML_CodeSniffer non ha potuto analizzare la pagina')), 'en');
})"""


def _descrivi_htmlcs(errori: list[dict]) -> str:
    righe = []
    for codice in dict.fromkeys(e["code"] for e in errori):
        stessi = [e for e in errori if e["code"] == codice]
        righe.append(f"- {codice}: {stessi[0]['msg']}")
        for e in stessi[:3]:
            html = " ".join(e["html"].split())
            righe.append(f"    {e['selettore']}: {html[:200]}")
        if len(stessi) > 3:
            righe.append(f"    … e altri {len(stessi) - 3} elementi")
    return "\n".join(righe)


def controlla_htmlcs(page: Page) -> None:
    """Run HTML_CodeSniffer (WCAG2AA) on the page as it is now; fail listing every error."""
    if not page.evaluate("typeof window.HTMLCS !== 'undefined'"):
        page.evaluate(HTMLCS_SOURCE)
    errori = page.evaluate(_HTMLCS_ERRORI, HTMLCS_ERRORE)
    if errori:
        pytest.fail(
            f"HTML_CodeSniffer: {len(errori)} errori WCAG2AA in {page.url}\n"
            + _descrivi_htmlcs(errori),
            pytrace=False,
        )


def controlla_accessibilita(page: Page) -> None:
    """Run axe-core, then HTML_CodeSniffer, on the page as it is now; fail listing violations."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools, not as a <script> tag: our CSP rightly forbids inline scripts.
        page.evaluate(AXE_SOURCE)
    risultato = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
            .then(r => ({violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, why: n.failureSummary})),
            }))}))""",
        AXE_TAGS,
    )
    navigazioni = getattr(page, "navigazioni", None)
    if navigazioni is not None:
        navigazioni.segna_controllata()
    violazioni = risultato["violations"]
    if violazioni:
        pytest.fail(
            f"axe-core: {len(violazioni)} violazioni WCAG 2.1 A/AA in {page.url}\n"
            + _descrivi(violazioni),
            pytrace=False,
        )
    controlla_htmlcs(page)


@pytest.fixture
def axe():
    """The accessibility check as a fixture, for tests that prefer to request it."""
    return controlla_accessibilita


def visita(page: Page, url: str, stato: int | None = 200) -> None:
    """Open ``url`` like a user typing it, check the HTTP status, then check accessibility."""
    risposta = page.goto(url)
    if stato is not None:
        assert risposta is not None and risposta.status == stato, (
            f"{url}: atteso HTTP {stato}, ricevuto {risposta.status if risposta else None}"
        )
    controlla_accessibilita(page)


def login(page: Page, live_server, email: str, password: str = PASSWORD) -> None:
    """Log in through the allauth form as a person would: by the fields' visible labels."""
    visita(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Indirizzo e-mail").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Accedi", exact=True).click()
    controlla_accessibilita(page)
