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
    "test_adesione.py",
    "test_proxy.py",
    "test_account.py",
    "test_mfa.py",
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
            "Password corretta dalla rete che tenta / dal titolare altrove / dopo l'attesa",
            f"{f('corretta_durante_blocco')} / {f('proprietario_durante_blocco')} / "
            f"{f('corretta_dopo_attesa')}",
            "rifiutata (429 o messaggio) / accesso / accesso",
            f("corretta_durante_blocco") in (429, "messaggio")
            and f("proprietario_durante_blocco") == "accesso"
            and f("corretta_dopo_attesa") == "accesso",
        ),
        Riga(
            "Un'ora di tentativi da una rete, uno ogni 10 s",
            f"{f('ora_di_tentativi_provati')} password provate su {f('ora_di_tentativi')}",
            "<= 10 (pausa che raddoppia)",
            (f("ora_di_tentativi_provati") or 99) <= 10,
        ),
        Riga(
            "Cento reti che tentano lo stesso account",
            f"il titolare entra: {f('ip_diversi_proprietario')}",
            "accesso",
            f("ip_diversi_proprietario") == "accesso",
        ),
        Riga(
            "Dietro il proxy: un client limitato, un altro",
            f"limitato alla richiesta {f('proxy_limitato_al')} / {f('proxy_altro_client')}",
            "limitato / accesso",
            bool(f("proxy_limitato_al")) and f("proxy_altro_client") == "accesso",
        ),
        Riga(
            "API senza credenziali valide",
            f"429 dopo {f('api_anonime_limitate_dopo')} al minuto; "
            f"{f('api_anonime_righe')} righe di registro",
            "limitate, 0 righe",
            f("api_anonime_righe") == 0,
        ),
        Riga(
            "Cambio dell'indirizzo di accesso da una sessione",
            f"{f('cambio_indirizzo_rifiutato')} tentativi, tutti rifiutati; e-mail a indirizzi "
            f"sconosciuti: {f('reset_sconosciuto_email')}",
            "tutti rifiutati; 0",
            bool(f("cambio_indirizzo_rifiutato")) and f("reset_sconosciuto_email") == 0,
        ),
        Riga(
            "Avvisi di sicurezza al titolare (TOTP attivato, password, codice di recupero, TOTP "
            "rimosso); conferma dell'approvazione",
            f"{f('avvisi_di_sicurezza')} avvisi; pausa dopo {f('conferme_prima_della_pausa')} "
            "conferme errate",
            ">= 4; pausa dopo 5",
            (f("avvisi_di_sicurezza") or 0) >= 4 and f("conferme_prima_della_pausa") == 5,
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
            "CSP senza unsafe-inline negli script, DENY, nosniff, Referrer-Policy, CORP, "
            "Permissions-Policy, no-store da autenticati, HSTS >= 1 anno",
            bool(f("intestazioni")),
        ),
        Riga(
            "Modulo pubblico di adesione: ricevuta, limiti, gettone",
            f"ricevuta senza testo di chi invia: {f('adesione_ricevuta_senza_testo_altrui')}; "
            f"ricevute a un indirizzo: {f('adesione_ricevute_per_indirizzo')}, richieste a un "
            f"ambito: {f('adesione_richieste_per_ambito')} (i limiti di prova); gettone riusato "
            f"rifiutato: {f('adesione_gettone_riusato_rifiutato')}; invii non validi senza "
            f"consumare il limite: {f('adesione_invii_non_validi_senza_quota')}",
            "solo testo fisso, numero e ambito; limiti rispettati; gettone monouso",
            f("adesione_ricevuta_senza_testo_altrui") is True
            and f("adesione_gettone_riusato_rifiutato") is True
            and bool(f("adesione_invii_non_validi_senza_quota")),
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
            "formule, contenuti attivi, modulo di adesione, proxy, account)"
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
