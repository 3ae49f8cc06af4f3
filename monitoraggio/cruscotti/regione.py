"""The Region's dashboard: programmed spending, ambiti per inhabitant, plans, monitoring, indicators.

Every chart is aggregated in the database: a fixed number of queries whatever the number of ambiti,
plans, allocations or declarations. The CSV of one chart runs only that chart's queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from pianizona.models import Ambito, Ciclo, Piano, Regione
from pianizona.money import format_euro
from pianizona.territorio.denominazioni import denominazione_distretti
from programmazione.models import Allocazione

from ..indicatori.formule import Dati
from ..indicatori.medie import MediaRegionale, didascalia, programmato_per_abitante
from ..models import Indicatore, Rendicontazione, ValoreIndicatore
from ..programmato import allocazioni_programmate, ultime_dichiarazioni
from .grafici import EURO, NUMERO, PERCENTUALE, Colonna, Grafico, per_abitante, quota

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FiltriCruscotto:
    anno: int | None = None  # one year of the cycle, or None for all its years
    provincia: str = ""  # the province of the ambito's lead municipality


def ambiti_con_popolazione(regione: Regione) -> list[Ambito]:
    """The region's ambiti with their lead municipality and inhabitants (``popolazione``)."""
    return list(
        Ambito.objects.filter(regione=regione)
        .select_related("comune_capofila")
        .annotate(popolazione=Sum("comuni__popolazione"))
        .order_by("codice")
    )


def etichetta_ambito(ambito: Ambito) -> str:
    return f"{ambito.codice} {ambito.nome}"


class Contesto:
    """The cycle, years and ambiti the filters leave, and the queries the charts share."""

    def __init__(
        self, regione: Regione, ciclo: Ciclo, ambiti: list[Ambito], filtri: FiltriCruscotto
    ):
        self.regione, self.ciclo, self.filtri = regione, ciclo, filtri
        if filtri.provincia:
            ambiti = [
                a
                for a in ambiti
                if a.comune_capofila and a.comune_capofila.provincia == filtri.provincia
            ]
        self.ambiti = ambiti
        self.ambito_ids = [a.pk for a in ambiti]
        self.anni = [filtri.anno] if filtri.anno else ciclo.anni

    @property
    def periodo(self) -> str:
        return str(self.filtri.anno) if self.filtri.anno else self.ciclo.periodo

    @cached_property
    def allocazioni(self) -> QuerySet[Allocazione]:
        """The reference plans' allocations (the plans are read once, here)."""
        return allocazioni_programmate(self.ambito_ids, self.anni)

    @cached_property
    def programmato_per_ambito(self) -> dict[int, Decimal]:
        return dict(
            self.allocazioni.values_list("scheda__piano__ambito_id")
            .annotate(totale=Sum("importo"))
            .order_by()
        )

    @cached_property
    def media(self) -> MediaRegionale:
        """Programmed €/inhabitant of the ambiti left, and how many have an approved plan."""
        return programmato_per_abitante(Dati(self.regione, self.anni), self.ambito_ids)

    @cached_property
    def popolazione(self) -> int:
        return sum(a.popolazione or 0 for a in self.ambiti)


def _per_voce(ctx: Contesto, codice: str, nome: str, ordine: str) -> list[dict]:
    return list(
        ctx.allocazioni.values(codice=F(codice), nome=F(nome))
        .annotate(totale=Sum("importo"), ordinamento=Max(ordine))
        .order_by("ordinamento", "codice")
    )


def _ripartizione(ctx: Contesto, nome: str, titolo: str, prima: str, righe: list[dict]) -> Grafico:
    totale = sum((r["totale"] for r in righe), ZERO)
    return Grafico(
        nome=nome,
        titolo=titolo,
        descrizione=(
            f"{titolo}, {ctx.periodo}: programmato dei piani approvati di "
            f"{ctx.media.ambiti(ctx.regione)}, in totale {format_euro(totale)}"
        ),
        colonne=[
            Colonna(prima, prima.replace("_", " ").capitalize()),
            Colonna("codice", "Codice"),
            Colonna("programmato", "Programmato", EURO),
            Colonna("quota_percentuale", "Quota del totale", PERCENTUALE),
        ],
        righe=[[r["nome"], r["codice"], r["totale"], quota(r["totale"], totale)] for r in righe],
        serie=["programmato"],
    )


def spesa_per_fondo(ctx: Contesto) -> Grafico:
    righe = _per_voce(ctx, "fonte__codice", "fonte__nome", "fonte__ordine")
    return _ripartizione(ctx, "fondi", "Programmato per fonte di finanziamento", "fonte", righe)


def spesa_per_area(ctx: Contesto) -> Grafico:
    area = "scheda__voce__area_intervento"
    righe = _per_voce(ctx, f"{area}__codice", f"{area}__nome", f"{area}__codice")
    return _ripartizione(ctx, "aree", "Programmato per area di intervento FNPS", "area", righe)


def spesa_per_macrolivello(ctx: Contesto) -> Grafico:
    macro = "scheda__voce__obiettivo_servizio__macro_livello"
    righe = _per_voce(ctx, f"{macro}__codice", f"{macro}__nome", f"{macro}__codice")
    return _ripartizione(
        ctx, "macrolivelli", "Programmato per macro-livello", "macro_livello", righe
    )


def ambiti_per_abitante(ctx: Contesto) -> Grafico:
    programmato = ctx.programmato_per_ambito
    media = ctx.media
    parola = denominazione_distretti(ctx.regione)
    dove = f" con capofila in provincia di {ctx.filtri.provincia}" if ctx.filtri.provincia else ""
    return Grafico(
        nome="ambiti",
        titolo=f"{parola.forma('plurale').capitalize()} a confronto: programmato per abitante",
        descrizione=(
            f"Programmato per abitante di ogni {parola.forma()}, {ctx.periodo}; media regionale "
            f"{format_euro(media.valore) or 'non calcolabile'} su {media.ambiti(ctx.regione)}"
            f"{dove} ({didascalia(ctx.regione, un_anno=len(ctx.anni) == 1)})"
        ),
        colonne=[
            Colonna("ambito", parola.forma().capitalize()),
            Colonna("provincia", "Provincia"),
            Colonna("abitanti", "Abitanti", NUMERO),
            Colonna("programmato", "Programmato", EURO),
            Colonna("programmato_per_abitante", "Programmato per abitante", EURO),
        ],
        righe=[
            [
                etichetta_ambito(a),
                a.comune_capofila.provincia if a.comune_capofila else "",
                a.popolazione or 0,
                programmato.get(a.pk, ZERO),
                per_abitante(programmato.get(a.pk, ZERO), a.popolazione),
            ]
            for a in ctx.ambiti
        ],
        serie=["programmato_per_abitante"],
        orizzontale=True,
    )


def stati_dei_piani(ctx: Contesto) -> Grafico:
    conteggi = {
        (r["tipo"], r["stato"]): r["n"]
        for r in Piano.objects.filter(ciclo=ctx.ciclo, ambito_id__in=ctx.ambito_ids)
        .values("tipo", "stato")
        .annotate(n=Count("pk"))
        .order_by()
    }
    righe = []
    for stato, etichetta in Piano.Stato.choices:
        triennali = conteggi.get((Piano.Tipo.TRIENNALE, stato), 0)
        attuativi = conteggi.get((Piano.Tipo.ATTUATIVO, stato), 0)
        righe.append([etichetta, stato, triennali, attuativi, triennali + attuativi])
    con_triennale = sum(conteggi.get((Piano.Tipo.TRIENNALE, s), 0) for s in Piano.Stato.values)
    righe.append(["Nessun piano triennale", "nessuno", len(ctx.ambiti) - con_triennale, 0, 0])
    return Grafico(
        nome="stati",
        titolo="Stato dei piani",
        descrizione=(
            f"Piani del ciclo {ctx.ciclo.periodo} per stato, di {len(ctx.ambiti)} "
            f"{denominazione_distretti(ctx.regione).forma('plurale')}"
        ),
        colonne=[
            Colonna("stato_descrizione", "Stato"),
            Colonna("stato", "Codice"),
            Colonna("piani_triennali", "Piani triennali", NUMERO),
            Colonna("piani_attuativi", "Piani attuativi", NUMERO),
            Colonna("totale", "Totale", NUMERO),
        ],
        righe=righe,
        serie=["piani_triennali", "piani_attuativi"],
        impilato=True,
    )


def avanzamento(ctx: Contesto) -> Grafico:
    programmato = ctx.programmato_per_ambito
    dichiarato = {
        r["rendicontazione__ambito_id"]: r
        for r in ultime_dichiarazioni(
            Q(rendicontazione__ambito_id__in=ctx.ambito_ids, rendicontazione__anno__in=ctx.anni)
        )
        .values("rendicontazione__ambito_id")
        .annotate(impegnato=Sum("impegnato"), liquidato=Sum("liquidato"))
        .order_by()
    }
    righe = []
    for ambito in ctx.ambiti:
        p = programmato.get(ambito.pk, ZERO)
        d = dichiarato.get(ambito.pk, {})
        impegnato, liquidato = d.get("impegnato") or ZERO, d.get("liquidato") or ZERO
        righe.append(
            [
                etichetta_ambito(ambito),
                p,
                impegnato,
                liquidato,
                quota(impegnato, p),
                quota(liquidato, p),
            ]
        )
    return Grafico(
        nome="avanzamento",
        titolo="Avanzamento del monitoraggio",
        descrizione=(
            f"Impegnato e liquidato sul programmato per "
            f"{denominazione_distretti(ctx.regione).forma()}, {ctx.periodo}: ultime "
            "dichiarazioni di ogni linea, comprese le rendicontazioni ancora in compilazione"
        ),
        colonne=[
            Colonna("ambito", denominazione_distretti(ctx.regione).forma().capitalize()),
            Colonna("programmato", "Programmato", EURO),
            Colonna("impegnato", "Impegnato", EURO),
            Colonna("liquidato", "Liquidato", EURO),
            Colonna("impegnato_percentuale", "Impegnato sul programmato", PERCENTUALE),
            Colonna("liquidato_percentuale", "Liquidato sul programmato", PERCENTUALE),
        ],
        righe=righe,
        serie=["impegnato_percentuale", "liquidato_percentuale"],
        orizzontale=True,
    )


def rendicontazioni(ctx: Contesto) -> Grafico:
    conteggi = dict(
        Rendicontazione.objects.filter(ambito_id__in=ctx.ambito_ids, anno__in=ctx.anni)
        .values_list("stato")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attese = len(ctx.ambiti) * len(ctx.anni)
    righe = [[e, s, conteggi.get(s, 0)] for s, e in Rendicontazione.Stato.choices]
    righe.append(["Non ancora aperta", "non_aperta", max(attese - sum(conteggi.values()), 0)])
    return Grafico(
        nome="rendicontazioni",
        titolo="Rendicontazioni per stato",
        descrizione=(
            f"Rendicontazioni annuali per stato, {ctx.periodo}: una per "
            f"{denominazione_distretti(ctx.regione).forma()} e anno, "
            f"{attese} attese"
        ),
        colonne=[
            Colonna("stato_descrizione", "Stato"),
            Colonna("stato", "Codice"),
            Colonna("rendicontazioni", "Rendicontazioni", NUMERO),
        ],
        righe=righe,
        serie=["rendicontazioni"],
    )


def indicatori(ctx: Contesto) -> Grafico:
    catalogo = list(
        Indicatore.objects.filter(
            regione=ctx.regione,
            attivo=True,
            livello=Indicatore.Livello.AMBITO,
            target__isnull=False,
        ).order_by("ordine", "codice")
    )
    valori = ValoreIndicatore.objects.filter(
        indicatore__in=catalogo, ambito_id__in=ctx.ambito_ids, valore__isnull=False
    )
    anno = ctx.filtri.anno or (
        valori.filter(anno__in=ctx.anni).aggregate(ultimo=Max("anno"))["ultimo"]
        if catalogo
        else None
    )
    raggiunto = Q(
        indicatore__direzione=Indicatore.Direzione.CRESCENTE, valore__gte=F("indicatore__target")
    ) | Q(
        indicatore__direzione=Indicatore.Direzione.DECRESCENTE, valore__lte=F("indicatore__target")
    )
    conteggi = (
        {
            r["indicatore_id"]: r
            for r in valori.filter(anno=anno)
            .values("indicatore_id")
            .annotate(con_valore=Count("pk"), raggiunto=Count("pk", filter=raggiunto))
            .order_by()
        }
        if anno
        else {}
    )
    righe = []
    for indicatore in catalogo:
        c = conteggi.get(indicatore.pk, {})
        con_valore, ok = c.get("con_valore", 0), c.get("raggiunto", 0)
        righe.append(
            [
                f"{indicatore.codice} {indicatore.nome}",
                indicatore.get_direzione_display(),
                indicatore.target,
                indicatore.get_unita_display(),
                con_valore,
                ok,
                quota(ok, con_valore),
            ]
        )
    dei = denominazione_distretti(ctx.regione).forma("dei")
    return Grafico(
        nome="indicatori",
        titolo="Indicatori rispetto ai target",
        descrizione=(
            f"Quota {dei} che raggiungono il target di ogni indicatore, anno {anno}"
            if anno
            else f"Quota {dei} che raggiungono il target: nessun valore nel periodo"
        ),
        colonne=[
            Colonna("indicatore", "Indicatore"),
            Colonna("direzione", "Direzione"),
            Colonna("target", "Target", NUMERO),
            Colonna("unita", "Unità"),
            Colonna("ambiti_con_valore", "Ambiti con un valore", NUMERO),
            Colonna("ambiti_a_target", "Ambiti che raggiungono il target", NUMERO),
            Colonna("quota_a_target", "Quota a target", PERCENTUALE),
        ],
        righe=righe,
        serie=["quota_a_target"],
        orizzontale=True,
        vuoto="La regione non ha indicatori di ambito attivi con un target.",
    )


GRAFICI_REGIONE: dict[str, Callable[[Contesto], Grafico]] = {
    "fondi": spesa_per_fondo,
    "aree": spesa_per_area,
    "macrolivelli": spesa_per_macrolivello,
    "ambiti": ambiti_per_abitante,
    "stati": stati_dei_piani,
    "avanzamento": avanzamento,
    "rendicontazioni": rendicontazioni,
    "indicatori": indicatori,
}


def cruscotto_regione(ctx: Contesto) -> list[Grafico]:
    return [costruisci(ctx) for costruisci in GRAFICI_REGIONE.values()]
