"""The API's documentation page: ours, drawn from the schema it documents, cheap to serve."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pianizona.api import documentazione
from pianizona.api.documentazione import costruisci_documento, markdown_html

from .test_schema import schema

METODI = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def pagina(db) -> str:
    response = Client().get(reverse("api:documentazione"))
    assert response.status_code == 200
    return response.content.decode()


def operazioni(documento: dict) -> list[tuple[str, str, dict]]:
    return [
        (metodo, percorso, op)
        for percorso, ops in documento["paths"].items()
        for metodo, op in ops.items()
        if metodo in METODI
    ]


def articolo(pagina: str, ancora: str) -> str:
    """The HTML of one operation's section of the page."""
    trovato = re.search(rf'<article aria-labelledby="{ancora}".*?</article>', pagina, re.S)
    assert trovato, f"nessuna sezione per l'operazione {ancora}"
    return trovato.group(0)


def test_the_page_documents_every_operation_of_the_served_schema(pagina):
    servito = schema()  # what /api/v1/schema/ serves, so the page cannot drift from it
    assert len(operazioni(servito)) >= 21
    for metodo, percorso, op in operazioni(servito):
        ancora = op["operationId"].replace("_", "-")
        sezione = articolo(pagina, ancora)
        assert f"<code>{metodo.upper()} {percorso}</code></h3>" in sezione
        assert f'href="#{ancora}"' in pagina  # listed in the index too


def test_every_parameter_is_a_row_of_its_operations_table_with_a_curl_example(pagina):
    for _, percorso, op in operazioni(schema()):
        sezione = articolo(pagina, op["operationId"].replace("_", "-"))
        for parametro in op.get("parameters", []):
            assert f'<th scope="row"><code>{parametro["name"]}</code></th>' in sezione, (
                percorso,
                parametro["name"],
            )
        radice = percorso.split("{")[0]
        assert f'curl -H "Authorization: Bearer $CHIAVE" "http://testserver{radice}' in sezione
        for codice in op["responses"]:
            assert f'<th scope="row"><code>{codice}</code></th>' in sezione


def test_filters_show_their_type_and_the_pagination_is_described_in_italian(pagina):
    sezione = articolo(pagina, "piani-list")
    assert "intero da 1900 a 2200" in sezione  # anno
    assert "<code>approvato</code> - Approvato" in sezione  # the choices of stato
    assert "Quanti elementi per pagina: 50 se omesso, al più 500." in sezione
    assert "A page number" not in pagina


def test_response_fields_are_flattened_from_the_components(pagina):
    elenco = articolo(pagina, "piani-list")
    assert "Elenco paginato di oggetti Piano: <code>count</code>, <code>next</code>" in elenco
    assert "<code>results[].stato</code>" in elenco
    scheda = articolo(pagina, "schede-retrieve")
    assert "<code>allocazioni[].importo</code>" in scheda  # one level into an array of objects
    assert "elenco di oggetti Allocazione" in scheda
    assert "stringa (importo decimale)" in scheda


def test_the_introduction_covers_access_limits_paging_errors_and_the_raw_schema(pagina):
    for titolo in (
        "Accesso: chiave o sessione",
        "Limiti di richieste",
        "Paginazione e filtri",
        "Errori",
        "Schema OpenAPI",
    ):
        assert f">{titolo}</h3>" in pagina
    assert "<code>X-API-Key: &lt;chiave&gt;</code>" in pagina
    assert "<code>Retry-After</code>" in pagina
    assert '<th scope="row"><code>errore</code></th>' in pagina  # the error body, from the schema
    assert f'href="{reverse("api:schema")}?format=json"' in pagina


def test_the_page_is_built_on_the_base_template_with_its_skip_link(pagina):
    assert '<html lang="it">' in pagina
    assert 'href="#contenuto">Vai al contenuto principale</a>' in pagina
    assert "swagger-ui" not in pagina  # no third-party viewer, no script of its own
    assert "https://" not in pagina.replace("https://creativecommons", "")  # no CDN


def test_the_schema_is_generated_once_and_the_page_adds_no_query(cast, client_for):
    documentazione.documento_api.cache_clear()
    client = client_for("operatore_a")
    client.get(reverse("accessibilita"))  # the session, warmed
    with CaptureQueriesContext(connection) as base:
        client.get(reverse("accessibilita"))
    originale = documentazione.schema_openapi
    with mock.patch.object(documentazione, "schema_openapi", side_effect=originale) as generatore:
        for _ in range(2):
            with CaptureQueriesContext(connection) as documentazione_queries:
                assert client.get(reverse("api:documentazione")).status_code == 200
            # The same queries as any page on the base template (session, user, roles): none of its own.
            assert len(documentazione_queries) == len(base)
    assert generatore.call_count == 1


def test_self_referencing_components_are_expanded_to_a_bounded_depth():
    documento = {
        "paths": {
            "/api/v1/nodi/{id}/": {
                "get": {
                    "operationId": "nodi_retrieve",
                    "tags": ["nodi"],
                    "parameters": [{"in": "path", "name": "id", "required": True}],
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Nodo"}
                                }
                            }
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Nodo": {
                    "type": "object",
                    "properties": {
                        "nome": {"type": "string"},
                        "figli": {"type": "array", "items": {"$ref": "#/components/schemas/Nodo"}},
                    },
                }
            }
        },
    }
    (gruppo,) = costruisci_documento(documento).gruppi
    campi = [c.nome for c in gruppo.operazioni[0].campi]
    assert campi == ["nome", "figli", "figli[].nome", "figli[].figli"]


def test_descriptions_keep_code_and_lists_and_lose_any_markup():
    html = markdown_html(
        "Usare `ciclo`.\n\n* `a` - A\n\n<script>alert(1)</script><a href='x'>y</a>"
    )
    assert "<code>ciclo</code>" in html
    assert "<li><code>a</code> - A</li>" in html
    assert "<script" not in html and "<a " not in html


def test_an_anonymous_reader_costs_no_query(db, django_assert_num_queries):
    Client().get(reverse("api:documentazione"))  # the schema, generated once for the process
    with django_assert_num_queries(0):
        assert Client().get(reverse("api:documentazione")).status_code == 200
