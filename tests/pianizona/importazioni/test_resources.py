import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.importazioni.resources import AmbitoResource, ComuneResource, UserResource
from pianizona.models import Ambito, Comune, Membership, User
from tests.factories import AmbitoFactory, ComuneFactory


def _dataset(righe: list[list], intestazioni: list[str]) -> tablib.Dataset:
    return tablib.Dataset(*righe, headers=intestazioni)


def _errori(result) -> dict[int, str]:
    """Row number (as in the spreadsheet, header = 1) → message."""
    errori = {}
    for riga in result.invalid_rows:
        errori[riga.number] = " ".join(
            str(m) for messaggi in riga.error_dict.values() for m in messaggi
        )
    for numero, righe in result.row_errors():
        errori[numero] = " ".join(str(e.error) for e in righe)
    return errori


def test_users_are_imported_with_their_roles(cast):
    dati = _dataset(
        [
            ["nuova@example.org", "Nadia", "Nuova", "1", "operatore@BA01; responsabile@BA02"],
            ["regionale@example.org", "Remo", "Regionale", "1", "funzionario@R16"],
        ],
        ["email", "first_name", "last_name", "is_active", "ruoli"],
    )
    result = UserResource().import_data(dati, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    nuova = User.objects.get(email="nuova@example.org")
    assert {(m.ruolo, m.ambito.codice) for m in nuova.memberships.all()} == {
        ("operatore", "BA01"),
        ("responsabile", "BA02"),
    }
    assert Membership.objects.get(user__email="regionale@example.org").regione == cast.regione


def test_a_dry_run_reports_every_bad_row_with_its_line_and_saves_nothing(cast):
    dati = _dataset(
        [
            ["buona@example.org", "B", "B", "1", "operatore@BA01"],
            ["ruolo@example.org", "R", "R", "1", "direttore@BA01"],
            ["ambito@example.org", "A", "A", "1", "operatore@ZZ99"],
            ["non-una-email", "E", "E", "1", ""],
        ],
        ["email", "first_name", "last_name", "is_active", "ruoli"],
    )
    utenti_prima = User.objects.count()
    result = UserResource().import_data(dati, dry_run=True)
    errori = _errori(result)
    assert set(errori) == {3, 4, 5}
    assert "Ruolo «direttore» sconosciuto" in errori[3]
    assert "Ambito «ZZ99» inesistente" in errori[4]
    assert "indirizzo e-mail valido" in errori[5]
    assert User.objects.count() == utenti_prima


def test_municipalities_are_moved_between_ambiti_by_code(cast):
    comune = Comune.objects.get(nome="Valenzano")
    dati = ComuneResource().export()
    riga = next(i for i, r in enumerate(dati.dict) if r["codice_istat"] == comune.codice_istat)
    dati[riga] = tuple(
        "BA02" if h == "ambito" else v for h, v in zip(dati.headers, dati[riga], strict=True)
    )
    result = ComuneResource().import_data(dati, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    comune.refresh_from_db()
    assert comune.ambito == cast.ambito_b


def test_a_suppressed_municipality_or_another_regions_ambito_is_a_row_error(cast):
    altrove = AmbitoFactory(codice="ER01")
    soppresso = ComuneFactory(ambito=None, regione=cast.regione, nome="Vecchio", soppresso=True)
    valenzano = Comune.objects.get(nome="Valenzano")
    dati = _dataset(
        [
            [soppresso.codice_istat, "Vecchio", "16", "Bari", "BA", "", "0", "BA01"],
            [valenzano.codice_istat, "Valenzano", "16", "Bari", "BA", "", "18047", "ER01"],
        ],
        ComuneResource.Meta.fields,
    )
    errori = _errori(ComuneResource().import_data(dati, dry_run=True))
    assert "Il comune Vecchio è soppresso: non può entrare in un ambito." in errori[2]
    assert "Il comune Valenzano non può entrare nell'ambito ER01" in errori[3]
    valenzano.refresh_from_db()
    assert valenzano.ambito == cast.ambito_a and altrove.comuni.count() == 0


def test_an_unknown_region_or_capofila_is_a_row_error(cast):
    dati = _dataset(
        [
            ["BA09", "Ambito nuovo", "99", "", "convenzione"],
            ["BA10", "Altro", "16", "999999", "convenzione"],
        ],
        ["codice", "nome", "regione", "comune_capofila", "forma_associativa"],
    )
    errori = _errori(AmbitoResource().import_data(dati, dry_run=True))
    assert "Regione con codice ISTAT «99» inesistente" in errori[2]
    assert "Comune con codice ISTAT «999999» inesistente" in errori[3]
    assert not Ambito.objects.filter(codice__in=["BA09", "BA10"]).exists()


def test_the_admin_import_previews_before_saving(cast, client_for):
    client = client_for("admin")
    csv = "email,first_name,last_name,is_active,ruoli\nanteprima@example.org,A,P,1,operatore@BA01\n"
    response = client.post(
        reverse("admin:pianizona_user_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("utenti.csv", csv.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert "anteprima@example.org" in response.content.decode()
    assert not User.objects.filter(email="anteprima@example.org").exists()
