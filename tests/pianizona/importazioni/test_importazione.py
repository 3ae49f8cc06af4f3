import pytest
import tablib
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from pianizona.dominio import ErroreDominio
from pianizona.importazioni.resources import ComuneResource
from pianizona.importazioni.services import (
    importa,
    in_sospeso_leggi,
    in_sospeso_salva,
    leggi_foglio,
)
from pianizona.models import Comune

from ...fogli import xlsx


def test_it_reads_xlsx_and_csv_by_content_not_by_name():
    excel = leggi_foglio(xlsx([["Ambito", "Importo"], ["BA01", 12.5]], "dati.csv"))
    assert excel.headers == ["Ambito", "Importo"] and excel[0] == ("BA01", 12.5)
    csv = leggi_foglio(SimpleUploadedFile("dati.xlsx", b"ambito;importo\nBA01;1.234,56\n"))
    assert csv.headers == ["ambito", "importo"] and csv[0] == ("BA01", "1.234,56")


@pytest.mark.parametrize(
    ("contenuto", "messaggio"),
    [
        (b"%PDF-1.7\x00\x01binary", "non è un foglio di calcolo"),
        (b"PK\x03\x04not really a zip", "non è un foglio Excel"),
        (b"   \n", "vuoto"),
    ],
)
def test_what_is_not_a_spreadsheet_is_refused_in_italian(contenuto, messaggio):
    with pytest.raises(ErroreDominio, match=messaggio):
        leggi_foglio(SimpleUploadedFile("finto.xlsx", contenuto))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PIANIZONA_IMPORT_MAX_BYTES = 10
    with pytest.raises(ErroreDominio, match="dimensione massima"):
        leggi_foglio(SimpleUploadedFile("grande.csv", b"a;b\n" + b"1;2\n" * 10))


def test_a_repeated_row_is_reported_with_both_line_numbers(cast):
    comune = Comune.objects.get(nome="Valenzano")
    dati = ComuneResource().export(Comune.objects.filter(pk=comune.pk))
    dati.append(dati[0])
    anteprima = importa(ComuneResource(), dati, conferma=False)
    assert anteprima.errori == [(3, "Riga ripetuta: stessi valori di codice_istat della riga 2.")]


def test_a_missing_column_is_named(cast):
    dati = tablib.Dataset(["072006", "Bari"], headers=["codice_istat", "nome"])
    with pytest.raises(ErroreDominio, match="Mancano le colonne «regione»"):
        importa(ComuneResource(), dati, conferma=False)


def test_a_pending_import_keeps_numbers_as_numbers(db):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    dati = tablib.Dataset(["BA01", 1.234], headers=["ambito", "importo"])
    in_sospeso_salva(request, "prova", dati, "foglio.xlsx")
    letto, nome = in_sospeso_leggi(request, "prova")
    assert nome == "foglio.xlsx"
    assert letto[0] == ("BA01", 1.234)  # still 1.234 (three decimals), not the text "1.234" (1234)


def test_a_pending_file_of_only_a_header_keeps_its_header(db):
    """It used to come back without one, and its preview was a server error (security drill)."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    in_sospeso_salva(request, "prova", tablib.Dataset(headers=["ambito", "importo"]), "vuoto.csv")
    letto, _ = in_sospeso_leggi(request, "prova")
    assert letto.headers == ["ambito", "importo"]
    with pytest.raises(ErroreDominio, match="Mancano le colonne"):
        importa(ComuneResource(), letto, conferma=False)


def test_a_file_of_only_a_header_is_previewed_without_a_server_error(client_for, cast):
    from pianizona.models import Piano

    cast.piano_a.stato = Piano.Stato.BOZZA
    cast.piano_a.save(update_fields=["stato"])
    client = client_for("operatore_a")
    url = f"/piani/{cast.piano_a.pk}/allocazioni/importa/"
    client.post(url, {"file": SimpleUploadedFile("solo.csv", b"colonna_sconosciuta\n")})
    risposta = client.get(url)
    assert risposta.status_code == 200
    assert "Mancano le colonne" in risposta.content.decode()
