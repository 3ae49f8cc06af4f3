"""Writes of fund monitoring: opening a year's report, declaring a line, the report's journey.

Declarations are cumulative and append-only: each states what a line has committed and paid since
the start of the year, at a date. A report moves bozza → inviata → accettata | restituita → inviata,
like the plan (pianizona/iter/workflow.py): the row is locked, the state the page showed is checked, each
move is recorded and notified once the transaction commits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio
from pianizona.models import Ambito, AreaInterventoFnps, FonteFinanziamento, ObiettivoServizio, User
from pianizona.money import format_euro
from risorse.models import FonteCiclo

from ..models import Dichiarazione, Rendicontazione, TransizioneRendicontazione
from ..programmato import ZERO, Linea, piani_di_riferimento, programmato_per_linea
from .tasks import notifica_transizione_rendicontazione

Stato = Rendicontazione.Stato
AzioneFlusso = TransizioneRendicontazione.Azione


class ErroreRendicontazione(ErroreDominio):
    pass


class DichiarazioneNonValida(ErroreRendicontazione):
    pass


class TransizioneNonConsentita(ErroreRendicontazione):
    pass


# --- Hooks ---------------------------------------------------------------------------------------

# (report, action) → None: what another subject does once a report's move is committed (the
# indicators recalculate); it runs after commit, each on its own, and a failure is only logged.
DopoRendicontazione = Callable[[Rendicontazione, str], None]
dopo_rendicontazione: list[DopoRendicontazione] = []


def registra_dopo_rendicontazione(funzione: DopoRendicontazione) -> DopoRendicontazione:
    if funzione not in dopo_rendicontazione:
        dopo_rendicontazione.append(funzione)
    return funzione


def _dopo_il_commit(rendicontazione: Rendicontazione, azione: str) -> None:
    for funzione in list(dopo_rendicontazione):
        transaction.on_commit(
            lambda f=funzione: f(rendicontazione, azione),
            robust=True,
        )


# --- Opening a year's report ---------------------------------------------------------------------


def _stato(valore: str) -> str:
    return Stato(valore).label.lower()


@transaction.atomic
def rendicontazione_apri(*, ambito: Ambito, anno: int, user: User) -> Rendicontazione:
    """The ambito's report for ``anno``, created on first use; only for a year an approved plan
    programmes. Opening it again returns the same report."""
    if not can(user, Azione.MODIFICARE, ambito):
        raise ErroreRendicontazione(
            "Solo l'Ufficio di Piano dell'ambito può aprire la rendicontazione."
        )
    # Serialises two first declarations of the year: the second finds the report of the first.
    Ambito.objects.select_for_update().get(pk=ambito.pk)
    esistente = Rendicontazione.objects.filter(ambito=ambito, anno=anno).first()
    if esistente is not None:
        return esistente
    piano = piani_di_riferimento([ambito.pk], [anno]).get((ambito.pk, anno))
    if piano is None:
        raise ErroreRendicontazione(
            f"Per il {anno} l'ambito non ha un piano approvato: la rendicontazione si apre solo "
            "per gli anni programmati da un piano approvato dalla Regione."
        )
    return Rendicontazione.objects.create(ambito=ambito, ciclo=piano.ciclo, anno=anno)


# --- Declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Linea:
    fonte: FonteFinanziamento
    obiettivo: ObiettivoServizio
    area: AreaInterventoFnps

    def __str__(self) -> str:
        return f"{self.fonte.codice} · {self.obiettivo.codice} {self.obiettivo.nome} · {self.area}"


def _controlla_importi(
    linea: _Linea,
    impegnato: Decimal,
    liquidato: Decimal,
    precedente: Dichiarazione | None,
    rettifica: bool,
    motivazione: str,
    programmato: Decimal,
    giustificazione: str,
) -> None:
    if impegnato < 0 or liquidato < 0:
        raise DichiarazioneNonValida(f"Linea {linea}: gli importi non possono essere negativi.")
    if liquidato > impegnato:
        raise DichiarazioneNonValida(
            f"Linea {linea}: il liquidato ({format_euro(liquidato)}) non può superare "
            f"l'impegnato ({format_euro(impegnato)})."
        )
    if precedente is not None:
        cali = [
            f"{nome} {format_euro(nuovo)} contro {format_euro(vecchio)}"
            for nome, nuovo, vecchio in (
                ("impegnato", impegnato, precedente.impegnato),
                ("liquidato", liquidato, precedente.liquidato),
            )
            if nuovo < vecchio
        ]
        if cali and not (rettifica and motivazione):
            raise DichiarazioneNonValida(
                f"Linea {linea}: le dichiarazioni sono cumulative e questa è inferiore a quella "
                f"del {precedente.data:%d/%m/%Y} ({'; '.join(cali)}). Per correggere in "
                "diminuzione segnare la rettifica e scriverne la motivazione."
            )
    if rettifica and not motivazione:
        raise DichiarazioneNonValida(f"Linea {linea}: una rettifica deve indicare la motivazione.")
    if impegnato > programmato and not giustificazione:
        raise DichiarazioneNonValida(
            f"Linea {linea}: l'impegnato ({format_euro(impegnato)}) supera il programmato "
            f"({format_euro(programmato)}) di {format_euro(impegnato - programmato)}: "
            "scrivere la giustificazione dell'eccedenza."
        )


def _controlla_data(linea: _Linea, anno: int, data: date, precedente: Dichiarazione | None):
    if data.year != anno:
        raise DichiarazioneNonValida(
            f"Linea {linea}: la data {data:%d/%m/%Y} non è nel {anno}, l'anno della "
            f"rendicontazione (dal 01/01/{anno} al 31/12/{anno})."
        )
    oggi = timezone.localdate()
    if data > oggi:
        raise DichiarazioneNonValida(
            f"Linea {linea}: la data {data:%d/%m/%Y} è futura; si dichiara quanto impegnato e "
            f"liquidato fino a oggi ({oggi:%d/%m/%Y})."
        )
    if precedente is not None and data < precedente.data:
        raise DichiarazioneNonValida(
            f"Linea {linea}: la data {data:%d/%m/%Y} precede quella dell'ultima dichiarazione "
            f"({precedente.data:%d/%m/%Y})."
        )


@transaction.atomic
def dichiarazione_registra(
    *,
    rendicontazione: Rendicontazione,
    fonte: FonteFinanziamento,
    obiettivo: ObiettivoServizio,
    area: AreaInterventoFnps,
    data: date,
    impegnato: Decimal,
    liquidato: Decimal,
    rettifica: bool = False,
    motivazione_rettifica: str = "",
    giustificazione: str = "",
    user: User,
) -> Dichiarazione:
    """Record a line's cumulative committed and paid amounts at ``data``.

    Refused with a DichiarazioneNonValida naming the line and the amounts, nothing saved, when the
    report is not editable, the fund is not one of the cycle's, the date is outside the year, in
    the future or before the line's last declaration, paid exceeds committed, an amount falls below
    the previous declaration without a motivated correction, or committed exceeds the programmed
    amount without a justification.
    """
    bloccata = (
        Rendicontazione.objects.select_for_update(of=("self",))
        .select_related("ambito", "ciclo")
        .get(pk=rendicontazione.pk)
    )
    if not can(user, Azione.MODIFICARE, bloccata.ambito):
        raise DichiarazioneNonValida("Solo l'Ufficio di Piano dell'ambito può dichiarare la spesa.")
    if not bloccata.modificabile:
        raise DichiarazioneNonValida(
            f"La rendicontazione {bloccata.anno} è «{_stato(bloccata.stato)}»: si può dichiarare "
            "solo quando è in compilazione o restituita per integrazioni."
        )
    linea = _Linea(fonte, obiettivo, area)
    if not FonteCiclo.objects.filter(ciclo_id=bloccata.ciclo_id, fonte=fonte).exists():
        raise DichiarazioneNonValida(
            f"La fonte {fonte.codice} non è tra quelle attive nel ciclo {bloccata.ciclo}."
        )
    motivazione_rettifica = motivazione_rettifica.strip()
    giustificazione = giustificazione.strip()
    precedente = (
        Dichiarazione.objects.filter(
            rendicontazione=bloccata,
            fonte=fonte,
            obiettivo_servizio=obiettivo,
            area_intervento=area,
        )
        .order_by("-data", "-pk")
        .first()
    )
    _controlla_data(linea, bloccata.anno, data, precedente)
    chiave = Linea(bloccata.ambito_id, bloccata.anno, fonte.pk, obiettivo.pk, area.pk)
    programmato = programmato_per_linea([bloccata.ambito_id], [bloccata.anno]).get(chiave, ZERO)
    _controlla_importi(
        linea,
        impegnato,
        liquidato,
        precedente,
        rettifica,
        motivazione_rettifica,
        programmato,
        giustificazione,
    )
    dichiarazione = Dichiarazione.objects.create(
        rendicontazione=bloccata,
        fonte=fonte,
        obiettivo_servizio=obiettivo,
        area_intervento=area,
        data=data,
        impegnato=impegnato,
        liquidato=liquidato,
        rettifica=rettifica,
        motivazione_rettifica=motivazione_rettifica if rettifica else "",
        giustificazione=giustificazione,
        dichiarata_da=user,
    )
    bloccata.save(update_fields=["aggiornata_il"])
    return dichiarazione


@transaction.atomic
def dichiarazione_registra_per_anno(
    *, ambito: Ambito, anno: int, user: User, **dati
) -> Dichiarazione:
    """The first declaration of a year opens its report; a refused one leaves no report behind."""
    rendicontazione = rendicontazione_apri(ambito=ambito, anno=anno, user=user)
    return dichiarazione_registra(rendicontazione=rendicontazione, user=user, **dati)


# --- The report's journey ------------------------------------------------------------------------


@dataclass(frozen=True)
class Regola:
    da: frozenset[str]
    a: str
    permesso: Azione
    chi: str


REGOLE: dict[str, Regola] = {
    AzioneFlusso.INVIO: Regola(
        frozenset({Stato.BOZZA, Stato.RESTITUITA}),
        Stato.INVIATA,
        Azione.INVIARE,
        "il responsabile dell'Ufficio di Piano",
    ),
    AzioneFlusso.RESTITUZIONE: Regola(
        frozenset({Stato.INVIATA}), Stato.RESTITUITA, Azione.ISTRUIRE, "un funzionario regionale"
    ),
    AzioneFlusso.ACCETTAZIONE: Regola(
        frozenset({Stato.INVIATA}), Stato.ACCETTATA, Azione.ISTRUIRE, "un funzionario regionale"
    ),
}


def azioni_possibili(rendicontazione: Rendicontazione, user: User) -> list[str]:
    """The moves this user may make on the report now (what the page offers)."""
    return [
        azione
        for azione, regola in REGOLE.items()
        if rendicontazione.stato in regola.da and can(user, regola.permesso, rendicontazione.ambito)
    ]


@transaction.atomic
def rendicontazione_transizione(
    *,
    rendicontazione: Rendicontazione,
    user: User,
    azione: str,
    stato_atteso: str,
    commento: str = "",
) -> TransizioneRendicontazione:
    """Move the report by ``azione`` from ``stato_atteso`` (the state the user's page showed).

    A repeated request (a double click) returns the move already made; a stale page is refused
    naming the current state.
    """
    if azione not in REGOLE:
        raise TransizioneNonConsentita("Operazione sconosciuta.")
    regola = REGOLE[azione]
    bloccata = (
        Rendicontazione.objects.select_for_update(of=("self",))
        .select_related("ambito__regione", "ciclo")
        .get(pk=rendicontazione.pk)
    )
    if not can(user, regola.permesso, bloccata.ambito):
        raise TransizioneNonConsentita(
            f"Solo {regola.chi} può eseguire «{AzioneFlusso(azione).label.lower()}»."
        )
    if bloccata.stato != stato_atteso:
        ultima = bloccata.transizioni.order_by("-eseguita_il", "-pk").first()
        if (
            ultima is not None
            and ultima.azione == azione
            and ultima.da_stato == stato_atteso
            and ultima.a_stato == bloccata.stato
            and ultima.utente_id == user.pk
        ):
            return ultima  # the same request again: done once, answered twice
        raise TransizioneNonConsentita(
            f"Nel frattempo la rendicontazione è passata allo stato «{_stato(bloccata.stato)}»: "
            "l'operazione non è stata eseguita. Ricaricare la pagina per vedere la situazione "
            "attuale."
        )
    if bloccata.stato not in regola.da:
        raise TransizioneNonConsentita(
            f"Una rendicontazione «{_stato(bloccata.stato)}» non può passare allo stato "
            f"«{_stato(regola.a)}»."
        )
    commento = commento.strip()
    if azione == AzioneFlusso.RESTITUZIONE and not commento:
        raise TransizioneNonConsentita(
            "Per restituire la rendicontazione scrivere all'Ufficio di Piano che cosa va integrato."
        )
    if azione == AzioneFlusso.INVIO and not bloccata.dichiarazioni.exists():
        raise TransizioneNonConsentita(
            f"La rendicontazione {bloccata.anno} non ha ancora dichiarazioni: dichiarare "
            "l'impegnato e il liquidato delle linee prima di inviarla."
        )
    transizione = TransizioneRendicontazione.objects.create(
        rendicontazione=bloccata,
        azione=azione,
        da_stato=bloccata.stato,
        a_stato=regola.a,
        utente=user,
        commento=commento,
    )
    bloccata.stato = regola.a
    bloccata.save(update_fields=["stato", "aggiornata_il"])
    rendicontazione.stato = bloccata.stato

    transaction.on_commit(lambda: notifica_transizione_rendicontazione.delay(transizione.pk))
    _dopo_il_commit(bloccata, azione)
    return transizione


def rendicontazione_invia(
    *, rendicontazione: Rendicontazione, user: User, stato_atteso: str
) -> TransizioneRendicontazione:
    return rendicontazione_transizione(
        rendicontazione=rendicontazione,
        user=user,
        azione=AzioneFlusso.INVIO,
        stato_atteso=stato_atteso,
    )


def rendicontazione_accetta(
    *, rendicontazione: Rendicontazione, user: User, stato_atteso: str, commento: str = ""
) -> TransizioneRendicontazione:
    return rendicontazione_transizione(
        rendicontazione=rendicontazione,
        user=user,
        azione=AzioneFlusso.ACCETTAZIONE,
        stato_atteso=stato_atteso,
        commento=commento,
    )


def rendicontazione_restituisci(
    *, rendicontazione: Rendicontazione, user: User, stato_atteso: str, commento: str
) -> TransizioneRendicontazione:
    return rendicontazione_transizione(
        rendicontazione=rendicontazione,
        user=user,
        azione=AzioneFlusso.RESTITUZIONE,
        stato_atteso=stato_atteso,
        commento=commento,
    )
