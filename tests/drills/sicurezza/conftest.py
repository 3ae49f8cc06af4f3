"""The security drills' figures: gathered while the tests run, written once at the end of the session.

``registra`` writes docs/prove/sicurezza.json only under PIANIZONA_FIGURE=1 (``make drill-security``)
and only when every drill of this folder ran, so a partial run never replaces the table.
"""

import os
from pathlib import Path

import pytest

from tests.drills.figure import Esito, Riga, registra, stampa

CARTELLA = Path(__file__).parent
MODULI = (
    "test_marcatori.py",
    "test_password.py",
    "test_importazioni.py",
    "test_intestazioni.py",
    "test_formule.py",
    "test_contenuti_attivi.py",
)
_figure: dict[str, object] = {}
_esiti: dict[str, str] = {}


def figura(**valori: object) -> None:
    """Record measured figures (the drill tests call this once they have asserted them)."""
    _figure.update(valori)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if Path(report.fspath).resolve().parent == CARTELLA and (
        report.when == "call" or report.failed
    ):
        _esiti[report.nodeid] = report.outcome


def _righe() -> list[Riga]:
    f = _figure.get
    falliti = sorted(n for n, esito in _esiti.items() if esito == "failed")
    return [
        Riga(
            "Visita come utenti di BA01 (operatore, responsabile)",
            f"{f('pagine_visitate')} richieste, {f('risposte_lette')} lette; per ruolo almeno "
            f"{f('lette_min')} lette in {f('route_lette')} pagine diverse "
            f"({f('pattern_url')} pattern URL riempiti)",
            ">= 120 lette e >= 60 pagine diverse per ruolo",
            (f("lette_min") or 0) >= 120 and (f("route_lette") or 0) >= 60,
        ),
        Riga(
            "Marcatori di BA02 trovati da BA01",
            str(f("marcatori_trapelati")),
            f"0 su {f('marcatori_piantati')} in {f('campi_marcati')} campi",
            f("marcatori_trapelati") == 0,
        ),
        Riga(
            "Marcatori di BA02 trovati dalla stessa visita come BA02",
            str(f("marcatori_visti_da_b")),
            "ogni campo marcato visto almeno una volta",
            bool(f("marcatori_visti_da_b")),
        ),
        Riga("Formati letti (risposte)", str(f("formati_letti")), "", True),
        Riga(
            "Password errate su un account",
            f"{f('password_errate')}; prima risposta limitata al tentativo {f('primo_limitato')}",
            ">= 100; limite entro il 6°",
            (f("password_errate") or 0) >= 100 and (f("primo_limitato") or 99) <= 6,
        ),
        Riga(
            "Password corretta durante il blocco / dopo l'attesa",
            f"{f('corretta_durante_blocco')} / {f('corretta_dopo_attesa')}",
            "rifiutata (429 o messaggio) / accesso",
            f("corretta_durante_blocco") in (429, "messaggio")
            and f("corretta_dopo_attesa") == "accesso",
        ),
        Riga(
            "Login dell'amministrazione (/admin/login/)",
            f"limitato al tentativo {f('admin_primo_limitato')}",
            "limitato",
            bool(f("admin_primo_limitato")),
        ),
        Riga(
            "Esempi di fogli malformati importati",
            f"{f('esempi_fuzz')} su {f('importazioni')} importazioni "
            f"({f('conferme_tentate')} arrivati alla conferma)",
            "nessun 500, nessuna scrittura parziale",
            bool(f("esempi_fuzz")) and f("errori_500") == 0,
        ),
        Riga("Risposte 500 durante il fuzzing", str(f("errori_500")), "0", f("errori_500") == 0),
        Riga(
            "Bombe e file fuori misura caricati in ogni importazione",
            f"{f('rifiuti_file_ostili')} rifiuti ({f('file_ostili')} file); il più lento in "
            f"{f('rifiuto_piu_lento_s')} s",
            "tutti rifiutati con il motivo, in meno di 5 s, nulla scritto",
            bool(f("rifiuti_file_ostili")),
        ),
        Riga(
            "Formule piantate nei campi di testo, cercate nelle esportazioni",
            f"{f('formule_vive')} vive su {f('celle_lette')} celle di {f('file_esportati')} file "
            f"({f('campi_con_formula')} campi, {f('pagine_di_esportazione')} pagine)",
            "0",
            f("formule_vive") == 0 and bool(f("file_esportati")),
        ),
        Riga(
            "PDF, DOCX e XLSX con contenuti attivi caricati",
            f"{f('contenuti_attivi_rifiutati')} rifiutati su {f('contenuti_attivi_provati')}",
            "tutti rifiutati, nulla salvato",
            bool(f("contenuti_attivi_provati"))
            and f("contenuti_attivi_rifiutati") == f("contenuti_attivi_provati"),
        ),
        Riga(
            "Viste che cambiano stato provate senza token CSRF",
            f"{f('viste_csrf')} (tutte 403)",
            "tutte 403",
            bool(f("viste_csrf")),
        ),
        Riga(
            "Intestazioni verificate",
            str(f("intestazioni")),
            "CSP senza unsafe-inline negli script, DENY, nosniff, Referrer-Policy, HSTS >= 1 anno",
            bool(f("intestazioni")),
        ),
        Riga("Test falliti", ", ".join(falliti) or "nessuno", "nessuno", not falliti),
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    eseguiti = {Path(n.split("::")[0]).name for n in _esiti}
    if not _figure or not set(MODULI) <= eseguiti:
        return
    esito = Esito(
        prova="sicurezza",
        titolo=(
            "Esercitazioni di sicurezza (isolamento, password, importazioni, intestazioni, "
            "formule, contenuti attivi)"
        ),
        comando=os.environ.get("PIANIZONA_COMANDO", "make drill-security"),
        righe=_righe(),
        note=(
            "Dati dimostrativi (scala small) con un marcatore univoco in ogni campo di testo, nome "
            "e file dell'ambito BA02; visita in ampiezza da home, API, esportazioni e PDF come "
            "utenti di BA01. Fuzzing delle importazioni con Hypothesis (profilo "
            f"{os.environ.get('HYPOTHESIS_PROFILE', 'default')}); bombe, fogli fuori misura e "
            "file con contenuti attivi caricati in ogni importazione, nell'archivio e nel modulo "
            "pubblico; una formula in ogni campo di testo, cercata in ogni CSV e XLSX esportato."
        ),
    )
    if os.environ.get("PIANIZONA_FIGURE") == "1":  # the suite's own run stays quiet
        stampa(esito)
        registra(esito)
