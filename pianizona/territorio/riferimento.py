"""Loading the national code lists vendored in pianizona/data/reference (idempotent upserts)."""

import csv
from pathlib import Path

from django.db import transaction

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    PrestazioneSiuss,
)
from pianizona.territorio.aggiornamento import Popolazione, RapportoComuni, comuni_aggiorna

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
# Code lists that are just a code and a name.
CODIFICHE_SEMPLICI = [
    ("aree_intervento_fnps", AreaInterventoFnps, "aree_intervento_fnps.csv"),
    ("aree_utenza_istat", AreaUtenzaIstat, "aree_utenza_istat.csv"),
    ("prestazioni_siuss", PrestazioneSiuss, "prestazioni_siuss.csv"),
]


def _rows(nome_file: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / nome_file).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(model, oggetti: list, chiave: str, campi: list[str]) -> int:
    model.objects.bulk_create(
        oggetti, update_conflicts=True, unique_fields=[chiave], update_fields=campi, batch_size=500
    )
    return len(oggetti)


def popolazioni_istat() -> dict[str, Popolazione]:
    """Residents by municipality from popolazione_istat.csv; an empty age band is unknown."""

    def intero(valore: str) -> int | None:
        return int(valore) if valore else None

    return {
        r["codice_istat"]: Popolazione(
            anno=int(r["anno"]),
            totale=int(r["totale"]),
            eta_0_17=intero(r["eta_0_17"]),
            eta_65_piu=intero(r["eta_65_piu"]),
            eta_75_piu=intero(r["eta_75_piu"]),
        )
        for r in _rows("popolazione_istat.csv")
    }


def load_reference() -> dict[str, int]:
    """Insert or update every code list; the ambito a municipality belongs to is kept."""
    return aggiorna_riferimenti()[0]


@transaction.atomic
def aggiorna_riferimenti() -> tuple[dict[str, int], RapportoComuni]:
    """Every code list, and the report of what changed in the municipalities (idempotent)."""
    comuni = _rows("comuni_istat.csv")
    rapporto = comuni_aggiorna(
        comuni=comuni,
        popolazioni=popolazioni_istat(),
        variazioni=_rows("variazioni_comuni.csv"),
    )
    conteggi = {"regioni": len({r["codice_regione"] for r in comuni}), "comuni": len(comuni)}

    griglia = _rows("fnps_macrolivelli.csv")
    macro = {int(r["macrolivello"]): r["macrolivello_nome"] for r in griglia}
    conteggi["macro_livelli"] = _upsert(
        MacroLivello,
        [MacroLivello(codice=c, nome=n) for c, n in sorted(macro.items())],
        "codice",
        ["nome"],
    )
    id_macro = dict(MacroLivello.objects.values_list("codice", "pk"))
    conteggi["obiettivi_servizio"] = _upsert(
        ObiettivoServizio,
        [
            ObiettivoServizio(
                codice=r["obiettivo_codice"],
                nome=r["obiettivo_nome"],
                macro_livello_id=id_macro[int(r["macrolivello"])],
            )
            for r in griglia
        ],
        "codice",
        ["nome", "macro_livello"],
    )
    for chiave, model, nome_file in CODIFICHE_SEMPLICI:
        intero = model._meta.get_field("codice").get_internal_type() == "PositiveSmallIntegerField"
        conteggi[chiave] = _upsert(
            model,
            [
                model(codice=int(r["codice"]) if intero else r["codice"], nome=r["nome"])
                for r in _rows(nome_file)
            ],
            "codice",
            ["nome"],
        )
    conteggi["fonti_finanziamento"] = _upsert(
        FonteFinanziamento,
        [
            FonteFinanziamento(
                codice=r["codice"],
                nome=r["nome"],
                livello=r["livello"],
                sezione=r["sezione"],
                note=r["note"],
                ordine=i,
            )
            for i, r in enumerate(_rows("fonti_finanziamento.csv"), start=1)
        ],
        "codice",
        ["nome", "livello", "sezione", "note", "ordine"],
    )
    return conteggi, rapporto
