from django.urls import reverse

from pianizona.models import Membership

from ..conftest import query_count
from ..factories import ComuneFactory, MembershipFactory


def _dati_utente(user, **ruolo) -> dict:
    dati = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-ruolo": ruolo.get("ruolo", ""),
        "memberships-0-ambito": ruolo.get("ambito", ""),
        "memberships-0-regione": ruolo.get("regione", ""),
    }
    return dati


def test_the_admin_gives_a_user_a_role_in_an_ambito(cast, client_for):
    user = cast.operatore_b
    url = reverse("admin:pianizona_user_change", args=[user.pk])
    Membership.objects.filter(user=user).delete()
    response = client_for("admin").post(
        url, _dati_utente(user, ruolo="responsabile", ambito=cast.ambito_a.pk)
    )
    assert response.status_code == 302
    assert user.memberships.get().ambito == cast.ambito_a


def test_a_district_role_without_an_ambito_is_refused_with_a_field_message(cast, client_for):
    user = cast.operatore_b
    Membership.objects.filter(user=user).delete()
    url = reverse("admin:pianizona_user_change", args=[user.pk])
    response = client_for("admin").post(
        url, _dati_utente(user, ruolo="operatore", regione=cast.regione.pk)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indicare l&#x27;ambito in cui l&#x27;utente opera." in html
    assert "Per operatori e responsabili la regione non va indicata." in html
    assert not user.memberships.exists()


def test_the_user_list_shows_roles_in_a_constant_number_of_queries(cast, client_for):
    client = client_for("admin")
    url = reverse("admin:pianizona_user_changelist")
    prima = query_count(client, url)
    for i in range(10):
        MembershipFactory(ambito=cast.ambito_b, user__email=f"altro{i}@example.org")
    assert query_count(client, url) == prima
    assert "Ambito di Bari" in client.get(url).content.decode()


def test_an_unreadable_import_file_is_explained_without_a_python_traceback(cast, client_for):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("admin")
    url = reverse("admin:pianizona_user_import")
    pagina = client.get(url).content.decode()
    csv = next(
        v for v, e in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', pagina) if e == "csv"
    )
    risposta = client.post(
        url,
        {"import_file": SimpleUploadedFile("u.csv", b"   \n  \n"), "format": csv, "resource": "0"},
    )
    testo = risposta.content.decode()
    assert "Il file non può essere importato" in testo
    assert "Traceback" not in testo and "site-packages" not in testo


def _formato(pagina: str, nome: str) -> str:
    import re

    return next(
        v for v, e in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', pagina) if e == nome
    )


def test_the_admin_import_speaks_italian_where_django_import_export_does_not(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("admin")
    url = reverse("admin:pianizona_comune_import")
    pagina = client.get(url).content.decode()

    non_excel = client.post(
        url,
        {
            "import_file": SimpleUploadedFile("comuni.xlsx", b"non sono un foglio Excel"),
            "format": _formato(pagina, "xlsx"),
            "resource": "0",
        },
    ).content.decode()
    assert "Il file non si legge nel formato scelto" in non_excel
    assert "encountered" not in non_excel and "BadZipFile" not in non_excel

    righe_errate = client.post(
        url,
        {
            "import_file": SimpleUploadedFile(
                "comuni.csv", b"codice_istat,nome,regione,ambito\n999999,Nuovo,XX,NESSUNO\n"
            ),
            "format": _formato(pagina, "csv"),
            "resource": "0",
        },
    ).content.decode()
    assert "Alcune righe non sono valide" in righe_errate
    assert "Correggere questi errori nel file" in righe_errate
    assert "Some rows failed" not in righe_errate


def test_the_admin_lists_only_suppressed_municipalities_when_asked(cast, client_for):
    ComuneFactory(ambito=None, regione=cast.regione, nome="Borgo Soppresso", soppresso=True)
    url = reverse("admin:pianizona_comune_changelist")
    html = client_for("admin").get(url, {"soppresso__exact": "1"}).content.decode()
    assert "Borgo Soppresso" in html and "Valenzano" not in html
