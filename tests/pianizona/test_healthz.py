from unittest import mock

from django.db.utils import OperationalError
from django.urls import reverse


def test_it_answers_200_with_the_state_of_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"stato": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_down(client, db, caplog):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    # Callers learn ok or ko; which part is down is for the operators' log.
    assert response.json() == {"stato": "errore"}
    assert "'database': 'non raggiungibile'" in caplog.text


def test_it_answers_503_when_the_broker_is_down(client, db, settings, caplog):
    from pianizona.celery import app

    vecchio = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.task_always_eager, app.conf.broker_url = vecchio
    assert response.status_code == 503
    assert response.json() == {"stato": "errore"}
    assert "'broker': 'non raggiungibile'" in caplog.text


def test_probes_reach_it_by_ip_over_http_even_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["pianidizona.example.it"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the rest stays guarded


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    politica = response["Content-Security-Policy"]
    assert "script-src 'self'" in politica
    assert "frame-ancestors 'none'" in politica
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
