"""SIOSS export: rows per service × source on a hand-computed plan, the CSV for machines, the XLSX
for people, the page listing the years."""

import csv
import io
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoraggio import sioss
from monitoraggio.models import Dichiarazione, Rendicontazione
from pianizona.models import Piano
from programmazione.models import Allocazione, SchedaIntervento

D = Decimal


@dataclass
class Programma:
    """Both plans approved; A declared its 2025 spending (see ``programma``)."""

    rendicontazione_a: Rendicontazione


def scheda(piano, voce, numero, gestione, importi, sezione="ambito") -> SchedaIntervento:
    s = SchedaIntervento.objects.create(
        piano=piano, sezione=sezione, voce=voce, numero=numero, titolo=voce.nome, gestione=gestione
    )
    for fonte, anno, importo in importi:
        Allocazione.objects.create(scheda=s, fonte=fonte, anno=anno, importo=D(importo))
    return s


def dichiara(rendicontazione, fonte, obiettivo, area, giorno, impegnato, liquidato, user):
    return Dichiarazione.objects.create(
        rendicontazione=rendicontazione,
        fonte=fonte,
        obiettivo_servizio=obiettivo,
        area_intervento=area,
        data=giorno,
        impegnato=D(impegnato),
        liquidato=D(liquidato),
        dichiarata_da=user,
    )


@pytest.fixture
def programma(cast, fonti, catalogo, riferimenti) -> Programma:
    """A (333.980 ab.): 2025 FNPS 50.000 segretariato in two sheets + FNA 10.000, centro diurno
    FNPS 25.000 (same line as segretariato's FNPS); 2026 FNPS 40.000 domiciliare (area 2).
    B (69.529 ab.): 2025 FNPS 69.529 domiciliare. A's 2025 declarations: FNPS line 45.000,01 /
    20.000 (after an earlier 10.000 / 5.000), FNA line 8.000 / 8.000, an unprogrammed line 1.000 / 0.
    """
    Piano.objects.filter(pk__in=[cast.piano_a.pk, cast.piano_b.pk]).update(
        stato=Piano.Stato.APPROVATO
    )
    fnps, fna = fonti["FNPS"], fonti["FNA"]
    scheda(
        cast.piano_a,
        catalogo.segretariato,
        1,
        "diretta",
        [(fnps, 2025, "30000"), (fna, 2025, "10000")],
    )
    scheda(cast.piano_a, catalogo.segretariato, 2, "diretta", [(fnps, 2025, "20000")], "comunale")
    scheda(cast.piano_a, catalogo.centro_diurno, 3, "appalto", [(fnps, 2025, "25000")])
    scheda(cast.piano_a, catalogo.domiciliare, 4, "accreditamento", [(fnps, 2026, "40000")])
    scheda(cast.piano_b, catalogo.domiciliare, 1, "diretta", [(fnps, 2025, "69529")])

    rend = Rendicontazione.objects.create(ambito=cast.ambito_a, ciclo=cast.piano_a.ciclo, anno=2025)
    user = cast.responsabile_a
    accesso, infanzia = riferimenti.accesso, riferimenti.infanzia
    dichiara(rend, fnps, accesso, infanzia, date(2025, 3, 31), "10000", "5000", user)
    dichiara(rend, fnps, accesso, infanzia, date(2025, 6, 30), "45000.01", "20000", user)
    dichiara(rend, fna, accesso, infanzia, date(2025, 5, 15), "8000", "8000", user)
    dichiara(
        rend,
        fnps,
        riferimenti.domiciliare,
        riferimenti.poverta,
        date(2025, 6, 1),
        "1000",
        "0",
        user,
    )
    return Programma(rend)


def test_the_columns_are_documented_once_in_the_order_of_the_rows():
    assert [c.name for c in fields(sioss.RigaSioss)] == [c.nome for c in sioss.COLONNE]


def test_a_line_shared_by_services_is_split_by_programmed_amount_to_the_cent():
    assert sioss.ripartisci(D("45000.01"), [D("50000"), D("25000")]) == [
        D("30000.01"),
        D("15000.00"),
    ]
    assert sioss.ripartisci(D("20000"), [D("50000"), D("25000")]) == [D("13333.33"), D("6666.67")]
    assert sum(sioss.ripartisci(D("0.05"), [D(1), D(1), D(1)])) == D("0.05")


def test_one_row_per_service_and_source_with_spending_from_the_latest_declarations(cast, programma):
    righe = sioss.righe_sioss(cast.ambito_a, 2025)

    chiavi = [(r.voce_codice, r.gestione, r.fonte_codice) for r in righe]
    assert chiavi == [
        ("A1.01", "diretta", "FNPS"),
        ("A1.01", "diretta", "FNA"),
        ("C3.01", "appalto", "FNPS"),
        ("", "", "FNPS"),  # declared on a line nothing programmed
    ]
    segretariato_fnps, segretariato_fna, centro, fuori = righe
    assert segretariato_fnps.schede == 2
    assert segretariato_fnps.programmato == D("50000.00")
    assert segretariato_fnps.programmato_servizio == D("60000.00")
    assert (segretariato_fnps.impegnato, segretariato_fnps.liquidato) == (
        D("30000.01"),
        D("13333.33"),
    )
    assert segretariato_fnps.attribuzione == "proporzionale"
    assert segretariato_fnps.data_ultima_dichiarazione == date(2025, 6, 30)
    assert (centro.impegnato, centro.liquidato) == (D("15000.00"), D("6666.67"))
    assert (segretariato_fna.impegnato, segretariato_fna.liquidato) == (D("8000.00"), D("8000.00"))
    assert segretariato_fna.attribuzione == "diretta"
    assert fuori.attribuzione == "linea_non_programmata"
    assert (fuori.obiettivo_servizio_codice, fuori.area_fnps_codice) == ("2.1", 3)
    assert (fuori.programmato, fuori.impegnato) == (D("0.00"), D("1000.00"))

    primo = segretariato_fnps
    assert (primo.ambito_codice, primo.anno, primo.piano_riferimento) == ("BA01", 2025, "triennale")
    assert primo.capofila_istat == cast.ambito_a.comune_capofila.codice_istat
    assert (
        primo.macro_livello_codice,
        primo.obiettivo_servizio_codice,
        primo.area_fnps_codice,
    ) == (
        1,
        "1.1",
        1,
    )
    assert (primo.area_utenza_istat_codice, primo.leps, primo.stato_rendicontazione) == (
        "FAM",
        0,
        "bozza",
    )
    # The rows add up to what was programmed for the year and to the latest declarations.
    assert sum(r.programmato for r in righe) == D("85000.00")
    assert sum(r.impegnato for r in righe) == D("54000.01")
    assert sum(r.liquidato for r in righe) == D("28000.00")


def test_a_year_without_declarations_leaves_spending_empty(cast, programma):
    (riga,) = sioss.righe_sioss(cast.ambito_a, 2026)
    assert (riga.voce_codice, riga.programmato) == ("B2.01", D("40000.00"))
    assert (riga.impegnato, riga.attribuzione, riga.data_ultima_dichiarazione) == (None, "", None)


def test_every_row_of_a_year_with_a_report_carries_its_state(
    cast, client_for, programma, fonti, riferimenti
):
    """2026: an accepted report declaring only an unprogrammed line; 2025: a draft report."""
    rend = Rendicontazione.objects.create(
        ambito=cast.ambito_a,
        ciclo=cast.piano_a.ciclo,
        anno=2026,
        stato=Rendicontazione.Stato.ACCETTATA,
    )
    dichiara(
        rend,
        fonti["FNA"],
        riferimenti.accesso,
        riferimenti.infanzia,
        date(2026, 5, 1),
        "100",
        "0",
        cast.responsabile_a,
    )
    client = client_for("operatore_a")

    def stati(anno: int) -> list[tuple[str, str]]:
        url = reverse("monitoraggio:sioss_csv", args=[cast.ambito_a.pk, anno])
        testo = client.get(url).content.decode("utf-8")
        return [
            (r["voce_codice"], r["stato_rendicontazione"])
            for r in csv.DictReader(io.StringIO(testo))
        ]

    assert stati(2026) == [("B2.01", "accettata"), ("", "accettata")]
    assert {stato for _, stato in stati(2025)} == {"bozza"}
    rend.dichiarazioni.all().delete()
    assert stati(2026) == [("B2.01", "accettata")]


def test_a_year_without_a_report_leaves_the_state_empty(cast, programma):
    (riga,) = sioss.righe_sioss(cast.ambito_a, 2026)
    assert riga.stato_rendicontazione == ""


def test_the_rows_cost_the_same_queries_however_big_the_plan(
    cast, programma, catalogo, fonti, django_assert_num_queries
):
    with django_assert_num_queries(3):
        sioss.righe_sioss(cast.ambito_a, 2025)
    for numero in range(10, 30):
        scheda(
            cast.piano_a, catalogo.domiciliare, numero, "appalto", [(fonti["FGSA"], 2025, "100")]
        )
    with django_assert_num_queries(3):
        sioss.righe_sioss(cast.ambito_a, 2025)


def test_the_csv_is_machine_readable(cast, client_for, programma):
    risposta = client_for("operatore_a").get(
        reverse("monitoraggio:sioss_csv", args=[cast.ambito_a.pk, 2025])
    )
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "text/csv; charset=utf-8"
    assert risposta["Content-Disposition"] == 'attachment; filename="sioss-BA01-2025.csv"'
    assert risposta["X-Content-Type-Options"] == "nosniff"
    righe = list(csv.DictReader(io.StringIO(risposta.content.decode("utf-8"))))
    assert list(righe[0]) == [c.nome for c in sioss.COLONNE]
    prima = righe[0]
    assert prima["impegnato"] == "30000.01"
    assert prima["programmato"] == "50000.00"
    assert prima["data_ultima_dichiarazione"] == "2025-06-30"
    assert prima["leps"] == "0"
    assert date.fromisoformat(prima["data_ultima_dichiarazione"])
    assert sum(Decimal(r["liquidato"]) for r in righe) == D("28000.00")


def test_the_xlsx_has_italian_headers_euro_formats_and_the_declared_lines(
    cast, client_for, programma
):
    risposta = client_for("funzionario").get(
        reverse("monitoraggio:sioss_xlsx", args=[cast.ambito_a.pk, 2025])
    )
    assert risposta.status_code == 200
    libro = load_workbook(io.BytesIO(risposta.content))
    assert libro.sheetnames == ["Servizi", "Linee dichiarate", "Colonne"]
    servizi = libro["Servizi"]
    intestazioni = [c.value for c in servizi[1]]
    assert intestazioni[:3] == ["Codice ambito", "Codice ISTAT capofila", "Anno"]
    assert "Programmato dalla fonte" in intestazioni
    colonna = intestazioni.index("Impegnato") + 1
    cella = servizi.cell(row=2, column=colonna)
    assert cella.value == 30000.01 and "€" in cella.number_format
    data = servizi.cell(row=2, column=intestazioni.index("Data dell'ultima dichiarazione") + 1)
    assert data.value.date() == date(2025, 6, 30) and data.number_format == "DD/MM/YYYY"
    linee = list(libro["Linee dichiarate"].iter_rows(min_row=2, values_only=True))
    assert len(linee) == 3
    fnps = next(r for r in linee if r[0] == "FNPS" and r[1] == "1.1")
    assert fnps[3:6] == (75000, 45000.01, 20000)


def test_the_page_lists_the_years_with_a_plan_and_the_column_documentation(
    cast, client_for, programma
):
    risposta = client_for("operatore_a").get(reverse("monitoraggio:sioss", args=[cast.ambito_a.pk]))
    assert risposta.context["anni"] == [2027, 2026, 2025]
    pagina = risposta.content.decode()
    assert reverse("monitoraggio:sioss_xlsx", args=[cast.ambito_a.pk, 2025]) in pagina
    assert "data_ultima_dichiarazione" in pagina


def test_a_draft_plan_gives_no_year_to_export(cast, client_for):
    risposta = client_for("operatore_a").get(reverse("monitoraggio:sioss", args=[cast.ambito_a.pk]))
    assert risposta.context["anni"] == []
    assert "Nessun anno da esportare" in risposta.content.decode()


def test_a_year_outside_every_cycle_is_not_found(cast, client_for):
    url = reverse("monitoraggio:sioss_csv", args=[cast.ambito_a.pk, 1999])
    assert client_for("operatore_a").get(url).status_code == 404


def test_another_ambitos_export_is_not_found(cast, client_for, programma):
    url = reverse("monitoraggio:sioss_csv", args=[cast.ambito_a.pk, 2025])
    assert client_for("operatore_b").get(url).status_code == 404


def test_the_readme_lists_every_column_in_order():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sezione = readme.split("## Esportazione SIOSS", 1)[1].split("\n## ", 1)[0]
    elencate = [riga.split("`")[1] for riga in sezione.splitlines() if riga.startswith("| `")]
    assert elencate == [c.nome for c in sioss.COLONNE]
