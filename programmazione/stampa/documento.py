"""What the PDF prints, computed once from one snapshot of the plan.

The budget page, the allocation summary and the sheets all read the snapshot's tables, so their
totals agree with each other and with the screens (which read the same rows) to the cent.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from pianizona.grafici import Serie, barre_impilate
from pianizona.iter.istantanee import (
    Istantanea,
    Tabella,
    Tipo,
    euro,
    istantanea_del_piano,
    periodo,
)
from pianizona.models import Piano, Transizione, Versione
from pianizona.money import format_euro
from pianizona.territorio.denominazioni import denominazione_distretti, organo_approvazione
from pianizona.testo import markdown_sicuro

from ..models import Narrativa, Sezione

ZERO = Decimal("0")
# Chart legends are short: the full section names are in the tables beside them.
SEZIONI_BREVI = {
    Sezione.AMBITO.label: "Servizi d'ambito",
    Sezione.COMUNALE.label: "Servizi comunali",
    Sezione.ALTRE_RISORSE.label: "Altre risorse",
}


@dataclass
class Riga:
    codice: str
    nome: str
    importi: list[Decimal]  # one per year

    @property
    def totale(self) -> Decimal:
        return sum(self.importi, ZERO)


@dataclass
class Prospetto:
    """Amounts by row (a fund, a municipality) and year, with totals: one printed table."""

    anni: list[int]
    righe: list[Riga] = field(default_factory=list)

    @property
    def totali_anno(self) -> list[Decimal]:
        return [sum((r.importi[i] for r in self.righe), ZERO) for i in range(len(self.anni))]

    @property
    def totale(self) -> Decimal:
        return sum((r.totale for r in self.righe), ZERO)

    def riga(self, codice: str) -> Riga | None:
        return next((r for r in self.righe if r.codice == codice), None)


def prospetto(
    anni: list[int], righe: list[dict], codice: str, nome: Callable[[str], str] = str
) -> Prospetto:
    """Snapshot rows holding ``codice``, ``anno`` and ``importo`` as a table, in first-seen order."""
    per_riga: dict[str, Riga] = {}
    for riga in righe:
        chiave = str(riga.get(codice, ""))
        if chiave not in per_riga:
            per_riga[chiave] = Riga(chiave, nome(chiave), [ZERO] * len(anni))
        anno = riga.get("anno")
        if anno is not None and int(anno) in anni:
            per_riga[chiave].importi[anni.index(int(anno))] += euro(riga.get("importo"))
    return Prospetto(anni, list(per_riga.values()))


@dataclass
class Scheda:
    linea: str
    codice: str
    titolo: str
    dati: list[tuple[str, str]]  # short fields (label, text), printed as one run of text
    testi: list[SafeString]  # long fields: sanitised HTML, the label run into the first paragraph
    allocazioni: Prospetto

    @property
    def ancora(self) -> str:
        return f"scheda-{self.linea}"


@dataclass
class SezioneStampa:
    ancora: str
    titolo: str
    schede: list[Scheda]
    allocazioni: Prospetto  # its sheets summed per fund × year


@dataclass
class Capitolo:
    ancora: str
    titolo: str
    testo: SafeString  # sanitised HTML; empty when the chapter was not written


@dataclass
class RigaQuadro:
    fondo: str
    nome: str
    budget: Decimal
    allocato: Decimal

    @property
    def da_programmare(self) -> Decimal:
        return self.budget - self.allocato


@dataclass
class Documento:
    regione: str
    intestazione: dict  # the snapshot's header: titolo, tipo, anno, ambito, ciclo, anni…
    anni: list[int]
    versione: Versione | None  # None: the live draft
    data: str  # the version's date, or when the draft was printed
    stato: str
    capitoli: list[Capitolo]
    budget: Prospetto
    cofinanziamento: Prospetto
    altre_tabelle: list[Tabella]  # residui, other resources: printed as they are
    allocato: Prospetto
    quadro: list[RigaQuadro]
    sezioni: list[SezioneStampa]
    grafico_budget: SafeString
    grafico_sezioni: SafeString
    denominazione: str = "Ambito territoriale sociale"  # how the Region names its districts
    organo: str = "Coordinamento istituzionale"  # who approves the plan in the district

    @property
    def bozza(self) -> bool:
        return self.versione is None

    @property
    def piede(self) -> str:
        if self.versione is None:
            return "BOZZA – non ufficiale"
        return f"Versione {self.versione.numero} del {self.data}"

    @property
    def titolo(self) -> str:
        return f"{self.intestazione['titolo']} – {self.intestazione['ambito']}"

    @property
    def periodo(self) -> str:
        """The years the plan programmes (an annual plan: its own year, not the cycle's)."""
        return periodo(self.anni)

    @property
    def da_programmare(self) -> Decimal:
        return sum((r.da_programmare for r in self.quadro), ZERO)

    @property
    def numero_schede(self) -> int:
        return sum(len(s.schede) for s in self.sezioni)


def _data(momento) -> str:
    return date_format(timezone.localtime(momento), "j F Y")


def _html_utente(testo: str) -> SafeString:
    """Markdown as sanitised HTML on one line (line breaks between tags are dropped before layout)."""
    return mark_safe(markdown_sicuro(testo).replace("\n", " "))  # sanitised by nh3 (allow-list)


def _righe(istantanea: Istantanea, chiave: str) -> list[dict]:
    tabella = istantanea.tabella(chiave)
    return tabella.righe if tabella else []


def _campi_scheda(tabella: Tabella, riga: dict) -> tuple[list[tuple[str, str]], list[SafeString]]:
    """Few boxes per sheet: WeasyPrint's time grows with the number of boxes far more than with text."""
    dati, testi = [], []
    for colonna in tabella.colonne:
        valore = riga.get(colonna.nome)
        if (
            colonna.interna
            or colonna.nome in ("codice", "titolo", "sezione")
            or valore in (None, "")
        ):
            continue
        if colonna.tipo == Tipo.TESTO_LUNGO:
            html = _html_utente(str(valore))
            etichetta = format_html("<strong>{}:</strong> ", colonna.titolo)
            if html.startswith("<p>"):
                testi.append(mark_safe(f"<p>{etichetta}{html[3:]}"))  # both parts are safe
            else:
                testi.append(mark_safe(f"<p>{etichetta}</p>{html}"))
        elif colonna.tipo == Tipo.EURO:
            dati.append((colonna.titolo, format_euro(euro(valore))))
        else:
            dati.append((colonna.titolo, " ".join(str(valore).split())))
    return dati, testi


def _sezioni(istantanea: Istantanea, anni: list[int]) -> list[SezioneStampa]:
    """The three sections in their order, even when empty; each sheet with its fund × year table."""
    per_linea: dict[str, list[dict]] = defaultdict(list)
    for riga in _righe(istantanea, "allocazioni"):
        per_linea[str(riga["linea"])].append(riga)
    schede = istantanea.tabella("schede")
    per_sezione: dict[str, list[Scheda]] = {etichetta: [] for _, etichetta in Sezione.choices}
    for riga in schede.righe if schede else []:
        linea = str(riga["linea"])
        dati, testi = _campi_scheda(schede, riga)
        per_sezione.setdefault(riga.get("sezione") or "Senza sezione", []).append(
            Scheda(
                linea,
                str(riga.get("codice", "")),
                str(riga.get("titolo", "")),
                dati,
                testi,
                prospetto(anni, per_linea[linea], "fonte"),
            )
        )
    return [
        SezioneStampa(
            f"sezione-{i}",
            titolo,
            elenco,
            prospetto(anni, [r for s in elenco for r in per_linea[s.linea]], "fonte"),
        )
        for i, (titolo, elenco) in enumerate(per_sezione.items(), start=1)
    ]


def _capitoli(istantanea: Istantanea) -> list[Capitolo]:
    """Every chapter of the narrative in its order, those not written too (they say so)."""
    scritti = {str(r["capitolo"]): r for r in _righe(istantanea, "narrativa")}
    titoli = dict(Narrativa.Capitolo.choices)
    for codice, riga in scritti.items():
        titoli.setdefault(codice, riga.get("titolo") or codice)
    return [
        Capitolo(
            f"capitolo-{codice}",
            titolo,
            _html_utente(scritti[codice]["testo"]) if codice in scritti else mark_safe(""),
        )
        for codice, titolo in titoli.items()
    ]


def _quadro(budget: Prospetto, allocato: Prospetto) -> list[RigaQuadro]:
    """Budget, allocated and still to allocate per fund over the plan's years, as the live panel."""
    righe = []
    for riga in budget.righe:
        allocata = allocato.riga(riga.codice)
        righe.append(
            RigaQuadro(riga.codice, riga.nome, riga.totale, allocata.totale if allocata else ZERO)
        )
    righe += [
        RigaQuadro(r.codice, r.nome, ZERO, r.totale)
        for r in allocato.righe
        if budget.riga(r.codice) is None
    ]
    return righe


def _grafico(
    *, titolo: str, descrizione: str, anni: list[int], serie: list[Serie], id_grafico: str
):
    svg = barre_impilate(
        titolo=titolo,
        descrizione=descrizione,
        categorie=[str(a) for a in anni],
        serie=serie,
        id_grafico=id_grafico,
    )
    # SVG text does not inherit the page's font: without this it falls back to a system font.
    svg = svg.replace("<svg ", '<svg font-family="Titillium Web, sans-serif" ', 1)
    return mark_safe(svg)  # pianizona.grafici escapes every text it writes


def _stato(intestazione: dict, approvazione: Transizione | None) -> str:
    if approvazione is not None:
        return f"Approvato il {_data(approvazione.eseguita_il)}"
    stato = intestazione.get("stato", "")
    return Piano.Stato(stato).label if stato in Piano.Stato.values else str(stato)


def documento(piano: Piano, versione: Versione | None = None) -> Documento:
    """The printed plan: a frozen version's own content, or the live draft when ``versione`` is None."""
    approvazione = None
    if versione is not None:
        istantanea = Istantanea.from_dict(versione.contenuto)
        approvazione = (
            Transizione.objects.filter(versione=versione, azione=Transizione.Azione.APPROVAZIONE)
            .order_by("-eseguita_il", "-pk")
            .first()
        )
    else:
        istantanea = istantanea_del_piano(piano)
    intestazione = istantanea.piano
    anni = [int(a) for a in intestazione.get("anni", [])]

    righe_budget = _righe(istantanea, "budget")
    nomi = {str(r["fonte"]): r.get("nome") or str(r["fonte"]) for r in righe_budget}

    def nome_fondo(codice: str) -> str:
        return nomi.get(codice, codice)

    budget = prospetto(anni, righe_budget, "fonte", nome_fondo)
    allocato = prospetto(anni, _righe(istantanea, "allocazioni"), "fonte", nome_fondo)
    ordine = list(nomi)  # the budget's fund order (the reference list's)
    allocato.righe.sort(
        key=lambda r: (ordine.index(r.codice) if r.codice in ordine else len(ordine), r.codice)
    )
    sezioni = _sezioni(istantanea, anni)
    with translation.override("it"):
        return Documento(
            regione=piano.ambito.regione.nome,
            denominazione=denominazione_distretti(piano.ambito).forma().capitalize(),
            organo=organo_approvazione(piano.ambito).forma(),
            intestazione=intestazione,
            anni=anni,
            versione=versione,
            data=_data(versione.creata_il if versione is not None else timezone.now()),
            stato=_stato(intestazione, approvazione),
            capitoli=_capitoli(istantanea),
            budget=budget,
            cofinanziamento=prospetto(anni, _righe(istantanea, "cofinanziamento"), "comune"),
            altre_tabelle=[
                t
                for chiave in ("residui", "altre_risorse")
                if (t := istantanea.tabella(chiave)) is not None and t.righe
            ],
            allocato=allocato,
            quadro=_quadro(budget, allocato),
            sezioni=sezioni,
            grafico_budget=_grafico(
                titolo="Budget per fondo e anno",
                descrizione="Barre impilate: per ogni anno, il budget di ciascun fondo. "
                "Gli stessi dati sono nella tabella.",
                anni=anni,
                serie=[Serie(r.codice, r.importi) for r in budget.righe],
                id_grafico="grafico-budget",
            ),
            grafico_sezioni=_grafico(
                titolo="Importi allocati per sezione e anno",
                descrizione="Barre impilate: per ogni anno, quanto è allocato in ciascuna sezione "
                "delle schede. Gli stessi dati sono nella tabella.",
                anni=anni,
                serie=[
                    Serie(SEZIONI_BREVI.get(s.titolo, s.titolo), s.allocazioni.totali_anno)
                    for s in sezioni
                ],
                id_grafico="grafico-sezioni",
            ),
        )
