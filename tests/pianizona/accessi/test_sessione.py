"""Sessions: pages renew the inactivity expiry, htmx partials do not write the session each time.

On the demo's SQLite a session write from the live panel, refreshed while the user types, competed
with the save of the form for the database (``database is locked``).
"""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pianizona.accessi.middleware import RINNOVO_PARZIALI_SECONDI, SESSION_KEY_RINNOVO

HTMX = {"HX-Request": "true"}


@pytest.fixture
def operatore(client_for):
    return client_for("operatore_a")


def _pagina(cast) -> str:
    return reverse("piano_detail", args=[cast.piano_a.pk])


def _pannello(cast) -> str:
    return reverse("programmazione:pannello", args=[cast.piano_a.pk])


def _scritture_sessione(client, url: str, **kwargs) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        risposta = client.get(url, **kwargs)
    scritture = [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    return risposta.status_code, scritture


def _sessione(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_page_renews_the_session_and_the_live_panel_right_after_writes_nothing(cast, operatore):
    stato, scritture = _scritture_sessione(operatore, _pagina(cast))
    assert stato == 200
    assert len(scritture) == 1  # the page renewed the expiry

    scadenza = _sessione(operatore).expire_date
    for _ in range(3):
        stato, scritture = _scritture_sessione(operatore, _pannello(cast), headers=HTMX)
        assert stato == 200
        assert scritture == []
    assert _sessione(operatore).expire_date == scadenza


def test_the_live_panel_still_renews_a_session_last_renewed_over_a_minute_ago(cast, operatore):
    operatore.get(reverse("home"))
    sessione = operatore.session
    sessione[SESSION_KEY_RINNOVO] = int(time.time()) - RINNOVO_PARZIALI_SECONDI - 1
    sessione.save()
    Session.objects.filter(session_key=sessione.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )

    stato, scritture = _scritture_sessione(operatore, _pannello(cast), headers=HTMX)

    assert stato == 200
    assert len(scritture) == 1
    # Renewed for the full inactivity period (30 minutes), not left at the 5 still to go.
    assert _sessione(operatore).expire_date > timezone.now() + timedelta(minutes=29)
    # ... and the next partial, within the minute, writes nothing again.
    assert _scritture_sessione(operatore, _pannello(cast), headers=HTMX)[1] == []


def test_a_boosted_htmx_navigation_is_a_page_and_renews_the_session(cast, operatore):
    operatore.get(reverse("home"))
    stato, scritture = _scritture_sessione(
        operatore, _pagina(cast), headers={**HTMX, "HX-Boosted": "true"}
    )
    assert stato == 200
    assert len(scritture) == 1


def test_an_expired_session_is_refused_on_the_live_panel_too(cast, operatore):
    operatore.get(reverse("home"))
    Session.objects.filter(session_key=operatore.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    risposta = operatore.get(_pannello(cast), headers=HTMX)

    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("account_login"))


def test_a_partial_that_changes_the_session_saves_it(cast, operatore):
    """A choice a view stores during an htmx request is kept."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from pianizona.accessi.middleware import SessioneMiddleware

    operatore.get(reverse("home"))
    chiave = operatore.session.session_key

    def vista(request):
        request.session["scelta"] = 7
        return HttpResponse("ok")

    richiesta = RequestFactory().get("/", headers=HTMX)
    richiesta.COOKIES["sessionid"] = chiave
    middleware = SessioneMiddleware(vista)
    middleware(richiesta)

    assert Session.objects.get(session_key=chiave).get_decoded()["scelta"] == 7


def test_an_anonymous_partial_creates_no_session(db, client):
    prima = Session.objects.count()
    client.get(reverse("account_login"), headers=HTMX)
    client.get(reverse("account_login"))
    assert Session.objects.count() == prima
