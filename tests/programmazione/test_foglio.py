"""The whole allocation in a spreadsheet: exported, filled in offline, imported back."""

import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    Comune,
    FonteFinanziamento,
    MacroLivello,
    ObiettivoServizio,
    Piano,
    Regione,
)
from pianizona.money import format_euro
from pianizona.revisioni import ConflittoModifica, revisione_corrente
from programmazione import foglio, services
from programmazione.models import Allocazione, SchedaIntervento, Sezione, VoceCatalogo
from risorse.models import Assegnazione, FonteCiclo
from risorse.services import fonte_regionale_crea

from ..factories import ComuneFactory

pytestmark = pytest.mark.django_db

INTESTAZIONE = ["scheda", "sezione", "voce", "titolo", "comune", "fonte", "anno", "importo"]


def url(nome: str, piano: Piano) -> str:
    return reverse(f"programmazione:{nome}", kwargs={"piano_pk": piano.pk})


@pytest.fixture
def fonti(db) -> dict[str, FonteFinanziamento]:
    dati = [
        ("FNPS", "Fondo Nazionale Politiche Sociali", "statale", "ordinarie", 1),
        ("FNA", "Fondo Non Autosufficienze", "statale", "ordinarie", 3),
        ("FGSA", "Fondo Globale Socio-Assistenziale", "regionale", "ordinarie", 5),
        ("PNRR", "PNRR Missione 5 Componente 2", "europea", "altre_risorse", 11),
    ]
    return {
        codice: FonteFinanziamento.objects.get_or_create(
            codice=codice, defaults={"nome": nome, "livello": liv, "sezione": sez, "ordine": o}
        )[0]
        for codice, nome, liv, sez, o in dati
    }


@pytest.fixture
def piano(cast, fonti) -> Piano:
    """The cast's plan A: FNPS, FNA and PNRR active (FGSA is not), FNPS 2025 worth 100.000 €,
    and three sheets, one per section, with some amounts."""
    piano = cast.piano_a
    ciclo = piano.ciclo
    for codice in ("FNPS", "FNA", "PNRR"):
        FonteCiclo.objects.create(ciclo=ciclo, fonte=fonti[codice], sezione=fonti[codice].sezione)
    for codice, anno, importo in [
        ("FNPS", 2025, 100_000),
        ("FNPS", 2026, 100_000),
        ("FNA", 2025, 50_000),
        ("PNRR", 2025, 20_000),
    ]:
        Assegnazione.objects.create(
            ciclo=ciclo, ambito=cast.ambito_a, fonte=fonti[codice], anno=anno, importo=importo
        )
    macro = MacroLivello.objects.create(codice=1, nome="Servizi per l'accesso")
    obiettivo = ObiettivoServizio.objects.create(macro_livello=macro, codice="A", nome="Accesso")
    area = AreaInterventoFnps.objects.create(codice=1, nome="Famiglie e minori")
    utenza = AreaUtenzaIstat.objects.create(codice="FAM", nome="Famiglia e minori")
    voci = {
        codice: VoceCatalogo.objects.create(
            ciclo=ciclo,
            codice=codice,
            nome=nome,
            obiettivo_servizio=obiettivo,
            area_intervento=area,
            area_utenza=utenza,
        )
        for codice, nome in [("A1", "Segretariato sociale"), ("B2", "Assistenza domiciliare")]
    }
    bari = Comune.objects.get(ambito=cast.ambito_a, nome="Bari")
    for numero, sezione, voce, titolo, comune in [
        (1, Sezione.AMBITO, "A1", "Porta unica di accesso", None),
        (2, Sezione.COMUNALE, "B2", "Assistenza domiciliare a Bari", bari),
        (3, Sezione.ALTRE_RISORSE, "A1", "Housing first", None),
    ]:
        SchedaIntervento.objects.create(
            piano=piano,
            numero=numero,
            sezione=sezione,
            voce=voci[voce],
            titolo=titolo,
            comune=comune,
            gestione="diretta",
        )
    alloca(piano, "S-1", fonti["FNPS"], 2025, "30000")
    alloca(piano, "S-1", fonti["FNPS"], 2026, "5000")
    alloca(piano, "S-3", fonti["PNRR"], 2025, "20000")
    return piano


def scheda(piano: Piano, codice: str) -> SchedaIntervento:
    return SchedaIntervento.objects.get(piano=piano, numero=int(codice.removeprefix("S-")))


def alloca(piano: Piano, codice: str, fonte, anno: int, importo: str) -> Allocazione:
    return Allocazione.objects.create(
        scheda=scheda(piano, codice), fonte=fonte, anno=anno, importo=Decimal(importo)
    )


def importi(piano: Piano) -> dict[tuple[str, str, int], Decimal]:
    return {
        (f"S-{a.scheda.numero}", a.fonte.codice, a.anno): a.importo
        for a in Allocazione.objects.filter(scheda__piano=piano).select_related("scheda", "fonte")
    }


def revisione(piano: Piano, codice: str) -> int:
    return revisione_corrente(scheda(piano, codice), services.TABELLA_ALLOCAZIONI)


def esporta(client, piano: Piano) -> tablib.Dataset:
    response = client.get(url("allocazioni_esporta", piano))
    assert response.status_code == 200
    return tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")


def xlsx(dataset: tablib.Dataset, nome: str = "allocazioni.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, dataset.export("xlsx"))


def csv(righe: list[str], nome: str = "allocazioni.csv") -> SimpleUploadedFile:
    testo = "\n".join([";".join(INTESTAZIONE), *righe])
    return SimpleUploadedFile(nome, testo.encode(), content_type="text/csv")


def carica(client, piano: Piano, file) -> str:
    """Upload a file and return the preview page."""
    importa = url("allocazioni_importa", piano)
    response = client.post(importa, {"file": file})
    assert response.status_code == 302
    return client.get(importa).content.decode()


def conferma(client, piano: Piano) -> str:
    return client.post(
        url("allocazioni_importa", piano), {"azione": "conferma"}, follow=True
    ).content.decode()


def conteggio(html: str, etichetta: str) -> str:
    return html.split(f'{etichetta}</dt><dd class="col-sm-7">')[1].split("<")[0]


# --- Export ----------------------------------------------------------------------------------


def test_the_export_has_a_row_for_every_fund_and_year_each_sheet_may_use(cast, piano, client_for):
    response = client_for("funzionario").get(url("allocazioni_esporta", piano))
    assert response["Content-Disposition"] == (
        'attachment; filename="allocazioni-BA01-2025-2027.xlsx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    dataset = esporta(client_for("funzionario"), piano)
    assert dataset.headers == INTESTAZIONE
    # S-1 and S-2: FNPS and FNA × 3 years; S-3 (other resources): PNRR × 3 years.
    assert len(dataset) == 6 + 6 + 3
    righe = [list(r) for r in dataset]
    assert ["S-1", "ambito", "A1", "Porta unica di accesso", None, "FNPS", 2025, 30000] in righe
    assert ["S-1", "ambito", "A1", "Porta unica di accesso", None, "FNA", 2027, None] in righe
    bari = Comune.objects.get(nome="Bari")
    assert [
        "S-2", "comunale", "B2", "Assistenza domiciliare a Bari", bari.codice_istat, "FNPS", 2025, None
    ] in righe  # fmt: skip
    assert not any(r[0] == "S-3" and r[5] != "PNRR" for r in righe)


def test_the_export_runs_the_same_queries_however_many_sheets(
    cast, piano, fonti, client_for, assert_constant_queries
):
    def grow():
        voce = VoceCatalogo.objects.get(codice="B2")
        for numero in range(4, 14):
            nuova = SchedaIntervento.objects.create(
                piano=piano, numero=numero, sezione=Sezione.AMBITO, voce=voce, titolo=f"S {numero}"
            )
            Allocazione.objects.create(scheda=nuova, fonte=fonti["FNA"], anno=2026, importo=10)

    client = client_for("operatore_a")
    assert_constant_queries(client, url("allocazioni_esporta", piano), 15, grow)


# --- Import ------------------------------------------------------------------------------------


def test_an_exported_file_imported_back_unchanged_changes_nothing(cast, piano, client_for):
    client = client_for("operatore_a")
    prima = importi(piano)
    html = carica(client, piano, xlsx(esporta(client, piano)))
    assert "Anteprima di «allocazioni.xlsx»" in html
    assert conteggio(html, "Errori") == "0"
    assert conteggio(html, "Righe nuove") == "0" and conteggio(html, "Righe modificate") == "0"
    assert conteggio(html, "Invariate o lasciate vuote") == "15"
    html = conferma(client, piano)
    assert "Importato «allocazioni.xlsx»: 0 importi nuovi, 0 modificati, 15 invariati" in html
    assert importi(piano) == prima
    assert [revisione(piano, s) for s in ("S-1", "S-2", "S-3")] == [0, 0, 0]


def test_an_import_changes_amounts_adds_new_ones_and_removes_the_emptied_ones(
    cast, piano, fonti, client_for
):
    client = client_for("operatore_a")
    dataset = esporta(client, piano)
    for i, riga in enumerate(dataset):
        chiave = (riga[0], riga[5], riga[6])
        nuovo = {
            ("S-1", "FNPS", 2025): "25.000,50",  # changed, written as Italians do
            ("S-1", "FNPS", 2026): "",  # emptied: the amount goes
            ("S-2", "FNA", 2025): 1234.56,  # new, as a number
        }.get(chiave, riga[7])
        dataset[i] = [*riga[:7], nuovo]
    html = carica(client, piano, xlsx(dataset))
    assert conteggio(html, "Righe nuove") == "1"
    assert conteggio(html, "Righe modificate") == "2"
    assert "1 importo sarà tolto" in html
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000")  # the preview saved nothing

    html = conferma(client, piano)
    assert "Importato «allocazioni.xlsx»: 1 importo nuovo, 2 modificati (di cui 1 tolto)" in html
    assert importi(piano) == {
        ("S-1", "FNPS", 2025): Decimal("25000.50"),
        ("S-2", "FNA", 2025): Decimal("1234.56"),
        ("S-3", "PNRR", 2025): Decimal("20000"),
    }
    # The sheets the import changed moved on: a page opened before it cannot overwrite it.
    assert [revisione(piano, s) for s in ("S-1", "S-2", "S-3")] == [1, 1, 0]
    with pytest.raises(ConflittoModifica):
        services.allocazioni_salva(
            piano=piano,
            scheda=scheda(piano, "S-1"),
            importi={(fonti["FNPS"].pk, 2025): Decimal("1")},
            revisione=0,
            user=cast.operatore_a,
        )
    assert "Anteprima di" not in client.get(url("allocazioni_importa", piano)).content.decode()


def test_the_preview_lists_bad_rows_with_their_line_numbers_and_nothing_is_saved(
    cast, piano, client_for
):
    bari = Comune.objects.get(nome="Bari")
    righe = [
        "S-1;ambito;A1;Porta unica di accesso;;FNPS;2025;31000",  # 2: fine
        "S-99;ambito;A1;Altro;;FNPS;2025;10",  # 3
        "S-1;;;;;XYZ;2025;10",  # 4
        "S-1;;;;;FNPS;2031;10",  # 5
        "S-1;;;;;FGSA;2025;10",  # 6: not active in the cycle
        "S-1;;;;;PNRR;2025;10",  # 7: not for services at ambito level
        "S-2;;;;;FNA;2026;-5",  # 8
        "S-2;;;;;FNA;2026;dieci",  # 9
        "S-2;;;;;FNA;2026;10,125",  # 10
        "S-1;comunale;A1;Porta unica di accesso;;FNA;2025;10",  # 11
        "S-1;;B2;Un altro titolo;;FNA;2026;10",  # 12
        f"S-1;;;;{bari.codice_istat};FNA;2027;10",  # 13
        "S-2;;;;999999;FNPS;2027;10",  # 14
        "S-1;;;;;FNPS;2025;32000",  # 15: repeats line 2
    ]
    client = client_for("operatore_a")
    html = carica(client, piano, csv(righe))
    attesi = [
        (3, "scheda: La scheda «S-99» non esiste nel piano"),
        (4, "fonte: Fonte «XYZ» inesistente."),
        (5, "anno: L&#x27;anno 2031 non è tra quelli ammessi (2025, 2026, 2027)."),
        (6, "fonte: La fonte FGSA non è utilizzabile tra i «servizi a valenza d&#x27;ambito»"),
        (7, "fonte: La fonte PNRR non è utilizzabile tra i «servizi a valenza d&#x27;ambito»"),
        (8, "importo: L&#x27;importo non può essere negativo."),
        (9, "importo: Importo non valido: usare il formato 1.234,56."),
        (10, "importo: Inserire al massimo 2 decimali."),
        (11, "sezione: La scheda S-1 è nella sezione «ambito», non «comunale»."),
        (12, "voce: La scheda S-1 ha la voce «A1» del catalogo, non «B2»."),
        (12, "titolo: La scheda S-1 si intitola «Porta unica di accesso», non «Un altro titolo»."),
        (13, f"comune: La scheda S-1 non è di un comune, il file indica «{bari.codice_istat}»."),
        (14, f"comune: La scheda S-2 è del comune «{bari.codice_istat}», non «999999»."),
        (15, "Riga ripetuta: stessi valori di scheda, fonte, anno della riga 2."),
    ]
    for riga, messaggio in attesi:
        assert f'<td class="num">{riga}</td><td>{messaggio}' in html, messaggio
    assert '<td class="num">2</td>' not in html
    assert "Conferma l&#x27;importazione" not in html and "Conferma l'importazione" not in html
    # Confirming anyway imports nothing.
    html = conferma(client, piano)
    assert "nessuna riga è stata importata" in html
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000")
    assert revisione(piano, "S-1") == 0


def test_codes_are_read_as_people_and_spreadsheets_write_them(cast, piano, client_for):
    comune = ComuneFactory(ambito=cast.ambito_a, regione=cast.regione, codice_istat="072006")
    SchedaIntervento.objects.filter(numero=2).update(comune=comune)
    righe = [
        "s-2;COMUNALE;b2;  assistenza   domiciliare a BARI ;72006;fna;2025;10",
        "2;;;;;FNPS;2026;10",
    ]
    client = client_for("operatore_a")
    html = carica(client, piano, csv(righe))
    assert conteggio(html, "Errori") == "0", html
    conferma(client, piano)
    assert importi(piano)[("S-2", "FNA", 2025)] == Decimal("10")


def test_an_import_that_would_over_allocate_a_fund_is_refused_in_the_preview(
    cast, piano, fonti, client_for
):
    FonteCiclo.objects.create(ciclo=piano.ciclo, fonte=fonti["FGSA"], sezione="ordinarie")
    righe = [
        "S-1;;;;;FGSA;2027;0,5",  # active, but without any budget
        "S-1;;;;;FNPS;2025;60000",  # was 30.000
        "S-2;;;;;FNPS;2025;50.000,00",  # FNPS 2025 would be 110.000 on a budget of 100.000
        "S-2;;;;;FNA;2026;1",  # FNA has no budget in 2026
        "S-3;;;;;PNRR;2025;",  # lowering is always allowed
    ]
    client = client_for("operatore_a")
    html = carica(client, piano, csv(righe))
    euro = format_euro
    assert (
        f"FNPS 2025: con questo file gli importi allocati sarebbero {euro(110_000)} su un budget "
        f"di {euro(100_000)}, oltre di {euro(10_000)}."
    ) in html
    assert (
        f"FNA 2026: con questo file gli importi allocati sarebbero {euro(1)} su un budget "
        f"di {euro(0)}, oltre di {euro(1)}."
    ) in html
    assert (
        f"FGSA 2027: con questo file gli importi allocati sarebbero {euro(Decimal('0.5'))} su un "
        f"budget di {euro(0)}, oltre di {euro(Decimal('0.5'))}."
    ) in html
    assert "PNRR" not in html.split("Errori trovati")[1]
    assert "Conferma l&#x27;importazione" not in html and "Conferma l'importazione" not in html

    html = conferma(client, piano)
    assert "Importi oltre il budget, nulla è stato salvato." in html
    assert f"FNPS 2025: allocati {euro(110_000)} su un budget di {euro(100_000)}" in html
    assert importi(piano) == {
        ("S-1", "FNPS", 2025): Decimal("30000"),
        ("S-1", "FNPS", 2026): Decimal("5000"),
        ("S-3", "PNRR", 2025): Decimal("20000"),
    }
    assert [revisione(piano, s) for s in ("S-1", "S-2", "S-3")] == [0, 0, 0]


def test_the_service_refuses_an_over_allocation_before_writing_anything(cast, piano):
    dataset = tablib.Dataset(headers=INTESTAZIONE)
    dataset.append(["S-2", "", "", "", "", "FNPS", 2025, "70.000,01"])
    with pytest.raises(services.SovraAllocazione, match="oltre di 0,01"):
        foglio.allocazioni_importa(piano=piano, dataset=dataset, user=cast.operatore_a)
    assert ("S-2", "FNPS", 2025) not in importi(piano)


def test_a_file_without_the_required_columns_is_refused_with_a_message(cast, piano, client_for):
    file = SimpleUploadedFile("altro.csv", b"scheda;titolo\nS-1;Porta unica\n")
    response = client_for("operatore_a").post(
        url("allocazioni_importa", piano), {"file": file}, follow=True
    )
    html = response.content.decode()
    assert "Mancano le colonne «fonte», «anno», «importo»" in html
    assert "Anteprima di" not in html


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "non è un foglio di calcolo"),
        ("finto.xlsx", b"PK\x03\x04non davvero un excel", "non è un foglio Excel"),
        ("vuoto.csv", b"", "vuoto"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(
    cast, piano, client_for, nome, contenuto, messaggio
):
    response = client_for("operatore_a").post(
        url("allocazioni_importa", piano), {"file": SimpleUploadedFile(nome, contenuto)}
    )
    assert response.status_code == 200
    assert messaggio in response.content.decode()
    assert "Anteprima di" not in response.content.decode()


def test_cancelling_the_import_forgets_the_file(cast, piano, client_for):
    client = client_for("operatore_a")
    carica(client, piano, csv(["S-1;;;;;FNPS;2025;1"]))
    importa = url("allocazioni_importa", piano)
    html = client.post(importa, {"azione": "annulla"}, follow=True).content.decode()
    assert "Importazione annullata" in html and "Anteprima di" not in html
    assert "Nessun file in attesa di conferma" in conferma(client, piano)
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000")


def test_a_submitted_plan_refuses_the_import_with_a_message(cast, piano, client_for):
    client = client_for("operatore_a")
    carica(client, piano, csv(["S-1;;;;;FNPS;2025;1"]))
    Piano.objects.filter(pk=piano.pk).update(stato=Piano.Stato.INVIATO)
    html = client.get(url("allocazioni_importa", piano)).content.decode()
    assert "Anteprima di" in html and "Conferma l&#x27;importazione" not in html
    assert 'type="file"' not in html
    assert "si può modificare solo in bozza" in conferma(client, piano)
    response = client.post(
        url("allocazioni_importa", piano), {"file": csv(["S-1;;;;;FNPS;2025;2"])}, follow=True
    )
    assert "si può modificare solo in bozza" in response.content.decode()
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000")
    with pytest.raises(services.ErroreDominio, match="solo in bozza"):
        dataset = tablib.Dataset(["S-1", "", "", "", "", "FNPS", 2025, 1], headers=INTESTAZIONE)
        foglio.allocazioni_importa(piano=piano, dataset=dataset, user=cast.operatore_a)


def test_another_ambitos_user_finds_nothing(cast, piano, client_for):
    client = client_for("operatore_b")
    assert client.get(url("allocazioni_esporta", piano)).status_code == 404
    assert client.get(url("allocazioni_importa", piano)).status_code == 404
    assert client.post(url("allocazioni_importa", piano), {"azione": "conferma"}).status_code == 404


def test_the_regional_officer_exports_and_looks_but_may_not_import(cast, piano, client_for):
    client = client_for("funzionario")
    assert client.get(url("allocazioni_esporta", piano)).status_code == 200
    html = client.get(url("allocazioni_importa", piano)).content.decode()
    assert 'type="file"' not in html
    response = client.post(
        url("allocazioni_importa", piano), {"file": csv(["S-1;;;;;FNPS;2025;1"])}
    )
    assert response.status_code == 403
    assert importi(piano)[("S-1", "FNPS", 2025)] == Decimal("30000")


def test_another_regions_fund_code_reads_as_unknown_in_the_allocation_import(
    cast, piano, client_for
):
    emilia = Regione.objects.create(codice_istat="08", nome="Emilia-Romagna")
    fonte_regionale_crea(regione=emilia, codice="FRER", nome="Fondo sociale", sezione="ordinarie")
    html = carica(client_for("operatore_a"), piano, csv(["S-1;;;;;FRER;2025;10"]))
    assert '<td class="num">2</td><td>fonte: Fonte «FRER» inesistente.' in html
