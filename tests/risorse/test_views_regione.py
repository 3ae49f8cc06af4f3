"""The Region's pages of the preliminary phase: configuration, transfers, import, riparto,
criteria and flags."""

from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.models import AreaInterventoFnps, Ruolo
from risorse.models import (
    Assegnazione,
    CriterioRiparto,
    FonteCiclo,
    RegolaCiclo,
    Riparto,
    Segnalazione,
    ValoreCriterio,
    Vincolo,
)

from ..factories import (
    AmbitoFactory,
    CicloFactory,
    ComuneFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(nome: str, ciclo, *args) -> str:
    return reverse(f"risorse:{nome}", args=[ciclo.pk, *args])


def _csv(testo: str, nome: str = "assegnazioni.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, testo.encode("utf-8"), content_type="text/csv")


def _xlsx(righe: list[list], intestazioni: list[str], nome: str = "dati.xlsx"):
    contenuto = tablib.Dataset(*righe, headers=intestazioni).export("xlsx")
    return SimpleUploadedFile(nome, contenuto, content_type="application/octet-stream")


def _area(codice: int = 1) -> AreaInterventoFnps:
    return AreaInterventoFnps.objects.get_or_create(
        codice=codice, defaults={"nome": "Infanzia, adolescenza e famiglie"}
    )[0]


def _assegna(ciclo, ambito, fonte, anno, importo) -> Assegnazione:
    return Assegnazione.objects.create(
        ciclo=ciclo, ambito=ambito, fonte=fonte, anno=anno, importo=Decimal(importo)
    )


# --- Configuration -----------------------------------------------------------------------------


def test_a_new_cycle_shows_every_fund_inactive_with_its_reference_section_suggested(
    cast, fonti, client_for
):
    ciclo = cast.piano_a.ciclo
    html = client_for("funzionario").get(_url("configurazione", ciclo)).content.decode()
    for fonte in fonti.values():
        assert f"Uso di {fonte.codice} – {fonte.nome} nel ciclo" in html
    assert '<option value="" selected>Non attiva</option>' in html
    assert "Risorse ordinarie (suggerita)" in html and "Altre risorse (suggerita)" in html


def test_the_configuration_saves_active_funds_and_the_minimum_cofinancing(cast, fonti, client_for):
    ciclo = cast.piano_a.ciclo
    dati = {f"sezione_{f.pk}": "" for f in fonti.values()}
    dati |= {
        f"sezione_{fonti['FNPS'].pk}": "ordinarie",
        f"sezione_{fonti['PNRR'].pk}": "altre_risorse",
        "cofinanziamento_minimo": "1.234,50",
    }
    response = client_for("funzionario").post(_url("configurazione", ciclo), dati, follow=True)
    assert "Configurazione del ciclo salvata." in response.content.decode()
    attive = dict(FonteCiclo.objects.filter(ciclo=ciclo).values_list("fonte__codice", "sezione"))
    assert attive == {"FNPS": "ordinarie", "PNRR": "altre_risorse"}
    assert RegolaCiclo.objects.get(ciclo=ciclo).cofinanziamento_minimo == Decimal("1234.50")


def test_a_bad_minimum_cofinancing_is_refused_in_italian_and_nothing_is_saved(
    cast, fonti, client_for
):
    ciclo = cast.piano_a.ciclo
    dati = {f"sezione_{fonti['FNPS'].pk}": "ordinarie", "cofinanziamento_minimo": "-3"}
    response = client_for("funzionario").post(_url("configurazione", ciclo), dati)
    assert response.status_code == 200
    assert "L&#x27;importo non può essere negativo." in response.content.decode()
    assert not FonteCiclo.objects.filter(ciclo=ciclo).exists()
    assert not RegolaCiclo.objects.filter(ciclo=ciclo).exists()


def test_the_administrator_sees_the_configuration_read_only(cast, ciclo_configurato, client_for):
    client = client_for("admin")
    html = client.get(_url("configurazione", ciclo_configurato)).content.decode()
    assert "Sola lettura" in html and "disabled" in html
    assert "Salva la configurazione" not in html
    assert client.post(_url("configurazione", ciclo_configurato), {}).status_code == 403


def test_an_earmark_is_added_and_then_deleted(cast, fonti, ciclo_configurato, client_for):
    client = client_for("funzionario")
    area = _area()
    dati = {
        "fonte": fonti["FNPS"].pk,
        "area": area.pk,
        "percentuale": "50",
        "descrizione": "Infanzia",
    }
    response = client.post(_url("vincolo_crea", ciclo_configurato), dati, follow=True)
    assert "Vincolo aggiunto" in response.content.decode()
    vincolo = Vincolo.objects.get(ciclo=ciclo_configurato)
    assert vincolo.percentuale_minima == Decimal("50")
    response = client.post(_url("vincolo_elimina", ciclo_configurato, vincolo.pk), follow=True)
    assert "Vincolo eliminato" in response.content.decode()
    assert not Vincolo.objects.exists()


def test_a_duplicate_earmark_or_a_bad_percentage_is_refused_in_italian(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("funzionario")
    area = _area()
    Vincolo.objects.create(
        ciclo=ciclo_configurato, fonte=fonti["FNPS"], area=area, percentuale_minima=50
    )
    dati = {"fonte": fonti["FNPS"].pk, "area": area.pk, "percentuale": "40"}
    html = client.post(_url("vincolo_crea", ciclo_configurato), dati).content.decode()
    assert "Esiste già un vincolo per questa fonte e quest&#x27;area." in html
    dati["percentuale"] = "120"
    html = client.post(_url("vincolo_crea", ciclo_configurato), dati).content.decode()
    assert "La percentuale deve essere maggiore di 0 e al massimo 100." in html
    dati["fonte"] = fonti["ASL"].pk  # not active in the cycle
    html = client.post(_url("vincolo_crea", ciclo_configurato), dati).content.decode()
    assert "La fonte scelta non è attiva nel ciclo." in html
    assert Vincolo.objects.count() == 1


def test_an_earmark_of_another_cycle_cannot_be_deleted(cast, fonti, ciclo_configurato, client_for):
    altro = CicloFactory(regione=cast.regione, anno_inizio=2028, anno_fine=2030)
    vincolo = Vincolo.objects.create(
        ciclo=altro, fonte=fonti["FNPS"], area=_area(), percentuale_minima=50
    )
    response = client_for("funzionario").post(
        _url("vincolo_elimina", ciclo_configurato, vincolo.pk)
    )
    assert response.status_code == 404
    assert Vincolo.objects.filter(pk=vincolo.pk).exists()


# --- Transfers ---------------------------------------------------------------------------------


def test_the_transfers_page_opens_on_the_first_active_fund_and_year(
    cast, fonti, ciclo_configurato, client_for
):
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2025, "1234.56")
    html = client_for("funzionario").get(_url("assegnazioni", ciclo_configurato)).content.decode()
    assert "FNPS – Fondo Nazionale Politiche Sociali, anno 2025" in html
    assert "Importo BA01 – Ambito di Bari" in html and "Importo BA02 – Ambito di Altamura" in html
    assert 'value="1.234,56"' in html
    assert "333.980" in html  # the ambito's population, Italian separators


def test_the_transfers_of_a_fund_and_year_are_saved_and_an_empty_cell_removes_one(
    cast, fonti, ciclo_configurato, client_for
):
    _assegna(ciclo_configurato, cast.ambito_b, fonti["FNA"], 2026, "10.00")
    dati = {
        "fonte": "FNA",
        "anno": "2026",
        "revisione": "0",
        f"importo_{cast.ambito_a.pk}": "1.000.000,01",
        f"importo_{cast.ambito_b.pk}": "",
    }
    response = client_for("funzionario").post(_url("assegnazioni", ciclo_configurato), dati)
    assert response.status_code == 302
    assert response["Location"].endswith("?fonte=FNA&anno=2026")
    importi = dict(
        Assegnazione.objects.filter(ciclo=ciclo_configurato).values_list(
            "ambito__codice", "importo"
        )
    )
    assert importi == {"BA01": Decimal("1000000.01")}


@pytest.mark.parametrize(
    ("valore", "messaggio"),
    [
        ("12,345", "Inserire al massimo 2 decimali."),
        ("-5", "L&#x27;importo non può essere negativo."),
        ("mille", "Importo non valido: usare il formato 1.234,56."),
    ],
)
def test_a_bad_amount_is_rejected_in_italian_shown_back_and_nothing_is_saved(
    cast, fonti, ciclo_configurato, client_for, valore, messaggio
):
    _assegna(ciclo_configurato, cast.ambito_b, fonti["FNPS"], 2025, "10.00")
    dati = {
        "fonte": "FNPS",
        "anno": "2025",
        "revisione": "0",
        f"importo_{cast.ambito_a.pk}": valore,
        f"importo_{cast.ambito_b.pk}": "99,00",
    }
    response = client_for("funzionario").post(_url("assegnazioni", ciclo_configurato), dati)
    html = response.content.decode()
    assert response.status_code == 200
    assert messaggio in html
    assert "Nessuna assegnazione è stata salvata." in html
    assert f'value="{valore}"' in html and 'aria-invalid="true"' in html
    assert Assegnazione.objects.get().importo == Decimal("10.00")


def test_transfers_of_a_fund_not_active_are_refused(cast, fonti, ciclo_configurato, client_for):
    dati = {"fonte": "ASL", "anno": "2025", f"importo_{cast.ambito_a.pk}": "1"}
    response = client_for("funzionario").post(
        _url("assegnazioni", ciclo_configurato), dati, follow=True
    )
    assert (
        "Scegliere una fonte statale o regionale attiva nel ciclo e uno dei suoi anni."
        in response.content.decode()
    )
    assert not Assegnazione.objects.exists()


def test_the_summary_totals_the_cycle_by_ambito_and_fund(
    cast, fonti, ciclo_configurato, client_for
):
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2025, "1000.00")
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2026, "234.56")
    _assegna(ciclo_configurato, cast.ambito_b, fonti["FGSA"], 2027, "100.00")
    html = client_for("funzionario").get(_url("assegnazioni", ciclo_configurato)).content.decode()
    riepilogo = html[html.index("Riepilogo del ciclo") :]
    assert "1.234,56\u00a0€" in riepilogo  # BA01 FNPS, two years
    assert "1.334,56\u00a0€" in riepilogo  # the grand total


def test_the_export_is_an_xlsx_attachment_with_every_transfer(
    cast, fonti, ciclo_configurato, client_for
):
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2025, "1234.56")
    _assegna(ciclo_configurato, cast.ambito_b, fonti["FNA"], 2027, "10.00")
    response = client_for("admin").get(_url("assegnazioni_esporta", ciclo_configurato))
    assert response["Content-Disposition"] == 'attachment; filename="assegnazioni-2025-2027.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    dati = tablib.Dataset().load(response.content, format="xlsx")
    assert dati.headers == ["ambito", "fonte", "anno", "importo"]
    assert [(r[0], r[1], int(r[2]), Decimal(str(r[3]))) for r in dati] == [
        ("BA01", "FNPS", 2025, Decimal("1234.56")),
        ("BA02", "FNA", 2027, Decimal("10")),
    ]


def test_the_import_template_has_the_right_headers(cast, ciclo_configurato, client_for):
    response = client_for("funzionario").get(_url("assegnazioni_modello", ciclo_configurato))
    assert "attachment" in response["Content-Disposition"]
    dati = tablib.Dataset().load(response.content, format="xlsx")
    assert dati.headers == ["ambito", "fonte", "anno", "importo"]


# --- Import ------------------------------------------------------------------------------------


def test_the_import_preview_lists_every_bad_row_with_its_line_and_saves_nothing(
    cast, fonti, ciclo_configurato, client_for
):
    file = _csv(
        "ambito;fonte;anno;importo\n"
        "BA01;FNPS;2025;1.000,00\n"
        "ZZ99;FNPS;2025;10\n"
        "BA02;ASL;2025;10\n"
        "BA02;FNPS;2031;10\n"
        "BA02;FNPS;2026;-4\n"
        "BA02;FNA;2026;abc\n"
        "BA02;FGSA;2026;1,234\n"
    )
    client = client_for("funzionario")
    response = client.post(_url("assegnazioni_importa", ciclo_configurato), {"file": file})
    html = response.content.decode()
    assert response.status_code == 200
    errori = response.context["anteprima"].errori
    assert [riga for riga, _ in errori] == [3, 4, 5, 6, 7, 8]
    assert "Ambito territoriale sociale «ZZ99» inesistente." in html
    assert "La fonte «ASL» non è attiva nel ciclo 2025–2027." in html
    assert "L&#x27;anno 2031 non è tra quelli ammessi (2025, 2026, 2027)." in html
    assert "L&#x27;importo non può essere negativo." in html
    assert "Importo non valido" in html
    assert "Inserire al massimo 2 decimali." in html
    assert 'value="conferma"' not in html
    assert not Assegnazione.objects.exists()
    response = client.post(_url("assegnazioni_importa", ciclo_configurato), {"azione": "conferma"})
    assert not Assegnazione.objects.exists()


def test_a_valid_file_is_previewed_then_imported_on_confirmation(
    cast, fonti, ciclo_configurato, client_for
):
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2025, "5.00")
    _assegna(ciclo_configurato, cast.ambito_b, fonti["FNPS"], 2025, "7.00")
    file = _xlsx(
        [
            ["BA01", "FNPS", 2025, 1000.5],
            ["BA02", "FNPS", 2025, 7],
            ["BA02", "FNA", 2026, "2.500,25"],
        ],
        ["ambito", "fonte", "anno", "importo"],
    )
    client = client_for("funzionario")
    url = _url("assegnazioni_importa", ciclo_configurato)
    html = client.post(url, {"file": file}).content.decode()
    assert all(
        f'{etichetta}</dt><dd class="col-sm-7">{numero}' in html
        for etichetta, numero in [
            ("Righe nuove", 1),
            ("Righe modificate", 1),
            ("Invariate o lasciate vuote", 1),
        ]
    )
    assert 'value="conferma"' in html
    assert Assegnazione.objects.get(ambito=cast.ambito_a).importo == Decimal("5.00")
    assert 'value="conferma"' in client.get(url).content.decode()  # still pending

    response = client.post(url, {"azione": "conferma"}, follow=True)
    assert "Importazione completata. Righe nuove: 1, modificate: 1, invariate: 1." in (
        response.content.decode()
    )
    importi = dict(
        Assegnazione.objects.filter(fonte=fonti["FNPS"]).values_list("ambito__codice", "importo")
    )
    assert importi == {"BA01": Decimal("1000.50"), "BA02": Decimal("7.00")}
    assert Assegnazione.objects.get(fonte=fonti["FNA"]).importo == Decimal("2500.25")
    assert 'value="conferma"' not in client.get(url).content.decode()


def test_cancelling_an_import_forgets_the_pending_file(cast, fonti, ciclo_configurato, client_for):
    client = client_for("funzionario")
    url = _url("assegnazioni_importa", ciclo_configurato)
    client.post(url, {"file": _csv("ambito,fonte,anno,importo\nBA01,FNPS,2025,10\n")})
    response = client.post(url, {"azione": "annulla"}, follow=True)
    assert "Importazione annullata" in response.content.decode()
    response = client.post(url, {"azione": "conferma"}, follow=True)
    assert "Nessuna importazione da confermare" in response.content.decode()
    assert not Assegnazione.objects.exists()


def test_an_import_that_became_invalid_before_confirmation_saves_nothing(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("funzionario")
    url = _url("assegnazioni_importa", ciclo_configurato)
    client.post(url, {"file": _csv("ambito,fonte,anno,importo\nBA01,FNA,2025,10\n")})
    FonteCiclo.objects.filter(fonte=fonti["FNA"]).delete()  # deactivated meanwhile
    html = client.post(url, {"azione": "conferma"}, follow=True).content.decode()
    assert "Il file contiene errori: nessuna riga è stata importata." in html
    assert "La fonte «FNA» non è attiva nel ciclo" in html  # the preview, shown again
    assert not Assegnazione.objects.exists()


@pytest.mark.parametrize(
    ("file", "messaggio"),
    [
        (
            SimpleUploadedFile("foto.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "Il file non è un foglio di calcolo: caricare un file .xlsx o .csv.",
        ),
        (
            SimpleUploadedFile("archivio.xlsx", b"PK\x03\x04non un foglio excel"),
            "Il file non è un foglio Excel (.xlsx) leggibile.",
        ),
        (
            SimpleUploadedFile("dati.csv", b"ambito;fonte;anno\nBA01;FNPS;2025\n"),
            "Mancano le colonne «importo».",
        ),
        (SimpleUploadedFile("vuoto.csv", b"  \n"), "Il file è vuoto."),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_precise_message(
    cast, fonti, ciclo_configurato, client_for, file, messaggio
):
    response = client_for("funzionario").post(
        _url("assegnazioni_importa", ciclo_configurato), {"file": file}
    )
    assert response.status_code == 200
    assert messaggio in response.content.decode().replace("&#x27;", "'")
    assert not Assegnazione.objects.exists()


def test_an_import_without_a_file_asks_for_one(cast, ciclo_configurato, client_for):
    response = client_for("funzionario").post(_url("assegnazioni_importa", ciclo_configurato), {})
    assert "Scegliere il file da importare." in response.content.decode()


# --- Riparto -----------------------------------------------------------------------------------


def test_the_riparto_is_previewed_then_applied_to_the_exact_total(
    cast, fonti, ciclo_configurato, client_for
):
    client = client_for("funzionario")
    url = _url("riparto", ciclo_configurato)
    dati = {
        "fonte": "FNPS",
        "anno": "2026",
        "totale": "1.000.000,01",
        "peso_popolazione": "100",
        "azione": "anteprima",
    }
    html = client.post(url, dati).content.decode()
    assert "827.689,11\u00a0€" in html and "172.310,90\u00a0€" in html
    assert "1.000.000,01\u00a0€" in html
    assert "82,7689%" in html
    assert (
        '<input type="hidden" name="totale" value="1.000.000,01">' in html
    )  # what "Applica" sends
    assert not Assegnazione.objects.exists()

    response = client.post(url, dati | {"azione": "applica"})
    assert response.status_code == 302
    assert response["Location"] == _url("assegnazioni", ciclo_configurato) + "?fonte=FNPS&anno=2026"
    importi = dict(Assegnazione.objects.values_list("ambito__codice", "importo"))
    assert importi == {"BA01": Decimal("827689.11"), "BA02": Decimal("172310.90")}
    assert sum(importi.values()) == Decimal("1000000.01")
    html = client.get(response["Location"]).content.decode()
    assert "Riparto applicato" in html


def test_the_riparto_never_trusts_posted_amounts(cast, fonti, ciclo_configurato, client_for):
    dati = {
        "fonte": "FNPS",
        "anno": "2026",
        "totale": "100",
        "peso_popolazione": "1",
        "azione": "applica",
        f"importo_{cast.ambito_a.pk}": "100",
    }
    client_for("funzionario").post(_url("riparto", ciclo_configurato), dati)
    assert Assegnazione.objects.get(ambito=cast.ambito_a).importo == Decimal("82.77")


def test_the_riparto_weighs_the_regions_criteria(cast, fonti, ciclo_configurato, client_for):
    criterio = CriterioRiparto.objects.create(
        regione=cast.regione, codice="minori", nome="Residenti minorenni"
    )
    ValoreCriterio.objects.create(criterio=criterio, ambito=cast.ambito_a, valore=1)
    ValoreCriterio.objects.create(criterio=criterio, ambito=cast.ambito_b, valore=3)
    dati = {
        "fonte": "FGSA",
        "anno": "2025",
        "totale": "100",
        "peso_minori": "1",
        "peso_popolazione": "",
        "azione": "applica",
    }
    client_for("funzionario").post(_url("riparto", ciclo_configurato), dati)
    importi = dict(Assegnazione.objects.values_list("ambito__codice", "importo"))
    assert importi == {"BA01": Decimal("25.00"), "BA02": Decimal("75.00")}
    html = client_for("funzionario").get(_url("riparto", ciclo_configurato)).content.decode()
    assert "Residenti minorenni (peso 1)" in html
    assert Riparto.objects.get().creato_da == cast.funzionario


def test_a_riparto_by_residents_65_and_over_gives_the_shares_and_states_the_istat_year(
    cast, fonti, ciclo_configurato, client_for
):
    for nome, anziani in [("Bari", 30_000), ("Valenzano", 10_000), ("Altamura", 10_000)]:
        cast.regione.comuni.filter(nome=nome).update(eta_65_piu=anziani, popolazione_anno=2023)
    dati = {
        "fonte": "FGSA",
        "anno": "2025",
        "totale": "1000",
        "peso_eta_65_piu": "1",
        "peso_popolazione": "",
        "azione": "applica",
    }
    client = client_for("funzionario")
    client.post(_url("riparto", ciclo_configurato), dati)

    importi = dict(Assegnazione.objects.values_list("ambito__codice", "importo"))
    assert importi == {"BA01": Decimal("800.00"), "BA02": Decimal("200.00")}
    html = client.get(_url("riparto", ciclo_configurato)).content.decode()
    assert "Peso di «Residenti 65 anni e più (ISTAT 2023)»" in html
    assert "Residenti 65 anni e più (ISTAT 2023) (peso 1)" in html
    html = client.get(_url("criteri", ciclo_configurato)).content.decode()
    assert "<td>Popolazione residente (ISTAT 2023)</td>" in html
    assert "<td>Residenti 75 anni e più (ISTAT 2023)</td>" in html
    # Only the 65+ band was given: the page says the others count as zero.
    assert "Per 3 comuni degli ambiti il file ISTAT non dà i residenti o tutte le fasce" in html
    assert "Altamura (BA), residenti 2023 senza fasce d'età" in html


def test_a_riparto_without_weights_or_with_a_bad_total_is_refused_in_italian(
    cast, fonti, ciclo_configurato, client_for
):
    url = _url("riparto", ciclo_configurato)
    dati = {"fonte": "FNPS", "anno": "2026", "totale": "100", "peso_popolazione": "0"}
    html = client_for("funzionario").post(url, dati | {"azione": "applica"}).content.decode()
    assert "Indicare un peso maggiore di zero per almeno un criterio." in html
    html = client_for("funzionario").post(url, dati | {"totale": "1,001"}).content.decode()
    assert "Inserire al massimo 2 decimali." in html
    assert not Riparto.objects.exists() and not Assegnazione.objects.exists()


# --- Criteria ----------------------------------------------------------------------------------


def test_a_criterion_is_created_and_its_values_imported(cast, ciclo_configurato, client_for):
    client = client_for("funzionario")
    dati = {"codice": "minori", "nome": "Residenti minorenni", "fonte_dato": "ISTAT 2024"}
    response = client.post(_url("criteri", ciclo_configurato), dati)
    criterio = CriterioRiparto.objects.get(regione=cast.regione, codice="minori")
    url = _url("criterio_importa", ciclo_configurato, criterio.pk)
    assert response["Location"] == url

    file = _csv("ambito;valore\nBA01;52.000\nBA02;12345,5\n", "minori.csv")
    html = client.post(url, {"file": file}).content.decode()
    assert all(
        f'{etichetta}</dt><dd class="col-sm-7">{numero}' in html
        for etichetta, numero in [
            ("Righe nuove", 2),
            ("Righe modificate", 0),
            ("Invariate o lasciate vuote", 0),
        ]
    )
    assert not ValoreCriterio.objects.exists()
    client.post(url, {"azione": "conferma"})
    valori = dict(ValoreCriterio.objects.values_list("ambito__codice", "valore"))
    assert valori == {"BA01": Decimal("52000"), "BA02": Decimal("12345.5")}
    html = client.get(_url("criteri", ciclo_configurato)).content.decode()
    assert "2 di 2" in html


def test_a_criterion_code_must_be_new_and_not_popolazione(cast, ciclo_configurato, client_for):
    CriterioRiparto.objects.create(regione=cast.regione, codice="minori", nome="Minori")
    client = client_for("funzionario")
    url = _url("criteri", ciclo_configurato)
    html = client.post(url, {"codice": "minori", "nome": "Altro"}).content.decode()
    assert "Esiste già un criterio con questo codice." in html
    html = client.post(url, {"codice": "popolazione", "nome": "Pop"}).content.decode()
    assert "è riservato alla popolazione residente" in html
    html = client.post(url, {"codice": "eta_65_piu", "nome": "Anziani"}).content.decode()
    assert "Il codice «eta_65_piu» è riservato alla popolazione residente ISTAT" in html
    html = client.post(url, {"codice": "con spazi", "nome": "X"}).content.decode()
    assert "Il codice può contenere solo lettere, cifre, trattini e trattini bassi." in html
    assert CriterioRiparto.objects.count() == 1


def test_a_criterion_of_another_region_is_not_found(cast, ciclo_configurato, client_for):
    altrove = CriterioRiparto.objects.create(
        regione=RegioneFactory(codice_istat="08", nome="Emilia-Romagna"), codice="x", nome="X"
    )
    response = client_for("funzionario").get(
        _url("criterio_importa", ciclo_configurato, altrove.pk)
    )
    assert response.status_code == 404


# --- Flags -------------------------------------------------------------------------------------


def _segnalazione(cast, fonti, piano=None) -> Segnalazione:
    return Segnalazione.objects.create(
        piano=piano or cast.piano_a,
        creata_da=cast.operatore_a,
        nota="Il FNPS 2025 è inferiore al decreto.",
        fonte=fonti["FNPS"],
        anno=2025,
    )


def test_an_open_flag_is_answered_and_closed(cast, fonti, ciclo_configurato, client_for):
    segnalazione = _segnalazione(cast, fonti)
    client = client_for("funzionario")
    html = client.get(_url("segnalazioni", ciclo_configurato)).content.decode()
    assert "Il FNPS 2025 è inferiore al decreto." in html and "Aperte (1)" in html
    url = _url("segnalazione_chiudi", ciclo_configurato, segnalazione.pk)
    response = client.post(url, {"risposta": "Corretto con il nuovo riparto."}, follow=True)
    html = response.content.decode()
    assert "Segnalazione di BA01 chiusa" in html and "Aperte (0)" in html
    assert "Corretto con il nuovo riparto." in html
    segnalazione.refresh_from_db()
    assert segnalazione.chiusa_da == cast.funzionario and not segnalazione.aperta


def test_an_empty_answer_is_refused_in_italian(cast, fonti, ciclo_configurato, client_for):
    segnalazione = _segnalazione(cast, fonti)
    url = _url("segnalazione_chiudi", ciclo_configurato, segnalazione.pk)
    response = client_for("funzionario").post(url, {"risposta": "   "})
    assert response.status_code == 200
    assert "Scrivere una risposta per l&#x27;Ufficio di Piano." in response.content.decode()
    segnalazione.refresh_from_db()
    assert segnalazione.aperta


def test_a_flag_of_another_cycle_is_not_found(cast, fonti, ciclo_configurato, client_for):
    altro = PianoFactory(ambito=cast.ambito_a, ciclo__regione=cast.regione, ciclo__anno_inizio=2028)
    segnalazione = _segnalazione(cast, fonti, piano=altro)
    url = _url("segnalazione_chiudi", ciclo_configurato, segnalazione.pk)
    assert client_for("funzionario").post(url, {"risposta": "ok"}).status_code == 404


# --- Access ------------------------------------------------------------------------------------

PAGINE = ["configurazione", "assegnazioni", "assegnazioni_importa", "riparto", "criteri"]


@pytest.mark.parametrize("pagina", [*PAGINE, "segnalazioni"])
def test_district_users_are_refused_and_other_regions_do_not_see_the_cycle(
    cast, ciclo_configurato, client_for, client, pagina
):
    url = _url(pagina, ciclo_configurato)
    assert client_for("operatore_a").get(url).status_code == 403
    assert client_for("responsabile_a").get(url).status_code == 403
    estraneo = UserFactory()
    altra = AmbitoFactory(regione=RegioneFactory(codice_istat="08", nome="Emilia-Romagna"))
    MembershipFactory(user=estraneo, ambito=None, regione=altra.regione, ruolo=Ruolo.FUNZIONARIO)
    client.force_login(estraneo)
    assert client.get(url).status_code == 404
    if pagina != "segnalazioni":
        assert client.post(url, {}).status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def _cresci(cast, fonti, ciclo) -> None:
    """More ambiti, municipalities, transfers, funds, earmarks, criteria, flags."""
    FonteCiclo.objects.get_or_create(ciclo=ciclo, fonte=fonti["PNRR"], sezione="altre_risorse")
    for ambito in AmbitoFactory.create_batch(5, regione=cast.regione):
        ComuneFactory.create_batch(2, ambito=ambito)
        for codice in ("FNPS", "FNA", "PNRR"):
            for anno in ciclo.anni:
                _assegna(ciclo, ambito, fonti[codice], anno, "100.00")
        piano = PianoFactory(ambito=ambito, ciclo=ciclo)
        _segnalazione(cast, fonti, piano=piano)
    for codice in (1, 2, 3):
        Vincolo.objects.create(
            ciclo=ciclo, fonte=fonti["FNA"], area=_area(codice), percentuale_minima=10
        )
    criterio = CriterioRiparto.objects.create(regione=cast.regione, codice="c", nome="C")
    ValoreCriterio.objects.create(criterio=criterio, ambito=cast.ambito_a, valore=3)


@pytest.mark.parametrize(
    ("pagina", "attese"),
    [
        ("configurazione", 12),
        ("assegnazioni", 11),
        ("riparto", 12),
        ("criteri", 11),
        ("segnalazioni", 9),
        ("assegnazioni_importa", 9),  # with the example district code
    ],
)
def test_the_region_pages_have_a_constant_number_of_queries(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries, pagina, attese
):
    _assegna(ciclo_configurato, cast.ambito_a, fonti["FNPS"], 2025, "1.00")
    _segnalazione(cast, fonti)
    url = _url(pagina, ciclo_configurato)
    assert_constant_queries(
        client_for("funzionario"), url, attese, lambda: _cresci(cast, fonti, ciclo_configurato)
    )


def test_the_criterion_page_has_a_constant_number_of_queries(
    cast, fonti, ciclo_configurato, client_for, assert_constant_queries
):
    criterio = CriterioRiparto.objects.create(regione=cast.regione, codice="m", nome="M")
    url = _url("criterio_importa", ciclo_configurato, criterio.pk)

    def cresci():
        for ambito in AmbitoFactory.create_batch(5, regione=cast.regione):
            ValoreCriterio.objects.create(criterio=criterio, ambito=ambito, valore=2)

    assert_constant_queries(client_for("funzionario"), url, 10, cresci)


def test_a_transfer_grid_from_a_stale_page_gets_a_conflict_and_keeps_the_input(
    cast, fonti, ciclo_configurato, client_for
):
    dati = {
        "fonte": "FNPS",
        "anno": "2025",
        "revisione": "0",
        f"importo_{cast.ambito_a.pk}": "10,00",
    }
    client = client_for("funzionario")
    assert client.post(_url("assegnazioni", ciclo_configurato), dati).status_code == 302
    stale = dati | {f"importo_{cast.ambito_a.pk}": "77,00"}
    response = client.post(_url("assegnazioni", ciclo_configurato), stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert "le modifiche inviate non sono state salvate" in html
    assert 'value="77,00"' in html
    assert Assegnazione.objects.get().importo == Decimal("10.00")
