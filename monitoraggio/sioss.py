"""SIOSS-style export: the services an ambito offers in a year, their money by source, and spending.

One row per service × funding source (long format): a service is a catalogue entry run with one
management mode in the year's reference approved plan (its sheets with that entry and mode are
added up). Long format keeps the columns the same for every ambito and year, so a loader needs no
per-file mapping; a service's total across sources is repeated on each of its rows.

Committed and paid are declared per line (fund × service objective × FNPS area), not per service.
Each line's latest declaration is shared among the line's rows in proportion to their programmed
amounts (largest remainder to the cent, so the rows add up exactly to the declaration) and the
``attribuzione`` column says so; a line declared but never programmed gets a row of its own.
The XLSX adds the lines as declared in a second sheet.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import NamedTuple

from django.db.models import Count, F, Q, Sum
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pianizona.esportazioni import scrittore_csv, testo_inerte
from pianizona.models import Ambito, Ciclo

from .models import Dichiarazione, Rendicontazione
from .programmato import allocazioni_programmate, piani_di_riferimento, ultime_dichiarazioni

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

DIRETTA = "diretta"  # the line has only this row
PROPORZIONALE = "proporzionale"  # the line's declaration shared by programmed amount
NON_PROGRAMMATA = "linea_non_programmata"  # declared on a line with nothing programmed


class ColonnaSioss(NamedTuple):
    nome: str  # the CSV header, stable snake_case
    intestazione: str  # the XLSX header
    descrizione: str
    tipo: str = "testo"  # testo, euro, data, intero


COLONNE: list[ColonnaSioss] = [
    ColonnaSioss("ambito_codice", "Codice ambito", "Codice dell'ambito territoriale sociale."),
    ColonnaSioss(
        "capofila_istat", "Codice ISTAT capofila", "Codice ISTAT (6 cifre) del comune capofila."
    ),
    ColonnaSioss("anno", "Anno", "Anno delle risorse.", "intero"),
    ColonnaSioss(
        "piano_riferimento",
        "Piano di riferimento",
        "Piano approvato che programma l'anno: 'attuativo' (piano attuativo dell'anno) o "
        "'triennale'; vuoto per una linea dichiarata ma non programmata.",
    ),
    ColonnaSioss("macro_livello_codice", "Codice macro-livello", "Macro-livello FNPS (1–5)."),
    ColonnaSioss("macro_livello", "Macro-livello", "Nome del macro-livello FNPS."),
    ColonnaSioss(
        "obiettivo_servizio_codice", "Codice obiettivo di servizio", "Obiettivo di servizio FNPS."
    ),
    ColonnaSioss("obiettivo_servizio", "Obiettivo di servizio", "Nome dell'obiettivo di servizio."),
    ColonnaSioss("area_fnps_codice", "Codice area FNPS", "Area di intervento FNPS (1–3)."),
    ColonnaSioss("area_fnps", "Area FNPS", "Nome dell'area di intervento FNPS."),
    ColonnaSioss(
        "area_utenza_istat_codice",
        "Codice area di utenza ISTAT",
        "Area di utenza ISTAT della voce di catalogo.",
    ),
    ColonnaSioss("area_utenza_istat", "Area di utenza ISTAT", "Nome dell'area di utenza ISTAT."),
    ColonnaSioss("voce_codice", "Codice voce", "Codice della voce del catalogo regionale."),
    ColonnaSioss("voce", "Servizio", "Nome della voce del catalogo regionale."),
    ColonnaSioss(
        "prestazione_siuss_codice",
        "Codice prestazione SIUSS",
        "Codice della prestazione SIUSS/INPS (es. A1.01); vuoto se la voce non ne ha.",
    ),
    ColonnaSioss("leps", "LEPS", "1 se la voce è un livello essenziale (LEPS), altrimenti 0."),
    ColonnaSioss(
        "gestione",
        "Modalità di gestione",
        "diretta, appalto, accreditamento, convenzione o coprogettazione.",
    ),
    ColonnaSioss("schede", "Schede", "Numero di schede del piano sommate nella riga.", "intero"),
    ColonnaSioss("fonte_codice", "Codice fonte", "Codice della fonte di finanziamento."),
    ColonnaSioss("fonte", "Fonte di finanziamento", "Nome della fonte di finanziamento."),
    ColonnaSioss("programmato", "Programmato dalla fonte", "Euro programmati dalla fonte.", "euro"),
    ColonnaSioss(
        "programmato_servizio",
        "Programmato del servizio",
        "Euro programmati per il servizio da tutte le fonti (ripetuto su ogni sua riga: non "
        "sommare).",
        "euro",
    ),
    ColonnaSioss(
        "impegnato",
        "Impegnato",
        "Euro impegnati attribuiti alla riga (vedi attribuzione); vuoto se la linea non ha "
        "dichiarazioni.",
        "euro",
    ),
    ColonnaSioss("liquidato", "Liquidato", "Euro liquidati attribuiti alla riga.", "euro"),
    ColonnaSioss(
        "attribuzione",
        "Attribuzione della spesa",
        "Come impegnato e liquidato, dichiarati per linea (fonte × obiettivo × area), arrivano "
        "alla riga: 'diretta' (unica riga della linea), 'proporzionale' (ripartiti tra le righe "
        "della linea in proporzione al programmato), 'linea_non_programmata' (dichiarati su una "
        "linea senza programmato); vuoto se non dichiarati.",
    ),
    ColonnaSioss(
        "data_ultima_dichiarazione",
        "Data dell'ultima dichiarazione",
        "Data di riferimento dell'ultima dichiarazione della linea (AAAA-MM-GG).",
        "data",
    ),
    ColonnaSioss(
        "stato_rendicontazione",
        "Stato della rendicontazione",
        "bozza, inviata, restituita o accettata; vuoto se l'anno non ha rendicontazione.",
    ),
]


@dataclass
class RigaSioss:
    ambito_codice: str
    capofila_istat: str
    anno: int
    piano_riferimento: str
    macro_livello_codice: int | str
    macro_livello: str
    obiettivo_servizio_codice: str
    obiettivo_servizio: str
    area_fnps_codice: int
    area_fnps: str
    area_utenza_istat_codice: str
    area_utenza_istat: str
    voce_codice: str
    voce: str
    prestazione_siuss_codice: str
    leps: int | str
    gestione: str
    schede: int
    fonte_codice: str
    fonte: str
    programmato: Decimal
    programmato_servizio: Decimal | None
    impegnato: Decimal | None = None
    liquidato: Decimal | None = None
    attribuzione: str = ""
    data_ultima_dichiarazione: date | None = None
    stato_rendicontazione: str = ""

    def valori(self) -> list:
        return [getattr(self, c.name) for c in fields(self)]


def ripartisci(importo: Decimal, pesi: list[Decimal]) -> list[Decimal]:
    """``importo`` shared by ``pesi`` to the cent, the remainders to the largest fractions."""
    totale = sum(pesi, ZERO)
    if totale <= 0:
        pesi, totale = [Decimal(1)] * len(pesi), Decimal(len(pesi))
    centesimi = int(importo / CENT)
    quote = [Decimal(centesimi) * p / totale for p in pesi]
    interi = [int(q.to_integral_value(ROUND_FLOOR)) for q in quote]
    resto = centesimi - sum(interi)
    per_frazione = sorted(range(len(pesi)), key=lambda i: (-(quote[i] - interi[i]), i))
    for i in per_frazione[:resto]:
        interi[i] += 1
    return [Decimal(n) * CENT for n in interi]


def _servizi(ambito: Ambito, anno: int) -> list[dict]:
    voce = "scheda__voce"
    return list(
        allocazioni_programmate([ambito.pk], [anno])
        .values(
            "fonte_id",
            piano_tipo=F("scheda__piano__tipo"),
            voce_id=F(f"{voce}_id"),
            voce_codice=F(f"{voce}__codice"),
            voce_nome=F(f"{voce}__nome"),
            leps=F(f"{voce}__leps"),
            prestazione=F(f"{voce}__prestazione_siuss__codice"),
            obiettivo_id=F(f"{voce}__obiettivo_servizio_id"),
            obiettivo_codice=F(f"{voce}__obiettivo_servizio__codice"),
            obiettivo_nome=F(f"{voce}__obiettivo_servizio__nome"),
            macro_codice=F(f"{voce}__obiettivo_servizio__macro_livello__codice"),
            macro_nome=F(f"{voce}__obiettivo_servizio__macro_livello__nome"),
            area_id=F(f"{voce}__area_intervento_id"),
            area_codice=F(f"{voce}__area_intervento__codice"),
            area_nome=F(f"{voce}__area_intervento__nome"),
            utenza_codice=F(f"{voce}__area_utenza__codice"),
            utenza_nome=F(f"{voce}__area_utenza__nome"),
            gestione=F("scheda__gestione"),
            fonte_codice=F("fonte__codice"),
            fonte_nome=F("fonte__nome"),
            fonte_ordine=F("fonte__ordine"),
        )
        .annotate(totale=Sum("importo"), n_schede=Count("scheda_id", distinct=True))
        .order_by(
            "macro_codice",
            "obiettivo_codice",
            "area_codice",
            "voce_codice",
            "gestione",
            "fonte_ordine",
            "fonte_codice",
        )
    )


def dichiarazioni_dell_anno(ambito: Ambito, anno: int) -> list[Dichiarazione]:
    """Each line's latest declaration in the ambito's report of the year, with its codes."""
    return list(
        ultime_dichiarazioni(Q(rendicontazione__ambito=ambito, rendicontazione__anno=anno))
        .select_related(
            "rendicontazione", "fonte", "obiettivo_servizio__macro_livello", "area_intervento"
        )
        .order_by(
            "obiettivo_servizio__codice",
            "area_intervento__codice",
            "fonte__ordine",
            "fonte__codice",
        )
    )


def _riga_non_programmata(ambito: Ambito, anno: int, d: Dichiarazione) -> RigaSioss:
    obiettivo = d.obiettivo_servizio
    return RigaSioss(
        ambito.codice,
        ambito.comune_capofila.codice_istat if ambito.comune_capofila else "",
        anno,
        "",
        obiettivo.macro_livello.codice,
        obiettivo.macro_livello.nome,
        obiettivo.codice,
        obiettivo.nome,
        d.area_intervento.codice,
        d.area_intervento.nome,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        0,
        d.fonte.codice,
        d.fonte.nome,
        ZERO,
        None,
        d.impegnato,
        d.liquidato,
        NON_PROGRAMMATA,
        d.data,
        d.rendicontazione.stato,
    )


def _stato_rendicontazione(ambito: Ambito, anno: int, dichiarazioni: list[Dichiarazione]) -> str:
    """The state of the year's report, for every row: a line with no declaration has it too."""
    if dichiarazioni:
        return dichiarazioni[0].rendicontazione.stato  # one report per ambito and year
    stato = (
        Rendicontazione.objects.filter(ambito=ambito, anno=anno)
        .values_list("stato", flat=True)
        .first()
    )
    return stato or ""


def righe_sioss(
    ambito: Ambito, anno: int, dichiarazioni: list[Dichiarazione] | None = None
) -> list[RigaSioss]:
    """The export's rows for the ambito's year (four queries whatever the plan's size)."""
    if dichiarazioni is None:
        dichiarazioni = dichiarazioni_dell_anno(ambito, anno)
    stato = _stato_rendicontazione(ambito, anno, dichiarazioni)
    servizi = _servizi(ambito, anno)
    capofila = ambito.comune_capofila.codice_istat if ambito.comune_capofila else ""
    per_servizio: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for s in servizi:
        s["totale"] = Decimal(s["totale"]).quantize(CENT)  # SQLite's SUM drops the scale
        per_servizio[(s["voce_id"], s["gestione"])] += s["totale"]
    righe, per_linea = [], defaultdict(list)
    for s in servizi:
        riga = RigaSioss(
            ambito.codice,
            capofila,
            anno,
            s["piano_tipo"],
            s["macro_codice"],
            s["macro_nome"],
            s["obiettivo_codice"],
            s["obiettivo_nome"],
            s["area_codice"],
            s["area_nome"],
            s["utenza_codice"],
            s["utenza_nome"],
            s["voce_codice"],
            s["voce_nome"],
            s["prestazione"] or "",
            1 if s["leps"] else 0,
            s["gestione"],
            s["n_schede"],
            s["fonte_codice"],
            s["fonte_nome"],
            s["totale"],
            per_servizio[(s["voce_id"], s["gestione"])],
            stato_rendicontazione=stato,
        )
        righe.append(riga)
        per_linea[(s["fonte_id"], s["obiettivo_id"], s["area_id"])].append(riga)
    for d in dichiarazioni:
        linea = per_linea.get((d.fonte_id, d.obiettivo_servizio_id, d.area_intervento_id))
        if not linea:
            righe.append(_riga_non_programmata(ambito, anno, d))
            continue
        pesi = [r.programmato for r in linea]
        impegnati, liquidati = ripartisci(d.impegnato, pesi), ripartisci(d.liquidato, pesi)
        for riga, impegnato, liquidato in zip(linea, impegnati, liquidati, strict=True):
            riga.impegnato, riga.liquidato = impegnato, liquidato
            riga.attribuzione = DIRETTA if len(linea) == 1 else PROPORZIONALE
            riga.data_ultima_dichiarazione = d.data
    return righe


def _grezzo(valore) -> str:
    if valore is None:
        return ""
    if isinstance(valore, Decimal):
        return format(valore, "f")
    if isinstance(valore, date):
        return valore.isoformat()
    return str(valore)


def sioss_csv(righe: list[RigaSioss]) -> bytes:
    """Comma-separated, UTF-8, snake_case header, dot decimals, ISO dates."""
    uscita = io.StringIO()
    scrittore = scrittore_csv(uscita, lineterminator="\n")
    scrittore.writerow([c.nome for c in COLONNE])
    for riga in righe:
        scrittore.writerow([_grezzo(v) for v in riga.valori()])
    return uscita.getvalue().encode("utf-8")


FORMATO_EURO = '#,##0.00 "€"'
FORMATO_DATA = "DD/MM/YYYY"


def _foglio(ws, intestazioni: list[str], tipi: list[str], righe: list[list]) -> None:
    ws.append(intestazioni)
    for cella in ws[1]:
        cella.font = Font(bold=True)
    for valori in righe:
        ws.append(valori)
    for indice, tipo in enumerate(tipi, start=1):
        lettera = get_column_letter(indice)
        formato = {"euro": FORMATO_EURO, "data": FORMATO_DATA}.get(tipo)
        if formato:
            for (cella,) in ws.iter_rows(min_row=2, min_col=indice, max_col=indice):
                cella.number_format = formato
        ws.column_dimensions[lettera].width = max(12, min(len(intestazioni[indice - 1]) + 4, 40))
    ws.freeze_panes = "A2"


def sioss_xlsx(righe: list[RigaSioss], dichiarazioni: list[Dichiarazione]) -> bytes:
    """The same rows with Italian headers and euro formats; the lines as declared; the legend."""
    libro = Workbook()
    servizi = libro.active
    servizi.title = "Servizi"
    _foglio(
        servizi,
        [c.intestazione for c in COLONNE],
        [c.tipo for c in COLONNE],
        [riga.valori() for riga in righe],
    )
    programmato_linea: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for riga in righe:
        programmato_linea[
            (riga.fonte_codice, riga.obiettivo_servizio_codice, riga.area_fnps_codice)
        ] += riga.programmato
    _foglio(
        libro.create_sheet("Linee dichiarate"),
        [
            "Codice fonte",
            "Codice obiettivo di servizio",
            "Codice area FNPS",
            "Programmato della linea",
            "Impegnato",
            "Liquidato",
            "Data dell'ultima dichiarazione",
            "Stato della rendicontazione",
        ],
        ["testo", "testo", "intero", "euro", "euro", "euro", "data", "testo"],
        [
            [
                d.fonte.codice,
                d.obiettivo_servizio.codice,
                d.area_intervento.codice,
                programmato_linea[
                    (d.fonte.codice, d.obiettivo_servizio.codice, d.area_intervento.codice)
                ],
                d.impegnato,
                d.liquidato,
                d.data,
                d.rendicontazione.get_stato_display(),
            ]
            for d in dichiarazioni
        ],
    )
    legenda = libro.create_sheet("Colonne")
    _foglio(
        legenda,
        ["Colonna (CSV)", "Intestazione", "Descrizione"],
        ["testo", "testo", "testo"],
        [[c.nome, c.intestazione, c.descrizione] for c in COLONNE],
    )
    legenda.column_dimensions["C"].width = 100
    uscita = io.BytesIO()
    testo_inerte(libro).save(uscita)
    return uscita.getvalue()


def anni_disponibili(ambito: Ambito) -> list[int]:
    """Years with a reference approved plan or a report, within the region's cycles (3 queries)."""
    anni = sorted(
        {
            anno
            for ciclo in Ciclo.objects.filter(regione_id=ambito.regione_id)
            for anno in ciclo.anni
        }
    )
    con_piano = {anno for (_, anno) in piani_di_riferimento([ambito.pk], anni)}
    con_rendiconto = set(
        Rendicontazione.objects.filter(ambito=ambito).values_list("anno", flat=True)
    )
    return sorted((con_piano | con_rendiconto) & set(anni), reverse=True)


def anno_nei_cicli(ambito: Ambito, anno: int) -> bool:
    return Ciclo.objects.filter(
        regione_id=ambito.regione_id, anno_inizio__lte=anno, anno_fine__gte=anno
    ).exists()
