"""The Risorse phase's tables in a plan's snapshot (see pianizona.iter.istantanee)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.timezone import localtime

from pianizona.iter.istantanee import (
    Colonna,
    Esito,
    Istantanea,
    Tabella,
    Tipo,
    differenza_tabella,
    euro,
    importo,
)
from pianizona.models import Comune, Piano, Transizione, Versione

from . import selectors
from .models import Cofinanziamento, Recepimento

GRUPPO = "Risorse"
FONTE = Colonna("fonte", "Fondo", chiave=True)
ANNO = Colonna("anno", "Anno", chiave=True)
RIGA = Colonna("id", "Riga", chiave=True, interna=True)


def tabelle_risorse(piano: Piano) -> list[Tabella]:
    """What the district enters: acknowledgement, residui, other resources, co-financing."""
    ultimo = (
        Recepimento.objects.filter(piano=piano)
        .select_related("recepito_da")
        .order_by("-recepito_il")
        .first()
    )
    recepimento = Tabella(
        "recepimento",
        "Recepimento dei trasferimenti",
        GRUPPO,
        [
            Colonna("atto", "Atto", chiave=True, interna=True),
            Colonna("data", "Recepiti il"),
            Colonna("utente", "Da"),
        ],
        ordine=10,
    )
    if ultimo is not None:
        recepimento.righe.append(
            {
                "atto": "recepimento",
                "data": localtime(ultimo.recepito_il).strftime("%d/%m/%Y %H:%M"),
                "utente": str(ultimo.recepito_da),
            }
        )

    residui = Tabella(
        "residui",
        "Residui ed economie",
        GRUPPO,
        [
            RIGA,
            # A key, not a label (labels are never compared): a move to another fund is recorded.
            FONTE,
            Colonna("tipo", "Tipo"),
            Colonna("anno_origine", "Anno di provenienza", Tipo.NUMERO),
            Colonna("anno_impiego", "Anno di impiego", Tipo.NUMERO),
            Colonna("stato", "Stato"),
            Colonna("importo", "Importo", Tipo.EURO),
            Colonna("nota", "Nota", Tipo.TESTO_LUNGO),
        ],
        righe=[
            {
                "id": str(r.pk),
                "fonte": r.fonte.codice,
                "tipo": r.get_tipo_display(),
                "anno_origine": r.anno_origine,
                "anno_impiego": r.anno_impiego,
                "stato": r.get_stato_display(),
                "importo": importo(r.importo),
                "nota": r.nota,
            }
            for r in selectors.residui_del_piano(piano)
        ],
        ordine=20,
    )
    altre = Tabella(
        "altre_risorse",
        "Altre risorse",
        GRUPPO,
        [
            RIGA,
            FONTE,
            Colonna("anno", "Anno", Tipo.NUMERO),
            Colonna("importo", "Importo", Tipo.EURO),
            Colonna("descrizione", "Descrizione"),
        ],
        righe=[
            {
                "id": str(r.pk),
                "fonte": r.fonte.codice,
                "anno": r.anno,
                "importo": importo(r.importo),
                "descrizione": r.descrizione,
            }
            for r in selectors.risorse_aggiuntive_del_piano(piano)
        ],
        ordine=30,
    )
    nomi = dict(Comune.objects.filter(ambito_id=piano.ambito_id).values_list("pk", "nome"))
    cofinanziamento = Tabella(
        "cofinanziamento",
        "Cofinanziamento comunale",
        GRUPPO,
        [Colonna("comune", "Comune", chiave=True), ANNO, Colonna("importo", "Importo", Tipo.EURO)],
        righe=[
            {
                "comune": nomi.get(c.comune_id, str(c.comune_id)),
                "anno": c.anno,
                "importo": importo(c.importo),
            }
            for c in Cofinanziamento.objects.filter(piano=piano).order_by("comune__nome", "anno")
        ],
        ordine=40,
    )
    return [recepimento, residui, altre, cofinanziamento]


def tabella_budget(budget: selectors.Budget) -> Tabella:
    """The budget per fund × year as a snapshot table: frozen with each version, compared later."""
    tabella = budget.tabella
    return Tabella(
        "budget",
        "Budget per fondo e anno",
        GRUPPO,
        [
            FONTE,
            Colonna("nome", "Denominazione", etichetta=True),
            ANNO,
            Colonna("importo", "Budget", Tipo.EURO),
        ],
        righe=[
            {
                "fonte": fonte.codice,
                "nome": fonte.nome,
                "anno": anno,
                "importo": importo(tabella.importo(fonte, anno)),
            }
            for fonte in tabella.fonti
            for anno in tabella.anni
        ],
        derivata=True,
        ordine=5,
    )


def tabelle_budget(piano: Piano) -> list[Tabella]:
    """The budget per fund × year, derived from transfers and the tables above."""
    return [tabella_budget(selectors.budget_del_piano(piano))]


@dataclass(frozen=True)
class RigaScostamento:
    fondo: str
    nome: str
    anno: int
    approvato: Decimal
    attuale: Decimal

    @property
    def differenza(self) -> Decimal:
        return self.attuale - self.approvato


@dataclass(frozen=True)
class ScostamentoDallApprovazione:
    """Where an approved plan's budget today differs from the budget approved with it."""

    versione: Versione
    approvato_il: datetime
    righe: list[RigaScostamento]
    approvato: Decimal
    attuale: Decimal

    @property
    def differenza(self) -> Decimal:
        return self.attuale - self.approvato


def scostamento_dal_budget_approvato(
    piano: Piano, budget: selectors.Budget
) -> ScostamentoDallApprovazione | None:
    """An approved plan's budget today against its approved version's; None when they agree.

    The Region may still change its transfers after the approval (the district's own tables are
    locked by then): the approved plan stays the one in its version, and the district must see
    that the figures it works with are no longer those.
    """
    if piano.stato != Piano.Stato.APPROVATO:
        return None
    approvazione = (
        Transizione.objects.filter(
            piano=piano, azione=Transizione.Azione.APPROVAZIONE, versione__isnull=False
        )
        .select_related("versione")
        .order_by("-eseguita_il", "-pk")
        .first()
    )
    if approvazione is None:
        return None
    approvata = Istantanea.from_dict(approvazione.versione.contenuto).tabella("budget")
    if approvata is None:
        return None
    attuale = tabella_budget(budget)
    righe = [
        RigaScostamento(
            fondo=str((riga.dopo or riga.prima)["fonte"]),
            nome=str((riga.dopo or riga.prima).get("nome", "")),
            anno=int((riga.dopo or riga.prima)["anno"]),
            approvato=euro((riga.prima or {}).get("importo")),
            attuale=euro((riga.dopo or {}).get("importo")),
        )
        for riga in differenza_tabella(approvata, attuale).righe
        if riga.esito != Esito.INVARIATA
    ]
    # A fund × year that appears or disappears at zero is no change of money.
    righe = [r for r in righe if r.differenza]
    if not righe:
        return None
    return ScostamentoDallApprovazione(
        versione=approvazione.versione,
        approvato_il=approvazione.eseguita_il,
        righe=righe,
        approvato=approvata.totali()["importo"],
        attuale=attuale.totali()["importo"],
    )
