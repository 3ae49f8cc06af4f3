"""Property-based run over the OpenAPI schema: no 5xx, and every response as the schema says.

Schemathesis generates requests for every operation (ids, filters, pages) and sends them with a
region-wide key to the WSGI application, in the test database with the cast and an approved plan.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from . import dati
from .conftest import crea_chiave

CONTROLLI = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connessione_tenuta():
    """As Django's test client does: a request's end must not close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(cast, programmato, connessione_tenuta) -> str:
    """A region-wide key with room for the whole run, and one object of each kind to find."""
    ciclo = cast.piano_b.ciclo
    dati.dichiarazione(cast.ambito_b, ciclo, cast.operatore_b, stato="accettata")
    dati.valore_indicatore(cast.ambito_b, cast.regione)
    dati.valore_indicatore(None, cast.regione)
    dati.adesione(cast.ambito_b)
    token, _ = crea_chiave("Schemathesis", regione=cast.regione, limite=1_000_000)
    return token


def _schema():
    """The schema the API serves (generated without a request: collection has no database)."""
    documento = SchemaGenerator().get_schema(request=None, public=True)
    caricato = schemathesis.openapi.from_dict(json.loads(json.dumps(documento, default=str)))
    caricato.app = get_wsgi_application()  # calls go to the WSGI app, inside the test database
    return caricato


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_honours_its_schema(case, token):
    # The schema's security schemes make schemathesis send an X-API-Key of its own: ours wins.
    response = case.call_and_validate(
        headers={"X-API-Key": token, "Authorization": f"Bearer {token}"}, checks=CONTROLLI
    )
    assert response.status_code != 401, "la chiave deve essere accettata"
