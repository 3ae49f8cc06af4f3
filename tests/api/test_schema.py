"""The OpenAPI 3 schema validates, documents every endpoint and its errors; the docs page is our own."""

import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema


def schema() -> dict:
    response = Client().get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return (
        response.json() if "json" in response["Content-Type"] else yaml.safe_load(response.content)
    )


def test_the_schema_is_valid_openapi_3(db):
    documento = schema()
    assert documento["openapi"].startswith("3.")
    validate_schema(documento)  # raises on an invalid document


def test_the_schema_covers_every_endpoint_group(db):
    percorsi = set(schema()["paths"])
    for prefisso in (
        "regioni",
        "ambiti",
        "cicli",
        "piani",
        "budget",
        "catalogo",
        "schede",
        "dichiarazioni",
        "valori-indicatori",
        "aderenti",
    ):
        assert f"/api/v1/{prefisso}/" in percorsi
        assert f"/api/v1/{prefisso}/{{id}}/" in percorsi
    assert "/api/v1/piani/{id}/versioni/" in percorsi


def test_every_operation_documents_its_json_errors(db):
    for percorso, operazioni in schema()["paths"].items():
        risposte = operazioni["get"]["responses"]
        for codice in ("400", "401", "404", "429"):
            contenuto = risposte[codice]["content"]["application/json"]["schema"]
            assert contenuto == {"$ref": "#/components/schemas/Errore"}, (percorso, codice)


def test_filters_are_typed_in_the_schema(db):
    parametri = {
        p["name"]: p["schema"] for p in schema()["paths"]["/api/v1/piani/"]["get"]["parameters"]
    }
    assert parametri["ciclo"] == {"type": "integer", "minimum": 1, "maximum": 2**53}
    assert parametri["anno"]["type"] == "integer"
    assert "approvato" in parametri["stato"]["enum"]


def test_typed_filters_keep_their_own_description(db):
    parametri = {p["name"]: p for p in schema()["paths"]["/api/v1/schede/"]["get"]["parameters"]}
    assert parametri["anno"]["description"] == "Schede con importi nell'anno."
    assert parametri["anno"]["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2200}


def test_the_documentation_page_is_ours_and_swagger_ui_is_not_served(db):
    assert Client().get(reverse("api:documentazione")).status_code == 200
    assert Client().get("/api/v1/console/").status_code == 404  # a JSON 404 like any unknown path
