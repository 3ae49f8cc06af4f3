"""Versions of the ambito's plans side by side: a free choice, the standard view, and in Excel.

The terms are the ``t`` parameter, repeated and written ``<plan>-v<number>`` or
``<plan>-corrente`` (``?t=12-v1&t=12-corrente``); ``anno`` narrows sheets and sections to a year,
``solo=differenze`` hides what did not change. Terms come from plans of the page's ambito that
the user may see (else 404); a malformed one is a 400 that says why.
"""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pianizona.accessi.tenancy import Azione, get_piano_for_user
from pianizona.esportazioni import testo_inerte
from pianizona.lavori.download import XLSX, allegato
from pianizona.models import Piano

from ..confronto.calcolo import (
    SPIEGAZIONI,
    Cella,
    Confronto,
    TabellaImporti,
    Termine,
    confronta,
    testo_esito,
)
from ..confronto.selettori import (
    PianoConVersioni,
    Riferimento,
    TerminiNonValidi,
    carica_termini,
    leggi_anno,
    leggi_riferimenti,
    piani_del_ciclo,
    riferimenti_standard,
)
from ..istantanee import Esito
from ..pagine import contesto_piano

ALMENO_DUE = "Scegliere almeno due versioni da confrontare."


def _anno_standard(piano: Piano) -> int | None:
    """An annual plan is compared on its own year: the triennial plan's share of it."""
    return piano.anno if piano.tipo == Piano.Tipo.ATTUATIVO else None


def _confronto(
    request: HttpRequest, piano: Piano, riferimenti: list[Riferimento], anno: int | None
) -> Confronto:
    termini = carica_termini(request.user, piano, riferimenti)
    if anno is not None and not any(anno in t.anni for t in termini):
        raise TerminiNonValidi(f"Nessuno dei piani confrontati riguarda l'anno {anno}.")
    return confronta(termini, anno=anno)


def _collegamenti(request: HttpRequest) -> dict:
    """The same comparison with every row or only the changes, and in Excel."""
    parametri = request.GET.copy()
    parametri.pop("solo", None)
    tutte = parametri.urlencode()
    parametri["solo"] = "differenze"
    return {
        "solo_differenze": request.GET.get("solo") == "differenze",
        "link_tutte": f"?{tutte}",
        "link_differenze": f"?{parametri.urlencode()}",
        "query": tutte,
    }


def _scelta(
    request: HttpRequest,
    piano: Piano,
    piani: list[PianoConVersioni],
    *,
    risultato: Confronto | None = None,
    errore: str = "",
    status: int = 200,
) -> HttpResponse:
    scelti = set(request.GET.getlist("t"))
    contesto = contesto_piano(
        request,
        piano,
        gruppi=[
            (
                pv,
                [
                    (Riferimento(pv.piano.pk, v.numero).codice, pv.descrizione(v))
                    for v in pv.versioni
                ]
                + [
                    (
                        Riferimento(pv.piano.pk).codice,
                        f"contenuto attuale ({pv.piano.get_stato_display().lower()})",
                    )
                ],
            )
            for pv in piani
        ],
        scelti=scelti,
        anni=piano.ciclo.anni,
        anno=request.GET.get("anno", ""),
        risultato=risultato,
        errore=errore,
        **_collegamenti(request),
    )
    return render(request, "pianizona/confronto/scelta.html", contesto, status=status)


@require_GET
@login_required
def piano_confronto(request: HttpRequest, pk: int) -> HttpResponse:
    """Any versions, or current contents, of the plans of the ambito's cycle, chosen in a form."""
    piano = get_piano_for_user(request.user, pk, Azione.VEDERE)
    piani = piani_del_ciclo(request.user, piano)
    codici = request.GET.getlist("t")
    if not codici:
        return _scelta(request, piano, piani)
    try:
        riferimenti = leggi_riferimenti(codici)
        anno = leggi_anno(request.GET.get("anno"))
        if len(riferimenti) < 2:
            return _scelta(request, piano, piani, errore=ALMENO_DUE)
        risultato = _confronto(request, piano, riferimenti, anno)
    except TerminiNonValidi as err:
        return _scelta(request, piano, piani, errore=str(err), status=400)
    return _scelta(request, piano, piani, risultato=risultato)


@require_GET
@login_required
def piano_confronto_standard(request: HttpRequest, pk: int) -> HttpResponse:
    """The triennial plan, the earlier annual plans and this one; a triennial plan's versions."""
    piano = get_piano_for_user(request.user, pk, Azione.VEDERE)
    riferimenti = riferimenti_standard(piano, piani_del_ciclo(request.user, piano))
    risultato = None
    if len(riferimenti) >= 2:
        risultato = _confronto(request, piano, riferimenti, _anno_standard(piano))
    collegamenti = {
        **_collegamenti(request),
        "query": "",
    }  # the Excel link without `t` is this view
    contesto = contesto_piano(request, piano, risultato=risultato, **collegamenti)
    return render(request, "pianizona/confronto/standard.html", contesto)


@require_GET
@login_required
def piano_confronto_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The comparison in Excel: the chosen terms (``t``), or the standard view without them."""
    piano = get_piano_for_user(request.user, pk, Azione.VEDERE)
    piani = piani_del_ciclo(request.user, piano)
    codici = request.GET.getlist("t")
    try:
        if codici:
            riferimenti = leggi_riferimenti(codici)
            anno = leggi_anno(request.GET.get("anno"))
        else:
            riferimenti = riferimenti_standard(piano, piani)
            anno = _anno_standard(piano)
        if len(riferimenti) < 2:
            raise TerminiNonValidi(ALMENO_DUE)
        risultato = _confronto(request, piano, riferimenti, anno)
    except TerminiNonValidi as err:
        return _scelta(request, piano, piani, errore=str(err), status=400)
    parti = (
        [_nome_termine(t) for t in risultato.termini]
        if codici
        else [_nome_piano(piano), "standard"]
    )
    nome = "-".join(["confronto", slugify(piano.ambito.codice), *parti])
    return allegato(cartella_confronto(risultato), f"{nome}.xlsx", XLSX)


def _nome_piano(piano: Piano) -> str:
    return f"attuativo-{piano.anno}" if piano.anno else f"triennale-{piano.ciclo.anno_inizio}"


def _nome_termine(termine: Termine) -> str:
    anni = termine.anni
    piano = f"attuativo-{anni[0]}" if len(anni) == 1 else f"triennale-{anni[0] if anni else ''}"
    return f"{piano}-{'corrente' if termine.numero is None else f'v{termine.numero}'}"


# --- Excel ---------------------------------------------------------------------------------------

EURO = "#,##0.00 €"
PERCENTUALE = "0.00%"
RIEMPIMENTI = {
    Esito.AGGIUNTA: PatternFill("solid", fgColor="E2F0D9"),
    Esito.RIMOSSA: PatternFill("solid", fgColor="FBE3E4"),
    Esito.MODIFICATA: PatternFill("solid", fgColor="FFF2CC"),
}
INTESTAZIONE = PatternFill("solid", fgColor="D9E1F2")


def _colonne_importi(termini: list[Termine]) -> list[str]:
    colonne = []
    for i, termine in enumerate(termini):
        colonne.append(termine.intestazione)
        if i >= 1:
            colonne += [
                f"{termine.intestazione}: differenza sul precedente (€)",
                f"{termine.intestazione}: differenza sul precedente (%)",
            ]
        if i >= 2:
            colonne += [
                f"{termine.intestazione}: differenza sul primo (€)",
                f"{termine.intestazione}: differenza sul primo (%)",
            ]
    return colonne


def _valori_importi(celle: list[Cella]) -> list:
    valori: list = []
    for i, cella in enumerate(celle):
        if not cella.coperto:
            valori.append("fuori periodo")
        else:
            valori.append(cella.importo if cella.presente else "assente")
        confronti = [cella.su_precedente] if i >= 1 else []
        confronti += [cella.sul_primo] if i >= 2 else []
        for variazione in confronti:
            if variazione is None:
                valori += ["", ""]
            else:
                percentuale = variazione.percentuale
                valori += [
                    variazione.differenza,
                    variazione.testo_percentuale if percentuale is None else percentuale / 100,
                ]
    return valori


def _scrivi(foglio: Worksheet, intestazione: list[str], righe: list[tuple[list, Esito | None]]):
    """A header row, the rows (filled by outcome), euro and percent formats, readable widths."""
    foglio.append(intestazione)
    for cella in foglio[1]:
        cella.font = Font(bold=True)
        cella.fill = INTESTAZIONE
        cella.alignment = Alignment(wrap_text=True, vertical="top")
    for valori, esito in righe:
        foglio.append(valori)
        riga = foglio.max_row
        for numero, valore in enumerate(valori, start=1):
            cella = foglio.cell(riga, numero)
            if esito in RIEMPIMENTI:
                cella.fill = RIEMPIMENTI[esito]
            if not isinstance(valore, str) and valore is not None:
                titolo = intestazione[numero - 1]
                cella.number_format = PERCENTUALE if titolo.endswith("(%)") else EURO
    for numero, titolo in enumerate(intestazione, start=1):
        larghezza = 14 if "differenza" in titolo else min(max(len(titolo), 14), 50)
        foglio.column_dimensions[get_column_letter(numero)].width = larghezza
    foglio.freeze_panes = "A2"


def _numero(voce: str) -> str | int:
    """Years as numbers, so the spreadsheet sorts and filters them as such."""
    return int(voce) if voce.isdigit() else voce


def _righe_importi(tabella: TabellaImporti, prefisso: list[str]) -> list[tuple[list, Esito | None]]:
    righe = [
        ([*prefisso, *map(_numero, r.voci), r.testo_esito, *_valori_importi(r.celle)], r.esito)
        for r in tabella.righe
    ]
    totale = tabella.totale
    righe.append(([*prefisso, *totale.voci, "", *_valori_importi(totale.celle)], None))
    return righe


def cartella_confronto(risultato: Confronto) -> bytes:
    """One sheet per part of the comparison, and a legend."""
    termini = risultato.termini
    importi = _colonne_importi(termini)
    cartella = Workbook()

    fondi = cartella.active
    fondi.title = "Fondi e anni"
    _scrivi(
        fondi,
        ["Prospetto", "Fondo o comune", "Anno", "Esito", *importi],
        [riga for t in risultato.fondi for riga in _righe_importi(t, [t.titolo])],
    )
    _scrivi(
        cartella.create_sheet("Sezioni"),
        ["Sezione", "Esito", *importi],
        _righe_importi(risultato.sezioni, []),
    )
    _scrivi(
        cartella.create_sheet("Schede"),
        ["Codice", "Titolo", "Sezione", "Esito", *importi, "Che cosa cambia"],
        [
            (
                [
                    s.codice,
                    s.titolo,
                    s.sezione,
                    s.testo_esito,
                    *_valori_importi(s.celle),
                    ", ".join(s.cosa_cambia),
                ],
                s.esito,
            )
            for s in risultato.schede
        ],
    )
    _scrivi(
        cartella.create_sheet("Narrativa"),
        ["Capitolo", "Esito", *[f"{t.intestazione}: caratteri" for t in termini]],
        [
            (
                [
                    c.titolo,
                    c.testo_esito,
                    *(c.lunghezze[i] if c.presenze[i] else "assente" for i in range(len(termini))),
                ],
                c.esito,
            )
            for c in risultato.capitoli
        ],
    )
    for riga in cartella["Narrativa"].iter_rows(min_row=2, min_col=3):
        for cella in riga:
            cella.number_format = "0"

    legenda = cartella.create_sheet("Legenda")
    legenda.append(["Versioni confrontate, dalla più vecchia alla più recente"])
    legenda["A1"].font = Font(bold=True)
    for termine in termini:
        legenda.append([termine.intestazione, termine.etichetta, f"anni {termine.periodo}"])
    legenda.append([])
    legenda.append(["Colori delle righe (l'esito è scritto anche nella colonna «Esito»)"])
    legenda.cell(legenda.max_row, 1).font = Font(bold=True)
    for esito, riempimento in RIEMPIMENTI.items():
        legenda.append([testo_esito(esito), SPIEGAZIONI[esito]])
        legenda.cell(legenda.max_row, 1).fill = riempimento
    legenda.append([testo_esito(Esito.INVARIATA), SPIEGAZIONI[Esito.INVARIATA]])
    legenda.append([])
    for nota in risultato.note:
        legenda.append([nota])
    legenda.column_dimensions["A"].width = 30
    legenda.column_dimensions["B"].width = 70

    uscita = BytesIO()
    testo_inerte(cartella).save(uscita)
    return uscita.getvalue()
