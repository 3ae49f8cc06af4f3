"""What the bench measures. Adding a page is one line in SCENARI (or COSTANZE for growth checks)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from pianizona.demo import CODICE_PUGLIA, DOMINIO
from pianizona.models import Ambito, Ciclo, Comune, Membership, Piano, Regione, Ruolo, User
from programmazione.models import Allocazione

ADMIN = f"admin@{DOMINIO}"
FUNZIONARIO = f"funzionario@{DOMINIO}"
FUNZIONARIO_MINIMO = "funzionario.minimo@bench.invalid"


def responsabile(codice: str) -> str:
    return f"responsabile.{codice.lower()}@{DOMINIO}"


class Db:
    """The lookups url builders use, so scenarios name data by code and never by primary key."""

    def regione(self, codice_istat: str = CODICE_PUGLIA) -> Regione:
        return Regione.objects.get(codice_istat=codice_istat)

    def ambito(self, codice: str) -> Ambito:
        return Ambito.objects.get(codice=codice)

    def ciclo(self, regione: Regione, anno_inizio: int | None = None) -> Ciclo:
        cicli = Ciclo.objects.filter(regione=regione).order_by("-anno_inizio")
        return cicli.get(anno_inizio=anno_inizio) if anno_inizio else cicli.first()

    def piano_triennale(self, codice: str, anno_inizio: int | None = None) -> Piano:
        """The triennial plan of an ambito in a cycle, the current one by default."""
        ambito = self.ambito(codice)
        ciclo = self.ciclo(ambito.regione, anno_inizio)
        return Piano.objects.get(ambito=ambito, ciclo=ciclo, tipo=Piano.Tipo.TRIENNALE)

    def descrivi_ambito(self, codice: str) -> str:
        ambito = self.ambito(codice)
        return f"{codice}, comuni {ambito.comuni.count()}, piani {ambito.piani.count()}"

    def descrivi_regione(self, regione: Regione) -> str:
        ciclo = self.ciclo(regione)
        ambiti = Ambito.objects.filter(regione=regione).count()
        piani = Piano.objects.filter(ciclo=ciclo).count()
        return f"{regione.nome}, ambiti {ambiti}, piani del ciclo {piani}"

    def descrivi_cruscotto(self, provincia: str) -> str:
        piani = Piano.objects.filter(ciclo=self.ciclo(self.regione()), stato=Piano.Stato.APPROVATO)
        ambiti = Ambito.objects.filter(regione=self.regione())
        if provincia:
            piani = piani.filter(ambito__comune_capofila__provincia=provincia)
            ambiti = ambiti.filter(comune_capofila__provincia=provincia)
        return f"ambiti {ambiti.count()}, piani approvati {piani.count()}"

    def descrivi_piano(self, piano: Piano) -> str:
        collegati = Piano.objects.filter(ambito=piano.ambito, ciclo=piano.ciclo).count() - 1
        return f"{piano.ambito.codice} {piano.ciclo.periodo}, piani collegati {collegati}"

    def piano_con_una_scheda(self, codice: str) -> Piano:
        """An annual plan of the ambito holding a copy of one sheet; only for COSTANZE (rolled back)."""
        triennale = self.piano_triennale(codice)
        piano, creato = Piano.objects.get_or_create(
            ambito=triennale.ambito, ciclo=triennale.ciclo, tipo=Piano.Tipo.ATTUATIVO, anno=2027
        )
        if creato or not piano.schede.exists():
            scheda = triennale.schede.order_by("numero").first()
            scheda.pk, scheda.piano, scheda.numero = None, piano, 1
            scheda.save()
        return piano

    def regione_minima(self) -> Regione:
        """Molise with one ambito, one comune and one plan; only for COSTANZE (rolled back)."""
        regione = self.regione("14")
        if Ambito.objects.filter(codice="BENCH01").exists():
            return regione
        comune = Comune.objects.filter(regione=regione).order_by("codice_istat").first()
        ambito = Ambito.objects.create(
            regione=regione, codice="BENCH01", nome="Ambito minimo", comune_capofila=comune
        )
        Comune.objects.filter(pk=comune.pk).update(ambito=ambito)
        ciclo = Ciclo.objects.create(
            regione=regione, nome="Ciclo minimo 2025–2027", anno_inizio=2025, anno_fine=2027
        )
        Piano.objects.create(ambito=ambito, ciclo=ciclo)
        user = User.objects.create_user(FUNZIONARIO_MINIMO, password=None)
        Membership.objects.create(user=user, ruolo=Ruolo.FUNZIONARIO, regione=regione)
        return regione


@dataclass(frozen=True)
class Scenario:
    name: str
    email: str | None  # None: anonymous
    url: Callable[[Db], str]
    method: str = "get"
    data: dict[str, Any] | None = None
    status: int = 200
    location: Callable[[Db], str] | None = None  # where a 302 must point
    size: Callable[[Db], str] | None = None  # how much data the page shows, for COSTANZE


@dataclass(frozen=True)
class Costanza:
    """The same page on a small and a big slice of data must cost the same number of queries."""

    name: str
    piccolo: Scenario
    grande: Scenario


def url_ambito(codice: str) -> Callable[[Db], str]:
    return lambda db: reverse("ambito_detail", args=[db.ambito(codice).pk])


def url_piano(codice: str, anno_inizio: int | None = None) -> Callable[[Db], str]:
    return lambda db: reverse("piano_detail", args=[db.piano_triennale(codice, anno_inizio).pk])


def url_regione(regione: Callable[[Db], Regione]) -> Callable[[Db], str]:
    return lambda db: reverse("regione_detail", args=[regione(db).pk])


def url_risorse(pagina: str, codice: str) -> Callable[[Db], str]:
    return lambda db: reverse(f"risorse:{pagina}", args=[db.piano_triennale(codice).pk])


def url_ciclo(pagina: str) -> Callable[[Db], str]:
    return lambda db: reverse(f"risorse:{pagina}", args=[db.ciclo(db.regione()).pk])


def url_programmazione(pagina: str, codice: str) -> Callable[[Db], str]:
    return lambda db: reverse(f"programmazione:{pagina}", args=[db.piano_triennale(codice).pk])


def url_prima_scheda(codice: str) -> Callable[[Db], str]:
    def url(db: Db) -> str:
        piano = db.piano_triennale(codice)
        scheda = piano.schede.order_by("numero").first()
        return reverse("programmazione:scheda_modifica", args=[piano.pk, scheda.pk])

    return url


def url_ciclo_programmazione(pagina: str) -> Callable[[Db], str]:
    return lambda db: reverse(f"programmazione:{pagina}", args=[db.ciclo(db.regione()).pk])


def url_piano_core(nome: str, codice: str) -> Callable[[Db], str]:
    return lambda db: reverse(nome, args=[db.piano_triennale(codice).pk])


def url_prima_versione(codice: str) -> Callable[[Db], str]:
    def url(db: Db) -> str:
        piano = db.piano_triennale(codice)
        return reverse(
            "piano_versione", args=[piano.pk, piano.versioni.order_by("numero")[0].numero]
        )

    return url


def url_confronto_attuativo(codice: str, anno: int) -> Callable[[Db], str]:
    """The standard comparison of an earlier cycle's annual plan: triennial, annual, annual."""

    def url(db: Db) -> str:
        piano = Piano.objects.get(ambito=db.ambito(codice), tipo=Piano.Tipo.ATTUATIVO, anno=anno)
        return reverse("piano_confronto_standard", args=[piano.pk])

    return url


def url_cruscotto(regione: Callable[[Db], Regione]) -> Callable[[Db], str]:
    return lambda db: reverse("monitoraggio:cruscotto_regione", args=[regione(db).pk])


SCENARI: list[Scenario] = [
    Scenario(
        "home-responsabile",
        responsabile("BA01"),
        lambda db: "/",
        status=302,
        location=url_ambito("BA01"),
    ),
    Scenario("ambito", responsabile("BA01"), url_ambito("BA01")),
    Scenario("piano", responsabile("BA01"), url_piano("BA01")),
    Scenario("regione", FUNZIONARIO, url_regione(Db.regione)),
    Scenario("home-admin", ADMIN, lambda db: "/"),
    Scenario("risorse-riepilogo", responsabile("BA01"), url_risorse("riepilogo", "BA01")),
    Scenario("cofinanziamento", responsabile("BA01"), url_risorse("cofinanziamento", "BA01")),
    Scenario("residui", responsabile("BA01"), url_risorse("residui", "BA01")),
    Scenario("budget", responsabile("BA01"), url_risorse("budget", "BA01")),
    Scenario("assegnazioni-regione", FUNZIONARIO, url_ciclo("assegnazioni")),
    Scenario("configurazione-ciclo", FUNZIONARIO, url_ciclo("configurazione")),
    Scenario("riparto", FUNZIONARIO, url_ciclo("riparto")),
    Scenario("schede", responsabile("BA01"), url_programmazione("schede", "BA01")),
    Scenario("pannello", responsabile("BA01"), url_programmazione("pannello", "BA01")),
    Scenario("scheda", responsabile("BA01"), url_prima_scheda("BA01")),
    Scenario("narrativa", responsabile("BA01"), url_programmazione("narrativa", "BA01")),
    Scenario("catalogo", FUNZIONARIO, url_ciclo_programmazione("catalogo")),
    Scenario("invio-controlli", responsabile("BA01"), url_piano_core("piano_invio", "BA01")),
    Scenario("versioni", responsabile("BA02"), url_piano_core("piano_versioni", "BA02")),
    Scenario("versione", FUNZIONARIO, url_prima_versione("BA02")),
    Scenario("osservazioni", FUNZIONARIO, url_piano_core("piano_commenti", "BA02")),
    Scenario("cronologia", responsabile("BA01"), url_piano_core("piano_cronologia", "BA01")),
    Scenario("confronto-standard", responsabile("BA01"), url_confronto_attuativo("BA01", 2024)),
    Scenario(
        "regione-piani", FUNZIONARIO, lambda db: reverse("regione_piani", args=[db.regione().pk])
    ),
    Scenario("cruscotto-regione", FUNZIONARIO, url_cruscotto(Db.regione)),  # target < 300 ms
    Scenario("login", None, lambda db: reverse("account_login")),
    Scenario("healthz", None, lambda db: reverse("healthz")),
]


def pagina_ambito(codice: str) -> Scenario:
    return Scenario(
        f"ambito {codice}",
        responsabile(codice),
        url_ambito(codice),
        size=lambda db: db.descrivi_ambito(codice),
    )


def pagina_piano(codice: str, anno_inizio: int | None = None) -> Scenario:
    """The plan page of an ambito's triennial, or of a draft annual plan holding one sheet."""
    if codice == "piano minimo":
        return Scenario(
            "piano con una scheda",
            responsabile("BA01"),
            lambda db: reverse("piano_detail", args=[db.piano_con_una_scheda("BA01").pk]),
            size=lambda db: db.descrivi_piano(db.piano_con_una_scheda("BA01")) + ", 1 scheda",
        )
    return Scenario(
        f"piano {codice} {anno_inizio or 'corrente'}",
        responsabile(codice),
        url_piano(codice, anno_inizio),
        size=lambda db: db.descrivi_piano(db.piano_triennale(codice, anno_inizio)),
    )


def pagina_regione(email: str, regione: Callable[[Db], Regione]) -> Scenario:
    return Scenario(
        f"regione di {email}",
        email,
        url_regione(regione),
        size=lambda db: db.descrivi_regione(regione(db)),
    )


def pagina_risorse(pagina: str, codice: str) -> Scenario:
    return Scenario(
        f"{pagina} {codice}",
        responsabile(codice),
        url_risorse(pagina, codice),
        size=lambda db: db.descrivi_ambito(codice),
    )


def pagina_schede(codice: str) -> Scenario:
    """The allocation page of BA01 (about 60 sheets), or of a copy of its plan with one sheet."""
    if codice == "piano minimo":
        return Scenario(
            "schede di un piano con una scheda",
            responsabile("BA01"),
            lambda db: reverse("programmazione:schede", args=[db.piano_con_una_scheda("BA01").pk]),
            size=lambda db: "1 scheda",
        )
    return Scenario(
        f"schede {codice}",
        responsabile(codice),
        url_programmazione("schede", codice),
        size=lambda db: (
            f"{db.piano_triennale(codice).schede.count()} schede, "
            f"{Allocazione.objects.filter(scheda__piano=db.piano_triennale(codice)).count()} allocazioni"
        ),
    )


# Run inside a transaction that is rolled back, so builders may create the data they compare.
COSTANZE: list[Costanza] = [
    Costanza("ambito", pagina_ambito("BA01"), pagina_ambito("LE04")),
    Costanza(
        "regione",
        pagina_regione(FUNZIONARIO_MINIMO, Db.regione_minima),
        pagina_regione(FUNZIONARIO, Db.regione),
    ),
    # Two drafts (an editable plan runs the checks behind its section cards): one sheet against ~60.
    Costanza("piano", pagina_piano("piano minimo"), pagina_piano("BA01")),
    Costanza(
        "cofinanziamento",
        pagina_risorse("cofinanziamento", "BA01"),
        pagina_risorse("cofinanziamento", "LE04"),
    ),
    # Like with like: an approved plan's budget adds one query (its approved version, to compare).
    Costanza("budget", pagina_risorse("budget", "BA01"), pagina_risorse("budget", "LE09")),
    Costanza(
        "budget approvato", pagina_risorse("budget", "BT01"), pagina_risorse("budget", "LE10")
    ),
    Costanza("schede", pagina_schede("piano minimo"), pagina_schede("BA01")),
    Costanza(
        "cruscotto-regione",
        # A province's ambiti against the whole region (a region with no approved plan would
        # skip the empty aggregates and compare nothing).
        Scenario(
            "cruscotto della provincia di Brindisi",
            FUNZIONARIO,
            lambda db: url_cruscotto(Db.regione)(db) + "?provincia=Brindisi",
            size=lambda db: db.descrivi_cruscotto("Brindisi"),
        ),
        Scenario(
            "cruscotto della Puglia",
            FUNZIONARIO,
            url_cruscotto(Db.regione),
            size=lambda db: db.descrivi_cruscotto(""),
        ),
    ),
]
