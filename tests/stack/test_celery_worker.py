"""The real stack: a Celery worker consuming from Redis runs what the web process dispatches.

Skipped without REDIS_URL (the SQLite-only `make test`); CI sets it and PIANIZONA_REQUIRE_STACK=1,
which turns the skip into a failure.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from pianizona.accessi.services import users_invite
from pianizona.celery import app

from ..factories import UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        if os.environ.get("PIANIZONA_REQUIRE_STACK") == "1":
            pytest.fail("PIANIZONA_REQUIRE_STACK=1 ma REDIS_URL non è impostata")
        pytest.skip("REDIS_URL non impostata: nessun worker Celery reale")
    vecchio = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = redis_url
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = vecchio


def _attendi(condizione, secondi: float = 20) -> bool:
    fine = time.monotonic() + secondi
    while time.monotonic() < fine:
        if condizione():
            return True
        time.sleep(0.1)
    return False


def test_an_invitation_dispatched_by_the_web_is_sent_by_the_worker(worker):
    user = UserFactory(email="invitata@example.org")
    users_invite(user_ids=[user.pk])
    assert _attendi(lambda: any(m.to == ["invitata@example.org"] for m in mail.outbox))


def test_the_health_check_sees_the_broker(worker, client):
    # With task_always_eager off (the worker fixture) a 200 means Redis answered.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"stato": "ok"}
