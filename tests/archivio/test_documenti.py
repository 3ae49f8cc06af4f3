"""The document archive through its pages: uploads, versions, deletion, downloads, tenancy."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from archivio.models import Documento, VersioneDocumento
from archivio.services import documento_versione_aggiungi
from tests.conftest import query_count

from . import corpus
from .test_file_sicuri import VALIDI
from .utili import carica, documento_di


def _dati(file, **extra) -> dict:
    return {
        "titolo": "Relazione sociale",
        "categoria": "relazione",
        "anno": "2025",
        "file": file,
        **extra,
    }


@pytest.mark.parametrize(("nome", "contenuto", "tipo", "content_type"), VALIDI)
def test_an_operator_uploads_a_valid_file_of_each_allowed_format(
    cast, client_for, file_salvati, nome, contenuto, tipo, content_type
):
    response = client_for("operatore_a").post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]), _dati(carica(nome, contenuto))
    )
    documento = Documento.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("archivio:documento", args=[documento.pk])
    versione = documento.versioni.get()
    assert (versione.numero, versione.tipo, versione.content_type) == (1, tipo, content_type)
    assert versione.sha256 == hashlib.sha256(contenuto).hexdigest()
    assert documento.ambito == cast.ambito_a and documento.creato_da == cast.operatore_a
    [salvato] = file_salvati()
    assert salvato.read_bytes() == contenuto
    # The stored name is ours: a random id and the extension of what the file is.
    assert salvato.parent.name == "documenti" and salvato.stem != nome.split(".")[0]


CORPUS_HTTP = [
    ("pagina.pdf", corpus.HTML, "codice HTML o script"),
    ("logo.png", corpus.polyglot_png_html(), "codice HTML o script"),
    ("disegno.svg", corpus.SVG, "SVG non sono ammesse"),
    ("budget.xlsx", corpus.xlsx_bomba(), "zip bomb"),
    ("vuoto.pdf", b"", "Il file è vuoto"),
    # Django drops the invisible override on the way in: what is left names a PDF ".exe".
    ("fattura\u202efdp.exe", corpus.PDF, "termina in «.exe»"),
]


@pytest.mark.parametrize(("nome", "contenuto", "messaggio"), CORPUS_HTTP)
def test_bad_input_is_refused_with_its_message_and_nothing_is_stored(
    cast, client_for, file_salvati, nome, contenuto, messaggio
):
    response = client_for("responsabile_a").post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]), _dati(carica(nome, contenuto))
    )
    assert response.status_code == 400
    assert messaggio in response.content.decode()
    assert not Documento.objects.exists()
    assert not VersioneDocumento.objects.exists()
    assert file_salvati() == []


def test_a_file_one_byte_over_the_limit_is_refused_and_nothing_is_stored(
    cast, client_for, file_salvati, settings
):
    settings.ARCHIVIO_DIMENSIONE_MASSIMA = len(corpus.PDF) - 1
    response = client_for("operatore_a").post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]),
        _dati(carica("delibera.pdf", corpus.PDF)),
    )
    assert response.status_code == 400
    assert "supera la dimensione massima consentita" in response.content.decode()
    assert not Documento.objects.exists() and file_salvati() == []


def test_a_protocol_date_in_the_future_is_refused_naming_the_field(cast, client_for, file_salvati):
    domani = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk])
    client = client_for("operatore_a")
    response = client.post(
        url,
        _dati(
            carica("delibera.pdf", corpus.PDF),
            numero_protocollo="PROT-12",
            data_protocollo=domani.isoformat(),
        ),
    )
    assert response.status_code == 400
    assert f"La data di protocollo ({domani:%d/%m/%Y}) è nel futuro" in response.content.decode()
    assert not Documento.objects.exists() and file_salvati() == []

    oggi = timezone.localdate()
    client.post(
        url,
        _dati(
            carica("delibera.pdf", corpus.PDF),
            numero_protocollo="PROT-12",
            data_protocollo=oggi.isoformat(),
        ),
    )
    assert Documento.objects.get().data_protocollo == oggi


def test_a_path_in_the_name_never_reaches_the_disk(cast, client_for, file_salvati, media):
    """Django strips folders from upload names, and the name we store under is ours anyway."""
    response = client_for("operatore_a").post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]),
        _dati(carica("../../x.pdf", corpus.PDF)),
    )
    assert response.status_code == 302
    versione = VersioneDocumento.objects.get()
    assert versione.nome_originale == "x.pdf"
    [salvato] = file_salvati()
    assert media in salvato.parents and not (media.parent / "x.pdf").exists()


def test_a_plan_of_another_ambito_cannot_be_referenced(cast, client_for, file_salvati):
    response = client_for("operatore_a").post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_a.pk]),
        _dati(carica("a.pdf", corpus.PDF), piano=str(cast.piano_b.pk)),
    )
    assert response.status_code == 400
    assert not Documento.objects.exists() and file_salvati() == []


def test_a_new_version_keeps_the_earlier_ones(cast, client_for, file_salvati):
    documento = documento_di(cast, cast.ambito_a)
    client = client_for("operatore_a")
    response = client.post(
        reverse("archivio:versione_nuova", args=[documento.pk]),
        {"file": carica("verbale-corretto.odt", corpus.odt())},
    )
    assert response.status_code == 302
    prima, seconda = documento.versioni.order_by("numero")
    assert (prima.numero, seconda.numero) == (1, 2)
    assert seconda.tipo == "Documento ODT" and seconda.caricata_da == cast.operatore_a
    assert len(file_salvati()) == 2
    pagina = client.get(reverse("archivio:documento", args=[documento.pk])).content.decode()
    assert prima.sha256 in pagina and seconda.sha256 in pagina
    vecchia = client.get(reverse("archivio:versione_scarica", args=[prima.pk]))
    assert b"".join(vecchia.streaming_content) == corpus.PDF


def test_a_refused_new_version_leaves_the_document_as_it_was(cast, client_for, file_salvati):
    documento = documento_di(cast, cast.ambito_a)
    response = client_for("operatore_a").post(
        reverse("archivio:versione_nuova", args=[documento.pk]),
        {"file": carica("nuovo.pdf", corpus.HTML)},
    )
    assert response.status_code == 400
    assert "codice HTML o script" in response.content.decode()
    assert documento.versioni.count() == 1 and len(file_salvati()) == 1


def test_a_download_is_an_attachment_never_sniffed(cast, client_for):
    versione = documento_di(cast, cast.ambito_a).versioni.get()
    response = client_for("operatore_a").get(
        reverse("archivio:versione_scarica", args=[versione.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="verbale.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == corpus.PDF


def test_a_missing_file_is_reported_as_gone_not_as_an_error(cast, client_for):
    versione = documento_di(cast, cast.ambito_a).versioni.get()
    versione.file.storage.delete(versione.file.name)
    response = client_for("operatore_a").get(
        reverse("archivio:versione_scarica", args=[versione.pk])
    )
    assert response.status_code == 410


# --- deletion ------------------------------------------------------------------------------------


def _elimina(client, documento, motivo="Sostituito dal verbale definitivo."):
    return client.post(
        reverse("archivio:documento_elimina", args=[documento.pk]), {"motivo": motivo}
    )


def test_the_operator_may_not_delete_but_the_manager_may(cast, client_for):
    documento = documento_di(cast, cast.ambito_a)
    assert _elimina(client_for("operatore_a"), documento).status_code == 403
    assert _elimina(client_for("responsabile_a"), documento).status_code == 302
    documento.refresh_from_db()
    assert documento.eliminato and documento.eliminato_da == cast.responsabile_a
    assert documento.motivo_eliminazione == "Sostituito dal verbale definitivo."


def test_a_deletion_without_a_reason_is_refused(cast, client_for):
    documento = documento_di(cast, cast.ambito_a)
    response = _elimina(client_for("responsabile_a"), documento, motivo="   ")
    assert response.status_code == 400
    assert "Indica il motivo" in response.content.decode()
    documento.refresh_from_db()
    assert not documento.eliminato


def test_a_regional_document_is_deleted_only_by_the_region(cast, client_for):
    documento = documento_di(cast, None, titolo="Linee guida regionali")
    assert _elimina(client_for("responsabile_a"), documento).status_code == 403
    assert _elimina(client_for("funzionario"), documento).status_code == 302


def test_a_deleted_document_leaves_the_archive_and_stays_in_its_history(cast, client_for):
    documento = documento_di(cast, cast.ambito_a, titolo="Verbale errato")
    _elimina(client_for("responsabile_a"), documento)
    client = client_for("operatore_a")
    url = reverse("archivio:documenti", args=[cast.ambito_a.pk])
    assert "Verbale errato" not in client.get(url).content.decode()
    storico = client.get(url, {"vista": "eliminati"}).content.decode()
    assert "Verbale errato" in storico and "Sostituito dal verbale definitivo." in storico


def test_a_deleted_document_is_downloadable_only_by_the_region(cast, client_for):
    documento = documento_di(cast, cast.ambito_a)
    versione = documento.versioni.get()
    _elimina(client_for("responsabile_a"), documento)
    url = reverse("archivio:versione_scarica", args=[versione.pk])
    assert client_for("responsabile_a").get(url).status_code == 403
    assert client_for("admin").get(url).status_code == 403
    assert client_for("funzionario").get(url).status_code == 200


def test_a_deleted_document_takes_no_new_version_and_no_second_deletion(cast, client_for):
    documento = documento_di(cast, cast.ambito_a)
    _elimina(client_for("responsabile_a"), documento)
    url = reverse("archivio:versione_nuova", args=[documento.pk])
    assert client_for("operatore_a").get(url).status_code == 403
    assert _elimina(client_for("funzionario"), documento).status_code == 403


# --- tenancy, lists and filters -------------------------------------------------------------------


def test_another_ambito_finds_nothing(cast, client_for):
    documento = documento_di(cast, cast.ambito_a, titolo="Riservato al Barese")
    client = client_for("operatore_b")
    assert client.get(reverse("archivio:documento", args=[documento.pk])).status_code == 404
    scarica = reverse("archivio:versione_scarica", args=[documento.versioni.get().pk])
    assert client.get(scarica).status_code == 404
    elenco = client.get(reverse("archivio:documenti", args=[cast.ambito_b.pk])).content.decode()
    assert documento.titolo not in elenco


def test_a_regional_document_is_seen_by_every_ambito_of_the_region(cast, client_for):
    documento = documento_di(cast, None, titolo="Linee guida regionali")
    for ruolo, ambito in (("operatore_a", cast.ambito_a), ("operatore_b", cast.ambito_b)):
        client = client_for(ruolo)
        pagina = client.get(reverse("archivio:documenti", args=[ambito.pk])).content.decode()
        assert "Linee guida regionali" in pagina
        assert client.get(reverse("archivio:documento", args=[documento.pk])).status_code == 200


def test_the_filters_narrow_the_list(cast, client_for):
    documento_di(cast, cast.ambito_a, titolo="Verbale di marzo", numero_protocollo="PROT-77")
    documento_di(
        cast, cast.ambito_a, titolo="Delibera di approvazione", categoria="delibera", anno=2024
    )
    client = client_for("operatore_a")
    url = reverse("archivio:documenti", args=[cast.ambito_a.pk])

    def titoli(**filtri) -> set[str]:
        pagina = client.get(url, filtri).context["pagina"]
        return {d.titolo for d in pagina}

    assert titoli() == {"Verbale di marzo", "Delibera di approvazione"}
    assert titoli(categoria="delibera") == {"Delibera di approvazione"}
    assert titoli(anno="2025") == {"Verbale di marzo"}
    assert titoli(testo="prot-77") == {"Verbale di marzo"}
    assert titoli(testo="approvazione delibera") == {"Delibera di approvazione"}


def test_the_region_filters_its_archive_by_ambito(cast, client_for):
    documento_di(cast, cast.ambito_a, titolo="Di Bari")
    documento_di(cast, cast.ambito_b, titolo="Di Altamura")
    documento_di(cast, None, titolo="Della Regione")
    client = client_for("funzionario")
    url = reverse("archivio:documenti_regione", args=[cast.regione.pk])

    def titoli(**filtri) -> set[str]:
        return {d.titolo for d in client.get(url, filtri).context["pagina"]}

    assert titoli() == {"Di Bari", "Di Altamura", "Della Regione"}
    assert titoli(ambito=str(cast.ambito_b.pk)) == {"Di Altamura"}
    assert titoli(ambito="regione") == {"Della Regione"}


def test_the_officer_uploads_to_an_ambito_and_to_the_region(cast, client_for):
    client = client_for("funzionario")
    client.post(
        reverse("archivio:documento_nuovo", args=[cast.ambito_b.pk]),
        _dati(carica("a.pdf", corpus.PDF)),
    )
    client.post(
        reverse("archivio:documento_nuovo_regione", args=[cast.regione.pk]),
        _dati(carica("b.csv", corpus.CSV), titolo="Dati regionali"),
    )
    assert set(Documento.objects.values_list("titolo", "ambito")) == {
        ("Relazione sociale", cast.ambito_b.pk),
        ("Dati regionali", None),
    }


def test_the_archive_lists_run_a_constant_number_of_queries(
    cast, client_for, assert_constant_queries
):
    documento_di(cast, cast.ambito_a)
    documento_di(cast, None)

    def crescono():
        for i in range(6):
            documento = documento_di(cast, cast.ambito_a if i % 2 else None, titolo=f"Doc {i}")
            documento_di(cast, cast.ambito_b, titolo=f"Altro {i}")
            documento_versione_aggiungi(
                user=cast.funzionario, documento=documento, file=carica("v.pdf", corpus.PDF)
            )

    client = client_for("operatore_a")
    url = reverse("archivio:documenti", args=[cast.ambito_a.pk])
    atteso = query_count(client, url)
    assert_constant_queries(client, url, atteso, crescono)
    regione = client_for("funzionario")
    url_regione = reverse("archivio:documenti_regione", args=[cast.regione.pk])
    assert_constant_queries(regione, url_regione, query_count(regione, url_regione), crescono)
