"""The admin's imports never move data across Regions: preview, then confirmation, from the admin."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pianizona.importazioni.resources import UserResource
from pianizona.models import Ambito, Comune, Membership, User

from ...factories import AmbitoFactory

AMBITI = "codice,nome,regione,comune_capofila,forma_associativa\n"
COMUNI = "codice_istat,nome,regione,provincia,sigla_provincia,codice_catastale,popolazione,ambito\n"
UTENTI = "email,first_name,last_name,is_active,ruoli\n"


def _anteprima(client, modello: str, csv: str):
    url = reverse(f"admin:pianizona_{modello}_import")
    pagina = client.get(url).content.decode()
    formato = next(
        v for v, e in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', pagina) if e == "csv"
    )
    file = SimpleUploadedFile(f"{modello}.csv", csv.encode(), content_type="text/csv")
    risposta = client.post(url, {"resource": "0", "format": formato, "import_file": file})
    assert risposta.status_code == 200
    return risposta


def _conferma(client, modello: str, anteprima):
    campi = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', anteprima.content.decode())
    )
    assert "import_file_name" in campi, "l'anteprima non offre la conferma"
    campi.pop("csrfmiddlewaretoken", None)
    return client.post(reverse(f"admin:pianizona_{modello}_process_import"), campi)


def _testo(risposta) -> str:
    return html.unescape(risposta.content.decode())


def _righe_rifiutate(risposta) -> list[tuple[int, list]]:
    return [(r.number, list(r.values)) for r in risposta.context["result"].invalid_rows]


def _bari_resta_in_puglia(cast) -> None:
    bari = Ambito.objects.get(pk=cast.ambito_a.pk)
    assert (bari.regione, bari.nome, bari.comune_capofila.nome) == (
        cast.regione,
        "Ambito di Bari",
        "Bari",
    )
    assert set(bari.comuni.values_list("nome", "regione__nome")) == {
        ("Bari", "Puglia"),
        ("Valenzano", "Puglia"),
    }
    assert set(bari.piani.values_list("ciclo__regione__nome", flat=True)) == {"Puglia"}


# --- Ambiti -------------------------------------------------------------------------------------


def test_an_ambito_code_of_puglia_imported_for_emilia_romagna_is_a_new_ambito_there(
    cast, emilia, client_for
):
    client = client_for("admin")
    anteprima = _anteprima(client, "ambito", AMBITI + "BA01,Distretto di Bazzano,08,,convenzione\n")
    assert [r.import_type for r in anteprima.context["result"].rows] == ["new"]
    assert _conferma(client, "ambito", anteprima).status_code == 302
    assert Ambito.objects.get(regione=emilia.regione, codice="BA01").nome == "Distretto di Bazzano"
    _bari_resta_in_puglia(cast)


def test_an_imported_ambito_with_a_capofila_of_another_region_is_refused(cast, emilia, client_for):
    bari = Comune.objects.get(nome="Bari")
    csv = AMBITI + f"BA01,Ambito di Bari,08,{bari.codice_istat},convenzione\n"
    anteprima = _anteprima(client_for("admin"), "ambito", csv)
    assert (
        "Il comune capofila Bari è della regione Puglia: deve appartenere alla regione "
        "dell'ambito BA01." in _testo(anteprima)
    )
    assert "import_file_name" not in anteprima.content.decode()  # no confirmation offered
    assert [valori[:3] for _, valori in _righe_rifiutate(anteprima)] == [
        ["BA01", "Ambito di Bari", "08"]
    ]
    assert not Ambito.objects.filter(regione=emilia.regione, codice="BA01").exists()
    _bari_resta_in_puglia(cast)


def test_reimporting_the_ambiti_export_updates_each_in_its_own_region(cast, emilia, client_for):
    AmbitoFactory(regione=emilia.regione, codice="BA01", nome="Distretto di Bazzano")
    client = client_for("admin")
    csv = AMBITI + "BA01,Distretto di Bazzano e Valsamoggia,08,,convenzione\n"
    _conferma(client, "ambito", _anteprima(client, "ambito", csv))
    assert set(Ambito.objects.filter(codice="BA01").values_list("regione__nome", "nome")) == {
        ("Puglia", "Ambito di Bari"),
        ("Emilia-Romagna", "Distretto di Bazzano e Valsamoggia"),
    }


# --- Comuni -------------------------------------------------------------------------------------


def _riga_comune(comune: Comune, **modifiche) -> str:
    valori = {
        "codice_istat": comune.codice_istat,
        "nome": comune.nome,
        "regione": comune.regione.codice_istat,
        "provincia": comune.provincia,
        "sigla_provincia": comune.sigla_provincia,
        "codice_catastale": comune.codice_catastale,
        "popolazione": comune.popolazione,
        "ambito": comune.ambito.codice,
    } | modifiche
    return ",".join(str(v) for v in valori.values()) + "\n"


def test_an_imported_municipality_in_an_ambito_of_another_region_is_refused(
    cast, emilia, client_for
):
    bari = Comune.objects.get(nome="Bari")
    anteprima = _anteprima(
        client_for("admin"), "comune", COMUNI + _riga_comune(bari, ambito="BO01")
    )
    assert (
        "Il comune Bari non può entrare nell'ambito BO01 (Distretto Città di Bologna): l'ambito "
        "è della regione Emilia-Romagna, il comune della regione Puglia. Un comune appartiene "
        "solo a un ambito della sua regione." in _testo(anteprima)
    )
    assert "import_file_name" not in anteprima.content.decode()
    assert [valori[1] for _, valori in _righe_rifiutate(anteprima)] == ["Bari"]
    assert not emilia.ambito.comuni.filter(nome="Bari").exists()
    _bari_resta_in_puglia(cast)


def test_an_imported_municipality_of_an_ambito_never_changes_region(cast, emilia, client_for):
    bari = Comune.objects.get(nome="Bari")
    csv = COMUNI + _riga_comune(bari, regione="08", ambito="BO01")
    anteprima = _anteprima(client_for("admin"), "comune", csv)
    assert (
        "Il comune Bari fa parte dell'ambito BA01 (Ambito di Bari): non può passare a un'altra "
        "regione." in _testo(anteprima)
    )
    _bari_resta_in_puglia(cast)


def test_a_municipality_s_ambito_code_is_read_in_the_municipality_s_region(
    cast, emilia, client_for
):
    bazzano = AmbitoFactory(regione=emilia.regione, codice="BA01", nome="Distretto di Bazzano")
    client = client_for("admin")
    anteprima = _anteprima(client, "comune", COMUNI + _riga_comune(emilia.bologna, ambito="BA01"))
    assert _conferma(client, "comune", anteprima).status_code == 302
    assert Comune.objects.get(nome="Bologna").ambito == bazzano
    _bari_resta_in_puglia(cast)


# --- Utenti -------------------------------------------------------------------------------------


def test_a_role_in_an_ambito_code_used_by_two_regions_must_name_the_region(
    cast, emilia, client_for
):
    AmbitoFactory(regione=emilia.regione, codice="BA01", nome="Distretto di Bazzano")
    client = client_for("admin")
    anteprima = _anteprima(client, "user", UTENTI + "nuova@example.org,N,N,1,operatore@BA01\n")
    assert (
        "Il codice d'ambito «BA01» esiste in più regioni (R08 (Emilia-Romagna), R16 (Puglia)): "
        "indicare anche la regione, ad esempio R08/BA01." in _testo(anteprima)
    )
    assert [valori[0] for _, valori in _righe_rifiutate(anteprima)] == ["nuova@example.org"]
    assert not User.objects.filter(email="nuova@example.org").exists()

    csv = UTENTI + "nuova@example.org,N,N,1,operatore@R16/BA01\n"
    assert _conferma(client, "user", _anteprima(client, "user", csv)).status_code == 302
    assert Membership.objects.get(user__email="nuova@example.org").ambito == cast.ambito_a


def test_a_code_that_became_ambiguous_after_the_preview_is_refused_at_confirmation(
    cast, emilia, client_for
):
    client = client_for("admin")
    anteprima = _anteprima(client, "user", UTENTI + "nuova@example.org,N,N,1,operatore@BA01\n")
    AmbitoFactory(regione=emilia.regione, codice="BA01", nome="Distretto di Bazzano")
    conferma = _conferma(client, "user", anteprima)
    assert conferma.status_code == 200
    assert "<title>Importare" in conferma.content.decode()
    assert "Il codice d'ambito «BA01» esiste in più regioni" in _testo(conferma)
    assert not User.objects.filter(email="nuova@example.org").exists()


def test_the_users_export_writes_each_ambito_with_its_region(cast, emilia):
    dati = UserResource().export().dict
    ruoli = {r["E-mail"]: r["Ruoli"] for r in dati}  # the headers an administrator reads
    assert ruoli["operatore.a@example.org"] == "operatore@R16/BA01"
    assert ruoli["funzionario.er@example.org"] == "funzionario@R08"
