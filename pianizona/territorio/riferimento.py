"""Loading the national code lists vendored in pianizona/data/reference (idempotent upserts)."""

import csv
from pathlib import Path

from django.db import transaction

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Comune,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    PrestazioneSiuss,
    Regione,
)

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


@transaction.atomic
def load_reference() -> dict[str, int]:
    """Insert or update every code list; the ambito a municipality belongs to is never touched."""
    comuni = _rows("comuni_istat.csv")
    conteggi = {}
    regioni = {r["codice_regione"]: r["regione"] for r in comuni}
    conteggi["regioni"] = _upsert(
        Regione,
        [Regione(codice_istat=c, nome=n) for c, n in sorted(regioni.items())],
        "codice_istat",
        ["nome"],
    )
    id_regione = dict(Regione.objects.values_list("codice_istat", "pk"))
    conteggi["comuni"] = _upsert(
        Comune,
        [
            Comune(
                codice_istat=r["codice_istat"],
                nome=r["nome"],
                regione_id=id_regione[r["codice_regione"]],
                provincia=r["provincia"],
                sigla_provincia=r["sigla"],
                codice_catastale=r["codice_catastale"],
                popolazione=int(r["popolazione_2011"]),
            )
            for r in comuni
        ],
        "codice_istat",
        ["nome", "regione", "provincia", "sigla_provincia", "codice_catastale", "popolazione"],
    )

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
    return conteggi
