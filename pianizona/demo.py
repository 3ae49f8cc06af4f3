"""The demo region: Puglia's 257 real municipalities in 45 ambiti, users for every role, plans in every state.

The grouping into ambiti is built by rule (each province's most populous towns lead, the others join
the smallest group), so it is realistic in size but is *not* the official composition.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from pianizona.iter.istantanee import istantanea_del_piano
from pianizona.territorio.riferimento import load_reference

from .models import (
    Ambito,
    Ciclo,
    Comune,
    Membership,
    Piano,
    Regione,
    Ruolo,
    Transizione,
    User,
    Versione,
)
from .registry import demo_builders

CODICE_PUGLIA = "16"
DEMO_PASSWORD = "demo-pianizona-2025"
DOMINIO = "pianizona.demo"
# Ambiti per province, 45 in all as in Puglia's regional plan.
AMBITI_PER_PROVINCIA = {"BA": 12, "BT": 4, "BR": 4, "FG": 8, "LE": 10, "TA": 7}
STATI_CICLO_CORRENTE = [
    Piano.Stato.BOZZA,
    Piano.Stato.INVIATO,
    Piano.Stato.IN_ISTRUTTORIA,
    Piano.Stato.RICHIESTA_INTEGRAZIONI,
    Piano.Stato.APPROVATO,
]


# The accounts printed by `make run` and documented in the README.
EMAIL_DEMO = [
    f"admin@{DOMINIO}",
    f"funzionario@{DOMINIO}",
    f"responsabile.ba01@{DOMINIO}",
    f"operatore.ba01@{DOMINIO}",
    f"responsabile.ba02@{DOMINIO}",
    f"operatore.ba02@{DOMINIO}",
    f"multi@{DOMINIO}",
]


@dataclass(frozen=True)
class Login:
    email: str
    ruoli: str


def _raggruppa(comuni: list[Comune], n: int) -> list[list[Comune]]:
    per_popolazione = sorted(comuni, key=lambda c: (-c.popolazione, c.codice_istat))
    gruppi = [[c] for c in per_popolazione[:n]]
    for comune in sorted(per_popolazione[n:], key=lambda c: c.codice_istat):
        min(gruppi, key=lambda g: (sum(c.popolazione for c in g), g[0].codice_istat)).append(comune)
    return gruppi


def _crea_ambiti(regione: Regione, rng: random.Random) -> list[Ambito]:
    comuni = list(Comune.objects.filter(regione=regione, soppresso=False))
    forme = [f for f, _ in Ambito.FormaAssociativa.choices]
    ambiti, assegnazioni = [], []
    for sigla, n in AMBITI_PER_PROVINCIA.items():
        gruppi = _raggruppa([c for c in comuni if c.sigla_provincia == sigla], n)
        for i, gruppo in enumerate(gruppi, start=1):
            capofila = gruppo[0]
            ambito, _ = Ambito.objects.update_or_create(
                regione=regione,
                codice=f"{sigla}{i:02d}",
                defaults={
                    "nome": f"Ambito di {capofila.nome}",
                    "comune_capofila": capofila,
                    "forma_associativa": forme[0] if i == 1 else rng.choice(forme),
                },
            )
            ambiti.append(ambito)
            for comune in gruppo:
                comune.ambito = ambito
                assegnazioni.append(comune)
    Comune.objects.bulk_update(assegnazioni, ["ambito"], batch_size=500)
    return ambiti


@cache
def _hash_demo() -> str:
    return make_password(DEMO_PASSWORD)  # hashed once: the demo has a hundred accounts


def _utente(email: str, nome: str, cognome: str, **extra) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={"password": _hash_demo()},
        create_defaults={
            "first_name": nome,
            "last_name": cognome,
            "password": _hash_demo(),
            **extra,
        },
    )
    return user


def _ruolo(user: User, ruolo: str, *, ambito: Ambito | None = None, regione=None) -> None:
    Membership.objects.update_or_create(
        user=user,
        ambito=ambito,
        regione=regione,
        defaults={"ruolo": ruolo},
    )


def _crea_utenti(regione: Regione, ambiti: list[Ambito], scale: str) -> None:
    _utente(f"admin@{DOMINIO}", "Anna", "Amministratrice", is_staff=True, is_superuser=True)
    funz = _utente(f"funzionario@{DOMINIO}", "Franco", "Funzionario")
    _ruolo(funz, Ruolo.FUNZIONARIO, regione=regione)

    con_utenti = ambiti if scale == "full" else ambiti[:2]
    for ambito in con_utenti:
        codice = ambito.codice.lower()
        resp = _utente(f"responsabile.{codice}@{DOMINIO}", "Rita", f"Responsabile {ambito.codice}")
        _ruolo(resp, Ruolo.RESPONSABILE, ambito=ambito)
        oper = _utente(f"operatore.{codice}@{DOMINIO}", "Oscar", f"Operatore {ambito.codice}")
        _ruolo(oper, Ruolo.OPERATORE, ambito=ambito)

    multi = _utente(f"multi@{DOMINIO}", "Marta", "Multiambito")
    _ruolo(multi, Ruolo.OPERATORE, ambito=ambiti[0])
    _ruolo(multi, Ruolo.RESPONSABILE, ambito=ambiti[1])


def _piano(ambito: Ambito, ciclo: Ciclo, stato: str, anno: int | None = None) -> Piano:
    tipo = Piano.Tipo.ATTUATIVO if anno else Piano.Tipo.TRIENNALE
    piano, _ = Piano.objects.update_or_create(
        ambito=ambito, ciclo=ciclo, tipo=tipo, anno=anno, defaults={"stato": stato}
    )
    return piano


def _crea_piani(regione: Regione, ambiti: list[Ambito], rng: random.Random) -> None:
    precedente, _ = Ciclo.objects.update_or_create(
        regione=regione,
        anno_inizio=2022,
        anno_fine=2024,
        defaults={"nome": "V Piano regionale delle politiche sociali 2022–2024"},
    )
    corrente, _ = Ciclo.objects.update_or_create(
        regione=regione,
        anno_inizio=2025,
        anno_fine=2027,
        defaults={"nome": "VI Piano regionale delle politiche sociali 2025–2027"},
    )
    for ambito in ambiti:
        _piano(ambito, precedente, Piano.Stato.APPROVATO)
        for anno in (2023, 2024):
            _piano(ambito, precedente, Piano.Stato.APPROVATO, anno)
    # The two demo ambiti are fixed (a draft to edit, one under review); the rest vary with the seed.
    stati = [Piano.Stato.BOZZA, Piano.Stato.IN_ISTRUTTORIA]
    stati += [STATI_CICLO_CORRENTE[i % 5] for i in range(len(ambiti) - 2)]
    stati[2:] = rng.sample(stati[2:], len(stati) - 2)
    for ambito, stato in zip(ambiti, stati, strict=True):
        _piano(ambito, corrente, stato)
        if stato == Piano.Stato.APPROVATO:
            _piano(ambito, corrente, Piano.Stato.BOZZA, 2026)


@transaction.atomic
def seed_demo(*, scale: str = "small", seed: int = 2025) -> None:
    """Build (or rebuild in place) the demo region; running it twice changes nothing."""
    rng = random.Random(seed)
    load_reference()
    regione = Regione.objects.get(codice_istat=CODICE_PUGLIA)
    ambiti = _crea_ambiti(regione, rng)
    _crea_utenti(regione, ambiti, scale)
    _crea_piani(regione, ambiti, rng)
    for builder in demo_builders():
        builder(regione, ambiti, rng, scale)
    _crea_iter(regione, ambiti)


# The moves that brought a plan to its state, in order: (action, from, to, comment).
_ITER = {
    Piano.Stato.INVIATO: ["invio"],
    Piano.Stato.IN_ISTRUTTORIA: ["invio", "presa_in_carico"],
    Piano.Stato.RICHIESTA_INTEGRAZIONI: ["invio", "presa_in_carico", "richiesta_integrazioni"],
    Piano.Stato.APPROVATO: ["invio", "presa_in_carico", "approvazione"],
}
_ARRIVO = {
    "invio": Piano.Stato.INVIATO,
    "presa_in_carico": Piano.Stato.IN_ISTRUTTORIA,
    "richiesta_integrazioni": Piano.Stato.RICHIESTA_INTEGRAZIONI,
    "approvazione": Piano.Stato.APPROVATO,
}
_NOTA_INTEGRAZIONI = (
    "Integrare l'analisi del contesto con i dati sulla povertà minorile e verificare che la "
    "quota FNPS destinata all'area infanzia e famiglia raggiunga il 50%."
)


def _crea_iter(regione: Regione, ambiti: list[Ambito]) -> None:
    """Versions and state changes for the plans past the draft: the demo's history is coherent.

    Every plan of the current cycle, and the earlier cycle's plans of the two demo ambiti (so the
    comparison of annual plans has versions to read).
    """
    funzionario = User.objects.get(email=f"funzionario@{DOMINIO}")
    storico = _utente(f"storico@{DOMINIO}", "Ufficio di Piano", "(dati storici)", is_active=False)
    responsabili = {
        m.ambito_id: m.user
        for m in Membership.objects.filter(ambito__in=ambiti, ruolo=Ruolo.RESPONSABILE)
        .select_related("user")
        .order_by("-pk")
    }
    piani = Piano.objects.filter(ambito__in=ambiti).select_related("ambito__regione", "ciclo")
    demo = {a.pk for a in ambiti[:2]}
    for piano in piani.exclude(stato=Piano.Stato.BOZZA).order_by("ciclo__anno_inizio", "pk"):
        if piano.ciclo.anno_fine < 2025 and piano.ambito_id not in demo:
            continue
        if Transizione.objects.filter(piano=piano).exists():
            continue  # seeding again changes nothing
        quando = timezone.now() - timedelta(days=30 if piano.ciclo.anno_fine >= 2025 else 700)
        istantanea = istantanea_del_piano(piano)
        istantanea.piano.update(versione=1, stato=Piano.Stato.INVIATO)
        versione = Versione.objects.create(
            piano=piano,
            numero=1,
            creata_da=responsabili.get(piano.ambito_id, storico),
            creata_il=quando,
            contenuto=istantanea.as_dict(),
            impronta=istantanea.impronta(),
        )
        da = Piano.Stato.BOZZA
        for passo, azione in enumerate(_ITER[piano.stato]):
            Transizione.objects.create(
                piano=piano,
                azione=azione,
                da_stato=da,
                a_stato=_ARRIVO[azione],
                utente=funzionario if passo else responsabili.get(piano.ambito_id, storico),
                commento=_NOTA_INTEGRAZIONI if azione == "richiesta_integrazioni" else "",
                versione=versione,  # every move concerns the one version submitted
                eseguita_il=quando + timedelta(days=3 * passo),
            )
            da = _ARRIVO[azione]


def demo_presente() -> bool:
    return Ambito.objects.filter(regione__codice_istat=CODICE_PUGLIA).exists()


def demo_logins() -> list[Login]:
    """The documented demo accounts with their roles, read back from the database."""
    utenti = User.objects.filter(email__in=EMAIL_DEMO).prefetch_related(
        "memberships__ambito", "memberships__regione"
    )
    per_email = {u.email: u for u in utenti}
    logins = []
    for email in EMAIL_DEMO:
        user = per_email.get(email)
        if user is None:
            continue
        ruoli = [str(m) for m in user.memberships.all()]
        if user.is_superuser:
            ruoli.insert(0, "Amministratore (Django admin)")
        logins.append(Login(email, "; ".join(ruoli)))
    return logins
