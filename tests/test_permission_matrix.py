"""Every URL × every role → the expected status. A URL added without its row here fails the suite.

Like pretix's permission test: one parametrised walk, so a forgotten check shows up as a wrong status.
"""

import importlib

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import Cast
from .permessi import LOGIN, RUOLI, SOLO_AUTENTICATI, TUTTI, Row, per_ruolo


def _prima_membership(cast: Cast, ruolo: str) -> dict:
    user = cast.user(ruolo)
    membership = user.memberships.first() if user else None
    return {"membership": membership.pk if membership else ""}


MATRIX: dict[str, Row] = {
    "home": Row(per_ruolo(200, 302, 302, 302, 302, 200)),
    "ambito_detail": Row(
        per_ruolo(LOGIN, 200, 200, 404, 200, 200), lambda c: {"pk": c.ambito_a.pk}
    ),
    "piano_detail": Row(per_ruolo(LOGIN, 200, 200, 404, 200, 200), lambda c: {"pk": c.piano_a.pk}),
    "regione_detail": Row(
        per_ruolo(LOGIN, 403, 403, 403, 200, 200), lambda c: {"pk": c.regione.pk}
    ),
    "contesto_switch": Row(
        per_ruolo(LOGIN, 302, 302, 302, 302, 302), method="post", data=_prima_membership
    ),
    "profilo": Row(SOLO_AUTENTICATI),
    "accessibilita": Row(TUTTI),
    "healthz": Row(TUTTI),
    # django-allauth: public entry pages, account pages for signed-in users.
    "account_login": Row(per_ruolo(200, 302, 302, 302, 302, 302)),
    "account_logout": Row(per_ruolo(302, 200, 200, 200, 200, 200)),
    "account_inactive": Row(TUTTI),
    "account_signup": Row(per_ruolo(200, 302, 302, 302, 302, 302)),
    "account_reauthenticate": Row(SOLO_AUTENTICATI),
    "account_email": Row(SOLO_AUTENTICATI),
    "account_email_verification_sent": Row(TUTTI),
    "account_change_password": Row(SOLO_AUTENTICATI),
    "account_set_password": Row(per_ruolo(LOGIN, 302, 302, 302, 302, 302)),
    "account_reset_password": Row(TUTTI),
    "account_confirm_login_code": Row(per_ruolo(302, 302, 302, 302, 302, 302)),
    "account_confirm_email": Row(TUTTI, lambda c: {"key": "chiave-inesistente"}),
    "account_reset_password_from_key_done": Row(TUTTI),
    "account_reset_password_from_key": Row(TUTTI, lambda c: {"uidb36": "zz", "key": "chiave"}),
    "account_reset_password_done": Row(TUTTI),
    "mfa_index": Row(SOLO_AUTENTICATI),
    "mfa_authenticate": Row(per_ruolo(302, 302, 302, 302, 302, 302)),
    "mfa_reauthenticate": Row(per_ruolo(LOGIN, 302, 302, 302, 302, 302)),
    # Activating a factor asks for the password again first (reauthentication).
    "mfa_activate_totp": Row(per_ruolo(LOGIN, 302, 302, 302, 302, 302)),
    # Without an active TOTP there is nothing to deactivate or recover: 404.
    "mfa_deactivate_totp": Row(per_ruolo(LOGIN, 404, 404, 404, 404, 404)),
    "mfa_view_recovery_codes": Row(per_ruolo(LOGIN, 404, 404, 404, 404, 404)),
    "mfa_generate_recovery_codes": Row(per_ruolo(LOGIN, 302, 302, 302, 302, 302)),
    "mfa_download_recovery_codes": Row(per_ruolo(LOGIN, 404, 404, 404, 404, 404)),
}
# Each app keeps its rows next to its tests; they are merged here so one walk covers every URL.
MODULI_RIGHE = [
    "tests.pianizona.iter.permessi_workflow",
    "tests.pianizona.iter.permessi_confronto",
    "tests.pianizona.iter.permessi_commenti",
    "tests.pianizona.iter.permessi_cronologia",
    "tests.pianizona.iter.permessi_panoramica",
    "tests.pianizona.iter.permessi_cicli",
    "tests.pianizona.lavori.permessi_jobs",
    "tests.risorse.permessi_regione",
    "tests.risorse.permessi_piano",
    "tests.programmazione.permessi_catalogo",
    "tests.programmazione.permessi_schede",
    "tests.programmazione.permessi_narrativa",
    "tests.programmazione.permessi_pdf",
    "tests.monitoraggio.permessi_fondi",
    "tests.monitoraggio.permessi_indicatori",
    "tests.monitoraggio.permessi_cruscotti",
    "tests.archivio.permessi_documenti",
    "tests.archivio.permessi_adesioni",
    "tests.pianizona.permessi_api",
]
for modulo in MODULI_RIGHE:
    righe = importlib.import_module(modulo).RIGHE
    assert not set(righe) & set(MATRIX), f"righe duplicate in {modulo}"
    MATRIX.update(righe)

# The Django admin: staff only; its login goes through allauth, which refuses non-staff users (403).
ADMIN = per_ruolo(200, 403, 403, 403, 403, 200)


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or f'<senza nome: {pattern.pattern}>'}", pattern


def tutti_i_nomi() -> list[str]:
    return [name for name, _ in _walk(get_resolver().url_patterns)]


def admin_urls(cast: Cast) -> list[str]:
    """Every admin page: index, and per registered model its list, add, import/export, one object."""
    urls = [reverse("admin:index")]
    richiesta = RequestFactory().get("/")
    richiesta.user = cast.admin
    for model, model_admin in admin.site._registry.items():
        prefisso = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefisso}_changelist"))
        if model_admin.has_add_permission(richiesta):  # read-only admins have no add page
            urls.append(reverse(f"{prefisso}_add"))
        if hasattr(model_admin, "resource_classes"):
            urls += [reverse(f"{prefisso}_import"), reverse(f"{prefisso}_export")]
    oggetto = cast.operatore_a.pk
    urls += [
        reverse("admin:pianizona_user_change", args=[oggetto]),
        reverse("admin:pianizona_user_history", args=[oggetto]),
        reverse("admin:pianizona_user_delete", args=[oggetto]),
        reverse("admin:auth_user_password_change", args=[oggetto]),
    ]
    return urls


def test_every_url_has_a_row_in_the_matrix():
    mancanti = [
        name for name in tutti_i_nomi() if name not in MATRIX and not name.startswith("admin:")
    ]
    assert mancanti == [], f"URL senza riga nella matrice dei permessi: {mancanti}"


def test_the_matrix_has_no_stale_rows():
    nomi = set(tutti_i_nomi())
    assert set(MATRIX) - nomi == set()


RICHIESTE = [(name, method) for name in sorted(MATRIX) for method, _ in MATRIX[name].richieste()]


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize(("name", "method"), RICHIESTE)
def test_permission_matrix(name, method, ruolo, cast, client_for):
    row = MATRIX[name]
    atteso = dict(row.richieste())[method][ruolo]
    url = reverse(name, kwargs=row.kwargs(cast))
    client = client_for(ruolo)
    response = getattr(client, method)(url, row.data(cast, ruolo) if method == "post" else {})
    assert response.status_code == atteso, (
        f"{method.upper()} {url} come {ruolo}: {response.status_code}, attesi {atteso}"
    )
    if response.status_code == 302 and ruolo == "anonimo" and atteso == LOGIN:
        assert response["Location"].startswith(reverse("account_login")) or name.startswith(
            ("account_", "mfa_")
        )


@pytest.mark.parametrize("ruolo", RUOLI)
def test_admin_pages_are_for_administrators_only(ruolo, cast, client_for):
    client = client_for(ruolo)
    sbagliati = {}
    for url in admin_urls(cast):
        response = client.get(url, follow=True)
        arrivo = response.request["PATH_INFO"]
        if ruolo == "anonimo" and arrivo != reverse("account_login"):
            sbagliati[url] = arrivo
        elif response.status_code != ADMIN[ruolo]:
            sbagliati[url] = response.status_code
    assert sbagliati == {}, f"attesi {ADMIN[ruolo]} come {ruolo}"


def test_anonymous_admin_visit_ends_on_the_allauth_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login")
    assert response.status_code == 200
