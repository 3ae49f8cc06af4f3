"""The district's resource pages, as the Ufficio di Piano uses them."""

import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.models import Comune, Piano
from pianizona.revisioni import revisione_corrente
from risorse import services
from risorse.models import (
    Cofinanziamento,
    Recepimento,
    ResiduoEconomia,
    RisorsaAggiuntiva,
    Segnalazione,
)

from ..factories import ComuneFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(nome: str, piano: Piano, **kwargs) -> str:
    return reverse(f"risorse:{nome}", kwargs={"piano_pk": piano.pk, **kwargs})


def comuni(cast) -> dict[str, Comune]:
    return {c.nome: c for c in Comune.objects.filter(ambito=cast.ambito_a)}


def assegna(cast, fonte, anno, importo) -> None:
    ciclo = cast.piano_a.ciclo
    services.assegnazioni_salva(
        ciclo=ciclo,
        fonte=fonte,
        anno=anno,
        importi={cast.ambito_a.pk: importo},
        revisione=revisione_corrente(ciclo, services.tabella_assegnazioni(fonte, anno)),
        user=None,
    )


def residuo(cast, fonti, **campi) -> ResiduoEconomia:
    dati = {
        "piano": cast.piano_a,
        "fonte": fonti["FNPS"],
        "anno_origine": 2023,
        "anno_impiego": 2025,
        "tipo": "residuo",
        "importo": Decimal("1500.00"),
        **campi,
    }
    return ResiduoEconomia.objects.create(**dati)


def dati_residuo(fonti, **campi) -> dict:
    return {
        "fonte": fonti["FNPS"].pk,
        "anno_origine": "2023",
        "anno_impiego": "2025",
        "tipo": "economia",
        "importo": "12.345,67",
        "stato": "stimato",
        "nota": "Economie di gara",
        **campi,
    }


def campo_cofinanziamento(comune: Comune, anno: int) -> str:
    return f"importo_{comune.pk}_{anno}"


def tabella_cofinanziamento(cast, revisione: int, **importi: str) -> dict:
    """POST body: ``Bari_2025="1.000,00"`` fills a cell, every other cell stays empty."""
    dati = {"revisione": str(revisione)}
    for chiave, valore in importi.items():
        nome, anno = chiave.rsplit("_", 1)
        dati[campo_cofinanziamento(comuni(cast)[nome], int(anno))] = valore
    return dati


def foglio_csv(righe: list[str], nome: str = "cofinanziamento.csv") -> SimpleUploadedFile:
    testo = "\n".join(["codice_istat;comune;anno;importo", *righe])
    return SimpleUploadedFile(nome, testo.encode(), content_type="text/csv")


# --- Transfers and acknowledgement -----------------------------------------------------------


def test_the_district_sees_the_regions_transfers_by_fund_and_year_with_totals(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("100000.00"))
    assegna(cast, fonti["FNPS"], 2026, Decimal("50000.50"))
    assegna(cast, fonti["FNA"], 2025, Decimal("20000.00"))
    html = client_for("operatore_a").get(url("riepilogo", cast.piano_a)).content.decode()
    assert "Fondo Nazionale Politiche Sociali" in html
    assert "150.000,50\xa0€" in html  # FNPS over the three years
    assert "120.000,00\xa0€" in html  # 2025 over the funds
    assert "170.000,50\xa0€" in html  # grand total
    assert "Non ancora recepite" in html
    assert 'name="importo' not in html  # the district never types the Region's amounts


def test_acknowledging_the_transfers_twice_records_it_once_and_shows_who_and_when(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    client = client_for("operatore_a")
    for _ in range(2):  # a double click
        response = client.post(url("recepimento", cast.piano_a))
        assert response.status_code == 302
    assert Recepimento.objects.filter(piano=cast.piano_a).count() == 1
    html = client.get(url("riepilogo", cast.piano_a)).content.decode()
    recepimento = Recepimento.objects.get()
    assert f"da {cast.operatore_a}" in html
    assert "Recepite" in html and str(recepimento.recepito_il.year) in html
    assert "Recepisci le assegnazioni" not in html


def test_the_acknowledgement_is_to_be_redone_when_the_region_changes_an_amount(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    services.recepimento_registra(piano=cast.piano_a, user=cast.responsabile_a)
    assegna(cast, fonti["FNPS"], 2025, Decimal("1100.00"))
    html = client_for("operatore_a").get(url("riepilogo", cast.piano_a)).content.decode()
    assert "Da rifare" in html
    assert "Recepisci le assegnazioni" in html


def test_nothing_to_acknowledge_before_the_region_transfers_is_said_in_italian(
    cast, fonti, ciclo_configurato, client_for
):
    response = client_for("operatore_a").post(url("recepimento", cast.piano_a), follow=True)
    assert "non ha ancora inserito assegnazioni" in response.content.decode()
    assert not Recepimento.objects.exists()


def test_a_discrepancy_flag_is_created_and_shown_with_the_regions_answer(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("operatore_a")
    response = client.post(
        url("segnalazione_crea", cast.piano_a),
        {"fonte": fonti["FNA"].pk, "anno": "2025", "nota": "Manca la quota FNA 2025"},
    )
    assert response.status_code == 302
    segnalazione = Segnalazione.objects.get()
    assert (segnalazione.fonte, segnalazione.anno, segnalazione.creata_da) == (
        fonti["FNA"],
        2025,
        cast.operatore_a,
    )
    html = client.get(url("riepilogo", cast.piano_a)).content.decode()
    assert "Manca la quota FNA 2025" in html and "Aperta" in html

    services.segnalazione_chiudi(
        segnalazione=segnalazione, user=cast.funzionario, risposta="Quota inserita il 3 marzo."
    )
    html = client.get(url("riepilogo", cast.piano_a)).content.decode()
    assert "Chiusa" in html and "Quota inserita il 3 marzo." in html


def test_a_flag_without_a_note_is_refused_with_an_italian_message(
    cast, fonti, ciclo_configurato, client_for
):
    response = client_for("operatore_a").post(
        url("segnalazione_crea", cast.piano_a), {"fonte": "", "anno": "", "nota": "   "}
    )
    assert response.status_code == 200
    assert "Descrivere la discrepanza." in response.content.decode()
    assert not Segnalazione.objects.exists()


# --- Residui and other resources -------------------------------------------------------------


def test_a_residuo_is_added_edited_and_deleted(cast, fonti, ciclo_configurato, client_for):
    client = client_for("operatore_a")
    response = client.post(url("residui", cast.piano_a), dati_residuo(fonti))
    assert response.status_code == 302
    creato = ResiduoEconomia.objects.get(piano=cast.piano_a)
    assert creato.importo == Decimal("12345.67")
    html = client.get(url("residui", cast.piano_a)).content.decode()
    assert "12.345,67\xa0€" in html and "Economie di gara" in html

    modifica = url("residuo_modifica", cast.piano_a, pk=creato.pk)
    assert client.get(modifica).status_code == 200
    response = client.post(modifica, dati_residuo(fonti, importo="20.000", stato="confermato"))
    assert response.status_code == 302
    creato.refresh_from_db()
    assert (creato.importo, creato.stato) == (Decimal("20000"), "confermato")

    elimina = url("residuo_elimina", cast.piano_a, pk=creato.pk)
    assert "Eliminare questa riga?" in client.get(elimina).content.decode()
    assert client.post(elimina).status_code == 302
    assert not ResiduoEconomia.objects.exists()


def test_residui_are_totalled_by_fund_and_year_of_use(cast, fonti, ciclo_configurato, client_for):
    residuo(cast, fonti, importo=Decimal("1000.00"))
    residuo(cast, fonti, importo=Decimal("500.25"), anno_impiego=2026)
    residuo(cast, fonti, fonte=fonti["FNA"], importo=Decimal("10.00"))
    html = client_for("operatore_a").get(url("residui", cast.piano_a)).content.decode()
    assert "1.500,25\xa0€" in html  # FNPS over the years
    assert "1.010,00\xa0€" in html  # 2025 over the funds
    assert "1.510,25\xa0€" in html


@pytest.mark.parametrize(
    ("importo", "messaggio"),
    [
        ("-5", "L'importo non può essere negativo."),
        ("dieci euro", "Importo non valido: usare il formato 1.234,56."),
        ("10,555", "Inserire al massimo 2 decimali."),
        ("0", "L'importo deve essere maggiore di zero."),
    ],
)
def test_a_bad_amount_is_refused_with_an_italian_message_and_nothing_is_saved(
    cast, fonti, ciclo_configurato, client_for, importo, messaggio
):
    response = client_for("operatore_a").post(
        url("residui", cast.piano_a), dati_residuo(fonti, importo=importo)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert messaggio.replace("'", "&#x27;") in html
    assert f'value="{importo}"' in html  # what the user typed is still there
    assert not ResiduoEconomia.objects.exists()


def test_a_residuo_must_come_from_a_year_before_its_use(cast, fonti, ciclo_configurato, client_for):
    response = client_for("operatore_a").post(
        url("residui", cast.piano_a), dati_residuo(fonti, anno_origine="2025")
    )
    assert "deve precedere l&#x27;anno di impiego" in response.content.decode()
    assert not ResiduoEconomia.objects.exists()


def test_a_residuo_is_reached_only_through_its_own_plan(cast, fonti, ciclo_configurato, client_for):
    altro = residuo(cast, fonti, piano=cast.piano_b)
    client = client_for("operatore_a")
    assert client.get(url("residuo_modifica", cast.piano_a, pk=altro.pk)).status_code == 404
    assert client.post(url("residuo_elimina", cast.piano_a, pk=altro.pk)).status_code == 404
    assert ResiduoEconomia.objects.filter(pk=altro.pk).exists()


def test_another_resource_is_added_edited_and_deleted(cast, fonti, ciclo_configurato, client_for):
    client = client_for("responsabile_a")
    dati = {"fonte": fonti["PNRR"].pk, "anno": "2026", "importo": "250.000", "descrizione": "1.1"}
    assert client.post(url("altre_risorse", cast.piano_a), dati).status_code == 302
    risorsa = RisorsaAggiuntiva.objects.get(piano=cast.piano_a)
    assert risorsa.importo == Decimal("250000")
    html = client.get(url("altre_risorse", cast.piano_a)).content.decode()
    assert "PNRR Missione 5" in html and "250.000,00\xa0€" in html

    modifica = url("altra_risorsa_modifica", cast.piano_a, pk=risorsa.pk)
    assert client.post(modifica, {**dati, "importo": "1.000,50"}).status_code == 302
    risorsa.refresh_from_db()
    assert risorsa.importo == Decimal("1000.50")

    assert client.post(url("altra_risorsa_elimina", cast.piano_a, pk=risorsa.pk)).status_code == 302
    assert not RisorsaAggiuntiva.objects.exists()


def test_co_financing_is_not_offered_as_another_resource(
    cast, fonti, ciclo_configurato, client_for
):
    html = client_for("operatore_a").get(url("altre_risorse", cast.piano_a)).content.decode()
    assert "Risorse ASL/AUSL" in html
    assert "Risorse proprie dei Comuni" not in html


# --- Co-financing ----------------------------------------------------------------------------


def test_co_financing_is_saved_and_municipalities_below_the_minimum_are_listed_at_once(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("operatore_a")
    pagina = client.get(url("cofinanziamento", cast.piano_a)).content.decode()
    assert "Cofinanziamento 2025 – Bari" in pagina  # each input has its own label
    assert 'name="revisione" value="0"' in pagina

    # Minimum 2 € per inhabitant: Bari (315,933) needs 631.866,00 €, Valenzano (18,047) 36.094,00 €.
    dati = tabella_cofinanziamento(
        cast,
        0,
        Bari_2025="700.000",
        Bari_2026="700.000",
        Bari_2027="700.000,00",
        Valenzano_2025="36.094",
        Valenzano_2026="30.000",
        Valenzano_2027="40000",
    )
    response = client.post(url("cofinanziamento", cast.piano_a), dati, follow=True)
    html = response.content.decode()
    assert "Cofinanziamento salvato." in html
    assert "Comuni sotto il cofinanziamento minimo regionale: Valenzano." in html
    assert "Sotto il minimo" in html
    assert "1,66\xa0€ per abitante" in html  # 30,000 / 18,047
    assert "736.094,00\xa0€" in html  # 2025 total
    salvati = dict(
        Cofinanziamento.objects.filter(piano=cast.piano_a, comune__nome="Valenzano").values_list(
            "anno", "importo"
        )
    )
    assert salvati == {2025: Decimal("36094"), 2026: Decimal("30000"), 2027: Decimal("40000")}
    assert revisione_corrente(cast.piano_a, services.TABELLA_COFINANZIAMENTO) == 1


def test_emptying_a_co_financing_cell_removes_the_amount(
    cast, fonti, ciclo_configurato, client_for
):
    bari = comuni(cast)["Bari"]
    Cofinanziamento.objects.create(piano=cast.piano_a, comune=bari, anno=2025, importo=5)
    response = client_for("operatore_a").post(
        url("cofinanziamento", cast.piano_a), tabella_cofinanziamento(cast, 0)
    )
    assert response.status_code == 302
    assert not Cofinanziamento.objects.exists()


def test_bad_co_financing_values_get_italian_messages_by_field_and_nothing_is_saved(
    cast, fonti, ciclo_configurato, client_for
):
    dati = tabella_cofinanziamento(
        cast, 0, Bari_2025="-1", Bari_2026="tanto", Valenzano_2025="10,123", Valenzano_2026="50"
    )
    response = client_for("operatore_a").post(url("cofinanziamento", cast.piano_a), dati)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nessun dato è stato salvato" in html
    assert "Cofinanziamento 2025 – Bari</a>: L&#x27;importo non può essere negativo." in html
    assert "Cofinanziamento 2026 – Bari</a>: Importo non valido" in html
    assert "Cofinanziamento 2025 – Valenzano</a>: Inserire al massimo 2 decimali." in html
    for valore in ("-1", "tanto", "10,123", "50"):
        assert f'value="{valore}"' in html
    assert not Cofinanziamento.objects.exists()
    assert revisione_corrente(cast.piano_a, services.TABELLA_COFINANZIAMENTO) == 0


def test_a_stale_page_gets_a_conflict_keeps_the_users_input_and_overwrites_nothing(
    cast, fonti, ciclo_configurato, client_for
):
    bari = comuni(cast)["Bari"]
    collega = UserFactory(first_name="Anna", last_name="Verdi")
    services.cofinanziamento_salva(  # a colleague saves after our page was loaded at revision 0
        piano=cast.piano_a, importi={(bari.pk, 2025): Decimal("900000")}, revisione=0, user=collega
    )
    response = client_for("operatore_a").post(
        url("cofinanziamento", cast.piano_a),
        tabella_cofinanziamento(cast, 0, Bari_2025="123.456,78"),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "modificati da Anna Verdi" in html
    assert 'value="123.456,78"' in html
    assert 'name="revisione" value="0"' in html  # saving again conflicts again
    assert Cofinanziamento.objects.get().importo == Decimal("900000")


# --- Export and import -----------------------------------------------------------------------


def test_the_export_is_an_xlsx_with_every_municipality_and_year(
    cast, fonti, ciclo_configurato, client_for
):
    bari = comuni(cast)["Bari"]
    Cofinanziamento.objects.create(piano=cast.piano_a, comune=bari, anno=2026, importo=750)
    response = client_for("funzionario").get(url("cofinanziamento_esporta", cast.piano_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    foglio = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert foglio.headers == ["codice_istat", "comune", "anno", "importo"]
    assert len(foglio) == 6  # 2 municipalities × 3 years
    assert [bari.codice_istat, "Bari", 2026, 750] in [list(r) for r in foglio]


def test_the_exported_file_imports_back_without_errors(cast, fonti, ciclo_configurato, client_for):
    bari = comuni(cast)["Bari"]
    Cofinanziamento.objects.create(piano=cast.piano_a, comune=bari, anno=2026, importo=750)
    client = client_for("operatore_a")
    esportato = client.get(url("cofinanziamento_esporta", cast.piano_a)).content
    importa = url("cofinanziamento_importa", cast.piano_a)
    client.post(importa, {"file": SimpleUploadedFile("cof.xlsx", esportato)})
    html = client.get(importa).content.decode()
    assert 'Errori</dt><dd class="col-sm-7">0' in html, html
    assert "Conferma l'importazione" in html


def test_the_import_preview_lists_errors_by_line_and_saves_nothing(
    cast, fonti, ciclo_configurato, client_for
):
    bari, valenzano = comuni(cast)["Bari"], comuni(cast)["Valenzano"]
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    file = foglio_csv(
        [
            f"{bari.codice_istat};Bari;2025;1.000,00",
            f"{valenzano.codice_istat};Valenzano;2031;50",
            "999999;Nessuno;2025;10",
            f"{bari.codice_istat};Bari;2026;-3",
        ]
    )
    response = client.post(importa, {"file": file}, follow=True)
    html = response.content.decode()
    assert "Anteprima di «cofinanziamento.csv»" in html
    assert '<td class="num">3</td><td>L&#x27;anno 2031 non è tra quelli ammessi' in html
    assert '<td class="num">4</td><td>Comune con codice ISTAT «999999» inesistente.' in html
    assert '<td class="num">5</td><td>importo: L&#x27;importo non può essere negativo.' in html
    assert "Conferma l'importazione" not in html
    assert not Cofinanziamento.objects.exists()
    # Confirming anyway imports nothing.
    client.post(importa, {"azione": "conferma", "revisione": "0"})
    assert not Cofinanziamento.objects.exists()
    assert revisione_corrente(cast.piano_a, services.TABELLA_COFINANZIAMENTO) == 0


def test_confirming_the_import_saves_every_row_and_makes_open_pages_stale(
    cast, fonti, ciclo_configurato, client_for
):
    bari, valenzano = comuni(cast)["Bari"], comuni(cast)["Valenzano"]
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    file = foglio_csv(
        [
            f"{bari.codice_istat};Bari;2025;700.000,00",
            f"{valenzano.codice_istat};Valenzano;2025;",  # left empty: ignored
            f"{valenzano.codice_istat.lstrip('0')};Valenzano;2026;40000",
        ]
    )
    client.post(importa, {"file": file})
    html = client.get(importa).content.decode()
    assert 'Righe nuove</dt><dd class="col-sm-7">2' in html
    response = client.post(importa, {"azione": "conferma", "revisione": "0"}, follow=True)
    assert "Importato «cofinanziamento.csv»: 2 importi nuovi" in response.content.decode()
    assert dict(
        Cofinanziamento.objects.values_list("comune__nome", "importo").order_by("comune__nome")
    ) == {"Bari": Decimal("700000"), "Valenzano": Decimal("40000")}
    # A page opened before the import (revision 0) can no longer overwrite it.
    stale = client.post(
        url("cofinanziamento", cast.piano_a), tabella_cofinanziamento(cast, 0, Bari_2025="1")
    )
    assert stale.status_code == 409
    assert client.get(importa).content.decode().count("Anteprima di") == 0  # nothing pending


def test_an_import_confirmed_after_someone_edited_the_table_is_refused(
    cast, fonti, ciclo_configurato, client_for
):
    bari = comuni(cast)["Bari"]
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    client.post(importa, {"file": foglio_csv([f"{bari.codice_istat};Bari;2025;10"])})
    services.cofinanziamento_salva(
        piano=cast.piano_a,
        importi={(bari.pk, 2025): Decimal("99")},
        revisione=0,
        user=cast.responsabile_a,
    )
    response = client.post(importa, {"azione": "conferma", "revisione": "0"}, follow=True)
    assert "nessuna riga è stata importata" in response.content.decode()
    assert Cofinanziamento.objects.get().importo == Decimal("99")


def test_cancelling_the_import_forgets_the_file(cast, fonti, ciclo_configurato, client_for):
    bari = comuni(cast)["Bari"]
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    client.post(importa, {"file": foglio_csv([f"{bari.codice_istat};Bari;2025;10"])})
    response = client.post(importa, {"azione": "annulla"}, follow=True)
    html = response.content.decode()
    assert "Importazione annullata" in html and "Anteprima di" not in html
    response = client.post(importa, {"azione": "conferma", "revisione": "0"}, follow=True)
    assert "Nessun file in attesa di conferma" in response.content.decode()
    assert not Cofinanziamento.objects.exists()


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "non è un foglio di calcolo"),
        ("finto.xlsx", b"PK\x03\x04non davvero un excel", "non è un foglio Excel"),
        ("vuoto.csv", b"", "vuoto"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message(
    cast, fonti, ciclo_configurato, client_for, nome, contenuto, messaggio
):
    response = client_for("operatore_a").post(
        url("cofinanziamento_importa", cast.piano_a),
        {"file": SimpleUploadedFile(nome, contenuto)},
    )
    assert response.status_code == 200
    assert messaggio in response.content.decode()
    assert "Anteprima di" not in response.content.decode()


def test_a_spreadsheet_without_the_expected_columns_is_refused_with_a_message(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    file = SimpleUploadedFile("altro.csv", b"nome;cognome\nMario;Rossi\n")
    html = client.post(importa, {"file": file}, follow=True).content.decode()
    assert "Mancano le colonne" in html and "Anteprima di" not in html


# --- Plans that are no longer editable, and who may act -----------------------------------------


PAGINE = ["riepilogo", "residui", "altre_risorse", "cofinanziamento", "cofinanziamento_importa"]


def test_a_submitted_plan_shows_its_pages_without_forms_and_refuses_every_write(
    cast, fonti, ciclo_configurato, client_for
):
    assegna(cast, fonti["FNPS"], 2025, Decimal("1000.00"))
    esistente = residuo(cast, fonti)
    risorsa = RisorsaAggiuntiva.objects.create(
        piano=cast.piano_a, fonte=fonti["ASL"], anno=2025, importo=10
    )
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    client = client_for("operatore_a")
    for nome in PAGINE:
        html = client.get(url(nome, cast.piano_a)).content.decode()
        assert "Sola lettura" in html, nome
        assert 'method="post" action="/piani' not in html, nome
        assert "<input" not in html.split('id="contenuto"')[1], nome
    for nome, kwargs in [
        ("residuo_modifica", {"pk": esistente.pk}),
        ("residuo_elimina", {"pk": esistente.pk}),
        ("altra_risorsa_modifica", {"pk": risorsa.pk}),
        ("altra_risorsa_elimina", {"pk": risorsa.pk}),
    ]:
        html = client.get(url(nome, cast.piano_a, **kwargs)).content.decode()
        assert "<button" not in html.split('id="contenuto"')[1], nome

    bari = comuni(cast)["Bari"]
    scritture = [
        (url("recepimento", cast.piano_a), {}),
        (url("segnalazione_crea", cast.piano_a), {"nota": "Manca FNA"}),
        (url("residui", cast.piano_a), dati_residuo(fonti)),
        (url("residuo_modifica", cast.piano_a, pk=esistente.pk), dati_residuo(fonti)),
        (url("residuo_elimina", cast.piano_a, pk=esistente.pk), {}),
        (url("altre_risorse", cast.piano_a), {"fonte": fonti["ASL"].pk, "anno": "2025"}),
        (url("altra_risorsa_elimina", cast.piano_a, pk=risorsa.pk), {}),
        (url("cofinanziamento", cast.piano_a), tabella_cofinanziamento(cast, 0, Bari_2025="1")),
        (
            url("cofinanziamento_importa", cast.piano_a),
            {"file": foglio_csv([f"{bari.codice_istat};Bari;2025;10"])},
        ),
    ]
    for indirizzo, dati in scritture:
        response = client.post(indirizzo, dati, follow=True)
        assert response.redirect_chain, indirizzo
        assert "si può modificare solo in bozza" in response.content.decode(), indirizzo
    assert not Recepimento.objects.exists()
    assert not Segnalazione.objects.exists()
    assert list(ResiduoEconomia.objects.all()) == [esistente]
    assert list(RisorsaAggiuntiva.objects.all()) == [risorsa]
    assert not Cofinanziamento.objects.exists()


def test_an_import_previewed_before_submission_cannot_be_confirmed_after(
    cast, fonti, ciclo_configurato, client_for
):
    bari = comuni(cast)["Bari"]
    client = client_for("operatore_a")
    importa = url("cofinanziamento_importa", cast.piano_a)
    client.post(importa, {"file": foglio_csv([f"{bari.codice_istat};Bari;2025;10"])})
    Piano.objects.filter(pk=cast.piano_a.pk).update(stato=Piano.Stato.INVIATO)
    response = client.post(importa, {"azione": "conferma", "revisione": "0"}, follow=True)
    assert "si può modificare solo in bozza" in response.content.decode()
    assert not Cofinanziamento.objects.exists()


def test_another_ambitos_user_finds_nothing(cast, fonti, ciclo_configurato, client_for):
    client = client_for("operatore_b")
    esistente = residuo(cast, fonti)
    for nome in PAGINE:
        assert client.get(url(nome, cast.piano_a)).status_code == 404
    assert client.get(url("residuo_modifica", cast.piano_a, pk=esistente.pk)).status_code == 404
    assert client.post(url("residui", cast.piano_a), dati_residuo(fonti)).status_code == 404
    assert client.post(url("recepimento", cast.piano_a)).status_code == 404
    assert ResiduoEconomia.objects.count() == 1


def test_the_regional_officer_looks_without_forms_and_may_not_write(
    cast, fonti, ciclo_configurato, client_for
):
    esistente = residuo(cast, fonti)
    client = client_for("funzionario")
    for nome in PAGINE:
        response = client.get(url(nome, cast.piano_a))
        assert response.status_code == 200, nome
        assert 'method="post" action="/piani' not in response.content.decode(), nome
    assert "1.500,00\xa0€" in client.get(url("residui", cast.piano_a)).content.decode()
    assert client.post(url("residui", cast.piano_a), dati_residuo(fonti)).status_code == 403
    assert client.post(url("residuo_elimina", cast.piano_a, pk=esistente.pk)).status_code == 403
    assert client.post(url("recepimento", cast.piano_a)).status_code == 403
    assert client.post(url("cofinanziamento", cast.piano_a), {"revisione": "0"}).status_code == 403
    assert ResiduoEconomia.objects.count() == 1


# --- Query counts ----------------------------------------------------------------------------


def test_the_transfers_page_runs_the_same_queries_however_many_funds_and_flags(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    assegna(cast, fonti["FNPS"], 2025, Decimal(1))
    services.segnalazione_crea(piano=cast.piano_a, user=cast.operatore_a, nota="Prima")

    def grow():
        for fonte in ("FNA", "FGSA"):
            for anno in (2025, 2026, 2027):
                assegna(cast, fonti[fonte], anno, Decimal(anno))
        services.recepimento_registra(piano=cast.piano_a, user=cast.operatore_a)
        for i in range(5):
            s = services.segnalazione_crea(
                piano=cast.piano_a, user=cast.responsabile_a, nota=f"n{i}", fonte=fonti["FNA"]
            )
            services.segnalazione_chiudi(segnalazione=s, user=cast.funzionario, risposta="ok")

    assert_constant_queries(client_for("operatore_a"), url("riepilogo", cast.piano_a), 11, grow)


def test_the_residui_and_other_resources_pages_run_the_same_queries_however_many_rows(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    residuo(cast, fonti)
    RisorsaAggiuntiva.objects.create(piano=cast.piano_a, fonte=fonti["ASL"], anno=2025, importo=1)

    def grow():
        for i in range(6):
            residuo(cast, fonti, fonte=fonti["FNA" if i % 2 else "FGSA"], anno_impiego=2026)
            RisorsaAggiuntiva.objects.create(
                piano=cast.piano_a, fonte=fonti["PNRR"], anno=2027, importo=i + 1
            )

    client = client_for("operatore_a")
    assert_constant_queries(client, url("residui", cast.piano_a), 9, grow)
    assert_constant_queries(client, url("altre_risorse", cast.piano_a), 9, grow)


def test_the_co_financing_page_and_export_run_the_same_queries_however_many_municipalities(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    bari = comuni(cast)["Bari"]
    Cofinanziamento.objects.create(piano=cast.piano_a, comune=bari, anno=2025, importo=5)

    def grow():
        for i in range(8):
            comune = ComuneFactory(ambito=cast.ambito_a, regione=cast.regione, popolazione=1000)
            Cofinanziamento.objects.create(
                piano=cast.piano_a, comune=comune, anno=2026, importo=i + 1
            )

    client = client_for("operatore_a")
    assert_constant_queries(client, url("cofinanziamento", cast.piano_a), 11, grow)
    assert_constant_queries(client, url("cofinanziamento_esporta", cast.piano_a), 10, grow)
