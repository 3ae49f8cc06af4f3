"""Error pages: a database that cannot be reached is a 503 that says to retry, not a generic 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from pianizona.urls import urlpatterns as urlpatterns_sito


def database_irraggiungibile(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def connessione_chiusa(request):
    raise InterfaceError("connection already closed")


def errore_del_codice(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [
    path("prova/database/", database_irraggiungibile),
    path("prova/connessione/", connessione_chiusa),
    path("prova/codice/", errore_del_codice),
    *urlpatterns_sito,
]
handler500 = "pianizona.errors.server_error"


@pytest.fixture
def anonimo(settings) -> Client:
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("percorso", ["/prova/database/", "/prova/connessione/"])
def test_a_database_that_cannot_be_reached_is_a_503_asking_to_retry(anonimo, percorso):
    risposta = anonimo.get(percorso)
    html = risposta.content.decode()
    assert risposta.status_code == 503
    assert risposta["Retry-After"] == "30"
    assert "<h1>Servizio momentaneamente non disponibile</h1>" in html
    assert "controllare se la modifica risulta già registrata" in html
    assert "Traceback" not in html and "5432" not in html


def test_any_other_error_is_the_generic_500(anonimo):
    risposta = anonimo.get("/prova/codice/")
    assert risposta.status_code == 500
    assert "<h1>Si è verificato un errore</h1>" in risposta.content.decode()
    assert not risposta.has_header("Retry-After")
