"""The allocation phase's imports take the spreadsheets officers really make: title rows, our
export labels in any case, booleans as people write them, «Totale» rows, Excel's float artefacts."""

from decimal import Decimal

import pytest

from programmazione.models import VoceCatalogo

from ..fogli import xlsx
from . import test_catalogo as catalogo
from . import test_foglio as allocazioni
from .test_foglio import carica, conferma, importi

pytestmark = pytest.mark.django_db

# The fixtures of the allocation and catalogue tests, reused as they are.
fonti = allocazioni.fonti
piano = allocazioni.piano
griglia = catalogo.griglia


def test_the_allocation_import_reads_a_sheet_with_titles_and_a_total_row(cast, piano, client_for):
    file = xlsx(
        [
            ["Piano sociale di zona – Ambito di Bari"],
            ["Allocazioni 2025-2027"],
            ["SCHEDA", "Sezione", "Voce", "Titolo", "Comune", "FONTE", "Anno", "Importo (€)"],
            ["S-1", "ambito", "A1", "Porta unica di accesso", None, "FNPS", 2025, 30000.1 + 0.2],
            [None] * 8,
            ["S-1", "ambito", "A1", "Porta unica di accesso", None, "FNA", 2025, 1500],
            ["Totale", None, None, None, None, None, None, 31500.3],
        ],
        "allocazioni.xlsx",
    )
    client = client_for("operatore_a")
    html = carica(client, piano, file)
    assert 'Errori</dt><dd class="col-sm-7">0' in html
    assert "Riga 7: «Totale»: riga dei totali, non importata" in html
    assert "30.000,00\xa0€ → 30.000,30\xa0€" in html
    conferma(client, piano)
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000.30")
    assert importi(piano)[("S-1", "FNA", 2025)] == Decimal("1500.00")


def test_the_catalogue_import_reads_booleans_as_officers_write_them(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    intestazione = [
        "Codice",
        "Nome",
        "Obiettivo servizio",
        "Area intervento",
        "Area utenza",
        "LEPS",
        "Sezioni",
        "Prestazione SIUSS",
        "Descrizione",
    ]
    titolo = ["Catalogo regionale degli interventi"]
    buone = [
        ["A.1.01", "Segretariato", "1.1", 3, "POV", "SI", "ambito", None, None],
        ["A.1.02", "Sportello", "1.1", 3, "POV", "x", "ambito", None, None],
        ["A.1.03", "Mensa", "1.1", 3, "POV", "FALSO", "ambito", None, None],
    ]
    cattiva = ["A.1.04", "Dormitorio", "1.1", 3, "POV", "boh", "ambito", None, None]
    client = client_for("funzionario")
    url = catalogo._url("catalogo_importa", ciclo)
    file = xlsx([titolo, intestazione, *buone, cattiva], "catalogo.xlsx")
    response = client.post(url, {"file": file})
    assert response.context["anteprima"].errori == [
        (6, "LEPS: Valore «boh» non valido: scrivere sì o no. Ammessi anche vero/falso, x, 1/0.")
    ]
    client.post(url, {"file": xlsx([titolo, intestazione, *buone], "catalogo.xlsx")})
    client.post(url, {"azione": "conferma"})
    leps = dict(VoceCatalogo.objects.filter(ciclo=ciclo).values_list("codice", "leps"))
    assert leps == {"A.1.01": True, "A.1.02": True, "A.1.03": False}
