"""The Programmazione phase's tables in a plan's snapshot (see pianizona.iter.istantanee)."""

from django.db.models import Prefetch

from pianizona.iter.istantanee import Colonna, Tabella, Tipo, importo
from pianizona.models import Piano

from .models import Allocazione, Narrativa, SchedaIntervento, Sezione

GRUPPO = "Programmazione"


def _linee(schede: list[SchedaIntervento]) -> dict[int, str]:
    """Each sheet's lineage: the sheet it descends from in earlier plans, followed up the copies.

    An annual update's sheet and the triennial sheet it was copied from share a lineage, so the
    comparison matches them; a duplicate within the same plan starts a lineage of its own.
    """
    info = {s.pk: (s.piano_id, s.scheda_origine_id) for s in schede}
    radice = {s.pk: s.pk for s in schede}
    attive = {s.pk for s in schede if s.scheda_origine_id}
    for _ in range(50):  # copies only go forward in time: no cycles, a few steps at most
        if not attive:
            break
        mancanti = {info[radice[pk]][1] for pk in attive} - set(info)
        righe = SchedaIntervento.objects.filter(pk__in=mancanti).values_list(
            "pk", "piano_id", "scheda_origine_id"
        )
        info.update({pk: (piano_id, origine) for pk, piano_id, origine in righe})
        prossime = set()
        for pk in attive:
            piano_nodo, padre = info[radice[pk]]
            if padre not in info or info[padre][0] == piano_nodo:
                continue  # a deleted ancestor, or a duplicate inside one plan: the lineage stops
            radice[pk] = padre
            if info[padre][1]:
                prossime.add(pk)
        attive = prossime
    visti: set[int] = set()
    linee = {}
    for scheda in sorted(schede, key=lambda s: s.numero):
        linea = radice[scheda.pk]
        linee[scheda.pk] = str(linea if linea not in visti else scheda.pk)
        visti.add(linea)
    return linee


def _si_no(valore: bool) -> str:
    return "Sì" if valore else "No"


def tabelle_programmazione(piano: Piano) -> list[Tabella]:
    """Sheets with everything they describe, allocations per fund × year, the narrative."""
    schede = list(
        SchedaIntervento.objects.filter(piano=piano)
        .select_related("voce", "comune")
        .prefetch_related(
            "aree_utenza",
            "figure",
            "beneficiari",
            Prefetch("allocazioni", queryset=Allocazione.objects.select_related("fonte")),
        )
        .order_by("numero")
    )
    linee = _linee(schede)
    sezioni = dict(Sezione.choices)
    tabella_schede = Tabella(
        "schede",
        "Schede intervento",
        GRUPPO,
        [
            Colonna("linea", "Scheda", chiave=True, interna=True),
            Colonna("codice", "Codice", etichetta=True),
            Colonna("titolo", "Titolo"),
            Colonna("sezione", "Sezione"),
            Colonna("voce", "Voce del catalogo"),
            Colonna("comune", "Comune"),
            Colonna("descrizione", "Descrizione", Tipo.TESTO_LUNGO),
            Colonna("obiettivi", "Obiettivi", Tipo.TESTO_LUNGO),
            Colonna("aree_utenza", "Aree di utenza"),
            Colonna("gestione", "Modalità di gestione"),
            Colonna("soggetto_attuatore", "Soggetto attuatore"),
            Colonna("risorse_strutturali", "Risorse strutturali", Tipo.TESTO_LUNGO),
            Colonna("integrazione", "Integrazione socio-sanitaria"),
            Colonna("azienda_sanitaria", "ASL/AUSL coinvolta"),
            Colonna("modalita_integrazione", "Modalità dell'integrazione", Tipo.TESTO_LUNGO),
            Colonna("in_continuita", "In continuità"),
            Colonna("figure", "Figure professionali"),
            Colonna("beneficiari", "Beneficiari previsti", per_anno=True),
        ],
        ordine=50,
    )
    allocazioni = Tabella(
        "allocazioni",
        "Allocazioni per scheda, fondo e anno",
        GRUPPO,
        [
            Colonna("linea", "Scheda", chiave=True, interna=True),
            Colonna("codice", "Codice", etichetta=True),
            Colonna("titolo", "Titolo", etichetta=True),
            Colonna("sezione", "Sezione", etichetta=True),
            Colonna("fonte", "Fondo", chiave=True),
            Colonna("anno", "Anno", chiave=True),
            Colonna("importo", "Importo", Tipo.EURO),
        ],
        ordine=60,
    )
    for scheda in schede:
        linea = linee[scheda.pk]
        tabella_schede.righe.append(
            {
                "linea": linea,
                "codice": scheda.codice,
                "titolo": scheda.titolo,
                "sezione": sezioni[scheda.sezione],
                "voce": f"{scheda.voce.codice} {scheda.voce.nome}",
                "comune": scheda.comune.nome if scheda.comune else "",
                "descrizione": scheda.descrizione,
                "obiettivi": scheda.obiettivi,
                "aree_utenza": ", ".join(sorted(a.nome for a in scheda.aree_utenza.all())),
                "gestione": scheda.get_gestione_display(),
                "soggetto_attuatore": scheda.soggetto_attuatore,
                "risorse_strutturali": scheda.risorse_strutturali,
                "integrazione": _si_no(scheda.integrazione_sociosanitaria),
                "azienda_sanitaria": scheda.azienda_sanitaria,
                "modalita_integrazione": scheda.modalita_integrazione,
                "in_continuita": _si_no(scheda.in_continuita),
                "figure": "; ".join(
                    f"{f.profilo}: {f.fte}"
                    for f in sorted(scheda.figure.all(), key=lambda f: f.profilo)
                ),
                "beneficiari": "; ".join(
                    f"{b.anno}: {b.numero}"
                    for b in sorted(scheda.beneficiari.all(), key=lambda b: b.anno)
                ),
            }
        )
        for allocazione in sorted(
            scheda.allocazioni.all(), key=lambda a: (a.fonte.ordine, a.fonte.codice, a.anno)
        ):
            allocazioni.righe.append(
                {
                    "linea": linea,
                    "codice": scheda.codice,
                    "titolo": scheda.titolo,
                    "sezione": sezioni[scheda.sezione],
                    "fonte": allocazione.fonte.codice,
                    "anno": allocazione.anno,
                    "importo": importo(allocazione.importo),
                }
            )
    testi = {n.capitolo: n.testo for n in Narrativa.objects.filter(piano=piano)}
    narrativa = Tabella(
        "narrativa",
        "Parte narrativa",
        GRUPPO,
        [
            Colonna("capitolo", "Capitolo", chiave=True, interna=True),
            Colonna("titolo", "Capitolo", etichetta=True),
            Colonna("testo", "Testo", Tipo.TESTO_LUNGO),
        ],
        righe=[
            {"capitolo": codice, "titolo": titolo, "testo": testi[codice]}
            for codice, titolo in Narrativa.Capitolo.choices
            if testi.get(codice)
        ],
        ordine=70,
    )
    return [tabella_schede, allocazioni, narrativa]
