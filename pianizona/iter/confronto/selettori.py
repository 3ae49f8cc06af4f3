"""Which terms a user may compare, and loading them (in a fixed number of queries)."""

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.formats import date_format
from django.utils.timezone import localtime

from pianizona.accessi.tenancy import piani_for_user
from pianizona.dominio import ErroreDominio
from pianizona.models import Piano, Transizione, Versione

from ..istantanee import Istantanea, istantanea_del_piano
from ..selectors import decisioni_sulle_versioni, esiti_delle_versioni
from .calcolo import Termine

APPROVATA = Transizione.ESITI[Transizione.Azione.APPROVAZIONE]

# --- Selectors: which terms there are, and loading them -----------------------------------------

MAX_TERMINI = 6
CORRENTE = "corrente"
# at most 9 digits: a key that fits any integer column, so a long one is a 404, never a 500
_CODICE = re.compile(rf"^(\d{{1,9}})-(?:v(\d{{1,6}})|({CORRENTE}))$")


class TerminiNonValidi(ErroreDominio):
    """The terms asked for cannot be read: shown to the user, answered with a 400."""


@dataclass(frozen=True)
class Riferimento:
    """A term before it is loaded: a plan and a version number, or None for its current content."""

    piano_id: int
    numero: int | None = None

    @property
    def codice(self) -> str:
        return f"{self.piano_id}-{CORRENTE if self.numero is None else f'v{self.numero}'}"


def leggi_riferimenti(codici: Iterable[str]) -> list[Riferimento]:
    """``["12-v3", "12-corrente"]`` → references, without repeats; a malformed one is refused."""
    riferimenti: list[Riferimento] = []
    for codice in codici:
        trovato = _CODICE.match(codice.strip())
        if trovato is None:
            raise TerminiNonValidi(
                f"«{codice[:40]}» non indica una versione: si scrive come «12-v3» (piano 12, "
                "versione 3) o «12-corrente» (il contenuto attuale del piano 12)."
            )
        numero = int(trovato[2]) if trovato[2] else None
        riferimento = Riferimento(int(trovato[1]), numero)
        if riferimento not in riferimenti:
            riferimenti.append(riferimento)
    if len(riferimenti) > MAX_TERMINI:
        raise TerminiNonValidi(f"Si possono confrontare al massimo {MAX_TERMINI} versioni insieme.")
    return riferimenti


def leggi_anno(valore: str | None) -> int | None:
    if valore in (None, ""):
        return None
    if not valore.isdigit() or len(valore) != 4:
        raise TerminiNonValidi(f"«{valore[:10]}» non è un anno.")
    return int(valore)


@dataclass
class PianoConVersioni:
    """A plan with its versions (without their content) and the Region's outcome on each."""

    piano: Piano
    versioni: list[Versione]
    esiti: dict[int, str]  # version pk → «Approvata», «Integrazioni richieste»

    @property
    def approvate(self) -> set[int]:
        return {pk for pk, esito in self.esiti.items() if esito == APPROVATA}

    @property
    def ultima(self) -> Versione | None:
        return self.versioni[-1] if self.versioni else None

    @property
    def ultima_approvata(self) -> Versione | None:
        return next((v for v in reversed(self.versioni) if v.pk in self.approvate), None)

    def descrizione(self, versione: Versione) -> str:
        data = date_format(localtime(versione.creata_il), "j F Y")
        esito = self.esiti.get(versione.pk)
        return f"versione {versione.numero} del {data}{', ' + esito.lower() if esito else ''}"


def _ordine_piano(piano: Piano) -> tuple:
    """Oldest first: cycle, the triennial plan, then the annual plans by year."""
    return (piano.ciclo.anno_inizio, piano.tipo != Piano.Tipo.TRIENNALE, piano.anno or 0)


def _esiti(versioni: Iterable[Versione]) -> dict[int, str]:
    decisioni = decisioni_sulle_versioni(v.pk for v in versioni)
    return {pk: t.esito for pk, t in esiti_delle_versioni(decisioni).items()}


def piani_del_ciclo(user, piano: Piano) -> list[PianoConVersioni]:
    """The plans of the ambito in the plan's cycle, oldest first, each with its versions (3 queries)."""
    piani = list(
        piani_for_user(user)
        .filter(ambito_id=piano.ambito_id, ciclo_id=piano.ciclo_id)
        .select_related("ciclo")
    )
    piani.sort(key=_ordine_piano)
    versioni = list(
        Versione.objects.filter(piano__in=piani).defer("contenuto").order_by("piano", "numero")
    )
    esiti = _esiti(versioni)
    per_piano = defaultdict(list)
    for versione in versioni:
        per_piano[versione.piano_id].append(versione)
    return [PianoConVersioni(p, per_piano[p.pk], esiti) for p in piani]


def riferimenti_standard(piano: Piano, piani: list[PianoConVersioni]) -> list[Riferimento]:
    """The usual comparison for the plan.

    An annual plan: the triennial plan and each earlier annual plan of the cycle (their latest
    approved version, else their latest), then the plan itself (its current content while it can
    change, else its latest version). A triennial plan: its first submitted version, its latest
    and its current content while it can change.
    """

    def rappresentativa(pv: PianoConVersioni) -> Riferimento:
        versione = pv.ultima_approvata or pv.ultima
        return Riferimento(pv.piano.pk, versione.numero if versione else None)

    proprio = next(pv for pv in piani if pv.piano.pk == piano.pk)
    riferimenti = []
    if piano.tipo == Piano.Tipo.ATTUATIVO:
        riferimenti += [
            rappresentativa(pv)
            for pv in piani
            if pv.piano.tipo == Piano.Tipo.TRIENNALE
            or (pv.piano.anno is not None and pv.piano.anno < (piano.anno or 0))
        ]
        if piano.modificabile or proprio.ultima is None:
            riferimenti.append(Riferimento(piano.pk))
        else:
            riferimenti.append(Riferimento(piano.pk, proprio.ultima.numero))
    else:
        if proprio.versioni:
            riferimenti.append(Riferimento(piano.pk, proprio.versioni[0].numero))
            riferimenti.append(Riferimento(piano.pk, proprio.versioni[-1].numero))
        if piano.modificabile or not proprio.versioni:
            riferimenti.append(Riferimento(piano.pk))
    return list(dict.fromkeys(riferimenti))


def _breve(piano: Piano, numero: int | None) -> str:
    nome = f"Attuativo {piano.anno}" if piano.anno else f"Triennale {piano.ciclo.periodo}"
    return f"{nome} · {'attuale' if numero is None else f'v{numero}'}"


def carica_termini(user, piano: Piano, riferimenti: Sequence[Riferimento]) -> list[Termine]:
    """The terms, oldest first, from plans of the plan's ambito the user may see.

    A plan outside the user's reach or of another ambito, or a version that does not exist, is a
    404. Queries: 3, plus a fixed number per current content asked for.
    """
    ids = {r.piano_id for r in riferimenti}
    piani = {
        p.pk: p
        for p in piani_for_user(user)
        .filter(pk__in=ids, ambito_id=piano.ambito_id)
        .select_related("ambito", "ciclo")
    }
    if set(piani) != ids:
        raise Http404("Piano non trovato tra quelli dell'ambito.")
    numerati = [r for r in riferimenti if r.numero is not None]
    versioni: dict[tuple[int, int], Versione] = {}
    if numerati:
        filtro = Q()
        for r in numerati:
            filtro |= Q(piano_id=r.piano_id, numero=r.numero)
        versioni = {(v.piano_id, v.numero): v for v in Versione.objects.filter(filtro)}
    if any((r.piano_id, r.numero) not in versioni for r in numerati):
        raise Http404("Versione non trovata.")
    esiti = _esiti(versioni.values())

    termini = []
    for r in sorted(
        riferimenti,
        key=lambda r: (_ordine_piano(piani[r.piano_id]), r.numero is None, r.numero or 0),
    ):
        altro = piani[r.piano_id]
        if r.numero is None:
            istantanea = istantanea_del_piano(altro)
            descrizione = f"contenuto attuale ({altro.get_stato_display().lower()})"
            versione = None
        else:
            versione = versioni[(r.piano_id, r.numero)]
            istantanea = Istantanea.from_dict(versione.contenuto)
            pv = PianoConVersioni(altro, [versione], esiti)
            descrizione = pv.descrizione(versione)
        termini.append(
            Termine(
                codice=r.codice,
                titolo=altro.titolo,
                istantanea=istantanea,
                descrizione=descrizione,
                breve=_breve(altro, r.numero),
                piano_id=altro.pk,
                numero=r.numero,
                approvata=versione is not None and esiti.get(versione.pk) == APPROVATA,
            )
        )
    return termini
