"""The one reader of every spreadsheet: each rule on real xlsx and csv files, through the same
service every import page calls (read → preview → confirm)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pianizona.dominio import ErroreDominio
from pianizona.importazioni.resources import ComuneResource, UserResource
from pianizona.importazioni.services import importa, leggi_foglio
from pianizona.models import Comune, Membership, Regione, User

from ...factories import RegioneFactory
from ...fogli import xlsx

COLONNE_COMUNE = [
    "codice_istat",
    "nome",
    "regione",
    "provincia",
    "sigla_provincia",
    "popolazione",
    "codice_catastale",
    "ambito",
]


def csv(testo: str, nome: str = "dati.csv", codifica: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, testo.encode(codifica))


def comune(codice: str, nome: str, regione: str = "16", popolazione=1000) -> list:
    return [codice, nome, regione, "Bari", "BA", popolazione, "", "BA01"]


def test_the_header_is_found_below_title_rows_and_rows_keep_excel_numbers(cast):
    file = xlsx(
        [
            ["Comuni della Regione Puglia"],
            ["Aggiornamento 2025"],
            COLONNE_COMUNE,
            comune("072999", "Nuovo", popolazione="molti"),
        ]
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=False)
    assert anteprima.riga_intestazione == 3
    assert anteprima.righe == 1
    assert [riga for riga, _ in anteprima.errori] == [4]  # as Excel shows it: header on row 3


def test_headers_match_whatever_their_case_and_accents_and_our_export_labels(cast):
    file = csv(
        "CODICE ISTAT;Nome;Regióne;Provincia;Sigla_Provincia;POPOLAZIONE;Codice catastale;AMBITO\n"
        "072998;Nuovissimo;16;Bari;BA;1200;;BA01\n"
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == [] and anteprima.nuove == 1
    assert Comune.objects.get(codice_istat="072998").popolazione == 1200


def test_a_missing_column_is_named_with_the_row_the_header_was_read_on(cast):
    file = csv("Titolo\ncodice_istat;nome\n072998;Nuovissimo\n")
    with pytest.raises(ErroreDominio, match=r"Mancano le colonne .*«regione».* riga 2\."):
        importa(ComuneResource(), leggi_foglio(file), conferma=False)


def test_a_file_without_any_of_our_headers_says_which_columns_it_needs(cast):
    file = csv("Totale generale;10\n;\n")
    with pytest.raises(ErroreDominio, match="Mancano le colonne «codice_istat», «nome»"):
        importa(ComuneResource(), leggi_foglio(file), conferma=False)


def test_blank_rows_are_skipped_without_errors_and_the_numbering_goes_on(cast):
    file = xlsx(
        [
            COLONNE_COMUNE,
            comune("072997", "Primo"),
            [None] * 8,
            ["", " "] + [None] * 6,
            comune("072996", "Secondo", popolazione=-1),
        ]
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=False)
    assert anteprima.righe == 2
    assert [riga for riga, _ in anteprima.errori] == [5]


@pytest.mark.parametrize("etichetta", ["Totale", "TOTALE", "Totale generale"])
def test_a_total_row_is_skipped_and_reported_not_an_error(cast, etichetta):
    file = xlsx(
        [
            COLONNE_COMUNE,
            comune("072995", "Terzo"),
            [etichetta, None, None, None, None, 1000, None, None],
        ]
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == [] and anteprima.righe == 1
    assert [riga for riga, _ in anteprima.saltate] == [3]
    assert etichetta in anteprima.saltate[0][1]
    assert Comune.objects.filter(codice_istat="072995").exists()


def test_a_formula_float_artefact_is_read_as_excel_shows_it(cast):
    from pianizona.money import euro_da_cella

    assert str(euro_da_cella(301234.56000000006)) == "301234.56"
    assert str(euro_da_cella("301234.56000000006")) == "301234.56"


@pytest.mark.parametrize(("valore", "letto"), [(1234.567, "1234,567"), ("12,345", "12,345")])
def test_an_amount_with_three_real_decimals_is_refused_showing_the_value_read(valore, letto):
    from pianizona.money import euro_da_cella

    with pytest.raises(ValueError, match=f"al massimo 2 decimali. Valore letto: «{letto}»"):
        euro_da_cella(valore)


@pytest.mark.parametrize(
    ("cella", "attivo"),
    [
        ("sì", True),
        ("SI", True),
        ("si", True),
        ("Vero", True),
        ("x", True),
        (1, True),
        ("TRUE", True),
        (True, True),
        ("no", False),
        ("falso", False),
        ("0", False),
        (0, False),
        ("FALSE", False),
    ],
)
def test_booleans_are_read_in_every_way_officers_write_them(cast, cella, attivo):
    file = xlsx(
        [
            ["email", "first_name", "last_name", "is_active", "ruoli"],
            ["nuovo@example.org", "N", "U", cella, "operatore@BA01"],
        ]
    )
    anteprima = importa(UserResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == []
    assert User.objects.get(email="nuovo@example.org").is_active is attivo


def test_any_other_boolean_is_refused_naming_the_value(cast):
    file = csv("email,first_name,last_name,is_active,ruoli\nforse@example.org,F,S,forse,\n")
    anteprima = importa(UserResource(), leggi_foglio(file), conferma=False)
    assert anteprima.errori == [
        (
            2,
            "is_active: Valore «forse» non valido: scrivere sì o no. Ammessi anche vero/falso, x, 1/0.",
        )
    ]


def test_istat_and_region_codes_typed_as_numbers_get_their_leading_zeros(cast):
    RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    # No ambito: Bologna may join only an ambito of Emilia-Romagna.
    file = xlsx([COLONNE_COMUNE, [37006, "Bologna", 8, "Bologna", "BO", 390_000, "", ""]])
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == []
    assert Comune.objects.get(codice_istat="037006").regione.codice_istat == "08"


def test_a_region_code_in_a_role_is_read_with_its_leading_zero(cast):
    emilia = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    file = csv("email;first_name;last_name;is_active;ruoli\nre@example.org;R;E;sì;funzionario@R8\n")
    anteprima = importa(UserResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == []
    assert Membership.objects.get(user__email="re@example.org").regione == emilia


def test_no_python_value_or_internal_name_reaches_the_user(cast):
    file = xlsx(
        [
            ["Utenti da invitare"],
            ["email", "first_name", "last_name", "is_active", "ruoli"],
            ["a@example.org", "A", "A", "sì", "capo@BA01"],
            [None, "B", "B", None, None],
        ]
    )
    anteprima = importa(UserResource(), leggi_foglio(file), conferma=False)
    assert [riga for riga, _ in anteprima.errori] == [3, 4]
    testo = " ".join(m for _, m in anteprima.errori)
    assert "ruoli: Ruolo «capo» sconosciuto" in testo
    assert "None" not in testo and "ruoli_import" not in testo.lower()


def test_the_preview_lists_each_changed_row_with_old_and_new_values(cast):
    Regione.objects.filter(codice_istat="16").update(nome="Puglia")
    valenzano = Comune.objects.get(nome="Valenzano")
    file = csv(
        "codice_istat;nome;regione;provincia;sigla_provincia;popolazione;codice_catastale;ambito\n"
        f"{valenzano.codice_istat};Valenzano;16;Bari;BA;18500;;BA01\n"
        "072994;Nuovo;16;Bari;BA;100;;BA01\n"
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=False)
    modificata, nuova = anteprima.cambiate
    assert (modificata.riga, modificata.tipo, modificata.chiave) == (
        2,
        "modificata",
        valenzano.codice_istat,
    )
    assert [(c.colonna, c.prima, c.dopo) for c in modificata.cambi] == [
        ("Popolazione residente", "18047", "18500")
    ]
    assert nuova.riga == 3 and nuova.tipo == "nuova"
    assert ("Nome", "—", "Nuovo") in [(c.colonna, c.prima, c.dopo) for c in nuova.cambi]
    assert Comune.objects.get(pk=valenzano.pk).popolazione == 18_047  # nothing saved yet


def test_a_csv_from_excel_in_windows_1252_with_title_rows_is_read(cast):
    file = csv(
        "Elenco comuni;;;;;;;\n;;;;;;;\n"
        "Codice ISTAT;Nome;Regione;Provincia;Sigla provincia;Popolazione;Codice catastale;Ambito\n"
        "072993;Città Nuova;16;Bari;BA;1500;;BA01\n"
        "Totale;;;;;1500;;\n",
        codifica="cp1252",
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=True)
    assert anteprima.errori == [] and anteprima.saltate[0][0] == 5
    assert Comune.objects.get(codice_istat="072993").nome == "Città Nuova"


def test_whole_numbers_are_read_the_italian_way_and_a_fraction_is_refused(cast):
    file = csv(
        ";".join(COLONNE_COMUNE) + "\n"
        "072992;Grande;16;Bari;BA;1.500;;BA01\n"
        "072991;Mezzo;16;Bari;BA;12,5;;BA01\n"
    )
    anteprima = importa(ComuneResource(), leggi_foglio(file), conferma=False)
    assert anteprima.errori == [
        (3, "popolazione: Valore «12,5» non valido: indicare un numero intero.")
    ]
    buona = csv(";".join(COLONNE_COMUNE) + "\n072992;Grande;16;Bari;BA;1.500;;BA01\n")
    importa(ComuneResource(), leggi_foglio(buona), conferma=True)
    assert Comune.objects.get(codice_istat="072992").popolazione == 1500


def test_an_error_names_the_column_as_the_files_header_writes_it(cast):
    file = csv("E-mail;Nome;Cognome;Attivo;Ruoli\nforse@example.org;F;S;forse;\n")
    anteprima = importa(UserResource(), leggi_foglio(file), conferma=False)
    assert anteprima.errori == [
        (
            2,
            "Attivo: Valore «forse» non valido: scrivere sì o no. Ammessi anche vero/falso, x, 1/0.",
        )
    ]
