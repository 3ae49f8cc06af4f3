"""Indicators: load a region's catalogue, recalculate the computed values, enter the others.

The recalculation is set-based: every formula computes all ambiti × years from data loaded once
(``formule.Dati``), then one transaction reads the current values once and writes only what
changed, in bulk, with a history row for each changed value.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio
from pianizona.lavori.tipi import Avanza
from pianizona.models import Ambito, AreaUtenzaIstat, Ciclo, Job, Regione, User
from pianizona.money import parse_euro
from pianizona.testo import plurale

from ..models import Indicatore, StoricoValoreIndicatore, ValoreIndicatore
from .formule import FORMULE, Calcolo, Dati, arrotonda

CATALOGO_CSV = Path(__file__).with_name("catalogo.csv")
MASSIMO = Decimal("99999999999999")  # 14 whole digits: ValoreIndicatore.valore's room


class IndicatoreNonValido(ErroreDominio):
    """A value or a target refused; the message says why, in Italian."""


# --- catalogue -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EsitoCatalogo:
    creati: int
    esistenti: int


@transaction.atomic
def indicatori_carica_catalogo(*, regione: Regione) -> EsitoCatalogo:
    """Add the standard catalogue's indicators the region lacks; existing ones (and the targets the
    Region set) are left as they are, so running it again changes nothing."""
    with CATALOGO_CSV.open(encoding="utf-8", newline="") as f:
        righe = list(csv.DictReader(f))
    aree = dict(AreaUtenzaIstat.objects.values_list("codice", "pk"))
    esistenti = set(Indicatore.objects.filter(regione=regione).values_list("codice", flat=True))
    nuovi = []
    for ordine, riga in enumerate(righe, start=1):
        if riga["codice"] in esistenti:
            continue
        if riga["formula"] and riga["formula"] not in FORMULE:
            raise IndicatoreNonValido(f"{riga['codice']}: formula sconosciuta «{riga['formula']}».")
        if riga["area_utenza"] and riga["area_utenza"] not in aree:
            raise IndicatoreNonValido(
                f"{riga['codice']}: area di utenza «{riga['area_utenza']}» non caricata "
                "(eseguire manage.py load_reference)."
            )
        nuovi.append(
            Indicatore(
                regione=regione,
                codice=riga["codice"],
                nome=riga["nome"],
                descrizione=riga["descrizione"],
                livello=riga["livello"],
                unita=riga["unita"],
                direzione=riga["direzione"],
                target=Decimal(riga["target"]) if riga["target"] else None,
                tipo=riga["tipo"],
                formula=riga["formula"],
                area_utenza_id=aree.get(riga["area_utenza"]) if riga["area_utenza"] else None,
                ordine=ordine * 10,
            )
        )
    Indicatore.objects.bulk_create(nuovi)
    return EsitoCatalogo(creati=len(nuovi), esistenti=len(righe) - len(nuovi))


def indicatori_per_nuovo_ciclo(*, ciclo: Ciclo, origine: Ciclo | None) -> list[str]:
    """A Region's first cycle brings the standard catalogue; later cycles keep the Region's own.

    The catalogue belongs to the Region, so a cycle copied from another already shares it.
    Called by the core inside the opening transaction; a catalogue that cannot be loaded does
    not stop the opening: the officer is told why and can load it later from the catalogue page.
    """
    if Indicatore.objects.filter(regione_id=ciclo.regione_id).exists():
        return []
    try:
        esito = indicatori_carica_catalogo(regione=ciclo.regione)
    except IndicatoreNonValido as err:
        return [f"Il catalogo standard degli indicatori non è stato caricato: {err}"]
    return [
        "Caricato il catalogo standard degli indicatori: "
        f"{plurale(esito.creati, 'indicatore', 'indicatori')}."
    ]


def leggi_numero(testo: str, indicatore: Indicatore) -> Decimal:
    """A number as an Italian user writes it ("1.234,5"), checked against the indicator's unit."""
    testo = (testo or "").strip()
    if not testo:
        raise IndicatoreNonValido(f"Inserire un valore per «{indicatore.nome}».")
    try:
        numero = parse_euro(testo)
    except ValidationError as exc:
        raise IndicatoreNonValido(
            f"«{testo}» non è un numero: scriverlo come 1.234 o 1.234,5."
        ) from exc
    unita = indicatore.get_unita_display()
    if numero < 0:
        raise IndicatoreNonValido(f"«{indicatore.nome}» non può essere negativo.")
    if numero > MASSIMO:
        raise IndicatoreNonValido(f"«{testo}» è troppo grande.")
    if indicatore.unita == Indicatore.Unita.NUMERO and numero != numero.to_integral_value():
        raise IndicatoreNonValido(
            f"«{indicatore.nome}» si esprime con un numero intero: «{testo}» non lo è."
        )
    if indicatore.unita == Indicatore.Unita.PERCENTUALE and numero > 100:
        raise IndicatoreNonValido(
            f"«{indicatore.nome}» è una percentuale: va da 0 a 100, non «{testo}»."
        )
    decimali = (
        2 if indicatore.unita in (Indicatore.Unita.EURO, Indicatore.Unita.EURO_ABITANTE) else 4
    )
    try:
        arrotondato = numero.quantize(Decimal(1).scaleb(-decimali))
    except InvalidOperation as exc:
        raise IndicatoreNonValido(f"«{testo}» è troppo grande.") from exc
    if arrotondato != numero:
        raise IndicatoreNonValido(
            f"«{indicatore.nome}» ({unita}) ammette al massimo {decimali} decimali."
        )
    return arrotondato


@transaction.atomic
def indicatore_target_modifica(*, indicatore: Indicatore, testo: str, user: User) -> Indicatore:
    """Set (or clear, with an empty text) the target of a catalogue indicator."""
    if not can(user, Azione.CONFIGURARE, indicatore.regione):
        raise IndicatoreNonValido("Solo i funzionari della Regione possono modificare i target.")
    bloccato = Indicatore.objects.select_for_update().get(pk=indicatore.pk)
    bloccato.target = leggi_numero(testo, bloccato) if (testo or "").strip() else None
    bloccato.save(update_fields=["target"])
    indicatore.target = bloccato.target
    return bloccato


# --- entered values ------------------------------------------------------------------------------


ANNO_FUTURO = (
    "Anno {anno}: l'anno non è ancora iniziato, il valore si inserisce per l'anno in corso o per "
    "quelli passati."
)


def anni_dei_cicli(regione: Regione) -> list[int]:
    """Every year covered by one of the region's programming cycles."""
    anni: set[int] = set()
    for inizio, fine in Ciclo.objects.filter(regione=regione).values_list(
        "anno_inizio", "anno_fine"
    ):
        anni.update(range(inizio, fine + 1))
    return sorted(anni)


@transaction.atomic
def valore_inserisci(
    *, indicatore: Indicatore, ambito: Ambito, anno: int, testo: str, nota: str, user: User
) -> ValoreIndicatore:
    """The district's value of an entered indicator for a year; a change leaves a history row."""
    if not can(user, Azione.MODIFICARE, ambito):
        raise IndicatoreNonValido("Solo l'Ufficio di Piano dell'ambito può inserire i valori.")
    if indicatore.regione_id != ambito.regione_id:
        raise IndicatoreNonValido("L'indicatore non appartiene al catalogo della regione.")
    if indicatore.tipo != Indicatore.Tipo.INSERITO:
        raise IndicatoreNonValido(
            f"«{indicatore.nome}» è calcolato dai dati dei piani e del monitoraggio: "
            "non si inserisce a mano."
        )
    if indicatore.livello != Indicatore.Livello.AMBITO:
        raise IndicatoreNonValido(f"«{indicatore.nome}» è un indicatore regionale.")
    if not indicatore.attivo:
        raise IndicatoreNonValido(f"«{indicatore.nome}» non è più in uso.")
    if anno not in anni_dei_cicli(ambito.regione):
        raise IndicatoreNonValido(
            f"L'anno {anno} non rientra in nessun ciclo di programmazione della regione."
        )
    if anno > timezone.localdate().year:
        raise IndicatoreNonValido(ANNO_FUTURO.format(anno=anno))
    valore = leggi_numero(testo, indicatore)
    nota = (nota or "").strip()
    Indicatore.objects.select_for_update().filter(pk=indicatore.pk).first()  # one writer at a time
    adesso = timezone.now()
    attuale, creato = ValoreIndicatore.objects.get_or_create(
        indicatore=indicatore,
        ambito=ambito,
        anno=anno,
        defaults={"valore": valore, "nota": nota, "aggiornato_da": user, "aggiornato_il": adesso},
    )
    if not creato:
        if attuale.valore == valore and attuale.nota == nota:
            return attuale  # the same figure again: nothing to record
        attuale.valore, attuale.nota = valore, nota
        attuale.aggiornato_da, attuale.aggiornato_il = user, adesso
        attuale.save(update_fields=["valore", "nota", "aggiornato_da", "aggiornato_il"])
    StoricoValoreIndicatore.objects.create(
        indicatore=indicatore,
        ambito=ambito,
        anno=anno,
        valore=valore,
        origine=StoricoValoreIndicatore.Origine.INSERIMENTO,
        nota=nota,
        utente=user,
        registrato_il=adesso,
    )
    return attuale


# --- recalculation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RigaRicalcolo:
    indicatore: Indicatore
    ambito_codice: str  # "" for the region
    anno: int
    valore: Decimal | None
    nota: str
    cambiato: bool


@dataclass
class Esito:
    """What a recalculation computed and what it changed."""

    righe: list[RigaRicalcolo] = field(default_factory=list)
    creati: int = 0
    aggiornati: int = 0
    storici: int = 0
    avvisi: list[str] = field(default_factory=list)

    @property
    def cambiati(self) -> int:
        return sum(1 for r in self.righe if r.cambiato)


def _niente(_: int, __: str) -> None:
    pass


def indicatori_ricalcola(
    *,
    regione: Regione,
    ambito: Ambito | None = None,
    anni: list[int] | None = None,
    job: Job | None = None,
    avanza: Avanza | None = None,
) -> Esito:
    """Recompute the region's computed indicators for ``anni`` (default: every cycle's years).

    With ``ambito``, only that ambito's values and the region's (which include it) are written.
    The number of queries does not depend on the number of ambiti, indicators or years (the bulk
    writes aside, which the database splits in batches).
    """
    avanza = avanza or _niente
    anni = sorted(set(anni)) if anni is not None else anni_dei_cicli(regione)
    esito = Esito()
    indicatori = list(
        Indicatore.objects.filter(
            regione=regione, tipo=Indicatore.Tipo.CALCOLATO, attivo=True
        ).order_by("ordine", "codice")
    )
    if not indicatori or not anni:
        return esito
    avanza(5, "Lettura dei piani approvati, del cofinanziamento e delle rendicontazioni.")
    dati = Dati(regione, anni)
    calcolati: dict[tuple[int, int | None, int], Calcolo] = {}
    for indicatore in indicatori:
        formula = FORMULE.get(indicatore.formula)
        if formula is None:
            esito.avvisi.append(f"{indicatore.codice}: formula sconosciuta «{indicatore.formula}».")
            continue
        if indicatore.livello not in formula.livelli:
            esito.avvisi.append(
                f"{indicatore.codice}: la formula «{formula.nome}» non vale per il livello "
                f"«{indicatore.get_livello_display().lower()}»."
            )
            continue
        regionale = indicatore.livello == Indicatore.Livello.REGIONALE
        for (ambito_id, anno), calcolo in formula.calcola(dati, indicatore).items():
            if regionale != (ambito_id is None):
                continue
            if ambito is not None and ambito_id not in (None, ambito.pk):
                continue
            calcolati[(indicatore.pk, ambito_id, anno)] = Calcolo(
                arrotonda(calcolo.valore), calcolo.nota
            )
    avanza(
        60,
        f"{plurale(len(calcolati), 'valore calcolato', 'valori calcolati')}: "
        "salvataggio di quelli cambiati.",
    )
    per_pk = {i.pk: i for i in indicatori}
    with transaction.atomic():
        _salva(calcolati, per_pk, ambito, anni, job, esito, dati.ambiti)
    esito.righe.sort(
        key=lambda r: (r.indicatore.ordine, r.indicatore.codice, r.ambito_codice, r.anno)
    )
    avanza(
        95,
        f"Ricalcolo concluso: {plurale(esito.cambiati, 'valore cambiato', 'valori cambiati')} "
        f"su {len(esito.righe)}.",
    )
    return esito


def _salva(
    calcolati: dict[tuple[int, int | None, int], Calcolo],
    indicatori: dict[int, Indicatore],
    ambito: Ambito | None,
    anni: list[int],
    job: Job | None,
    esito: Esito,
    codici: dict[int, str],
) -> None:
    # Lock the catalogue: two recalculations of the region write one after the other.
    list(Indicatore.objects.select_for_update().filter(pk__in=indicatori).values_list("pk"))
    attuali_qs = ValoreIndicatore.objects.filter(indicatore_id__in=indicatori, anno__in=anni)
    if ambito is not None:
        attuali_qs = attuali_qs.filter(Q(ambito=ambito) | Q(ambito__isnull=True))
    attuali = {(v.indicatore_id, v.ambito_id, v.anno): v for v in attuali_qs}
    adesso = timezone.now()
    utente = job.utente if job is not None else None
    nuovi, modificati, storico = [], [], []
    for (indicatore_id, ambito_id, anno), calcolo in calcolati.items():
        attuale = attuali.get((indicatore_id, ambito_id, anno))
        if attuale is None:
            cambiato = calcolo.valore is not None  # a new row without a value only keeps the reason
            nuovi.append(
                ValoreIndicatore(
                    indicatore_id=indicatore_id,
                    ambito_id=ambito_id,
                    anno=anno,
                    valore=calcolo.valore,
                    nota=calcolo.nota,
                    aggiornato_da=utente,
                    aggiornato_il=adesso,
                )
            )
        else:
            cambiato = attuale.valore != calcolo.valore
            if cambiato or attuale.nota != calcolo.nota:
                attuale.valore, attuale.nota = calcolo.valore, calcolo.nota
                attuale.aggiornato_da, attuale.aggiornato_il = utente, adesso
                modificati.append(attuale)
        if cambiato:
            storico.append(
                StoricoValoreIndicatore(
                    indicatore_id=indicatore_id,
                    ambito_id=ambito_id,
                    anno=anno,
                    valore=calcolo.valore,
                    origine=StoricoValoreIndicatore.Origine.CALCOLO,
                    nota=calcolo.nota,
                    utente=utente,
                    job=job,
                    registrato_il=adesso,
                )
            )
        esito.righe.append(
            RigaRicalcolo(
                indicatore=indicatori[indicatore_id],
                ambito_codice=codici.get(ambito_id, "") if ambito_id else "",
                anno=anno,
                valore=calcolo.valore,
                nota=calcolo.nota,
                cambiato=cambiato,
            )
        )
    ValoreIndicatore.objects.bulk_create(nuovi)
    ValoreIndicatore.objects.bulk_update(
        modificati, ["valore", "nota", "aggiornato_da", "aggiornato_il"]
    )
    StoricoValoreIndicatore.objects.bulk_create(storico)
    esito.creati, esito.aggiornati, esito.storici = len(nuovi), len(modificati), len(storico)
