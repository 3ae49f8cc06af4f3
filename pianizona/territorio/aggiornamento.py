"""Bringing the municipalities up to ISTAT's current list, and saying what changed.

The list is matched to what is stored by ISTAT code; a code that disappeared is followed through
ISTAT's variations (merger, incorporation, transfer to another province) or, failing that, through
the cadastral code, which a municipality keeps when it changes province. Nothing is deleted: data of
the plans may refer to any municipality, so a suppressed one stays, marked, with its successor.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from pianizona.models import Ambito, Comune, Regione
from pianizona.testo import plurale

CAMPI_ISTAT = [
    "nome",
    "regione",
    "provincia",
    "sigla_provincia",
    "codice_catastale",
    "popolazione",
    "popolazione_anno",
    "eta_0_17",
    "eta_65_piu",
    "eta_75_piu",
    "soppresso",
]


@dataclass
class Popolazione:
    anno: int | None
    totale: int
    eta_0_17: int | None = None
    eta_65_piu: int | None = None
    eta_75_piu: int | None = None


@dataclass
class RapportoComuni:
    """What an update changed; every list holds sentences in Italian, ready to print."""

    nuovi: list[str] = field(default_factory=list)
    soppressi: list[str] = field(default_factory=list)
    trasferiti: list[str] = field(default_factory=list)
    ricodificati: list[str] = field(default_factory=list)
    rinominati: list[str] = field(default_factory=list)
    ambiti: dict[str, list[str]] = field(default_factory=dict)  # "codice nome" -> changes
    popolazione_aggiornata: int = 0
    comuni_attivi: int = 0
    primo_caricamento: bool = False

    @property
    def vuoto(self) -> bool:
        return not (
            self.nuovi
            or self.soppressi
            or self.trasferiti
            or self.ricodificati
            or self.rinominati
            or self.ambiti
        )

    def righe(self) -> list[str]:
        if self.primo_caricamento:
            return [f"Primo caricamento: {plurale(self.comuni_attivi, 'comune', 'comuni')}."]
        righe = [f"Comuni nell'elenco ISTAT: {self.comuni_attivi}."]
        sezioni = [
            ("Nuovi comuni", self.nuovi),
            ("Comuni soppressi (fusi o incorporati)", self.soppressi),
            ("Comuni passati ad altra regione", self.trasferiti),
            ("Comuni con nuovo codice ISTAT", self.ricodificati),
            ("Comuni rinominati", self.rinominati),
        ]
        for titolo, voci in sezioni:
            if voci:
                righe.append(f"{titolo}: {len(voci)}")
                righe.extend(f"  - {v}" for v in voci)
        if self.ambiti:
            righe.append(f"Ambiti la cui composizione è cambiata: {len(self.ambiti)}")
            for ambito, voci in sorted(self.ambiti.items()):
                righe.append(f"  - {ambito}: " + "; ".join(voci))
        if self.popolazione_aggiornata:
            righe.append(f"Comuni con la popolazione aggiornata: {self.popolazione_aggiornata}")
        if self.vuoto:
            righe.append("Nessuna variazione di comuni rispetto ai dati già caricati.")
        return righe


def _etichetta(comune: Comune) -> str:
    return f"{comune.nome} ({comune.sigla_provincia}, {comune.codice_istat})"


def _nome_ambito(ambito: Ambito) -> str:
    return f"{ambito.codice} {ambito.nome}"


def _sopprimi(comune: Comune, erede: Comune | None) -> None:
    comune.soppresso, comune.confluito_in = True, erede
    # Its residents are now the successor's: counting them twice would skew every share.
    comune.popolazione, comune.popolazione_anno = 0, None
    comune.eta_0_17 = comune.eta_65_piu = comune.eta_75_piu = None
    comune.save()


@transaction.atomic
def comuni_aggiorna(
    *,
    comuni: list[dict[str, str]],
    popolazioni: dict[str, Popolazione],
    variazioni: list[dict[str, str]],
) -> RapportoComuni:
    """Upsert ``comuni`` (rows of comuni_istat.csv) and report what changed; idempotent.

    A suppressed municipality leaves its ambito (its residents are counted in the successor); a
    merger's new municipality joins its predecessors' ambito when they all shared one. A
    municipality never stays in an ambito of another Region: it is taken out and reported.
    """
    rapporto = RapportoComuni(comuni_attivi=len(comuni))
    regioni = {r["codice_regione"]: r["regione"] for r in comuni}
    for codice, nome in sorted(regioni.items()):
        Regione.objects.update_or_create(codice_istat=codice, defaults={"nome": nome})
    id_regione = dict(Regione.objects.values_list("codice_istat", "pk"))
    nome_regione = {pk: nome for nome, pk in Regione.objects.values_list("nome", "pk")}

    esistenti = {c.codice_istat: c for c in Comune.objects.select_related("ambito", "confluito_in")}
    rapporto.primo_caricamento = not esistenti
    nuove = {r["codice_istat"]: r for r in comuni}
    per_catastale = {r["codice_catastale"]: r for r in comuni if r["codice_catastale"]}
    successore = {v["codice_istat"]: v for v in variazioni}
    ambiti_cambiati: dict[int, list[str]] = defaultdict(list)
    ambiti: dict[int, Ambito] = {}
    lasciato: dict[int, Ambito] = {}  # comune pk -> the ambito it left in this run
    trasferimento: dict[str, str] = {}  # old code -> new code, for a move to another Region

    def lascia_ambito(comune: Comune, motivo: str) -> None:
        if comune.ambito_id:
            ambiti[comune.ambito_id] = lasciato[comune.pk] = comune.ambito
            ambiti_cambiati[comune.ambito_id].append(f"esce {_etichetta(comune)} ({motivo})")
            comune.ambito = None

    # 1. Same municipality, new code: a transfer (the cadastral code is kept).
    for codice, comune in sorted(esistenti.items()):
        if codice in nuove or comune.soppresso:
            continue
        var = successore.get(codice)
        riga = None
        if var and var["tipo"] == "trasferimento":
            riga = nuove.get(var["codice_successore"])
        elif not var:
            riga = per_catastale.get(comune.codice_catastale)
        if riga is None or riga["codice_istat"] in esistenti:
            continue
        nuova_regione = id_regione[riga["codice_regione"]]
        if nuova_regione == comune.regione_id:
            # Same Region: only the province changed, the stored row simply takes the new code.
            rapporto.ricodificati.append(f"{_etichetta(comune)} ora {riga['codice_istat']}")
            comune.codice_istat = riga["codice_istat"]
            comune.save(update_fields=["codice_istat"])
            del esistenti[codice]
            esistenti[comune.codice_istat] = comune
        else:
            # Another Region: the old row keeps its past (plans of the old Region refer to it).
            rapporto.trasferiti.append(
                f"{_etichetta(comune)} passa da {nome_regione[comune.regione_id]} a "
                f"{riga['regione']} con il codice {riga['codice_istat']}: "
                + (
                    f"esce dall'ambito {_nome_ambito(comune.ambito)}, da assegnare a un ambito "
                    f"della regione {riga['regione']}"
                    if comune.ambito_id
                    else "da assegnare a un ambito della nuova regione"
                )
            )
            lascia_ambito(comune, f"passato alla regione {riga['regione']}")
            trasferimento[codice] = riga["codice_istat"]

    # 2. Upsert the current list.
    trasferiti_a = set(trasferimento.values())
    da_fusione = {v["codice_successore"] for v in variazioni if v["tipo"] == "fusione"}
    da_creare: list[Comune] = []
    da_aggiornare: list[Comune] = []
    for codice, riga in nuove.items():
        pop = popolazioni.get(codice) or Popolazione(anno=None, totale=0)
        valori = {
            "nome": riga["nome"],
            "regione_id": id_regione[riga["codice_regione"]],
            "provincia": riga["provincia"],
            "sigla_provincia": riga["sigla"],
            "codice_catastale": riga["codice_catastale"],
            "popolazione": pop.totale,
            "popolazione_anno": pop.anno,
            "eta_0_17": pop.eta_0_17,
            "eta_65_piu": pop.eta_65_piu,
            "eta_75_piu": pop.eta_75_piu,
            "soppresso": False,
        }
        comune = esistenti.get(codice)
        if comune is None:
            comune = Comune(codice_istat=codice, **valori)
            da_creare.append(comune)
            if codice not in trasferiti_a and not rapporto.primo_caricamento:
                origine = " (nato da fusione)" if codice in da_fusione else ""
                rapporto.nuovi.append(f"{_etichetta(comune)}, regione {riga['regione']}{origine}")
            continue
        if comune.nome != riga["nome"]:
            rapporto.rinominati.append(f"{comune.nome} ({codice}) ora {riga['nome']}")
        if comune.popolazione_anno != pop.anno or comune.popolazione != pop.totale:
            rapporto.popolazione_aggiornata += 1
        if comune.ambito_id and comune.ambito.regione_id != valori["regione_id"]:
            rapporto.trasferiti.append(
                f"{_etichetta(comune)} passa a {riga['regione']}: esce dall'ambito "
                f"{_nome_ambito(comune.ambito)}, da assegnare a un ambito della nuova regione"
            )
            lascia_ambito(comune, f"passato alla regione {riga['regione']}")
        if any(getattr(comune, k) != v for k, v in valori.items()):
            for k, v in valori.items():
                setattr(comune, k, v)
            da_aggiornare.append(comune)
    for comune in Comune.objects.bulk_create(da_creare, batch_size=500):
        esistenti[comune.codice_istat] = comune
    Comune.objects.bulk_update(da_aggiornare, [*CAMPI_ISTAT, "ambito"], batch_size=500)

    # 3. Codes no longer listed: suppressed, with their successor where ISTAT names one.
    predecessori: dict[str, list[Comune]] = defaultdict(list)
    for codice, comune in sorted(esistenti.items()):
        if codice in nuove or comune.soppresso:
            continue
        if codice in trasferimento:
            _sopprimi(comune, esistenti[trasferimento[codice]])
            continue
        var = successore.get(codice)
        erede = esistenti.get(var["codice_successore"]) if var else None
        if erede:
            testo = f"{var['tipo']} in {_etichetta(erede)}"
            predecessori[erede.codice_istat].append(comune)
        else:
            testo = "successore non indicato da ISTAT"
        ambito = comune.ambito
        rapporto.soppressi.append(
            f"{_etichetta(comune)}: {testo}"
            + (f"; era nell'ambito {_nome_ambito(ambito)}" if ambito else "")
        )
        lascia_ambito(comune, f"soppresso, {testo}")
        _sopprimi(comune, erede)

    # 4. A merger's successor joins the ambito its predecessors shared, in the same Region.
    for codice, vecchi in predecessori.items():
        erede = esistenti[codice]
        candidati = {lasciato[c.pk].pk: lasciato[c.pk] for c in vecchi if c.pk in lasciato}
        if erede.ambito_id or len(candidati) != 1:
            continue
        ambito = next(iter(candidati.values()))
        if ambito.regione_id != erede.regione_id:
            continue
        erede.ambito = ambito
        erede.save(update_fields=["ambito"])
        ambiti_cambiati[ambito.pk].append(f"entra {_etichetta(erede)} (fusione)")

    rapporto.ambiti = {
        _nome_ambito(ambiti[pk]): voci for pk, voci in ambiti_cambiati.items() if voci
    }
    return rapporto
