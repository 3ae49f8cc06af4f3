"""The admin's imports (django-import-export) read files with the same reader as every page."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.models import Comune, User

from ...fogli import xlsx


def _formato(pagina: str, nome: str) -> str:
    return next(
        v for v, e in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', pagina) if e == nome
    )


def _carica(client, modello: str, file, formato: str) -> str:
    url = reverse(f"admin:pianizona_{modello}_import")
    pagina = client.get(url).content.decode()
    risposta = client.post(
        url, {"import_file": file, "format": _formato(pagina, formato), "resource": "0"}
    )
    assert risposta.status_code == 200
    return risposta.content.decode()


def _conferma(client, modello: str, html: str) -> None:
    campi = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    client.post(reverse(f"admin:pianizona_{modello}_process_import"), campi)


def test_the_admin_user_import_reads_si_as_active_below_a_title_row(cast, client_for):
    client = client_for("admin")
    file = xlsx(
        [
            ["Utenti dell'Ufficio di Piano"],
            ["E-mail", "Nome", "Cognome", "Attivo", "Ruoli"],
            ["nuova@example.org", "Anna", "Rossi", "sì", "operatore@BA01"],
            [None, None, None, None, None],
            ["Totale", None, None, None, None],
        ],
        "utenti.xlsx",
    )
    html = _carica(client, "user", file, "xlsx")
    # The preview speaks Italian: our labels, not the model's attribute names.
    for etichetta in ("E-mail", "Nome", "Cognome", "Attivo", "Ruoli"):
        assert f"<th>{etichetta}</th>" in html
    assert "is_active" not in html and "ruoli_import" not in html
    assert "Riga 5: «Totale»: riga dei totali, non importata" in html
    _conferma(client, "user", html)
    nuova = User.objects.get(email="nuova@example.org")
    assert nuova.is_active
    assert [str(m.ambito.codice) for m in nuova.memberships.all()] == ["BA01"]


def test_the_admin_names_a_bad_rows_spreadsheet_row_and_saves_nothing(cast, client_for):
    client = client_for("admin")
    testo = (
        "Utenti;;;;\n;;;;\n"
        "email;first_name;last_name;is_active;ruoli\n"
        "buona@example.org;B;B;sì;operatore@BA01\n"
        "cattiva@example.org;C;C;forse;operatore@BA01\n"
    )
    html = _carica(client, "user", SimpleUploadedFile("u.csv", testo.encode()), "csv")
    righe = re.findall(r"<tr>\s*<td>(\d+) </td>", html)
    assert righe == ["5"]  # two title rows, the header on row 3: the bad row is Excel's row 5
    assert "Valore «forse» non valido: scrivere sì o no." in html
    assert "None" not in html.split("<h2>")[-1]
    assert not User.objects.filter(email__in=["buona@example.org", "cattiva@example.org"]).exists()


def test_the_admin_municipality_import_pads_istat_codes_excel_made_numbers(cast, client_for):
    client = client_for("admin")
    file = xlsx(
        [
            ["Comuni"],
            [
                "Codice ISTAT",
                "Nome",
                "Regione",
                "Provincia",
                "Sigla provincia",
                "Codice catastale",
                "Popolazione",
                "Ambito",
            ],
            [72004, "Acquaviva delle Fonti", 16, "Bari", "BA", "A048", 21000, "BA01"],
        ],
        "comuni.xlsx",
    )
    html = _carica(client, "comune", file, "xlsx")
    _conferma(client, "comune", html)
    assert Comune.objects.get(codice_istat="072004").nome == "Acquaviva delle Fonti"


def test_the_invitation_names_the_inactive_users_it_leaves_out(cast, client_for, mailoutbox):
    inattivo = User.objects.create(email="inattivo@example.org", is_active=False)
    client = client_for("admin")
    risposta = client.post(
        reverse("admin:pianizona_user_changelist"),
        {"action": "invia_invito", "_selected_action": [cast.operatore_a.pk, inattivo.pk]},
        follow=True,
    )
    html = risposta.content.decode()
    assert "Inviti in invio a 1 utente." in html
    assert "Nessun invito agli utenti non attivi: inattivo@example.org." in html


def test_the_admin_ambito_import_reads_codes_excel_made_numbers_below_a_title(cast, client_for):
    from pianizona.models import Ambito

    from ...factories import ComuneFactory, RegioneFactory

    emilia = RegioneFactory(codice_istat="08", nome="Emilia-Romagna")
    ComuneFactory(codice_istat="037006", nome="Bologna", ambito=None, regione=emilia)
    client = client_for("admin")
    file = xlsx(
        [
            ["Distretti dell'Emilia-Romagna"],
            ["Codice ambito", "Nome", "Regione", "Comune capofila", "Forma associativa"],
            ["ER01", "Distretto Città di Bologna", 8, 37006, "convenzione"],
            ["TOTALE", None, None, None, None],
        ],
        "distretti.xlsx",
    )
    html = _carica(client, "ambito", file, "xlsx")
    assert "<th>Codice ambito</th>" in html and "<th>Comune capofila</th>" in html
    _conferma(client, "ambito", html)
    distretto = Ambito.objects.get(codice="ER01")
    assert distretto.regione == emilia and distretto.comune_capofila.nome == "Bologna"
