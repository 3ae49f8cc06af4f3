"""Writes of the allocation phase. Every write locks the plan and checks it is editable."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, prefetch_related_objects

from pianizona.copia import Copia
from pianizona.dominio import ErroreDominio, piano_blocca_per_modifica
from pianizona.iter.cronologia import modifica_del_piano
from pianizona.models import AreaUtenzaIstat, FonteFinanziamento, Modifica, Piano, User, UsoFonte
from pianizona.money import format_euro
from pianizona.revisioni import revisione_avanza
from pianizona.territorio.denominazioni import denominazione_distretti
from pianizona.testo import markdown_sicuro, plurale
from risorse.selectors import ZERO, TabellaImporti, anni_del_piano, budget_del_piano

from . import selectors
from .models import (
    Allocazione,
    BeneficiariPrevisti,
    FiguraProfessionale,
    Narrativa,
    SchedaIntervento,
    Sezione,
    VoceCatalogo,
)

TABELLA_ALLOCAZIONI = "allocazioni"
TABELLA_NARRATIVA = "narrativa"


class SovraAllocazione(ErroreDominio):
    """Allocations beyond a fund's budget in a year: refused, naming fund, year and amounts."""

    def __init__(self, righe: list[tuple[str, int, Decimal, Decimal]]):
        self.righe = righe
        dettagli = "; ".join(
            f"{fonte} {anno}: allocati {format_euro(allocato)} su un budget di {format_euro(budget)}, "
            f"oltre di {format_euro(allocato - budget)}"
            for fonte, anno, allocato, budget in righe
        )
        super().__init__(f"Importi oltre il budget, nulla è stato salvato. {dettagli}.")


# --- Sheets ------------------------------------------------------------------------------------


def _blocca(piano: Piano) -> Piano:
    """Lock the plan as ``piano_blocca_per_modifica``, keeping the cycle the caller already read.

    The plan's years come from its cycle: without this each service would read it again.
    """
    bloccato = piano_blocca_per_modifica(piano)
    if Piano.ciclo.is_cached(piano) and piano.ciclo_id == bloccato.ciclo_id:
        bloccato.ciclo = piano.ciclo
    return bloccato


def _controlla_scheda(piano: Piano, scheda: SchedaIntervento) -> None:
    voce = scheda.voce
    if voce.ciclo_id != piano.ciclo_id:
        raise ErroreDominio(
            f"La voce {voce.codice} non appartiene al catalogo del ciclo del piano."
        )
    if not voce.ammessa_in(scheda.sezione):
        raise ErroreDominio(
            f"La voce {voce.codice} «{voce.nome}» non è ammessa tra i "
            f"«{Sezione(scheda.sezione).label.lower()}»."
        )
    if scheda.sezione == Sezione.COMUNALE:
        if scheda.comune_id is None:
            raise ErroreDominio("Un servizio a valenza comunale deve indicare il comune.")
        if scheda.comune.ambito_id != piano.ambito_id:
            raise ErroreDominio(
                f"Il comune indicato non appartiene {denominazione_distretti(piano).forma('al')}."
            )
    elif scheda.comune_id is not None:
        raise ErroreDominio("Il comune si indica solo per i servizi a valenza comunale.")


def _prossimo_numero(piano: Piano) -> int:
    return (SchedaIntervento.objects.filter(piano=piano).aggregate(m=Max("numero"))["m"] or 0) + 1


@modifica_del_piano("Scheda intervento salvata")
def scheda_salva(
    *,
    piano: Piano,
    scheda: SchedaIntervento,
    aree_utenza: list[AreaUtenzaIstat] | None = None,
    user: User | None = None,
) -> SchedaIntervento:
    """Create or update a sheet's description (the instance comes from a validated form)."""
    piano = _blocca(piano)
    if scheda.pk and scheda.piano_id != piano.pk:
        raise ErroreDominio("La scheda non appartiene a questo piano.")
    _controlla_scheda(piano, scheda)
    scheda.piano = piano
    if not scheda.numero:
        scheda.numero = _prossimo_numero(piano)  # under the plan's row lock: no duplicates
    # One read of the funds the sheet has money on; the allowed ones are computed only if any.
    if scheda.pk and (usate := set(scheda.allocazioni.values_list("fonte_id", flat=True))):
        consentite = {f.pk for f in selectors.fonti_per_sezione(piano, scheda.sezione)}
        if usate - consentite:
            raise ErroreDominio(
                "La scheda ha importi su fondi non ammessi nella nuova sezione: toglierli prima."
            )
    scheda.full_clean(exclude=["piano"])
    scheda.save()
    if aree_utenza is not None:
        scheda.aree_utenza.set(aree_utenza)
    return scheda


@modifica_del_piano("Scheda intervento eliminata")
def scheda_elimina(*, piano: Piano, scheda: SchedaIntervento, user: User | None = None) -> None:
    piano_blocca_per_modifica(piano)
    SchedaIntervento.objects.filter(pk=scheda.pk, piano=piano).delete()


@modifica_del_piano("Figure professionali salvate")
def figure_salva(
    *,
    piano: Piano,
    scheda: SchedaIntervento,
    figure: list[tuple[str, Decimal]],
    user: User | None = None,
) -> None:
    """Replace the sheet's professional profiles with ``figure`` (profile, full-time equivalents)."""
    piano_blocca_per_modifica(piano)
    profili = [p.strip().lower() for p, _ in figure]
    if len(set(profili)) != len(profili):
        raise ErroreDominio("Ogni profilo professionale va indicato una sola volta.")
    if any(fte <= 0 for _, fte in figure):
        raise ErroreDominio("Le unità a tempo pieno devono essere maggiori di zero.")
    FiguraProfessionale.objects.filter(scheda=scheda).delete()
    FiguraProfessionale.objects.bulk_create(
        FiguraProfessionale(scheda=scheda, profilo=p.strip(), fte=fte) for p, fte in figure
    )


@modifica_del_piano("Beneficiari previsti salvati")
def beneficiari_salva(
    *,
    piano: Piano,
    scheda: SchedaIntervento,
    numeri: dict[int, int | None],
    user: User | None = None,
) -> None:
    piano = _blocca(piano)
    anni = anni_del_piano(piano)
    if set(numeri) - set(anni):
        raise ErroreDominio("Gli anni dei beneficiari devono essere quelli del piano.")
    BeneficiariPrevisti.objects.filter(
        scheda=scheda, anno__in=[a for a, n in numeri.items() if n is None]
    ).delete()
    BeneficiariPrevisti.objects.bulk_create(
        [
            BeneficiariPrevisti(scheda=scheda, anno=a, numero=n)
            for a, n in numeri.items()
            if n is not None
        ],
        update_conflicts=True,
        unique_fields=["scheda", "anno"],
        update_fields=["numero"],
    )


# --- Allocations -------------------------------------------------------------------------------


def _sovra_allocazioni(
    piano: Piano,
    prima: selectors.Importi,
    dopo: selectors.Importi,
    budget: TabellaImporti | None = None,
) -> list:
    """Fund-years a change would push (further) over budget; lowering an excess is always allowed.

    ``budget`` is the plan's budget table when the caller has already read it under the lock.
    """
    if budget is None:
        budget = budget_del_piano(piano).tabella
    righe = []
    for (fonte_id, anno), totale in sorted(dopo.items()):
        disponibile = budget.celle.get((fonte_id, anno), ZERO)
        if totale > disponibile and totale > prima.get((fonte_id, anno), ZERO):
            righe.append((fonte_id, anno, totale, disponibile))
    # A fund with no budget at all is not among the budget's funds: name every fund by its code.
    codici = dict(
        FonteFinanziamento.objects.filter(pk__in={r[0] for r in righe}).values_list("pk", "codice")
    )
    return [(codici[f], anno, totale, disponibile) for f, anno, totale, disponibile in righe]


@modifica_del_piano("Importi della scheda salvati")
def allocazioni_salva(
    *,
    piano: Piano,
    scheda: SchedaIntervento,
    importi: dict[tuple[int, int], Decimal | None],
    revisione: int,
    user: User | None,
) -> int:
    """Set a sheet's money per (fund id, year); None or 0 clears a cell. Refuses over-allocation.

    ``revisione`` is the sheet's allocation revision the page showed (stale → ConflittoModifica).
    """
    piano = _blocca(piano)
    if scheda.piano_id != piano.pk:
        raise ErroreDominio("La scheda non appartiene a questo piano.")
    budget = budget_del_piano(piano).tabella  # read once: allowed funds and the over-budget check
    consentite = {f.pk: f for f in selectors.fonti_per_sezione(piano, scheda.sezione, budget)}
    anni = anni_del_piano(piano)
    for fonte_id, anno in importi:
        if anno not in anni:
            raise ErroreDominio(f"L'anno {anno} non appartiene al piano.")
        if fonte_id not in consentite and importi[(fonte_id, anno)]:
            fonte = FonteFinanziamento.objects.filter(pk=fonte_id).first()
            if fonte is not None and not fonte.ammessa(UsoFonte.ALLOCAZIONE):
                raise ErroreDominio(fonte.rifiuto(UsoFonte.ALLOCAZIONE))
            raise ErroreDominio(
                f"Il fondo indicato non è utilizzabile tra i «{Sezione(scheda.sezione).label.lower()}»."
            )
    revisione_avanza(proprietario=scheda, tabella=TABELLA_ALLOCAZIONI, attesa=revisione, user=user)
    attuali = {(a.fonte_id, a.anno): a.importo for a in Allocazione.objects.filter(scheda=scheda)}
    nuovi = {k: v for k, v in {**attuali, **importi}.items() if v}
    prima = selectors.allocato_del_piano(piano)
    # The other sheets' totals are the plan's minus this sheet's saved amounts: no second read.
    altre = {k: v - attuali.get(k, ZERO) for k, v in prima.items()}
    dopo = {k: v for k, v in altre.items() if v}
    for chiave, importo in nuovi.items():
        dopo[chiave] = dopo.get(chiave, ZERO) + importo
    if eccessi := _sovra_allocazioni(piano, prima, dopo, budget):
        raise SovraAllocazione(eccessi)
    if tolte := [k for k in attuali if k not in nuovi]:
        condizione = Q()
        for fonte_id, anno in tolte:
            condizione |= Q(fonte_id=fonte_id, anno=anno)
        Allocazione.objects.filter(condizione, scheda=scheda).delete()
    Allocazione.objects.bulk_create(
        [Allocazione(scheda=scheda, fonte_id=f, anno=a, importo=i) for (f, a), i in nuovi.items()],
        update_conflicts=True,
        unique_fields=["scheda", "fonte", "anno"],
        update_fields=["importo"],
    )
    return len(nuovi)


# --- Copies ------------------------------------------------------------------------------------


# Field by field from the models (pianizona.copia): a new field carries over unless excluded here.
COPIA_SCHEDA = Copia(
    SchedaIntervento,
    # allocations come along only if they fit the new plan's budget (_copia_allocazioni)
    a_parte=frozenset(
        {"piano", "voce", "numero", "scheda_origine", "figure", "beneficiari", "allocazioni"}
    ),
    esclusi={
        "id": "una riga nuova",
        "copie": "le copie di una scheda appartengono ad altri piani",
        "creata_il": "la data della copia",
        "aggiornata_il": "la data della copia",
    },
)
COPIA_FIGURA = Copia(
    FiguraProfessionale, a_parte=frozenset({"scheda"}), esclusi={"id": "una riga nuova"}
)
COPIA_BENEFICIARI = Copia(
    BeneficiariPrevisti, a_parte=frozenset({"scheda"}), esclusi={"id": "una riga nuova"}
)
COPIA_ALLOCAZIONE = Copia(
    Allocazione, a_parte=frozenset({"scheda"}), esclusi={"id": "una riga nuova"}
)
COPIA_NARRATIVA = Copia(
    Narrativa,
    a_parte=frozenset({"piano", "aggiornato_da"}),
    esclusi={"id": "una riga nuova", "aggiornato_il": "la data della copia"},
)


def _copia(
    scheda: SchedaIntervento, destinazione: Piano, voce: VoceCatalogo, numero: int
) -> SchedaIntervento:
    """The sheet in ``destinazione`` with every field, profile and the beneficiaries of its years."""
    anni = set(anni_del_piano(destinazione))
    nuova = COPIA_SCHEDA.nuovo(
        scheda, piano=destinazione, voce=voce, numero=numero, scheda_origine=scheda
    )
    nuova.save()
    COPIA_SCHEDA.copia_molti_a_molti(scheda, nuova)
    FiguraProfessionale.objects.bulk_create(
        COPIA_FIGURA.nuovo(f, scheda=nuova) for f in scheda.figure.all()
    )
    BeneficiariPrevisti.objects.bulk_create(
        COPIA_BENEFICIARI.nuovo(b, scheda=nuova) for b in scheda.beneficiari.all() if b.anno in anni
    )
    return nuova


def _copia_allocazioni(
    piano: Piano, coppie: list[tuple[SchedaIntervento, SchedaIntervento]]
) -> bool:
    """Copy the allocations of the plan's years if they all fit the budget; else copy none."""
    anni = anni_del_piano(piano)
    nuove = [
        COPIA_ALLOCAZIONE.nuovo(a, scheda=nuova)
        for vecchia, nuova in coppie
        for a in vecchia.allocazioni.all()
        if a.anno in anni
    ]
    prima = selectors.allocato_del_piano(piano)
    dopo = dict(prima)
    for a in nuove:
        dopo[(a.fonte_id, a.anno)] = dopo.get((a.fonte_id, a.anno), ZERO) + a.importo
    if _sovra_allocazioni(piano, prima, dopo):
        return False
    Allocazione.objects.bulk_create(nuove)
    return True


@modifica_del_piano("Scheda intervento duplicata")
def scheda_duplica(
    *, piano: Piano, scheda: SchedaIntervento, user: User | None = None
) -> tuple[SchedaIntervento, bool]:
    """A copy of the sheet at the end of the plan; its amounts come along only if they fit."""
    piano = piano_blocca_per_modifica(piano)
    if scheda.piano_id != piano.pk:
        raise ErroreDominio("La scheda non appartiene a questo piano.")
    nuova = _copia(scheda, piano, scheda.voce, _prossimo_numero(piano))
    nuova.titolo = f"{scheda.titolo} (copia)"[:200]
    nuova.save(update_fields=["titolo"])
    return nuova, _copia_allocazioni(piano, [(scheda, nuova)])


@dataclass
class RisultatoCopia:
    copiate: list[SchedaIntervento] = field(default_factory=list)
    senza_voce: list[str] = field(
        default_factory=list
    )  # sheets whose entry the new catalogue lacks
    allocazioni_copiate: bool = False


@modifica_del_piano("Schede copiate da un altro piano", parametro="destinazione")
def piano_copia_schede(
    *, origine: Piano, destinazione: Piano, user: User | None = None
) -> RisultatoCopia:
    """Start a plan from an earlier one's sheets, matching catalogue entries by code.

    Amounts come along for the years the two plans share (a triennial plan and its annual
    update), and only if all of them fit the new plan's budget.
    """
    destinazione = piano_blocca_per_modifica(destinazione)
    if origine.ambito_id != destinazione.ambito_id or origine.pk == destinazione.pk:
        raise ErroreDominio(
            "Si possono copiare solo le schede di un altro piano dello stesso ambito."
        )
    voci = {v.codice: v for v in VoceCatalogo.objects.filter(ciclo_id=destinazione.ciclo_id)}
    risultato = RisultatoCopia()
    coppie = []
    numero = _prossimo_numero(destinazione)
    schede = selectors.schede_del_piano(origine)
    # what _copia reads of every sheet, in three queries rather than three per sheet
    prefetch_related_objects(schede, "aree_utenza", "figure", "beneficiari")
    for scheda in schede:
        voce = voci.get(scheda.voce.codice)
        if voce is None or not voce.ammessa_in(scheda.sezione):
            risultato.senza_voce.append(
                f"{scheda.codice} «{scheda.titolo}» (voce {scheda.voce.codice})"
            )
            continue
        nuova = _copia(scheda, destinazione, voce, numero)
        if nuova.piano.ciclo_id != origine.ciclo_id:
            nuova.in_continuita = True
            nuova.save(update_fields=["in_continuita"])
        coppie.append((scheda, nuova))
        risultato.copiate.append(nuova)
        numero += 1
    risultato.allocazioni_copiate = bool(coppie) and _copia_allocazioni(destinazione, coppie)
    return risultato


# --- Narrative ---------------------------------------------------------------------------------


@modifica_del_piano("Parte narrativa salvata")
def narrativa_salva(
    *, piano: Piano, capitolo: str, testo: str, revisione: int, user: User
) -> Narrativa:
    """Save one chapter's Markdown; it is always shown through ``markdown_sicuro``."""
    piano = piano_blocca_per_modifica(piano)
    if capitolo not in Narrativa.Capitolo.values:
        raise ErroreDominio("Capitolo sconosciuto.")
    revisione_avanza(
        proprietario=piano, tabella=f"{TABELLA_NARRATIVA}:{capitolo}", attesa=revisione, user=user
    )
    markdown_sicuro(testo)  # fails early on text the converter cannot read
    capitolo_salvato, _ = Narrativa.objects.update_or_create(
        piano=piano, capitolo=capitolo, defaults={"testo": testo.strip(), "aggiornato_da": user}
    )
    return capitolo_salvato


@modifica_del_piano(
    "Parte narrativa ripresa dal piano precedente",
    origine=Modifica.Origine.SISTEMA,
    parametro="destinazione",
)
def narrativa_copia(*, origine: Piano, destinazione: Piano, user: User | None = None) -> int:
    """Start the annual update's chapters from the earlier plan's text (only empty chapters)."""
    presenti = set(
        Narrativa.objects.filter(piano=destinazione)
        .exclude(testo="")
        .values_list("capitolo", flat=True)
    )
    nuovi = [
        COPIA_NARRATIVA.nuovo(n, piano=destinazione, aggiornato_da=user)
        for n in Narrativa.objects.filter(piano=origine).exclude(testo="")
        if n.capitolo not in presenti
    ]
    Narrativa.objects.bulk_create(
        nuovi,
        update_conflicts=True,
        unique_fields=["piano", "capitolo"],
        update_fields=[c for c in COPIA_NARRATIVA.copiati if c != "capitolo"] + ["aggiornato_da"],
    )
    return len(nuovi)


def programmazione_copia_per_attuativo(
    origine: Piano, destinazione: Piano, user: User | None
) -> list[str]:
    """The annual update starts with the earlier plan's sheets, amounts of its year and text."""
    copia = piano_copia_schede(origine=origine, destinazione=destinazione, user=user)
    messaggi = [
        plurale(
            len(copia.copiate), "Ripresa {n} scheda intervento", "Riprese {n} schede intervento"
        )
        + f" dal {origine.titolo.lower()}."
    ]
    if copia.copiate and copia.allocazioni_copiate:
        messaggi.append(f"Ripresi gli importi del {destinazione.anno}.")
    elif copia.copiate:
        messaggi.append(
            f"Gli importi del {destinazione.anno} non sono stati ripresi perché supererebbero il "
            "budget del piano attuativo: inserirli scheda per scheda."
        )
    if copia.senza_voce:
        messaggi.append(
            "Non riprese perché la voce non è più nel catalogo: "
            + "; ".join(copia.senza_voce)
            + "."
        )
    if capitoli := narrativa_copia(origine=origine, destinazione=destinazione, user=user):
        messaggi.append(f"Ripresi {capitoli} capitoli della parte narrativa.")
    return messaggi
