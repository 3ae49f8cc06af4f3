"""The Region's catalogue of interventions: list and filters, entries, deletion, spreadsheets."""

import io
from unittest import mock

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.urls import reverse

from pianizona.models import (
    AreaInterventoFnps,
    AreaUtenzaIstat,
    MacroLivello,
    ObiettivoServizio,
    PrestazioneSiuss,
    Ruolo,
)
from programmazione import services_catalogo
from programmazione.models import SchedaIntervento, VoceCatalogo

from ..factories import (
    AmbitoFactory,
    CicloFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COLONNE = [
    "codice",
    "nome",
    "obiettivo_servizio",
    "area_intervento",
    "area_utenza",
    "leps",
    "sezioni",
    "prestazione_siuss",
    "descrizione",
]


@pytest.fixture
def griglia(db) -> dict:
    """A slice of the national code lists: two macro-levels, three areas, three user areas."""
    accesso = MacroLivello.objects.get_or_create(
        codice=1, defaults={"nome": "Servizi per l'accesso e la presa in carico"}
    )[0]
    domicilio = MacroLivello.objects.get_or_create(
        codice=2, defaults={"nome": "Servizi e misure per favorire la permanenza a domicilio"}
    )[0]
    dati = {
        "1.1": ObiettivoServizio.objects.get_or_create(
            codice="1.1", defaults={"nome": "Accesso", "macro_livello": accesso}
        )[0],
        "2.1": ObiettivoServizio.objects.get_or_create(
            codice="2.1", defaults={"nome": "Assistenza domiciliare", "macro_livello": domicilio}
        )[0],
        "A2.07": PrestazioneSiuss.objects.get_or_create(
            codice="A2.07", defaults={"nome": "Assistenza domiciliare socio-assistenziale"}
        )[0],
    }
    for codice, nome in [(1, "Infanzia e famiglie"), (2, "Disabilità"), (3, "Povertà")]:
        dati[codice] = AreaInterventoFnps.objects.get_or_create(
            codice=codice, defaults={"nome": nome}
        )[0]
    for codice, nome in [("FAM", "Famiglia e minori"), ("ELD", "Anziani"), ("POV", "Povertà")]:
        dati[codice] = AreaUtenzaIstat.objects.get_or_create(
            codice=codice, defaults={"nome": nome}
        )[0]
    return dati


def _voce(ciclo, griglia, codice="A.1.01", nome="Segretariato sociale", **extra) -> VoceCatalogo:
    valori = {
        "obiettivo_servizio": griglia["1.1"],
        "area_intervento": griglia[3],
        "area_utenza": griglia["POV"],
        **extra,
    }
    return VoceCatalogo.objects.create(ciclo=ciclo, codice=codice, nome=nome, **valori)


def _scheda(piano, voce, numero=1, sezione="ambito") -> SchedaIntervento:
    return SchedaIntervento.objects.create(
        piano=piano, sezione=sezione, voce=voce, numero=numero, titolo=voce.nome, gestione="diretta"
    )


def _url(nome: str, ciclo, *args) -> str:
    return reverse(f"programmazione:{nome}", args=[ciclo.pk, *args])


def _dati(griglia, **extra) -> dict:
    return {
        "codice": "B.1.01",
        "nome": "Servizio di assistenza domiciliare (SAD)",
        "obiettivo_servizio": griglia["2.1"].pk,
        "area_intervento": griglia[2].pk,
        "area_utenza": griglia["ELD"].pk,
        "leps": "on",
        "sezioni": ["ambito", "comunale"],
        "prestazione_siuss": griglia["A2.07"].pk,
        "descrizione": "Aiuto alla persona e nella cura della casa.",
        **extra,
    }


def _file(righe: list[list], nome="catalogo.xlsx") -> SimpleUploadedFile:
    contenuto = tablib.Dataset(*righe, headers=COLONNE).export("xlsx")
    return SimpleUploadedFile(nome, contenuto, content_type="application/octet-stream")


# --- The list ----------------------------------------------------------------------------------


def test_the_catalogue_shows_each_entry_on_the_fnps_grid_with_the_sheets_using_it(
    cast, griglia, client_for
):
    ciclo = cast.piano_a.ciclo
    sad = _voce(
        ciclo,
        griglia,
        "B.1.01",
        "Assistenza domiciliare",
        obiettivo_servizio=griglia["2.1"],
        area_intervento=griglia[2],
        area_utenza=griglia["ELD"],
        leps=True,
        in_altre_risorse=False,
        prestazione_siuss=griglia["A2.07"],
    )
    _scheda(cast.piano_a, sad, 1)
    _scheda(cast.piano_b, sad, 1)
    html = client_for("funzionario").get(_url("catalogo", ciclo)).content.decode()
    assert "B.1.01" in html and "Assistenza domiciliare" in html
    assert "2.1</span> Assistenza domiciliare<br><small>2. Servizi e misure per favorire" in html
    assert "2. Disabilità" in html and "Anziani" in html
    assert ">A2.07</abbr>" in html
    assert "<li>D'ambito</li><li>Comunale</li></ul>" in html  # not altre risorse
    assert '<td class="num">2</td>' in html
    assert "1 voce nel catalogo del ciclo 2025–2027" in html


def test_the_catalogue_is_filtered_by_section_fnps_area_and_user_area(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    _voce(ciclo, griglia, "A.1.01", "Segretariato sociale")
    _voce(
        ciclo,
        griglia,
        "P.1.01",
        "PNRR P.I.P.P.I.",
        area_intervento=griglia[1],
        area_utenza=griglia["FAM"],
        in_ambito=False,
        in_comunale=False,
    )
    client = client_for("funzionario")
    voci = client.get(_url("catalogo", ciclo), {"sezione": "altre_risorse"}).context["voci"]
    assert [v.codice for v in voci] == ["A.1.01", "P.1.01"]
    voci = client.get(_url("catalogo", ciclo), {"sezione": "comunale"}).context["voci"]
    assert [v.codice for v in voci] == ["A.1.01"]
    response = client.get(_url("catalogo", ciclo), {"area": "1", "sezione": ""})
    assert [v.codice for v in response.context["voci"]] == ["P.1.01"]
    assert "1 voce su 2 corrisponde ai filtri" in response.content.decode()
    voci = client.get(_url("catalogo", ciclo), {"utenza": "POV"}).context["voci"]
    assert [v.codice for v in voci] == ["A.1.01"]
    html = client.get(_url("catalogo", ciclo), {"area": "9"}).content.decode()
    assert "Area di intervento sconosciuta." in html


# --- Entries -----------------------------------------------------------------------------------


def test_a_new_entry_is_added_with_its_fnps_grid_and_sections(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    client = client_for("funzionario")
    html = client.get(_url("voce_crea", ciclo)).content.decode()
    assert '<optgroup label="2. Servizi e misure per favorire la permanenza a domicilio">' in html
    response = client.post(_url("voce_crea", ciclo), _dati(griglia), follow=True)
    assert "Voce B.1.01 «Servizio di assistenza domiciliare (SAD)» aggiunta al catalogo." in (
        response.content.decode()
    )
    voce = VoceCatalogo.objects.get(ciclo=ciclo, codice="B.1.01")
    assert voce.obiettivo_servizio == griglia["2.1"] and voce.area_intervento == griglia[2]
    assert voce.leps and voce.prestazione_siuss == griglia["A2.07"]
    assert (voce.in_ambito, voce.in_comunale, voce.in_altre_risorse) == (True, True, False)


def test_an_entry_is_edited_and_a_section_taken_from_its_sheets_is_flagged(
    cast, griglia, client_for
):
    ciclo = cast.piano_a.ciclo
    voce = _voce(ciclo, griglia)
    _scheda(cast.piano_a, voce, sezione="comunale")
    dati = _dati(griglia, codice="A.1.01", nome="Segretariato sociale e PUA", sezioni=["ambito"])
    response = client_for("funzionario").post(
        _url("voce_modifica", ciclo, voce.pk), dati, follow=True
    )
    html = response.content.decode()
    assert "Voce A.1.01 «Segretariato sociale e PUA» salvata." in html
    assert "1 scheda usa la voce in una sezione ora non ammessa" in html
    voce.refresh_from_db()
    assert voce.nome == "Segretariato sociale e PUA"
    assert (voce.in_ambito, voce.in_comunale, voce.in_altre_risorse) == (True, False, False)


@pytest.mark.parametrize(
    ("campo", "valore", "messaggio"),
    [
        ("codice", "", "Indicare il codice della voce."),
        ("codice", "X" * 21, "Il codice può avere al massimo 20 caratteri."),
        ("nome", "", "Indicare il nome dell&#x27;intervento."),
        ("obiettivo_servizio", "", "Scegliere l&#x27;obiettivo di servizio FNPS."),
        ("obiettivo_servizio", "999999", "L&#x27;obiettivo di servizio scelto non esiste."),
        ("area_intervento", "", "Scegliere l&#x27;area di intervento FNPS."),
        ("area_utenza", "", "Scegliere l&#x27;area di utenza ISTAT."),
        ("sezioni", [], "Scegliere almeno una sezione del piano in cui la voce può essere usata."),
        ("sezioni", ["ovunque"], "Sezione sconosciuta."),
    ],
)
def test_a_bad_entry_gets_a_message_beside_its_field_and_nothing_is_saved(
    cast, griglia, client_for, campo, valore, messaggio
):
    ciclo = cast.piano_a.ciclo
    response = client_for("funzionario").post(
        _url("voce_crea", ciclo), _dati(griglia, **{campo: valore})
    )
    assert response.status_code == 200
    assert messaggio in response.context["form"].errors[campo][0].replace("'", "&#x27;")
    assert messaggio in response.content.decode()
    assert not VoceCatalogo.objects.exists()


def test_a_code_already_in_the_cycle_is_refused_beside_the_code(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    _voce(ciclo, griglia, "B.1.01")
    altro = CicloFactory(regione=cast.regione, anno_inizio=2028, anno_fine=2030)
    _voce(altro, griglia, "C.1.01")  # the same code in another cycle is no conflict
    client = client_for("funzionario")
    response = client.post(_url("voce_crea", ciclo), _dati(griglia, codice=" B.1.01 "))
    assert response.context["form"].errors["codice"] == [
        "Esiste già una voce con il codice «B.1.01» nel catalogo del ciclo 2025–2027."
    ]
    assert client.post(_url("voce_crea", ciclo), _dati(griglia, codice="C.1.01")).status_code == 302
    assert VoceCatalogo.objects.filter(ciclo=ciclo).count() == 2


def test_a_code_saved_meanwhile_by_someone_else_is_refused_not_a_crash(cast, griglia):
    ciclo = cast.piano_a.ciclo
    _voce(ciclo, griglia, "B.1.01")
    doppia = VoceCatalogo(
        codice="B.1.01",
        nome="Doppione",
        obiettivo_servizio=griglia["2.1"],
        area_intervento=griglia[2],
        area_utenza=griglia["ELD"],
    )
    with (
        mock.patch.object(QuerySet, "exists", return_value=False),  # the check ran too early
        pytest.raises(services_catalogo.VoceNonValida) as errore,
    ):
        services_catalogo.voce_salva(ciclo=ciclo, voce=doppia)
    assert errore.value.campo == "codice"
    assert VoceCatalogo.objects.filter(ciclo=ciclo).count() == 1


def test_an_entry_of_another_cycle_or_region_is_not_found(cast, griglia, client_for):
    altro = CicloFactory(regione=cast.regione, anno_inizio=2028, anno_fine=2030)
    voce = _voce(altro, griglia)
    client = client_for("funzionario")
    ciclo = cast.piano_a.ciclo
    assert client.get(_url("voce_modifica", ciclo, voce.pk)).status_code == 404
    assert client.post(_url("voce_elimina", ciclo, voce.pk)).status_code == 404
    assert VoceCatalogo.objects.filter(pk=voce.pk).exists()


# --- Deletion ----------------------------------------------------------------------------------


def test_an_unused_entry_is_deleted_after_confirmation(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    voce = _voce(ciclo, griglia)
    client = client_for("funzionario")
    html = client.get(_url("voce_elimina", ciclo, voce.pk)).content.decode()
    assert "Eliminare la voce A.1.01 – Segretariato sociale?" in html
    assert VoceCatalogo.objects.filter(pk=voce.pk).exists()
    response = client.post(_url("voce_elimina", ciclo, voce.pk), follow=True)
    assert "Voce A.1.01 «Segretariato sociale» eliminata dal catalogo." in response.content.decode()
    assert not VoceCatalogo.objects.exists()


def test_an_entry_used_by_sheets_is_not_deleted_and_the_message_says_by_how_many(
    cast, griglia, client_for
):
    ciclo = cast.piano_a.ciclo
    voce = _voce(ciclo, griglia)
    _scheda(cast.piano_a, voce, 1)
    _scheda(cast.piano_a, voce, 2)
    _scheda(cast.piano_b, voce, 1)
    client = client_for("funzionario")
    html = client.get(_url("voce_elimina", ciclo, voce.pk)).content.decode()
    assert "La voce è usata da 3 schede in 2 piani" in html
    response = client.post(_url("voce_elimina", ciclo, voce.pk))
    assert response.status_code == 200
    assert (
        "La voce A.1.01 «Segretariato sociale» è usata da 3 schede dei piani di BA01, BA02: "
        "non si può eliminare finché quelle schede la usano."
    ) in response.content.decode().replace("&#x27;", "'")
    assert VoceCatalogo.objects.filter(pk=voce.pk).exists()


# --- Spreadsheets ------------------------------------------------------------------------------


def test_the_import_preview_lists_every_bad_row_with_its_line_and_saves_nothing(
    cast, griglia, client_for
):
    ciclo = cast.piano_a.ciclo
    file = _file(
        [
            ["A.1.01", "Segretariato sociale", "1.1", 3, "POV", "sì", "ambito; comunale", "", ""],
            ["A.1.02", "Sportello", "9.9", 3, "POV", "no", "ambito", "", ""],
            ["A.1.03", "Sportello", "1.1", 7, "POV", "no", "ambito", "", ""],
            ["A.1.04", "Sportello", "1.1", 3, "XYZ", "no", "ambito", "", ""],
            ["A.1.05", "Sportello", "1.1", 3, "POV", "forse", "ambito", "", ""],
            ["A.1.06", "Sportello", "1.1", 3, "POV", "no", "ovunque", "", ""],
            ["A.1.07", "Sportello", "1.1", 3, "POV", "no", "ambito", "Z0.00", ""],
            ["A.1.08", "", "1.1", 3, "POV", "no", "", "", ""],
            ["A.1.01", "Ancora", "1.1", 3, "POV", "no", "ambito", "", ""],
        ]
    )
    client = client_for("funzionario")
    response = client.post(_url("catalogo_importa", ciclo), {"file": file})
    assert response.status_code == 200
    errori = response.context["anteprima"].errori
    assert sorted({riga for riga, _ in errori}) == [3, 4, 5, 6, 7, 8, 9, 10]
    html = response.content.decode().replace("&#x27;", "'")
    for messaggio in [
        "Obiettivo di servizio «9.9» inesistente.",
        "Area di intervento «7» inesistente.",
        "Area di utenza «XYZ» inesistente.",
        "Valore «forse» non valido: scrivere sì o no.",
        "Sezione «ovunque» sconosciuta: ammesse ambito, comunale, altre_risorse.",
        "Prestazione SIUSS «Z0.00» inesistente.",
        "Indicare almeno una sezione (ambito, comunale, altre_risorse).",
        "nome: Questo campo non può essere vuoto.",
        "Riga ripetuta: stessi valori di codice della riga 2.",
    ]:
        assert messaggio in html
    assert 'value="conferma"' not in html
    assert not VoceCatalogo.objects.exists()
    client.post(_url("catalogo_importa", ciclo), {"azione": "conferma"})
    assert not VoceCatalogo.objects.exists()


def test_a_valid_file_is_previewed_then_imported_on_confirmation(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    _voce(ciclo, griglia, "A.1.01", "Segretariato sociale", in_altre_risorse=False)
    _voce(ciclo, griglia, "Z.1.01", "Fuori dal file")
    file = _file(
        [
            ["A.1.01", "Segretariato sociale", "1.1", 3, "POV", "no", "ambito; comunale", "", ""],
            ["B.1.01", "SAD", 2.1, 2.0, "eld", "Sì", "Ambito, altre risorse", "a2.07", "Cura"],
            ["B.1.02", "ADI", "2,1", "2", "ELD", 1, "comunale", None, None],
        ]
    )
    client = client_for("funzionario")
    url = _url("catalogo_importa", ciclo)
    response = client.post(url, {"file": file})
    anteprima = response.context["anteprima"]
    assert (anteprima.nuove, anteprima.modificate, anteprima.invariate) == (2, 0, 1)
    assert anteprima.errori == []
    assert 'value="conferma"' in response.content.decode()
    assert VoceCatalogo.objects.count() == 2
    response = client.post(url, {"azione": "conferma"}, follow=True)
    assert "Importazione completata. Righe nuove: 2, modificate: 0, invariate: 1." in (
        response.content.decode()
    )
    sad = VoceCatalogo.objects.get(ciclo=ciclo, codice="B.1.01")
    assert sad.obiettivo_servizio == griglia["2.1"] and sad.area_intervento == griglia[2]
    assert sad.area_utenza == griglia["ELD"] and sad.leps
    assert (sad.in_ambito, sad.in_comunale, sad.in_altre_risorse) == (True, False, True)
    assert sad.prestazione_siuss == griglia["A2.07"] and sad.descrizione == "Cura"
    adi = VoceCatalogo.objects.get(ciclo=ciclo, codice="B.1.02")
    assert adi.leps and adi.prestazione_siuss is None and adi.descrizione == ""
    assert VoceCatalogo.objects.get(codice="Z.1.01").nome == "Fuori dal file"  # left alone


def test_the_exported_catalogue_imports_back_as_unchanged(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    _voce(ciclo, griglia, "A.1.01", "Segretariato sociale", leps=True, in_comunale=False)
    _voce(
        ciclo,
        griglia,
        "B.1.01",
        "SAD",
        obiettivo_servizio=griglia["2.1"],
        area_intervento=griglia[2],
        area_utenza=griglia["ELD"],
        prestazione_siuss=griglia["A2.07"],
        descrizione="Aiuto a domicilio",
        in_ambito=False,
        in_altre_risorse=False,
    )
    client = client_for("funzionario")
    response = client.get(_url("catalogo_esporta", ciclo))
    assert response["Content-Disposition"] == 'attachment; filename="catalogo-2025-2027.xlsx"'
    esportato = tablib.Dataset().load(io.BytesIO(response.content).read(), format="xlsx")
    assert esportato.headers == COLONNE
    assert esportato[1] == (
        "B.1.01",
        "SAD",
        "2.1",
        2,
        "ELD",
        "no",
        "comunale",
        "A2.07",
        "Aiuto a domicilio",
    )
    prima = list(VoceCatalogo.objects.order_by("codice").values())
    file = SimpleUploadedFile("catalogo.xlsx", response.content)
    anteprima = client.post(_url("catalogo_importa", ciclo), {"file": file}).context["anteprima"]
    assert (anteprima.nuove, anteprima.modificate, anteprima.invariate) == (0, 0, 2)
    client.post(_url("catalogo_importa", ciclo), {"azione": "conferma"})
    assert list(VoceCatalogo.objects.order_by("codice").values()) == prima


# --- Access and queries ------------------------------------------------------------------------

PAGINE = ["catalogo", "voce_crea", "catalogo_importa", "catalogo_esporta"]


@pytest.mark.parametrize("pagina", [*PAGINE, "voce_modifica", "voce_elimina"])
def test_district_users_are_refused_and_other_regions_do_not_see_the_cycle(
    cast, griglia, client_for, client, pagina
):
    ciclo = cast.piano_a.ciclo
    voce = _voce(ciclo, griglia)
    url = _url(pagina, ciclo, *([voce.pk] if pagina in ("voce_modifica", "voce_elimina") else []))
    assert client_for("operatore_a").get(url).status_code == 403
    assert client_for("responsabile_a").get(url).status_code == 403
    estraneo = UserFactory()
    altra = AmbitoFactory(regione=RegioneFactory(codice_istat="08", nome="Emilia-Romagna"))
    MembershipFactory(user=estraneo, ambito=None, regione=altra.regione, ruolo=Ruolo.FUNZIONARIO)
    client.force_login(estraneo)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code in (404, 405)
    assert VoceCatalogo.objects.filter(pk=voce.pk).exists()


def test_the_administrator_reads_the_catalogue_but_cannot_change_it(cast, griglia, client_for):
    ciclo = cast.piano_a.ciclo
    voce = _voce(ciclo, griglia)
    client = client_for("admin")
    html = client.get(_url("voce_modifica", ciclo, voce.pk)).content.decode()
    assert "Sola lettura" in html and "disabled" in html and "Salva la voce" not in html
    assert client.post(_url("voce_modifica", ciclo, voce.pk), _dati(griglia)).status_code == 403
    assert client.post(_url("voce_elimina", ciclo, voce.pk)).status_code == 403
    assert VoceCatalogo.objects.get(pk=voce.pk).nome == "Segretariato sociale"


def test_the_regional_overview_leads_to_the_catalogue(cast, client_for):
    html = client_for("funzionario").get(reverse("regione_detail", args=[cast.regione.pk]))
    assert f'href="{_url("catalogo", cast.piano_a.ciclo)}"' in html.content.decode()


def _cresci(cast, griglia) -> None:
    """More entries on every code list, used by more sheets of more plans."""
    ciclo = cast.piano_a.ciclo
    numero = SchedaIntervento.objects.count() + 1
    for i in range(6):
        voce = _voce(
            ciclo,
            griglia,
            f"N.{i}",
            f"Nuova {i}",
            obiettivo_servizio=griglia["2.1" if i % 2 else "1.1"],
            area_intervento=griglia[1 + i % 3],
            area_utenza=griglia[["FAM", "ELD", "POV"][i % 3]],
            prestazione_siuss=griglia["A2.07"] if i % 2 else None,
        )
        piano = PianoFactory(ambito=AmbitoFactory(regione=cast.regione), ciclo=ciclo)
        _scheda(piano, voce, numero)
        _scheda(cast.piano_a, voce, numero + 1)
        numero += 2


@pytest.mark.parametrize(
    ("pagina", "attese"), [("catalogo", 10), ("voce_crea", 11), ("catalogo_importa", 9)]
)
def test_the_catalogue_pages_have_a_constant_number_of_queries(
    cast, griglia, client_for, assert_constant_queries, pagina, attese
):
    voce = _voce(cast.piano_a.ciclo, griglia)
    _scheda(cast.piano_a, voce)
    assert_constant_queries(
        client_for("funzionario"),
        _url(pagina, cast.piano_a.ciclo),
        attese,
        lambda: _cresci(cast, griglia),
    )


def test_an_entry_page_has_a_constant_number_of_queries(
    cast, griglia, client_for, assert_constant_queries
):
    voce = _voce(cast.piano_a.ciclo, griglia)
    _scheda(cast.piano_a, voce)
    url = _url("voce_modifica", cast.piano_a.ciclo, voce.pk)

    def cresci():
        _cresci(cast, griglia)
        for numero in range(10, 15):
            _scheda(cast.piano_b, voce, numero)

    assert_constant_queries(client_for("funzionario"), url, 12, cresci)
