"""Where phase apps plug into the core, which never imports them (they register in ``ready()``)."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .models import Ambito, Ciclo, Piano, Regione, Transizione, User, Versione

# (regione, ambiti, rng, scale) → None: adds a phase's demo data after the core's.
DemoBuilder = Callable[[Regione, list[Ambito], random.Random, str], None]
_demo_builders: list[DemoBuilder] = []


def registra_demo(builder: DemoBuilder) -> DemoBuilder:
    if builder not in _demo_builders:
        _demo_builders.append(builder)
    return builder


def demo_builders() -> list[DemoBuilder]:
    return list(_demo_builders)


@dataclass(frozen=True)
class Collegamento:
    """A page a phase app adds to a plan, a cycle or an ambito: listed on the core's pages."""

    titolo: str
    descrizione: str
    url_name: str  # reversed with the plan's (the cycle's, the ambito's) pk
    ordine: int


_sezioni_piano: list[Collegamento] = []
_pagine_ciclo: list[Collegamento] = []
_pagine_ambito: list[Collegamento] = []
_pagine_regione: list[Collegamento] = []


def _registra(elenco: list[Collegamento], collegamento: Collegamento) -> None:
    if collegamento not in elenco:
        elenco.append(collegamento)
        elenco.sort(key=lambda c: c.ordine)


def registra_sezione_piano(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    _registra(_sezioni_piano, Collegamento(titolo, descrizione, url_name, ordine))


def registra_pagina_ciclo(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    _registra(_pagine_ciclo, Collegamento(titolo, descrizione, url_name, ordine))


def registra_pagina_ambito(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    """A page about one ambito (reversed with the ambito's pk), listed on the ambito's page."""
    _registra(_pagine_ambito, Collegamento(titolo, descrizione, url_name, ordine))


def pagine_ambito() -> list[Collegamento]:
    return list(_pagine_ambito)


def registra_pagina_regione(titolo: str, descrizione: str, url_name: str, ordine: int) -> None:
    """A page about the whole region (reversed with the region's pk), listed on the region's page.

    The region's page is for who may see the regional overview: a page listed here must open to
    the same users.
    """
    _registra(_pagine_regione, Collegamento(titolo, descrizione, url_name, ordine))


def pagine_regione() -> list[Collegamento]:
    return list(_pagine_regione)


def sezioni_piano() -> list[Collegamento]:
    return list(_sezioni_piano)


def pagine_ciclo() -> list[Collegamento]:
    return list(_pagine_ciclo)


# The header's menu: a phase app's entries for the ambito (or the region) the user works in,
# reversed with its pk; the core adds its own (home, the ambito or the region, the current plan).
_menu_ambito: list[Collegamento] = []
_menu_regione: list[Collegamento] = []


def registra_voce_menu_ambito(titolo: str, url_name: str, ordine: int) -> None:
    """An entry of the district users' menu, for the ambito they work in (reversed with its pk)."""
    _registra(_menu_ambito, Collegamento(titolo, "", url_name, ordine))


def voci_menu_ambito() -> list[Collegamento]:
    return list(_menu_ambito)


def registra_voce_menu_regione(titolo: str, url_name: str, ordine: int) -> None:
    """An entry of the regional officers' menu (reversed with the region's pk)."""
    _registra(_menu_regione, Collegamento(titolo, "", url_name, ordine))


def voci_menu_regione() -> list[Collegamento]:
    return list(_menu_regione)


@dataclass(frozen=True)
class DaIstruire:
    """One count on the officer's home: what waits for the Region, and the list that shows it."""

    etichetta: str  # e.g. «Piani inviati da prendere in carico»
    numero: int
    url: str  # the list filtered to exactly what is counted
    descrizione: str = ""
    ordine: int = 0


# (regione) → the phase's counts, each from a fixed number of queries (one grouped count, say).
ContaDaIstruire = Callable[[Regione], list[DaIstruire]]
_da_istruire: list[ContaDaIstruire] = []


def registra_da_istruire(funzione: ContaDaIstruire) -> ContaDaIstruire:
    if funzione not in _da_istruire:
        _da_istruire.append(funzione)
    return funzione


def da_istruire(regione: Regione) -> list[DaIstruire]:
    """Every registered phase's counts for the Region's officer, in their order."""
    voci = [voce for funzione in _da_istruire for voce in funzione(regione)]
    return sorted(voci, key=lambda v: v.ordine)


@dataclass(frozen=True)
class EsitoControllo:
    """One failed pre-submission check: what is wrong, whether it blocks, where to fix it."""

    codice: str  # stable, e.g. "sovra_allocazione:FNPS:2025"
    messaggio: str  # Italian, naming fund, year and amounts
    bloccante: bool
    url: str | None = None
    sezione: str | None = None  # url_name of the plan's section it belongs to (its card)


# piano → the checks that fail (an empty list when all pass)
ControlloPiano = Callable[[Piano], list[EsitoControllo]]
_controlli: list[ControlloPiano] = []
# url_names of the sections some check covers: only their cards can say «completata»
_sezioni_controllate: set[str] = set()


def registra_controllo(
    controllo: ControlloPiano, *, sezioni: tuple[str, ...] = ()
) -> ControlloPiano:
    """``sezioni``: the plan's sections (url_names) whose results ``controllo`` gives."""
    if controllo not in _controlli:
        _controlli.append(controllo)
    _sezioni_controllate.update(sezioni)
    return controllo


def sezioni_controllate() -> set[str]:
    return set(_sezioni_controllate)


def controlli_piano() -> list[ControlloPiano]:
    return list(_controlli)


def esegui_controlli(piano: Piano) -> list[EsitoControllo]:
    """Every registered check on ``piano``: the list the submission page shows and enforces."""
    return [esito for controllo in _controlli for esito in controllo(piano)]


# (origine, destinazione, user) → messages for the user: copies a phase's data into an annual update
Precompilazione = Callable[[Piano, Piano, User | None], list[str]]
_precompilazioni: list[Precompilazione] = []


def registra_precompilazione(funzione: Precompilazione) -> Precompilazione:
    if funzione not in _precompilazioni:
        _precompilazioni.append(funzione)
    return funzione


def precompilazioni() -> list[Precompilazione]:
    return list(_precompilazioni)


# (ciclo, origine or None) → messages for the officer: what a phase prepares for a new cycle (its
# configuration copied from ``origine``, a standard catalogue); runs inside the opening transaction,
# so a failure leaves no cycle behind
AperturaCiclo = Callable[[Ciclo, Ciclo | None], list[str]]
_aperture_ciclo: list[AperturaCiclo] = []


def registra_apertura_ciclo(funzione: AperturaCiclo) -> AperturaCiclo:
    if funzione not in _aperture_ciclo:
        _aperture_ciclo.append(funzione)
    return funzione


def apertura_ciclo(ciclo: Ciclo, origine: Ciclo | None) -> list[str]:
    return [messaggio for funzione in _aperture_ciclo for messaggio in funzione(ciclo, origine)]


# plans → {plan pk: {"budget": Decimal, "allocato": …}}: a phase's money totals for many plans at
# once, in a fixed number of queries however many plans (the regional overview's columns)
TotaliPiani = Callable[[list[Piano]], dict[int, dict[str, Decimal]]]
_totali: list[TotaliPiani] = []


def registra_totali(funzione: TotaliPiani) -> TotaliPiani:
    if funzione not in _totali:
        _totali.append(funzione)
    return funzione


def totali_dei_piani(piani: list[Piano]) -> dict[int, dict[str, Decimal]]:
    """Every registered phase's totals, merged per plan (amounts under the same name are added)."""
    totali: dict[int, dict[str, Decimal]] = {piano.pk: {} for piano in piani}
    if not piani:
        return totali
    for funzione in _totali:
        for piano_id, importi in funzione(piani).items():
            riga = totali.setdefault(piano_id, {})
            for nome, importo in importi.items():
                riga[nome] = riga.get(nome, Decimal("0")) + importo
    return totali


# Templates a phase app adds to the plan's pages (e.g. the PDF button): included with ``piano``
# in context, and ``numero`` on the versions page for a frozen version.
_parziali_piano: list[str] = []


def registra_parziale_piano(template: str) -> None:
    if template not in _parziali_piano:
        _parziali_piano.append(template)


def parziali_piano() -> list[str]:
    return list(_parziali_piano)


# (transition) → None: what a phase app does once a plan's move is committed (e.g. queue the
# indicators' recalculation after an approval); it runs after commit and must not raise
DopoTransizione = Callable[[Transizione], None]
_dopo_transizione: list[DopoTransizione] = []


def registra_dopo_transizione(funzione: DopoTransizione) -> DopoTransizione:
    if funzione not in _dopo_transizione:
        _dopo_transizione.append(funzione)
    return funzione


def dopo_transizione(transizione: Transizione) -> None:
    for funzione in _dopo_transizione:
        funzione(transizione)


@dataclass(frozen=True)
class SezionePdf:
    """A part a phase app prints at the end of the plan's PDF, listed in its index."""

    titolo: str
    ancora: str  # the id of the part's first heading, for the index's link and page number
    html: str  # rendered by the app from its own template (a SafeString)


# (piano, versione or None for the draft) → the part to print, or None when there is nothing
SezionePdfPiano = Callable[[Piano, Versione | None], SezionePdf | None]
_sezioni_pdf: list[SezionePdfPiano] = []


def registra_sezione_pdf(funzione: SezionePdfPiano) -> SezionePdfPiano:
    if funzione not in _sezioni_pdf:
        _sezioni_pdf.append(funzione)
    return funzione


def sezioni_pdf(piano: Piano, versione: Versione | None) -> list[SezionePdf]:
    return [s for funzione in _sezioni_pdf if (s := funzione(piano, versione)) is not None]


@dataclass(frozen=True)
class RisorsaApi:
    """A phase app's read-only endpoint, mounted under /api/v1/<prefisso>/ by the core's router."""

    prefisso: str
    viewset: type
    basename: str


_risorse_api: list[RisorsaApi] = []


def registra_api(prefisso: str, viewset: type, basename: str) -> None:
    risorsa = RisorsaApi(prefisso, viewset, basename)
    if all(r.prefisso != prefisso for r in _risorse_api):
        _risorse_api.append(risorsa)


def risorse_api() -> list[RisorsaApi]:
    return list(_risorse_api)


@dataclass(frozen=True)
class DatasetAperto:
    """A dataset a phase app publishes for a cycle: rows of its approved plans, aggregated.

    ``funzione(ciclo)`` returns the rows (dicts keyed by ``colonne``' names), never personal data;
    ``modificato(ciclo)`` the last time its data changed, when the app knows better than the
    cycle's last approval.
    """

    codice: str
    titolo: str
    descrizione: str
    funzione: Callable
    colonne: tuple[tuple[str, str], ...]  # (name, description), in order
    ordine: int = 50
    modificato: Callable | None = None


_dataset_aperti: list[DatasetAperto] = []


def registra_dataset_aperto(
    codice: str,
    titolo: str,
    descrizione: str,
    funzione: Callable,
    *,
    colonne: tuple[tuple[str, str], ...],
    ordine: int = 50,
    modificato: Callable | None = None,
) -> None:
    if all(d.codice != codice for d in _dataset_aperti):
        _dataset_aperti.append(
            DatasetAperto(codice, titolo, descrizione, funzione, colonne, ordine, modificato)
        )
        _dataset_aperti.sort(key=lambda d: (d.ordine, d.codice))


def dataset_aperti() -> list[DatasetAperto]:
    return list(_dataset_aperti)
