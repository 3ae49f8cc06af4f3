import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pianizona.accessi.tenancy import (
    Azione,
    ambiti_for_user,
    can,
    get_ambito_for_user,
    get_piano_for_user,
    get_regione_for_user,
    piani_for_user,
    scope_queryset,
)
from pianizona.models import Piano
from tests.factories import (
    AmbitoFactory,
    MembershipFactory,
    PianoFactory,
    RegioneFactory,
    UserFactory,
)


def test_a_district_user_sees_only_its_own_ambito(cast):
    assert list(ambiti_for_user(cast.operatore_a)) == [cast.ambito_a]
    assert list(piani_for_user(cast.operatore_a)) == [cast.piano_a]


def test_the_regional_officer_sees_every_ambito_of_the_region_and_no_other(cast):
    altra = AmbitoFactory(regione=RegioneFactory(codice_istat="08", nome="Emilia-Romagna"))
    visibili = set(ambiti_for_user(cast.funzionario))
    assert visibili == {cast.ambito_a, cast.ambito_b}
    assert altra not in visibili


def test_an_inactive_or_anonymous_user_sees_nothing(cast):
    cast.operatore_a.is_active = False
    cast.operatore_a.save()
    operatore = type(cast.operatore_a).objects.get(pk=cast.operatore_a.pk)
    assert not ambiti_for_user(operatore).exists()


def test_another_ambitos_plan_is_a_404_not_a_403(cast):
    with pytest.raises(Http404):
        get_piano_for_user(cast.operatore_b, cast.piano_a.pk)
    with pytest.raises(Http404):
        get_ambito_for_user(cast.operatore_b, cast.ambito_a.pk)


def test_a_missing_plan_is_a_404(cast):
    with pytest.raises(Http404):
        get_piano_for_user(cast.funzionario, 999_999)


def test_a_role_that_may_look_but_not_act_gets_a_403(cast):
    with pytest.raises(PermissionDenied):
        get_piano_for_user(cast.funzionario, cast.piano_a.pk, Azione.MODIFICARE)
    with pytest.raises(PermissionDenied):
        get_piano_for_user(cast.operatore_a, cast.piano_a.pk, Azione.INVIARE)
    with pytest.raises(PermissionDenied):
        get_regione_for_user(cast.operatore_a, cast.regione.pk, Azione.PANORAMICA_REGIONALE)


@pytest.mark.parametrize(
    ("ruolo", "azioni"),
    [
        ("operatore_a", {Azione.VEDERE, Azione.MODIFICARE}),
        ("responsabile_a", {Azione.VEDERE, Azione.MODIFICARE, Azione.INVIARE}),
        (
            "funzionario",
            {Azione.VEDERE, Azione.ISTRUIRE, Azione.CONFIGURARE, Azione.PANORAMICA_REGIONALE},
        ),
        ("admin", {Azione.VEDERE, Azione.PANORAMICA_REGIONALE}),
        ("operatore_b", set()),
    ],
)
def test_each_role_may_do_exactly_its_actions_on_ambito_a(cast, ruolo, azioni):
    user = cast.user(ruolo)
    assert {a for a in Azione if can(user, a, cast.ambito_a)} == azioni


def test_nobody_in_a_district_configures_the_region(cast):
    assert not can(cast.responsabile_a, Azione.CONFIGURARE, cast.regione)
    assert can(cast.funzionario, Azione.CONFIGURARE, cast.regione)


def test_a_user_with_roles_in_two_ambiti_acts_in_each_with_that_role(cast):
    user = UserFactory()
    MembershipFactory(user=user, ambito=cast.ambito_a, ruolo="operatore")
    MembershipFactory(user=user, ambito=cast.ambito_b, ruolo="responsabile")
    assert can(user, Azione.INVIARE, cast.ambito_b)
    assert not can(user, Azione.INVIARE, cast.ambito_a)
    assert set(ambiti_for_user(user)) == {cast.ambito_a, cast.ambito_b}


def test_scope_queryset_follows_any_path_to_the_ambito(cast):
    PianoFactory(ambito=cast.ambito_b, ciclo=cast.piano_a.ciclo, tipo="attuativo", anno=2026)
    piani = scope_queryset(Piano.objects.all(), cast.operatore_b, "ambito")
    assert {p.ambito_id for p in piani} == {cast.ambito_b.pk}


def test_memberships_are_read_once_per_user_object(cast, django_assert_num_queries):
    user = type(cast.funzionario).objects.get(pk=cast.funzionario.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            can(user, Azione.VEDERE, cast.ambito_a)
