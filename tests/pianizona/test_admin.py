from django.urls import reverse

from pianizona.models import Ambito, Comune, Membership, Piano, User

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


def test_the_users_export_names_its_columns_in_italian_and_reads_back(cast, client_for):
    import tablib

    from pianizona.importazioni.resources import UserResource

    client = client_for("admin")
    url = reverse("admin:pianizona_user_export")
    pagina = client.get(url).content.decode()
    assert ">Nome</label>" in pagina and ">Cognome</label>" in pagina
    assert "First Name" not in pagina and "Is Active" not in pagina

    campi = ("email", "first_name", "last_name", "is_active", "ruoli")
    risposta = client.post(
        url,
        {
            "format": _formato(pagina, "xlsx"),
            "resource": "0",
            **{f"userresource_{c}": "on" for c in campi},
        },
    )
    assert "utenti-" in risposta["Content-Disposition"]
    foglio = tablib.Dataset().load(risposta.content, format="xlsx")
    assert foglio.headers == ["E-mail", "Nome", "Cognome", "Attivo", "Ruoli"]
    # The file as exported goes back in unchanged: the import reads the Italian headers.
    esito = UserResource().import_data(foglio, dry_run=True)
    assert not esito.has_errors() and not esito.has_validation_errors()
    assert {r.import_type for r in esito.rows} == {"update"}  # every user found by address
    assert len(esito.rows) == User.objects.count()


def test_the_user_form_names_permissions_and_warnings_in_italian(cast, client_for):
    client = client_for("admin")
    modifica = client.get(reverse("admin:pianizona_user_change", args=[cast.operatore_b.pk]))
    testo = modifica.content.decode()
    assert "Può aggiungere indirizzi email" in testo and "Può modificare utenti" in testo
    assert "Can add" not in testo and "Can change" not in testo

    password = client.get(reverse("admin:auth_user_password_change", args=[cast.operatore_b.pk]))
    testo = password.content.decode()
    assert "la password attuale dell'utente va persa" in testo
    assert "If disabled" not in testo
    assert "Inserire una nuova password per l'utente" in testo


def test_the_user_list_speaks_impersonally(cast, client_for):
    testo = client_for("admin").get(reverse("admin:pianizona_user_changelist")).content.decode()
    assert "Selezionare utente da modificare" in testo and "Scegli" not in testo
    assert 'alt="Cerca"' in testo and 'alt="Search"' not in testo


# --- Data never crosses Regions -----------------------------------------------------------------


def _dati_ambito(ambito: Ambito, **modifiche) -> dict:
    comuni = list(ambito.comuni.order_by("nome"))
    dati = {
        "codice": ambito.codice,
        "nome": ambito.nome,
        "regione": ambito.regione_id,
        "comune_capofila": ambito.comune_capofila_id or "",
        "forma_associativa": ambito.forma_associativa,
        "comuni-TOTAL_FORMS": str(len(comuni)),
        "comuni-INITIAL_FORMS": str(len(comuni)),
        "comuni-MIN_NUM_FORMS": "0",
        "comuni-MAX_NUM_FORMS": "1000",
    }
    for i, comune in enumerate(comuni):
        dati |= {f"comuni-{i}-id": comune.pk, f"comuni-{i}-ambito": ambito.pk}
    return dati | modifiche


def _bari_resta_in_puglia(cast) -> None:
    bari = Ambito.objects.get(pk=cast.ambito_a.pk)
    assert bari.regione == cast.regione
    assert set(bari.comuni.values_list("nome", "regione__nome")) == {
        ("Bari", "Puglia"),
        ("Valenzano", "Puglia"),
    }
    assert set(bari.piani.values_list("ciclo__regione__nome", flat=True)) == {"Puglia"}


def test_the_admin_refuses_to_move_an_ambito_to_another_region(cast, emilia, client_for):
    url = reverse("admin:pianizona_ambito_change", args=[cast.ambito_a.pk])
    response = client_for("admin").post(url, _dati_ambito(cast.ambito_a, regione=emilia.regione.pk))
    assert response.status_code == 200
    assert (
        "L&#x27;ambito BA01 non può passare a un&#x27;altra regione: i suoi piani, comuni e "
        "utenti restano nella regione in cui è nato." in response.content.decode()
    )
    _bari_resta_in_puglia(cast)


def test_the_admin_still_edits_an_ambito_within_its_region(cast, client_for):
    url = reverse("admin:pianizona_ambito_change", args=[cast.ambito_a.pk])
    response = client_for("admin").post(
        url, _dati_ambito(cast.ambito_a, nome="Ambito di Bari città")
    )
    assert response.status_code == 302
    assert Ambito.objects.get(pk=cast.ambito_a.pk).nome == "Ambito di Bari città"


def test_the_admin_accepts_an_ambito_code_already_used_in_another_region(cast, emilia, client_for):
    response = client_for("admin").post(
        reverse("admin:pianizona_ambito_add"),
        {
            "codice": "BA01",
            "nome": "Distretto di Bazzano",
            "regione": emilia.regione.pk,
            "comune_capofila": "",
            "forma_associativa": "convenzione",
            "comuni-TOTAL_FORMS": "0",
            "comuni-INITIAL_FORMS": "0",
            "comuni-MIN_NUM_FORMS": "0",
            "comuni-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    assert Ambito.objects.get(regione=emilia.regione, codice="BA01").nome == "Distretto di Bazzano"
    _bari_resta_in_puglia(cast)


def test_the_admin_refuses_a_municipality_in_an_ambito_of_another_region(cast, emilia, client_for):
    bari = Comune.objects.get(nome="Bari")
    response = client_for("admin").post(
        reverse("admin:pianizona_comune_change", args=[bari.pk]),
        {
            "codice_istat": bari.codice_istat,
            "nome": bari.nome,
            "regione": bari.regione_id,
            "provincia": bari.provincia,
            "sigla_provincia": bari.sigla_provincia,
            "codice_catastale": bari.codice_catastale,
            "popolazione": bari.popolazione,
            "ambito": emilia.ambito.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "Il comune Bari non può entrare nell&#x27;ambito BO01 (Distretto Città di Bologna): "
        "l&#x27;ambito è della regione Emilia-Romagna, il comune della regione Puglia."
        in response.content.decode()
    )
    _bari_resta_in_puglia(cast)
    # Bologna's district keeps its own population, the one its share of the funds follows.
    elenco = client_for("admin").get(
        reverse("admin:pianizona_ambito_changelist"), {"regione__id__exact": emilia.regione.pk}
    )
    assert elenco.context["cl"].result_list.get()._popolazione == 371_337


def test_the_admin_refuses_a_plan_in_a_cycle_of_another_region(cast, emilia, client_for):
    piani_prima = Piano.objects.count()
    response = client_for("admin").post(
        reverse("admin:pianizona_piano_add"),
        {"ambito": cast.ambito_a.pk, "ciclo": emilia.ciclo.pk, "tipo": "triennale", "anno": ""},
    )
    assert response.status_code == 200
    assert (
        "Il ciclo «Piano sociale 2025–2027» è della regione Emilia-Romagna, l&#x27;ambito BA01 "
        "(Ambito di Bari) della regione Puglia: un piano sta solo in un ciclo della regione del "
        "suo ambito." in response.content.decode()
    )
    assert Piano.objects.count() == piani_prima
    _bari_resta_in_puglia(cast)


def test_the_user_list_filtered_by_region_includes_its_officers(cast, emilia, client_for):
    url = reverse("admin:pianizona_user_changelist")
    client = client_for("admin")
    puglia = client.get(url, {"regione": cast.regione.pk}).content.decode()
    assert "funzionario@example.org" in puglia
    assert "operatore.a@example.org" in puglia
    assert "funzionario.er@example.org" not in puglia
    emilia_romagna = client.get(url, {"regione": emilia.regione.pk}).content.decode()
    assert "funzionario.er@example.org" in emilia_romagna
    assert "funzionario@example.org" not in emilia_romagna


def test_the_user_list_filtered_by_region_runs_a_constant_number_of_queries(
    cast, emilia, client_for
):
    client = client_for("admin")
    url = reverse("admin:pianizona_user_changelist") + f"?regione={emilia.regione.pk}"
    MembershipFactory(ambito=emilia.ambito, user__email="distretto@example.org")
    prima = query_count(client, url)
    for i in range(5):
        MembershipFactory(
            user__email=f"regionale{i}@example.org",
            ruolo="funzionario",
            ambito=None,
            regione=emilia.regione,
        )
        MembershipFactory(ambito=emilia.ambito, user__email=f"distretto{i}@example.org")
    assert query_count(client, url) == prima
    assert "regionale4@example.org" in client.get(url).content.decode()


def test_the_admin_lists_only_suppressed_municipalities_when_asked(cast, client_for):
    ComuneFactory(ambito=None, regione=cast.regione, nome="Borgo Soppresso", soppresso=True)
    url = reverse("admin:pianizona_comune_changelist")
    html = client_for("admin").get(url, {"soppresso__exact": "1"}).content.decode()
    assert "Borgo Soppresso" in html and "Valenzano" not in html
