"""Review remarks: the officer comments on a section of a plan, the district replies, the officer
resolves.

Services lock the plan's row (as the workflow does), so a remark and a transition never interleave
and a repeated POST finds the remark the first one wrote. Every new remark or reply is e-mailed
after the transaction commits (tasks.notifica_commento).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from pianizona import registry
from pianizona.accessi.tenancy import Azione, can
from pianizona.dominio import ErroreDominio
from pianizona.models import Commento, Piano, User, Versione
from pianizona.territorio.denominazioni import denominazione_distretti

from .tasks import notifica_commento

Stato = Piano.Stato

SEZIONE_GENERALE = "generale"
TITOLO_GENERALE = "Piano nel complesso"
# The officer writes while reviewing, and may add detail after asking for additions.
STATI_OSSERVAZIONI = frozenset({Stato.INVIATO, Stato.IN_ISTRUTTORIA, Stato.RICHIESTA_INTEGRAZIONI})
# The same text by the same author within this time is a double click, not a second remark.
FINESTRA_DOPPIO_INVIO = timedelta(seconds=10)


class CommentoNonConsentito(ErroreDominio):
    pass


# ---------------------------------------------------------------------------------------------
# Who may do what (the pages ask the same questions the services enforce)


def sezioni() -> dict[str, str]:
    """Every section a remark may be about, key → label, in the order the plan page lists them."""
    return {
        SEZIONE_GENERALE: TITOLO_GENERALE,
        **{s.url_name: s.titolo for s in registry.sezioni_piano()},
    }


def titolo_sezione(chiave: str) -> str:
    """The section's label; the raw key for a section no app registers any more."""
    return sezioni().get(chiave, chiave)


def puo_istruire(user: User, piano: Piano) -> bool:
    """A regional officer of the plan's region: writes, resolves and reopens remarks."""
    return can(user, Azione.ISTRUIRE, piano)


def puo_partecipare(user: User, piano: Piano) -> bool:
    """The ambito's Ufficio di Piano and the officers reply to remarks."""
    return any(can(user, a, piano) for a in (Azione.MODIFICARE, Azione.INVIARE, Azione.ISTRUIRE))


def osservazioni_aperte_per(piano: Piano) -> bool:
    """Whether the plan's state lets an officer write a new remark."""
    return piano.stato in STATI_OSSERVAZIONI


def risposte_aperte_per(piano: Piano) -> bool:
    return piano.stato != Stato.APPROVATO


# ---------------------------------------------------------------------------------------------
# Services


def _stato(piano: Piano) -> str:
    return piano.get_stato_display().lower()


def _piano_bloccato(piano_id: int) -> Piano:
    return (
        Piano.objects.select_for_update(of=("self",))
        .select_related("ambito__regione", "ciclo")
        .get(pk=piano_id)
    )


def _testo(testo: str, cosa: str) -> str:
    testo = (testo or "").strip()
    if not testo:
        raise CommentoNonConsentito(f"Scrivere il testo {cosa}.")
    return testo


def _radice(commento: Commento) -> Commento:
    """The remark a thread hangs from: replies always attach there, however deep they point."""
    radice = Commento.objects.select_related("autore").get(pk=commento.pk)
    while radice.risposta_a_id is not None:
        radice = Commento.objects.select_related("autore").get(pk=radice.risposta_a_id)
    return radice


def _doppio_invio(candidati, user: User, testo: str) -> Commento | None:
    """The author's last remark (or reply) in the same place, when it is this very text just sent."""
    ultimo = candidati.filter(autore=user).order_by("-creato_il", "-pk").first()
    if (
        ultimo is not None
        and ultimo.testo == testo
        and timezone.now() - ultimo.creato_il <= FINESTRA_DOPPIO_INVIO
    ):
        return ultimo
    return None


def _ultima_versione(piano: Piano) -> Versione | None:
    return Versione.objects.filter(piano=piano).order_by("-numero").only("pk", "numero").first()


def _notifica(commento: Commento) -> None:
    transaction.on_commit(lambda: notifica_commento.delay(commento.pk))


@transaction.atomic
def commento_crea(*, piano: Piano, user: User, sezione: str, testo: str) -> Commento:
    """An officer's remark on a section of a plan under review; the district is told by e-mail.

    The same text sent twice within a few seconds (a double click) gives back the first remark.
    """
    bloccato = _piano_bloccato(piano.pk)
    if not puo_istruire(user, bloccato):
        raise CommentoNonConsentito("Solo un funzionario regionale può scrivere un'osservazione.")
    if not osservazioni_aperte_per(bloccato):
        raise CommentoNonConsentito(
            f"Il piano è «{_stato(bloccato)}»: le osservazioni si scrivono mentre la Regione lo "
            "istruisce (piano inviato, in istruttoria o con richiesta di integrazioni)."
        )
    if sezione not in sezioni():
        raise CommentoNonConsentito(
            "Sezione del piano sconosciuta: scegliere una sezione dall'elenco."
        )
    testo = _testo(testo, "dell'osservazione")
    gia_scritto = _doppio_invio(
        Commento.objects.filter(piano=bloccato, risposta_a__isnull=True, sezione=sezione),
        user,
        testo,
    )
    if gia_scritto is not None:
        return gia_scritto
    commento = Commento.objects.create(
        piano=bloccato,
        sezione=sezione,
        versione=_ultima_versione(bloccato),
        autore=user,
        testo=testo,
    )
    _notifica(commento)
    return commento


@transaction.atomic
def commento_rispondi(*, commento: Commento, user: User, testo: str) -> Commento:
    """A reply, by the ambito's Ufficio di Piano or an officer, to an open remark.

    A reply to a reply joins the remark's thread; a repeated POST gives back the first reply.
    """
    bloccato = _piano_bloccato(commento.piano_id)
    if not puo_partecipare(user, bloccato):
        raise CommentoNonConsentito(
            f"Solo l'Ufficio di Piano {denominazione_distretti(bloccato).forma('del')} o un "
            "funzionario regionale può rispondere alle osservazioni."
        )
    if not risposte_aperte_per(bloccato):
        raise CommentoNonConsentito(
            "Il piano è approvato: alle sue osservazioni non si risponde più."
        )
    radice = _radice(commento)
    if radice.risolto_il is not None:
        raise CommentoNonConsentito(
            "L'osservazione è già risolta: non si può più rispondere. Se serve, un funzionario "
            "regionale può riaprirla."
        )
    testo = _testo(testo, "della risposta")
    gia_scritta = _doppio_invio(radice.risposte.all(), user, testo)
    if gia_scritta is not None:
        return gia_scritta
    risposta = Commento.objects.create(
        piano=bloccato,
        sezione=radice.sezione,
        risposta_a=radice,
        versione=_ultima_versione(bloccato),
        autore=user,
        testo=testo,
    )
    _notifica(risposta)
    return risposta


@transaction.atomic
def commento_risolvi(*, commento: Commento, user: User) -> Commento:
    """The officer closes a remark (its thread, when given a reply); closing it again does nothing."""
    bloccato = _piano_bloccato(commento.piano_id)
    if not puo_istruire(user, bloccato):
        raise CommentoNonConsentito(
            "Solo un funzionario regionale può segnare un'osservazione come risolta."
        )
    radice = _radice(commento)
    if radice.risolto_il is None:
        radice.risolto_il = timezone.now()
        radice.risolto_da = user
        radice.save(update_fields=["risolto_il", "risolto_da"])
    return radice


@transaction.atomic
def commento_riapri(*, commento: Commento, user: User) -> Commento:
    """The officer opens a resolved remark again; reopening an open one does nothing."""
    bloccato = _piano_bloccato(commento.piano_id)
    if not puo_istruire(user, bloccato):
        raise CommentoNonConsentito("Solo un funzionario regionale può riaprire un'osservazione.")
    radice = _radice(commento)
    if radice.risolto_il is None:
        return radice
    if not risposte_aperte_per(bloccato):
        # An open remark nobody may answer any more would stay open for ever.
        raise CommentoNonConsentito("Il piano è approvato: le sue osservazioni non si riaprono.")
    radice.risolto_il = None
    radice.risolto_da = None
    radice.save(update_fields=["risolto_il", "risolto_da"])
    return radice


def commenti_aperti_chiudi(*, piano: Piano, user: User, ids: Iterable[int]) -> int:
    """Resolve these open remarks of the plan at once, as ``user``; call it with the plan locked."""
    return (
        _aperti([piano.pk])
        .filter(pk__in=list(ids))
        .update(risolto_il=timezone.now(), risolto_da=user)
    )


def quante_aperte(n: int) -> str:
    """«un'osservazione aperta», «3 osservazioni aperte»: for the approval's messages."""
    return "un'osservazione aperta" if n == 1 else f"{n} osservazioni aperte"


def scegliere_per_le_aperte(n: int) -> str:
    """The message when an approval with open remarks comes without the officer's choice."""
    return (
        f"Il piano ha {quante_aperte(n)}: scegliere se chiuderle con l'approvazione "
        "o lasciarle aperte."
    )


# ---------------------------------------------------------------------------------------------
# Selectors


@dataclass
class GruppoSezione:
    """The remarks on one section: open ones first, each with its replies in ``elenco_risposte``."""

    chiave: str
    titolo: str
    url: str | None  # the section's own page; None for the whole plan or an unknown section
    commenti: list[Commento] = field(default_factory=list)

    @property
    def aperti(self) -> int:
        return sum(1 for c in self.commenti if c.aperto)


def _url_sezione(chiave: str, piano: Piano) -> str | None:
    nomi = {s.url_name for s in registry.sezioni_piano()}
    return reverse(chiave, args=[piano.pk]) if chiave in nomi else None


def _ordine_sezione(chiave: str, ordine: dict[str, int]) -> tuple[int, str]:
    return (ordine.get(chiave, len(ordine)), chiave)


def commenti_del_piano(piano: Piano) -> list[GruppoSezione]:
    """Every remark of the plan with its replies, by section in the plan's order (two queries)."""
    risposte = Prefetch(
        "risposte",
        queryset=Commento.objects.select_related("autore", "versione")
        .defer("versione__contenuto")
        .order_by("creato_il", "pk"),
        to_attr="elenco_risposte",
    )
    radici = (
        Commento.objects.filter(piano=piano, risposta_a__isnull=True)
        .select_related("autore", "risolto_da", "versione")
        .defer("versione__contenuto")
        .prefetch_related(risposte)
        .order_by("creato_il", "pk")
    )
    etichette = sezioni()
    ordine = {chiave: i for i, chiave in enumerate(etichette)}
    gruppi: dict[str, GruppoSezione] = {}
    for commento in sorted(radici, key=lambda c: not c.aperto):  # stable: oldest first within
        if commento.sezione not in gruppi:
            gruppi[commento.sezione] = GruppoSezione(
                commento.sezione,
                etichette.get(commento.sezione, commento.sezione),
                _url_sezione(commento.sezione, piano),
            )
        gruppi[commento.sezione].commenti.append(commento)
    return [gruppi[k] for k in sorted(gruppi, key=lambda k: _ordine_sezione(k, ordine))]


def _aperti(piano_ids: Iterable[int]):
    return Commento.objects.filter(
        piano_id__in=list(piano_ids), risposta_a__isnull=True, risolto_il__isnull=True
    )


def commenti_aperti_ids(piano: Piano) -> set[int]:
    """The plan's open remarks, by id (one query)."""
    return set(_aperti([piano.pk]).values_list("pk", flat=True))


def commenti_aperti(piano: Piano) -> list[Commento]:
    """The plan's open remarks by section, each with ``titolo_sezione`` and ``n_risposte`` (one query)."""
    aperti = list(
        _aperti([piano.pk])
        .select_related("autore")
        .annotate(n_risposte=Count("risposte"))
        .order_by("creato_il", "pk")
    )
    etichette = sezioni()
    ordine = {chiave: i for i, chiave in enumerate(etichette)}
    for commento in aperti:
        commento.titolo_sezione = etichette.get(commento.sezione, commento.sezione)
    return sorted(aperti, key=lambda c: _ordine_sezione(c.sezione, ordine))


def conteggio_aperti(piani_ids: Iterable[int]) -> dict[int, int]:
    """Open remarks per plan, for any number of plans in one query (0 for a plan without any)."""
    conteggi = dict.fromkeys(piani_ids, 0)
    righe = _aperti(conteggi).values("piano_id").annotate(n=Count("pk")).order_by()
    conteggi.update({r["piano_id"]: r["n"] for r in righe})
    return conteggi
