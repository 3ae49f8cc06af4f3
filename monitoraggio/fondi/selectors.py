"""Reads of fund monitoring: an ambito's lines for a year, a line's history, the Region's reports.

Every function runs a fixed number of queries whatever the number of lines, ambiti or
declarations: programmed amounts and current figures are aggregated in the database.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from pianizona.models import (
    Ambito,
    AreaInterventoFnps,
    Ciclo,
    FonteFinanziamento,
    ObiettivoServizio,
    Piano,
    Regione,
)
from pianizona.registry import DaIstruire
from risorse.models import FonteCiclo

from ..models import Dichiarazione, Rendicontazione, TransizioneRendicontazione
from ..programmato import (
    CODICE_FNPS,
    ZERO,
    Linea,
    piani_di_riferimento,
    programmato_per_linea,
    ultime_dichiarazioni,
)
from .regola75 import (  # the rule lives on its own; read here with the rest of the selectors
    Regola75,
    percentuale,
    regola_75_per_ids,
    testo_percentuale,
)


def anni_della_regione(regione_id: int) -> tuple[list[int], dict[int, Ciclo]]:
    """Every year of the region's cycles, the latest first, and the cycle of each year."""
    per_anno: dict[int, Ciclo] = {}
    for ciclo in Ciclo.objects.filter(regione_id=regione_id).order_by("anno_inizio"):
        for anno in ciclo.anni:
            per_anno[anno] = ciclo
    return sorted(per_anno, reverse=True), per_anno


def anno_predefinito(anni: list[int]) -> int | None:
    """This year if a cycle covers it, otherwise the latest year before it, otherwise the first."""
    if not anni:
        return None
    oggi = timezone.localdate().year
    passati = [a for a in anni if a <= oggi]
    return max(passati) if passati else min(anni)


def fonti_del_ciclo(ciclo_id: int) -> list[FonteFinanziamento]:
    """The cycle's active funds, FNPS first, then in the reference order."""
    fonti = [
        fc.fonte
        for fc in FonteCiclo.objects.filter(ciclo_id=ciclo_id)
        .select_related("fonte")
        .order_by("fonte__ordine", "fonte__codice")
    ]
    return sorted(fonti, key=lambda f: f.codice != CODICE_FNPS)


# --- An ambito's year ----------------------------------------------------------------------------


@dataclass
class RigaLinea:
    """One line (fund × service objective × area): programmed and its current figures."""

    fonte: FonteFinanziamento
    obiettivo: ObiettivoServizio
    area: AreaInterventoFnps
    programmato: Decimal = ZERO
    impegnato: Decimal = ZERO
    liquidato: Decimal = ZERO
    data: date | None = None

    @property
    def perc_impegnato(self) -> Decimal | None:
        return percentuale(self.impegnato, self.programmato)

    @property
    def perc_liquidato(self) -> Decimal | None:
        return percentuale(self.liquidato, self.programmato)

    @property
    def testo_perc_impegnato(self) -> str:
        return testo_percentuale(self.perc_impegnato)

    @property
    def testo_perc_liquidato(self) -> str:
        return testo_percentuale(self.perc_liquidato)

    @property
    def eccedenza(self) -> bool:
        return self.impegnato > self.programmato


@dataclass
class Totali:
    programmato: Decimal = ZERO
    impegnato: Decimal = ZERO
    liquidato: Decimal = ZERO

    def aggiungi(self, riga: "RigaLinea | Totali") -> None:
        self.programmato += riga.programmato
        self.impegnato += riga.impegnato
        self.liquidato += riga.liquidato

    @property
    def perc_impegnato(self) -> Decimal | None:
        return percentuale(self.impegnato, self.programmato)

    @property
    def perc_liquidato(self) -> Decimal | None:
        return percentuale(self.liquidato, self.programmato)

    @property
    def testo_perc_impegnato(self) -> str:
        return testo_percentuale(self.perc_impegnato)

    @property
    def testo_perc_liquidato(self) -> str:
        return testo_percentuale(self.perc_liquidato)


@dataclass
class GruppoFonte:
    fonte: FonteFinanziamento
    righe: list[RigaLinea] = field(default_factory=list)
    totali: Totali = field(default_factory=Totali)


@dataclass
class MonitoraggioAnno:
    ambito: Ambito
    anno: int
    piano: Piano | None
    rendicontazione: Rendicontazione | None
    gruppi: list[GruppoFonte]
    totali: Totali
    transizioni: list[TransizioneRendicontazione]
    fonti: list[FonteFinanziamento]  # the cycle's funds, FNPS first: what can be declared

    @property
    def linee_dichiarate(self) -> int:
        return sum(1 for g in self.gruppi for riga in g.righe if riga.data is not None)

    @property
    def linee_totali(self) -> int:
        return sum(len(g.righe) for g in self.gruppi)

    @property
    def avviso_linee(self) -> str:
        """«dichiarate 12 linee su 40 (30%)» when some line has no declaration, else ``""``.

        An undeclared line reaches the Region as nothing committed or paid: worth a warning
        before the submission, not a refusal.
        """
        dichiarate, totali = self.linee_dichiarate, self.linee_totali
        if dichiarate >= totali:
            return ""
        # rounded down, so that a missing line never reads 100%
        quota = dichiarate * 100 // totali
        if dichiarate == 1:
            return f"dichiarata 1 linea su {totali} ({quota}%)"
        return f"dichiarate {dichiarate} linee su {totali} ({quota}%)"

    @property
    def nota_della_regione(self) -> TransizioneRendicontazione | None:
        """The Region's move that set the report's current state, when it wrote a note."""
        ultima = self.transizioni[0] if self.transizioni else None
        if (
            ultima is not None
            and ultima.commento
            and ultima.azione != TransizioneRendicontazione.Azione.INVIO
            and self.rendicontazione is not None
            and ultima.a_stato == self.rendicontazione.stato
        ):
            return ultima
        return None


def _linee_ordinate(
    chiavi: set[tuple[int, int, int]], fonti_ordinate: list[FonteFinanziamento]
) -> list[RigaLinea]:
    """The lines' objects in two queries, sorted by fund (FNPS first), objective, area."""
    obiettivi = ObiettivoServizio.objects.select_related("macro_livello").in_bulk(
        {o for _, o, _ in chiavi}
    )
    aree = AreaInterventoFnps.objects.in_bulk({a for _, _, a in chiavi})
    fonti = {f.pk: f for f in fonti_ordinate}
    mancanti = {f for f, _, _ in chiavi} - set(fonti)
    if mancanti:  # a fund programmed but no longer active in the cycle: still shown
        fonti |= FonteFinanziamento.objects.in_bulk(mancanti)
    ordine = {f.pk: i for i, f in enumerate(fonti_ordinate)}
    righe = [RigaLinea(fonti[f], obiettivi[o], aree[a]) for f, o, a in chiavi]
    righe.sort(
        key=lambda r: (
            ordine.get(r.fonte.pk, len(ordine)),
            r.fonte.ordine,
            r.obiettivo.codice,
            r.area.codice,
        )
    )
    return righe


def monitoraggio_anno(ambito: Ambito, anno: int) -> MonitoraggioAnno:
    """An ambito's year: every programmed or declared line with its figures, per fund and overall."""
    piano = piani_di_riferimento([ambito.pk], [anno]).get((ambito.pk, anno))
    programmato = {
        (linea.fonte_id, linea.obiettivo_id, linea.area_id): importo
        for linea, importo in programmato_per_linea([ambito.pk], [anno]).items()
    }
    rendicontazione = (
        Rendicontazione.objects.filter(ambito=ambito, anno=anno).select_related("ciclo").first()
    )
    ultime: dict[tuple[int, int, int], Dichiarazione] = {}
    transizioni: list[TransizioneRendicontazione] = []
    if rendicontazione is not None:
        for d in ultime_dichiarazioni(Q(rendicontazione=rendicontazione)):
            ultime[(d.fonte_id, d.obiettivo_servizio_id, d.area_intervento_id)] = d
        transizioni = list(
            rendicontazione.transizioni.select_related("utente").order_by("-eseguita_il", "-pk")
        )
    ciclo_id = rendicontazione.ciclo_id if rendicontazione else (piano.ciclo_id if piano else None)
    fonti = fonti_del_ciclo(ciclo_id) if ciclo_id else []
    gruppi: dict[int, GruppoFonte] = {}
    totali = Totali()
    for riga in _linee_ordinate(set(programmato) | set(ultime), fonti):
        chiave = (riga.fonte.pk, riga.obiettivo.pk, riga.area.pk)
        riga.programmato = programmato.get(chiave, ZERO)
        if dichiarazione := ultime.get(chiave):
            riga.impegnato = dichiarazione.impegnato
            riga.liquidato = dichiarazione.liquidato
            riga.data = dichiarazione.data
        gruppo = gruppi.setdefault(riga.fonte.pk, GruppoFonte(riga.fonte))
        gruppo.righe.append(riga)
        gruppo.totali.aggiungi(riga)
        totali.aggiungi(riga)
    return MonitoraggioAnno(
        ambito, anno, piano, rendicontazione, list(gruppi.values()), totali, transizioni, fonti
    )


def storico_linea(rendicontazione: Rendicontazione | None, linea: Linea) -> list[Dichiarazione]:
    """Every declaration of a line, the latest first: its dated history."""
    if rendicontazione is None:
        return []
    return list(
        Dichiarazione.objects.filter(
            rendicontazione=rendicontazione,
            fonte_id=linea.fonte_id,
            obiettivo_servizio_id=linea.obiettivo_id,
            area_intervento_id=linea.area_id,
        )
        .select_related("dichiarata_da")
        .order_by("-data", "-pk")
    )


# --- The Region's list ---------------------------------------------------------------------------


@dataclass
class RigaRegione:
    ambito: Ambito
    rendicontazione: Rendicontazione | None
    piano: Piano | None
    totali: Totali
    regola: Regola75 | None

    @property
    def stato(self) -> str:
        return self.rendicontazione.stato if self.rendicontazione else ""


SENZA_RENDICONTAZIONE = "nessuna"


@dataclass(frozen=True)
class FiltriRendicontazioni:
    provincia: str = ""
    stato: str = ""  # a Rendicontazione.Stato, SENZA_RENDICONTAZIONE or "" for all


@dataclass
class ElencoRegione:
    anno: int
    righe: list[RigaRegione]
    totali: Totali
    conteggio_stati: list[tuple[str, str, int]]


def rendicontazioni_della_regione(
    regione: Regione, anno: int, filtri: FiltriRendicontazioni
) -> ElencoRegione:
    """Every ambito of the region for ``anno``: its report's state, money and the 75% outlook.

    The 75% column judges this year's reported payments against the release of the quota of
    ``anno + 2``, the one these reports decide.
    """
    ambiti = list(
        Ambito.objects.filter(regione=regione).select_related("comune_capofila").order_by("codice")
    )
    if filtri.provincia:
        ambiti = [
            a
            for a in ambiti
            if a.comune_capofila and a.comune_capofila.provincia == filtri.provincia
        ]
    ids = [a.pk for a in ambiti]
    rendicontazioni = {
        r.ambito_id: r for r in Rendicontazione.objects.filter(ambito_id__in=ids, anno=anno)
    }
    piani = piani_di_riferimento(ids, [anno])
    per_ambito: dict[int, Totali] = defaultdict(Totali)
    for linea, importo in programmato_per_linea(ids, [anno]).items():
        per_ambito[linea.ambito_id].programmato += importo
    dichiarato = (
        ultime_dichiarazioni(Q(rendicontazione__ambito_id__in=ids, rendicontazione__anno=anno))
        .values("rendicontazione__ambito_id")
        .annotate(impegnato=Sum("impegnato"), liquidato=Sum("liquidato"))
        .order_by()
    )
    for d in dichiarato:
        totali = per_ambito[d["rendicontazione__ambito_id"]]
        totali.impegnato, totali.liquidato = d["impegnato"], d["liquidato"]
    regole = regola_75_per_ids(ids, anno + 2)
    conteggio: dict[str, int] = defaultdict(int)
    righe = []
    for ambito in ambiti:
        r = rendicontazioni.get(ambito.pk)
        conteggio[r.stato if r else SENZA_RENDICONTAZIONE] += 1
        if filtri.stato and (r.stato if r else SENZA_RENDICONTAZIONE) != filtri.stato:
            continue
        righe.append(
            RigaRegione(
                ambito,
                r,
                piani.get((ambito.pk, anno)),
                per_ambito.get(ambito.pk, Totali()),
                regole.get(ambito.pk),
            )
        )
    totali = Totali()
    for riga in righe:
        totali.aggiungi(riga.totali)
    stati = [*Rendicontazione.Stato.choices, (SENZA_RENDICONTAZIONE, "Non aperta")]
    return ElencoRegione(
        anno, righe, totali, [(v, etichetta, conteggio.get(v, 0)) for v, etichetta in stati]
    )


def rendicontazioni_da_verificare(regione: Regione) -> list[DaIstruire]:
    """The officer's home: reports submitted and not yet accepted or sent back, per year (one query).

    With nothing waiting, one zero is listed, so the count is never missing from the home.
    """
    per_anno = dict(
        Rendicontazione.objects.filter(ambito__regione=regione, stato=Rendicontazione.Stato.INVIATA)
        .values_list("anno")
        .annotate(n=Count("pk"))
        .order_by()
    )
    elenco = reverse("monitoraggio:fondi_regione", args=[regione.pk])
    stato = f"stato={Rendicontazione.Stato.INVIATA}"
    etichetta = "Rendicontazioni inviate da verificare"
    if not per_anno:
        return [DaIstruire(etichetta, 0, f"{elenco}?{stato}", "", 40)]
    return [
        DaIstruire(etichetta, n, f"{elenco}?anno={anno}&{stato}", f"Risorse {anno}", 40)
        for anno, n in sorted(per_anno.items(), reverse=True)
    ]
