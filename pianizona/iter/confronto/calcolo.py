"""Plans side by side: any versions, or current contents, of the plans of one ambito.

A *term* (``Termine``) is a frozen Versione or a plan's current content, as an Istantanea.
``confronta`` takes N terms, oldest first, and compares budget and allocated amounts per fund ×
year, co-financing per municipality × year, allocated amounts per section, each sheet matched on
its lineage (added, removed, which fields and amounts changed) and each narrative chapter. It
reads snapshots only; the selectors at the bottom find the terms a user may compare, in a fixed
number of queries whatever the plans hold.

Sheets and sections are compared on each term's *period*: all its years, or with ``anno`` the
amounts of that year for the terms that cover it (a triennial plan's share of the year), while
an annual plan of another year keeps its own year (last year's plan against this year's).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from pianizona.money import CENT, MENO, format_differenza, format_percentuale

from ..istantanee import Colonna, Esito, Istantanea, Tipo, euro, periodo

ZERO = Decimal("0")
CENTO = Decimal("100")

_ESITI = {  # feminine (a sheet, a row), masculine (a chapter), feminine plural
    Esito.AGGIUNTA: ("Aggiunta", "Aggiunto", "aggiunte"),
    Esito.RIMOSSA: ("Rimossa", "Rimosso", "rimosse"),
    Esito.MODIFICATA: ("Modificata", "Modificato", "modificate"),
    Esito.INVARIATA: ("Invariata", "Invariato", "invariate"),
}


SPIEGAZIONI = {
    Esito.AGGIUNTA: "assente (o a zero) nella prima versione, presente nell'ultima",
    Esito.RIMOSSA: "assente (o a zero) nell'ultima versione, presente in una precedente",
    Esito.MODIFICATA: "presente nella prima e nell'ultima versione, con valori cambiati",
    Esito.INVARIATA: "uguale in tutte le versioni",
}


def testo_esito(esito: Esito, *, maschile: bool = False) -> str:
    return _ESITI[esito][1 if maschile else 0]


# --- What the comparison is made of -----------------------------------------------------------


@dataclass(frozen=True)
class Variazione:
    """From ``base`` to ``valore``: the difference in euro and in percent of the base."""

    base: Decimal
    valore: Decimal

    @property
    def differenza(self) -> Decimal:
        return self.valore - self.base

    @property
    def percentuale(self) -> Decimal | None:
        """None when the base is zero: a new amount has no percentage."""
        if self.base == 0:
            return None
        return (self.differenza * CENTO / self.base).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def nulla(self) -> bool:
        return self.differenza == 0

    @property
    def testo_differenza(self) -> str:
        """``+1.234,56 €``, ``−1.234,56 €`` or ``0,00 €``."""
        return format_differenza(self.differenza)

    @property
    def testo_percentuale(self) -> str:
        """``+25,00%``, ``−10,00%``; ``nuovo`` from a zero base, ``—`` when nothing changed."""
        percentuale = self.percentuale
        if percentuale is None:
            return "nuovo" if self.differenza > 0 else "—"
        if percentuale > 0:
            return "+" + format_percentuale(percentuale)
        if percentuale < 0:
            return MENO + format_percentuale(-percentuale)
        return format_percentuale(percentuale)

    @property
    def verso(self) -> str:
        if self.differenza > 0:
            return "aumento"
        return "diminuzione" if self.differenza < 0 else "nessuna variazione"


@dataclass
class Termine:
    """One side of the comparison: a version, or a plan's current content."""

    codice: str  # how the term is written in a URL, e.g. "12-v3" or "12-corrente"
    titolo: str  # the plan, e.g. "Piano attuativo 2026"
    istantanea: Istantanea
    descrizione: str = ""  # which state of it, e.g. "versione 2 del 3 marzo 2026, approvata"
    breve: str = ""  # for column headers, e.g. "Attuativo 2026 · v2"
    piano_id: int | None = None
    numero: int | None = None  # None: the plan's current content
    approvata: bool = False

    @property
    def anni(self) -> list[int]:
        return [int(a) for a in self.istantanea.piano.get("anni") or []]

    @property
    def periodo(self) -> str:
        return periodo(self.anni)

    @property
    def etichetta(self) -> str:
        return f"{self.titolo} – {self.descrizione}" if self.descrizione else self.titolo

    @property
    def intestazione(self) -> str:
        return self.breve or self.etichetta


@dataclass(frozen=True)
class Cella:
    """One row's amount in one term, with how it moved from the terms before."""

    importo: Decimal = ZERO
    coperto: bool = True  # False: the term's plan does not cover the row's year
    presente: bool = True  # False: the row (a sheet) is not in the term; its amount counts as 0
    su_precedente: Variazione | None = None  # against the previous term covering the row
    sul_primo: Variazione | None = None  # against the first term covering the row
    primo_distinto: bool = False  # the first term is not also the previous one


@dataclass
class RigaImporti:
    chiave: tuple
    voci: tuple[str, ...]  # what the row is, one string per label column
    celle: list[Cella]
    esito: Esito

    @property
    def cambiata(self) -> bool:
        return self.esito != Esito.INVARIATA

    @property
    def testo_esito(self) -> str:
        return testo_esito(self.esito)


@dataclass
class TabellaImporti:
    titolo: str
    intestazione: tuple[str, ...]  # the label columns' titles, e.g. ("Fondo", "Anno")
    righe: list[RigaImporti]
    totale: RigaImporti

    @property
    def cambiate(self) -> list[RigaImporti]:
        return [r for r in self.righe if r.cambiata]

    @property
    def numero_colonne(self) -> int:
        return len(self.intestazione) + 1 + len(self.totale.celle)


@dataclass
class CampoCambiato:
    colonna: Colonna
    valori: list[tuple[str, str | None]]  # (term's header, value); None where the sheet is absent

    @property
    def lungo(self) -> bool:
        return self.colonna.tipo == Tipo.TESTO_LUNGO


@dataclass
class RigaScheda:
    linea: str
    codice: str
    titolo: str
    sezione: str
    celle: list[Cella]  # the amount allocated to the sheet in each term's period
    esiti: list[Esito | None]  # against the previous term; None for the first, or absent in both
    esito: Esito
    campi: list[CampoCambiato] = field(default_factory=list)
    importi_cambiati: bool = False  # its amounts per fund differ (beyond the total)

    @property
    def cambiata(self) -> bool:
        return self.esito != Esito.INVARIATA

    @property
    def testo_esito(self) -> str:
        return testo_esito(self.esito)

    @property
    def cosa_cambia(self) -> list[str]:
        nomi = [c.colonna.titolo for c in self.campi]
        return nomi + (["Importi per fondo"] if self.importi_cambiati else [])


@dataclass
class RigaCapitolo:
    capitolo: str
    titolo: str
    presenze: list[bool]
    lunghezze: list[int]  # characters of the text in each term
    esiti: list[Esito | None]
    esito: Esito

    @property
    def cambiata(self) -> bool:
        return self.esito != Esito.INVARIATA

    @property
    def testo_esito(self) -> str:
        return testo_esito(self.esito, maschile=True)

    @property
    def celle(self) -> list[tuple[bool, int, str]]:
        """Per term: whether the chapter is written, its length, its outcome on the previous."""
        return [
            (presente, lunghezza, testo_esito(esito, maschile=True) if esito else "")
            for presente, lunghezza, esito in zip(
                self.presenze, self.lunghezze, self.esiti, strict=True
            )
        ]


@dataclass
class Confronto:
    termini: list[Termine]
    anno: int | None
    fondi: list[TabellaImporti]  # budget, allocated, co-financing: per fund (comune) × year
    sezioni: TabellaImporti
    schede: list[RigaScheda]
    capitoli: list[RigaCapitolo]

    @property
    def schede_cambiate(self) -> list[RigaScheda]:
        return [s for s in self.schede if s.cambiata]

    @property
    def capitoli_cambiati(self) -> list[RigaCapitolo]:
        return [c for c in self.capitoli if c.cambiata]

    @property
    def periodi_diversi(self) -> bool:
        return len({tuple(t.anni) for t in self.termini}) > 1

    @property
    def conteggio_schede(self) -> list[tuple[str, str, int]]:
        """(esito, words, count) for every outcome, in a fixed order: ``1 aggiunta, 3 modificate``."""
        conteggio = defaultdict(int)
        for riga in self.schede:
            conteggio[riga.esito] += 1
        return [
            (str(e), testo_esito(e).lower() if conteggio[e] == 1 else _ESITI[e][2], conteggio[e])
            for e in _ESITI
        ]

    @property
    def sintesi(self) -> list[tuple[str, str, str]]:
        """The comparison's key figures above its (long) tables: (label, value, note)."""
        cambiate = ", ".join(
            f"{numero} {testo}"
            for esito, testo, numero in self.conteggio_schede
            if numero and esito != Esito.INVARIATA
        )
        return [
            ("Versioni confrontate", str(len(self.termini)), ""),
            (
                "Schede che cambiano",
                f"{len(self.schede_cambiate)} su {len(self.schede)}",
                cambiate,
            ),
            (
                "Capitoli che cambiano",
                f"{len(self.capitoli_cambiati)} su {len(self.capitoli)}",
                "parte narrativa",
            ),
        ]

    @property
    def indice(self) -> list[tuple[str, str, list]]:
        """The page's sections (their ids are set in confronto/_risultato.html)."""
        return [
            ("titolo-versioni", "Versioni confrontate", []),
            ("titolo-fondi", "Fondi e anni", []),
            ("titolo-sezioni", "Sezioni", []),
            ("titolo-schede", "Schede intervento", []),
            ("titolo-narrativa", "Parte narrativa", []),
        ]

    @property
    def note(self) -> list[str]:
        """How to read the figures, for the page and the spreadsheet."""
        note = [
            "Differenza sul precedente: rispetto alla versione più vicina a sinistra che copre lo "
            "stesso anno; sul primo: rispetto alla prima. «nuovo»: l'importo di partenza era zero.",
            "«Fuori periodo»: il piano di quella versione non copre l'anno della riga.",
        ]
        if self.anno is not None:
            note.append(
                f"Schede, sezioni e totali: importi e beneficiari del {self.anno} per i piani "
                "che lo comprendono; un piano attuativo di un altro anno conta il proprio anno."
            )
        elif self.periodi_diversi:
            note.append(
                "Schede e sezioni: ogni versione conta tutti gli anni del proprio piano, "
                "e qui i piani coprono periodi diversi."
            )
        return note


# --- Building it from snapshots ---------------------------------------------------------------


def _righe(istantanea: Istantanea, chiave: str) -> list[dict[str, Any]]:
    tabella = istantanea.tabella(chiave)
    return tabella.righe if tabella else []


def _anno(valore) -> int | None:
    try:
        return int(valore)
    except (TypeError, ValueError):
        return None


def _celle(
    importi: Sequence[Decimal | None], presenti: Sequence[bool] | None = None
) -> list[Cella]:
    """One row's cells: None marks a term not covering the row, which the variations skip."""
    celle = []
    primo: tuple[int, Decimal] | None = None
    precedente: tuple[int, Decimal] | None = None
    for i, importo in enumerate(importi):
        if importo is None:
            celle.append(Cella(coperto=False))
            continue
        celle.append(
            Cella(
                importo=importo,
                presente=presenti[i] if presenti is not None else True,
                su_precedente=Variazione(precedente[1], importo) if precedente else None,
                sul_primo=Variazione(primo[1], importo) if primo else None,
                primo_distinto=bool(primo and precedente and primo[0] != precedente[0]),
            )
        )
        primo = primo or (i, importo)
        precedente = (i, importo)
    return celle


def _esito_importi(valori: list[Decimal]) -> Esito:
    """A row's outcome across the terms covering it: zero counts as absent."""
    return _esito([v != 0 for v in valori], variata=len(set(valori)) > 1)


def _tabella_importi(
    titolo: str,
    intestazione: tuple[str, ...],
    chiavi: Iterable[tuple],
    voci: Callable[[tuple], tuple[str, ...]],
    importi: list[dict[tuple, Decimal]],
    copre: Callable[[int, tuple], bool] = lambda i, chiave: True,
    nel_totale: Callable[[int, tuple], bool] | None = None,
) -> TabellaImporti:
    """``nel_totale``: which covered rows a term's total counts (all of them by default)."""
    nel_totale = nel_totale or copre
    chiavi = list(chiavi)
    righe = []
    # a term covering none of the rows has no total ("fuori periodo"); an empty table totals zero
    totali: list[Decimal | None] = [None if chiavi else ZERO] * len(importi)
    for chiave in chiavi:
        valori = [
            importi[i].get(chiave, ZERO) if copre(i, chiave) else None for i in range(len(importi))
        ]
        for i, valore in enumerate(valori):
            if valore is not None and nel_totale(i, chiave):
                totali[i] = (totali[i] or ZERO) + valore
        coperti = [v for v in valori if v is not None]
        righe.append(RigaImporti(chiave, voci(chiave), _celle(valori), _esito_importi(coperti)))
    totale = RigaImporti(
        ("totale",),
        ("Totale",) + ("",) * (len(intestazione) - 1),
        _celle(totali),
        _esito_importi([t for t in totali if t is not None]),
    )
    return TabellaImporti(titolo, intestazione, righe, totale)


def _somme(righe: Iterable[dict], chiave: Callable[[dict], tuple | None]) -> dict[tuple, Decimal]:
    somme: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for riga in righe:
        k = chiave(riga)
        if k is not None:
            somme[k] += euro(riga.get("importo"))
    return dict(somme)


def _fondi(termini: Sequence[Termine], anno: int | None = None) -> list[TabellaImporti]:
    nomi: dict[str, str] = {}
    ordine: list[str] = []
    for termine in reversed(termini):  # the newest term's order of funds first
        for riga in _righe(termine.istantanea, "budget") + _righe(
            termine.istantanea, "allocazioni"
        ):
            codice = str(riga.get("fonte", ""))
            if codice not in ordine:
                ordine.append(codice)
            if riga.get("nome") and codice not in nomi:
                nomi[codice] = str(riga["nome"])

    def fonte_anno(riga: dict) -> tuple | None:
        anno = _anno(riga.get("anno"))
        return None if anno is None else (str(riga.get("fonte", "")), anno)

    def comune_anno(riga: dict) -> tuple | None:
        anno = _anno(riga.get("anno"))
        return None if anno is None else (str(riga.get("comune", "")), anno)

    budget = [_somme(_righe(t.istantanea, "budget"), fonte_anno) for t in termini]
    allocato = [_somme(_righe(t.istantanea, "allocazioni"), fonte_anno) for t in termini]
    cofinanziamento = [
        _somme(_righe(t.istantanea, "cofinanziamento"), comune_anno) for t in termini
    ]
    anni = [set(t.anni) for t in termini]

    def copre(i: int, chiave: tuple) -> bool:
        return not anni[i] or chiave[1] in anni[i]

    def nel_totale(i: int, chiave: tuple) -> bool:
        """Narrowed to a year, totals count it as sheets do: a triennial plan's share of the
        year, an annual plan of another year its own (never three years against one)."""
        return anno is None or anno not in anni[i] or chiave[1] == anno

    def per_fonte(chiavi: set[tuple]) -> list[tuple]:
        return sorted(chiavi, key=lambda k: (ordine.index(k[0]), k[1]))

    def voce_fonte(chiave: tuple) -> tuple[str, ...]:
        nome = nomi.get(chiave[0])
        return (f"{chiave[0]} – {nome}" if nome else chiave[0], str(chiave[1]))

    def tutte(somme: list[dict]) -> set[tuple]:
        return {k for s in somme for k in s}

    return [
        _tabella_importi(
            "Budget per fondo e anno",
            ("Fondo", "Anno"),
            per_fonte(tutte(budget)),
            voce_fonte,
            budget,
            copre,
            nel_totale,
        ),
        _tabella_importi(
            "Allocato alle schede per fondo e anno",
            ("Fondo", "Anno"),
            per_fonte(tutte(allocato)),
            voce_fonte,
            allocato,
            copre,
            nel_totale,
        ),
        _tabella_importi(
            "Cofinanziamento comunale per comune e anno",
            ("Comune", "Anno"),
            sorted(tutte(cofinanziamento)),
            lambda k: (k[0], str(k[1])),
            cofinanziamento,
            copre,
            nel_totale,
        ),
    ]


def _nel_periodo(termine: Termine, anno: int | None) -> Callable[[dict], bool]:
    """Which allocation rows count for sheets and sections (see the module's docstring)."""
    anni = set(termine.anni)
    if anno is None or (anni and anno not in anni):
        return lambda riga: True
    return lambda riga: _anno(riga.get("anno")) == anno


def _valore_nel_periodo(valore, anni: set[int], anno: int | None) -> str:
    """A per-year value («2025: 10; 2026: 12») in the period, as ``_nel_periodo`` counts amounts:
    the year asked for, or the term's own year; narrowed, it reads without the year (``12``)."""
    testo = str(valore if valore is not None else "")
    if anno is None:
        return testo
    voci = [v.partition(":") for v in testo.split(";") if v.strip()]
    tieni = (lambda a: a == anno) if anno in anni else (lambda a: True)
    return "; ".join(n.strip() for a, _, n in voci if tieni(_anno(a.strip())))


def _allocazioni(termini: Sequence[Termine], anno: int | None) -> list[list[dict]]:
    return [
        [r for r in _righe(t.istantanea, "allocazioni") if _nel_periodo(t, anno)(r)]
        for t in termini
    ]


def _sezioni(termini: Sequence[Termine], allocazioni: list[list[dict]]) -> TabellaImporti:
    importi = [_somme(righe, lambda r: (str(r.get("sezione", "")),)) for righe in allocazioni]
    sezioni = {k for s in importi for k in s} | {
        (str(r.get("sezione", "")),) for t in termini for r in _righe(t.istantanea, "schede")
    }
    return _tabella_importi(
        "Allocato per sezione", ("Sezione",), sorted(sezioni), lambda k: k, importi
    )


def _uguali(colonna: Colonna, a, b) -> bool:
    if colonna.tipo == Tipo.EURO:
        return euro(a) == euro(b)
    return str(a if a is not None else "") == str(b if b is not None else "")


def _esiti(presenti: list[bool], cambiata: Callable[[int, int], bool]) -> list[Esito | None]:
    """Each term against the previous one: None for the first, and where both lack the row."""
    esiti: list[Esito | None] = [None]
    for i in range(1, len(presenti)):
        if presenti[i] and not presenti[i - 1]:
            esiti.append(Esito.AGGIUNTA)
        elif presenti[i - 1] and not presenti[i]:
            esiti.append(Esito.RIMOSSA)
        elif not presenti[i]:
            esiti.append(None)
        else:
            esiti.append(Esito.MODIFICATA if cambiata(i - 1, i) else Esito.INVARIATA)
    return esiti


def _esito(presenti: list[bool], *, variata: bool) -> Esito:
    """From the first term to the last: a row the last term lacks is removed, even if the first
    lacked it too (it came and went in between)."""
    if not presenti or not any(presenti) or not variata:
        return Esito.INVARIATA
    if not presenti[-1]:
        return Esito.RIMOSSA
    return Esito.AGGIUNTA if not presenti[0] else Esito.MODIFICATA


def _cambiata(esiti: list[Esito | None]) -> bool:
    return any(e not in (None, Esito.INVARIATA) for e in esiti)


def _schede(
    termini: Sequence[Termine], allocazioni: list[list[dict]], anno: int | None = None
) -> list[RigaScheda]:
    n = len(termini)
    schede = [{str(r.get("linea", "")): r for r in _righe(t.istantanea, "schede")} for t in termini]
    per_fonte: list[dict[str, dict[str, Decimal]]] = []  # sheet → fund → amount in the period
    etichette: list[dict[str, dict]] = []  # a sheet's label from its allocation rows
    for righe in allocazioni:
        somme: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        for r in righe:
            somme[str(r.get("linea", ""))][str(r.get("fonte", ""))] += euro(r.get("importo"))
        per_fonte.append({k: {f: v for f, v in d.items() if v} for k, d in somme.items()})
        etichette.append({str(r.get("linea", "")): r for r in righe})
    descrizioni = [t.istantanea.tabella("schede") for t in termini]
    descrizione = next((d for d in reversed(descrizioni) if d is not None), None)
    colonne = descrizione.colonne_valore if descrizione else []
    if anno is not None:  # per-year values narrowed to the period, as the amounts are
        per_anno = [c.nome for c in colonne if c.per_anno]
        for i, t in enumerate(termini):
            schede[i] = {
                linea: {
                    **riga,
                    **{n: _valore_nel_periodo(riga.get(n), set(t.anni), anno) for n in per_anno},
                }
                for linea, riga in schede[i].items()
            }

    linee: list[str] = []
    for i in reversed(range(n)):  # the newest plan's order, then the sheets it no longer has
        linee += [
            linea for linea in dict.fromkeys([*schede[i], *per_fonte[i]]) if linea not in linee
        ]

    risultato = []
    for linea in linee:
        presenti = [linea in schede[i] or linea in per_fonte[i] for i in range(n)]
        righe = [schede[i].get(linea) or etichette[i].get(linea) or {} for i in range(n)]
        importi = [per_fonte[i].get(linea, {}) for i in range(n)]
        ultima = next(righe[i] for i in reversed(range(n)) if presenti[i])

        def diversi(a: int, b: int, righe=righe) -> set[str]:
            return {
                c.nome
                for c in colonne
                if not _uguali(c, righe[a].get(c.nome), righe[b].get(c.nome))
            }

        esiti = _esiti(
            presenti, lambda a, b, importi=importi: bool(diversi(a, b)) or importi[a] != importi[b]
        )
        # what changed from one term holding the sheet to the next, across gaps too
        con_scheda = [i for i in range(n) if presenti[i]]
        coppie = list(pairwise(con_scheda))
        cambiati = {nome for a, b in coppie for nome in diversi(a, b)}
        risultato.append(
            RigaScheda(
                linea=linea,
                codice=str(ultima.get("codice", "")),
                titolo=str(ultima.get("titolo", "")),
                sezione=str(ultima.get("sezione", "")),
                celle=_celle([sum(d.values(), ZERO) for d in importi], presenti),
                esiti=esiti,
                esito=_esito(presenti, variata=_cambiata(esiti)),
                campi=[
                    CampoCambiato(
                        c,
                        [
                            (
                                t.intestazione,
                                str(righe[i].get(c.nome) or "") if presenti[i] else None,
                            )
                            for i, t in enumerate(termini)
                        ],
                    )
                    for c in colonne
                    if c.nome in cambiati
                ],
                importi_cambiati=any(importi[a] != importi[b] for a, b in coppie),
            )
        )
    return risultato


def _capitoli(termini: Sequence[Termine]) -> list[RigaCapitolo]:
    testi = [
        {str(r.get("capitolo", "")): r for r in _righe(t.istantanea, "narrativa")} for t in termini
    ]
    codici: list[str] = []
    for per_termine in reversed(testi):
        codici += [c for c in per_termine if c not in codici]
    righe = []
    for codice in codici:
        presenze = [codice in t for t in testi]
        contenuti = [str(t[codice].get("testo") or "") if codice in t else "" for t in testi]
        esiti = _esiti(presenze, lambda a, b, contenuti=contenuti: contenuti[a] != contenuti[b])
        titolo = next(t[codice].get("titolo") for t in reversed(testi) if codice in t)
        righe.append(
            RigaCapitolo(
                capitolo=codice,
                titolo=str(titolo or codice),
                presenze=presenze,
                lunghezze=[len(c) for c in contenuti],
                esiti=esiti,
                esito=_esito(presenze, variata=_cambiata(esiti)),
            )
        )
    return righe


def confronta(termini: Sequence[Termine], *, anno: int | None = None) -> Confronto:
    """Compare the terms in the order given (oldest first); ``anno`` narrows sheets and sections."""
    termini = list(termini)
    allocazioni = _allocazioni(termini, anno)
    return Confronto(
        termini=termini,
        anno=anno,
        fondi=_fondi(termini, anno),
        sezioni=_sezioni(termini, allocazioni),
        schede=_schede(termini, allocazioni, anno),
        capitoli=_capitoli(termini),
    )
