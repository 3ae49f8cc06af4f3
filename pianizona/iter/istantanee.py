"""A plan's whole content as plain tables: what a version freezes, a comparison and the history diff.

The core never imports a phase app: each one registers a function returning its tables (budget,
co-financing, sheets, allocations, narrative…). Values are JSON-safe strings and integers, money as
``"1234.56"``, so a frozen version reads back exactly. Rows are matched across versions by their key
columns, which hold natural keys (a fund's code, a year, a sheet's lineage), never a row's pk.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pianizona.models import Piano

SCHEMA = 1


class Tipo(StrEnum):
    TESTO = "testo"
    TESTO_LUNGO = "testo_lungo"  # narrative and descriptions: shown in full, compared as a whole
    EURO = "euro"  # "1234.56"
    NUMERO = "numero"  # integers and decimals that are not money (beneficiaries, FTE)


@dataclass(frozen=True)
class Colonna:
    nome: str
    titolo: str
    tipo: Tipo = Tipo.TESTO
    chiave: bool = False  # part of the row's identity across versions
    etichetta: bool = False  # names the row (with the key columns) but is not compared
    interna: bool = False  # a key column users never see, e.g. a sheet's lineage
    per_anno: bool = False  # one value per year, «2025: 10; 2026: 12»: compared year by year


@dataclass
class Tabella:
    chiave: str  # stable, e.g. "budget", "allocazioni"
    titolo: str
    gruppo: str  # the section of the plan it belongs to, e.g. "Risorse"
    colonne: list[Colonna]
    righe: list[dict[str, Any]] = field(default_factory=list)
    derivata: bool = False  # totals computed from other tables: frozen and compared, not audited
    ordine: int = 0

    @property
    def colonne_chiave(self) -> list[Colonna]:
        return [c for c in self.colonne if c.chiave]

    @property
    def colonne_valore(self) -> list[Colonna]:
        return [c for c in self.colonne if not c.chiave and not c.etichetta]

    @property
    def colonne_euro(self) -> list[Colonna]:
        return [c for c in self.colonne_valore if c.tipo == Tipo.EURO]

    def chiave_riga(self, riga: dict) -> tuple:
        return tuple(str(riga.get(c.nome, "")) for c in self.colonne_chiave)

    def etichetta_riga(self, riga: dict) -> str:
        nomi = [c for c in self.colonne if c.etichetta] + [
            c for c in self.colonne_chiave if not c.interna
        ]
        return " · ".join(str(riga[c.nome]) for c in nomi if riga.get(c.nome) not in (None, ""))

    def per_chiave(self) -> dict[tuple, dict]:
        return {self.chiave_riga(r): r for r in self.righe}

    def totali(self) -> dict[str, Decimal]:
        return {
            c.nome: sum((euro(r.get(c.nome)) for r in self.righe), Decimal("0"))
            for c in self.colonne_euro
        }

    def as_dict(self) -> dict:
        return {
            "chiave": self.chiave,
            "titolo": self.titolo,
            "gruppo": self.gruppo,
            "derivata": self.derivata,
            "ordine": self.ordine,
            "colonne": [
                {
                    "nome": c.nome,
                    "titolo": c.titolo,
                    "tipo": str(c.tipo),
                    "chiave": c.chiave,
                    "etichetta": c.etichetta,
                    "interna": c.interna,
                    # only when set: a version frozen before reads back to the same fingerprint
                    **({"per_anno": True} if c.per_anno else {}),
                }
                for c in self.colonne
            ],
            "righe": self.righe,
        }

    @classmethod
    def from_dict(cls, dati: dict) -> "Tabella":
        return cls(
            chiave=dati["chiave"],
            titolo=dati["titolo"],
            gruppo=dati["gruppo"],
            derivata=dati.get("derivata", False),
            ordine=dati.get("ordine", 0),
            colonne=[
                Colonna(
                    nome=c["nome"],
                    titolo=c["titolo"],
                    tipo=Tipo(c["tipo"]),
                    chiave=c.get("chiave", False),
                    etichetta=c.get("etichetta", False),
                    interna=c.get("interna", False),
                    per_anno=c.get("per_anno", False),
                )
                for c in dati["colonne"]
            ],
            righe=dati["righe"],
        )


def periodo(anni: list[int]) -> str:
    """A snapshot's years as people write them: ``2026``, ``2025–2027``."""
    if not anni:
        return ""
    return str(anni[0]) if len(anni) == 1 else f"{anni[0]}–{anni[-1]}"


def euro(valore) -> Decimal:
    """A money cell of a snapshot as Decimal (empty cells count as zero)."""
    if valore in (None, ""):
        return Decimal("0")
    try:
        return Decimal(str(valore))
    except InvalidOperation:
        return Decimal("0")


def importo(valore: Decimal | None) -> str:
    """A Decimal as a snapshot's money cell."""
    return f"{(valore or Decimal('0')).quantize(Decimal('0.01'))}"


@dataclass
class Istantanea:
    """The plan's content at a moment: the frozen version's body, or the live draft."""

    piano: dict[str, Any]
    tabelle: list[Tabella]

    def tabella(self, chiave: str) -> Tabella | None:
        return next((t for t in self.tabelle if t.chiave == chiave), None)

    def as_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "piano": self.piano,
            "tabelle": [t.as_dict() for t in self.tabelle],
        }

    @classmethod
    def from_dict(cls, dati: dict) -> "Istantanea":
        return cls(piano=dati["piano"], tabelle=[Tabella.from_dict(t) for t in dati["tabelle"]])

    def impronta(self) -> str:
        return impronta(self.as_dict())


def impronta(contenuto: dict) -> str:
    """SHA-256 of the canonical JSON: shown with each version to prove it was not altered."""
    testo = json.dumps(contenuto, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(testo.encode()).hexdigest()


# piano → the phase's tables; ``derivate`` says whether they hold only derived totals
FornitoreTabelle = Callable[[Piano], list[Tabella]]
_fornitori: list[tuple[FornitoreTabelle, bool]] = []


def registra_tabelle(fornitore: FornitoreTabelle, *, derivate: bool = False) -> FornitoreTabelle:
    if not any(f is fornitore for f, _ in _fornitori):
        _fornitori.append((fornitore, derivate))
    return fornitore


def istantanea_del_piano(piano: Piano, *, con_derivate: bool = True) -> Istantanea:
    """Every registered table of the plan now; without derived totals for the change history."""
    tabelle = [
        tabella
        for fornitore, derivate in _fornitori
        if con_derivate or not derivate
        for tabella in fornitore(piano)
    ]
    tabelle.sort(key=lambda t: t.ordine)
    return Istantanea(piano=intestazione(piano), tabelle=tabelle)


def intestazione(piano: Piano) -> dict[str, Any]:
    return {
        "id": piano.pk,
        "titolo": piano.titolo,
        "tipo": piano.tipo,
        "anno": piano.anno,
        "stato": piano.stato,
        "ambito": piano.ambito.nome,
        "ambito_codice": piano.ambito.codice,
        "ciclo": piano.ciclo.nome,
        "anni": piano.ciclo.anni if piano.anno is None else [piano.anno],
    }


# --- Differences ------------------------------------------------------------------------------


class Esito(StrEnum):
    AGGIUNTA = "aggiunta"
    RIMOSSA = "rimossa"
    MODIFICATA = "modificata"
    INVARIATA = "invariata"


@dataclass
class RigaDifferenza:
    chiave: tuple
    etichetta: str
    esito: Esito
    prima: dict | None
    dopo: dict | None
    campi: list[Colonna]  # the value columns that changed (all of them for added/removed rows)


@dataclass
class DifferenzaTabella:
    tabella: Tabella  # the newer table's description (the older one's if it disappeared)
    righe: list[RigaDifferenza]

    @property
    def cambiate(self) -> list[RigaDifferenza]:
        return [r for r in self.righe if r.esito != Esito.INVARIATA]


def _uguali(colonna: Colonna, a, b) -> bool:
    if colonna.tipo == Tipo.EURO:
        return euro(a) == euro(b)
    return (a if a is not None else "") == (b if b is not None else "")


def _valorizzate(tabella: Tabella, riga: dict) -> list[Colonna]:
    """The fields worth showing for a row that appeared or vanished (all, if every one is empty)."""
    piene = [c for c in tabella.colonne_valore if riga.get(c.nome) not in (None, "", "0.00")]
    return piene or tabella.colonne_valore


def differenza_tabella(prima: Tabella | None, dopo: Tabella | None) -> DifferenzaTabella:
    """Row by row, matched on the key columns: added, removed, changed (with which fields)."""
    descrizione = dopo or prima
    assert descrizione is not None
    vecchie = prima.per_chiave() if prima else {}
    nuove = dopo.per_chiave() if dopo else {}
    righe = []
    for chiave in list(vecchie) + [k for k in nuove if k not in vecchie]:
        a, b = vecchie.get(chiave), nuove.get(chiave)
        if a is None:
            righe.append(
                RigaDifferenza(
                    chiave,
                    descrizione.etichetta_riga(b),
                    Esito.AGGIUNTA,
                    None,
                    b,
                    _valorizzate(descrizione, b),
                )
            )
        elif b is None:
            righe.append(
                RigaDifferenza(
                    chiave,
                    descrizione.etichetta_riga(a),
                    Esito.RIMOSSA,
                    a,
                    None,
                    _valorizzate(descrizione, a),
                )
            )
        else:
            campi = [
                c
                for c in descrizione.colonne_valore
                if not _uguali(c, a.get(c.nome), b.get(c.nome))
            ]
            esito = Esito.MODIFICATA if campi else Esito.INVARIATA
            righe.append(RigaDifferenza(chiave, descrizione.etichetta_riga(b), esito, a, b, campi))
    return DifferenzaTabella(descrizione, righe)


def differenze(prima: Istantanea, dopo: Istantanea) -> list[DifferenzaTabella]:
    """Table by table, in the newer snapshot's order; tables only one side has are compared too."""
    vecchie = {t.chiave: t for t in prima.tabelle}
    nuove = {t.chiave: t for t in dopo.tabelle}
    ordine = [t.chiave for t in dopo.tabelle] + [k for k in vecchie if k not in nuove]
    return [differenza_tabella(vecchie.get(k), nuove.get(k)) for k in ordine]
