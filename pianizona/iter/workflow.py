"""The plan's state machine: submission, review, approval, frozen versions, annual updates.

Every transition runs in one transaction with the plan's row locked, checks the state the page
showed (a stale page or a double click never moves a plan twice), is recorded as a Transizione
and notifies the people concerned once the transaction commits.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio, verifica_integrita
from pianizona.models import Ambito, Ciclo, Piano, Transizione, User, Versione
from pianizona.territorio.denominazioni import denominazione_distretti

from . import commenti
from .istantanee import istantanea_del_piano
from .tasks import notifica_transizione

Stato = Piano.Stato
AzioneFlusso = Transizione.Azione
Osservazioni = Transizione.Osservazioni


@dataclass(frozen=True)
class Regola:
    da: frozenset[str]
    a: str
    permesso: Azione
    chi: str  # who may do it, for the message when someone else tries


REGOLE: dict[str, Regola] = {
    AzioneFlusso.INVIO: Regola(
        frozenset({Stato.BOZZA, Stato.RICHIESTA_INTEGRAZIONI}),
        Stato.INVIATO,
        Azione.INVIARE,
        "il responsabile dell'Ufficio di Piano",
    ),
    AzioneFlusso.PRESA_IN_CARICO: Regola(
        frozenset({Stato.INVIATO}),
        Stato.IN_ISTRUTTORIA,
        Azione.ISTRUIRE,
        "un funzionario regionale",
    ),
    AzioneFlusso.RICHIESTA_INTEGRAZIONI: Regola(
        frozenset({Stato.IN_ISTRUTTORIA}),
        Stato.RICHIESTA_INTEGRAZIONI,
        Azione.ISTRUIRE,
        "un funzionario regionale",
    ),
    AzioneFlusso.APPROVAZIONE: Regola(
        frozenset({Stato.IN_ISTRUTTORIA}),
        Stato.APPROVATO,
        Azione.ISTRUIRE,
        "un funzionario regionale",
    ),
}


class TransizioneNonConsentita(ErroreDominio):
    pass


class ControlliNonSuperati(TransizioneNonConsentita):
    def __init__(self, esiti: list[registry.EsitoControllo]):
        self.esiti = esiti
        super().__init__(
            f"Il piano non può essere inviato: {len(esiti)} "
            f"{'controllo bloccante non è superato' if len(esiti) == 1 else 'controlli bloccanti non sono superati'}. "
            "Correggere i punti indicati nell'elenco dei controlli."
        )


def _stato(valore: str) -> str:
    return Stato(valore).label.lower()


def azioni_possibili(piano: Piano, user: User) -> list[str]:
    """The transitions this user may start on the plan now (what the page offers)."""
    if piano.ciclo.chiuso:
        return []
    return [
        azione
        for azione, regola in REGOLE.items()
        if piano.stato in regola.da and can(user, regola.permesso, piano)
    ]


def ultimo_invio(piano: Piano) -> Transizione | None:
    return (
        Transizione.objects.filter(piano=piano, azione=AzioneFlusso.INVIO)
        .order_by("-eseguita_il", "-pk")
        .first()
    )


def _versione_congela(piano: Piano, user: User, stato: str) -> Versione:
    numero = (Versione.objects.filter(piano=piano).aggregate(m=Max("numero"))["m"] or 0) + 1
    istantanea = istantanea_del_piano(piano)
    istantanea.piano.update(versione=numero, stato=stato)  # as it stands once submitted
    contenuto = istantanea.as_dict()
    return Versione.objects.create(
        piano=piano,
        numero=numero,
        creata_da=user,
        contenuto=contenuto,
        impronta=istantanea.impronta(),
    )


def _osservazioni_all_approvazione(
    piano: Piano, user: User, scelta: str, viste: Collection[int] | None
) -> tuple[str, int]:
    """Close or keep the open remarks as the approving officer chose; (choice, how many open)."""
    aperte = commenti.commenti_aperti_ids(piano)
    if not aperte:
        return "", 0  # nothing to choose
    if viste is not None and aperte - set(viste):
        raise TransizioneNonConsentita(
            "Nel frattempo è stata scritta una nuova osservazione: il piano non è stato approvato. "
            "Ricaricare la pagina, leggerla e scegliere di nuovo."
        )
    if scelta not in Osservazioni.values:
        raise TransizioneNonConsentita(
            f"{commenti.scegliere_per_le_aperte(len(aperte))} Il piano non è stato approvato."
        )
    if scelta == Osservazioni.CHIUSE:
        commenti.commenti_aperti_chiudi(piano=piano, user=user, ids=aperte)
    return scelta, len(aperte)


@transaction.atomic
def piano_transizione(
    *,
    piano: Piano,
    user: User,
    azione: str,
    stato_atteso: str,
    commento: str = "",
    osservazioni: str = "",
    osservazioni_viste: Collection[int] | None = None,
) -> Transizione:
    """Move the plan by ``azione`` from ``stato_atteso`` (the state the user's page showed).

    Refuses with a TransizioneNonConsentita, leaving the plan as it was, when the role may not
    act, the state is not the expected one, a comment is missing, a blocking check fails or the
    officer approving is the one who submitted. An approval of a plan with open remarks needs
    ``osservazioni`` (close them or leave them open) and is refused if a remark was written that
    the officer did not see (``osservazioni_viste``, the ids the page listed). A repeated
    request (a double click) returns the transition already made.
    """
    if azione not in REGOLE:
        raise TransizioneNonConsentita("Operazione sconosciuta.")
    regola = REGOLE[azione]
    bloccato = (
        Piano.objects.select_for_update(of=("self",))
        .select_related("ambito__regione", "ciclo")
        .get(pk=piano.pk)
    )
    if not can(user, regola.permesso, bloccato):
        raise TransizioneNonConsentita(
            f"Solo {regola.chi} può eseguire «{AzioneFlusso(azione).label.lower()}»."
        )
    if bloccato.ciclo.chiuso:
        raise TransizioneNonConsentita(bloccato.motivo_sola_lettura)
    if bloccato.stato != stato_atteso:
        ultima = Transizione.objects.filter(piano=bloccato).order_by("-eseguita_il", "-pk").first()
        if (
            ultima is not None
            and ultima.azione == azione
            and ultima.da_stato == stato_atteso
            and ultima.a_stato == bloccato.stato
            and ultima.utente_id == user.pk
        ):
            return ultima  # the same request again: done once, answered twice
        raise TransizioneNonConsentita(
            f"Nel frattempo il piano è passato allo stato «{_stato(bloccato.stato)}»: "
            "l'operazione non è stata eseguita. Ricaricare la pagina per vedere la situazione attuale."
        )
    if bloccato.stato not in regola.da:
        raise TransizioneNonConsentita(
            f"Un piano «{_stato(bloccato.stato)}» non può passare allo stato «{_stato(regola.a)}»."
        )
    commento = commento.strip()
    versione = None
    if azione == AzioneFlusso.RICHIESTA_INTEGRAZIONI and not commento:
        raise TransizioneNonConsentita(
            "Per chiedere integrazioni scrivere all'Ufficio di Piano che cosa va corretto."
        )
    if azione == AzioneFlusso.INVIO:
        if bloccanti := [e for e in registry.esegui_controlli(bloccato) if e.bloccante]:
            raise ControlliNonSuperati(bloccanti)
        versione = _versione_congela(bloccato, user, regola.a)
    scelta, aperte = "", 0
    if azione == AzioneFlusso.APPROVAZIONE:
        invio = ultimo_invio(bloccato)
        if invio is not None and invio.utente_id == user.pk:
            raise TransizioneNonConsentita(
                "Non si può approvare un piano che si è inviato: serve un altro funzionario."
            )
        scelta, aperte = _osservazioni_all_approvazione(
            bloccato, user, osservazioni, osservazioni_viste
        )
    if azione != AzioneFlusso.INVIO:  # the Region's moves concern the version under review
        versione = Versione.objects.filter(piano=bloccato).order_by("-numero").first()
    transizione = Transizione.objects.create(
        piano=bloccato,
        azione=azione,
        da_stato=bloccato.stato,
        a_stato=regola.a,
        utente=user,
        commento=commento,
        versione=versione,
        osservazioni=scelta,
        osservazioni_aperte=aperte,
    )
    bloccato.stato = regola.a
    bloccato.save(update_fields=["stato", "aggiornato_il"])
    piano.stato = bloccato.stato

    transaction.on_commit(lambda: notifica_transizione.delay(transizione.pk))
    transaction.on_commit(lambda: registry.dopo_transizione(transizione), robust=True)
    return transizione


def piano_invia(*, piano: Piano, user: User, stato_atteso: str) -> Transizione:
    return piano_transizione(
        piano=piano, user=user, azione=AzioneFlusso.INVIO, stato_atteso=stato_atteso
    )


def piano_prendi_in_carico(*, piano: Piano, user: User, stato_atteso: str) -> Transizione:
    return piano_transizione(
        piano=piano, user=user, azione=AzioneFlusso.PRESA_IN_CARICO, stato_atteso=stato_atteso
    )


def piano_richiedi_integrazioni(
    *, piano: Piano, user: User, stato_atteso: str, commento: str
) -> Transizione:
    return piano_transizione(
        piano=piano,
        user=user,
        azione=AzioneFlusso.RICHIESTA_INTEGRAZIONI,
        stato_atteso=stato_atteso,
        commento=commento,
    )


def piano_approva(
    *,
    piano: Piano,
    user: User,
    stato_atteso: str,
    commento: str = "",
    osservazioni: str = "",
    osservazioni_viste: Collection[int] | None = None,
) -> Transizione:
    return piano_transizione(
        piano=piano,
        user=user,
        azione=AzioneFlusso.APPROVAZIONE,
        stato_atteso=stato_atteso,
        commento=commento,
        osservazioni=osservazioni,
        osservazioni_viste=osservazioni_viste,
    )


# --- Annual update -------------------------------------------------------------------------------


def origine_attuativo(ambito: Ambito, ciclo: Ciclo) -> Piano | None:
    """What an annual update starts from: the last approved annual plan, else the triennial one."""
    approvati = Piano.objects.filter(ambito=ambito, ciclo=ciclo, stato=Stato.APPROVATO)
    return (
        approvati.filter(tipo=Piano.Tipo.ATTUATIVO).order_by("-anno").first()
        or approvati.filter(tipo=Piano.Tipo.TRIENNALE).first()
    )


def anno_corrente() -> int:
    return timezone.localdate().year


def anni_attuativo_possibili(ambito: Ambito, ciclo: Ciclo, origine: Piano | None) -> list[int]:
    """The cycle's years after the origin that have no annual plan yet and are not over.

    An annual plan programmes a year's spending: a year already over is reported in monitoring,
    not planned, so the current year (plans are often approved during it) and the next ones.
    """
    if origine is None:
        return []
    occupati = set(
        Piano.objects.filter(ambito=ambito, ciclo=ciclo, tipo=Piano.Tipo.ATTUATIVO).values_list(
            "anno", flat=True
        )
    )
    dopo = origine.anno or ciclo.anno_inizio - 1
    return [a for a in ciclo.anni if a > dopo and a >= anno_corrente() and a not in occupati]


@dataclass
class AvvioAttuativo:
    piano: Piano
    origine: Piano
    messaggi: list[str]


@transaction.atomic
def piano_attuativo_avvia(*, ambito: Ambito, ciclo: Ciclo, anno: int, user: User) -> AvvioAttuativo:
    """Start next year's Piano attuativo, pre-filled by each phase from the last approved plan."""
    if not can(user, Azione.MODIFICARE, ambito):
        raise TransizioneNonConsentita(
            f"Solo l'Ufficio di Piano {denominazione_distretti(ambito).forma('del')} può avviare "
            "il piano attuativo."
        )
    if ciclo.chiuso:
        raise TransizioneNonConsentita(
            f"Il ciclo «{ciclo.nome}» è chiuso: non si possono avviare nuovi piani."
        )
    # Serialises two clicks on "avvia": the second finds the plan the first created.
    Ambito.objects.select_for_update().get(pk=ambito.pk)
    esistente = Piano.objects.filter(
        ambito=ambito, ciclo=ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=anno
    ).first()
    if esistente is not None:
        raise TransizioneNonConsentita(f"Il piano attuativo {anno} esiste già.")
    origine = origine_attuativo(ambito, ciclo)
    if origine is None:
        raise TransizioneNonConsentita(
            "Il piano attuativo parte dal piano triennale approvato: il ciclo non ne ha ancora uno."
        )
    if anno < anno_corrente():
        raise TransizioneNonConsentita(
            f"Il {anno} è già trascorso: un piano attuativo si avvia per l'anno in corso o per "
            "uno dei successivi del ciclo."
        )
    if anno not in anni_attuativo_possibili(ambito, ciclo, origine):
        raise TransizioneNonConsentita(
            f"L'anno {anno} non è tra quelli per cui si può avviare un piano attuativo."
        )
    piano = Piano(ambito=ambito, ciclo=ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=anno)
    verifica_integrita(piano)
    piano.save()
    piano = Piano.objects.select_related("ambito__regione", "ciclo").get(pk=piano.pk)
    messaggi = []
    for precompila in registry.precompilazioni():
        messaggi += precompila(origine, piano, user)
    return AvvioAttuativo(piano=piano, origine=origine, messaggi=messaggi)
