from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    UserFactory,
)


def test_switching_context_changes_the_home(cast, client):
    user = UserFactory()
    MembershipFactory(user=user, ambito=cast.ambito_a, ruolo="operatore")
    seconda = MembershipFactory(user=user, ambito=cast.ambito_b, ruolo="responsabile")
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_a.pk]
    )
    client.post(reverse("contesto_switch"), {"membership": seconda.pk})
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_b.pk]
    )


def test_nobody_can_switch_to_someone_elses_role(cast, client_for):
    altrui = cast.operatore_b.memberships.get()
    client = client_for("operatore_a")
    response = client.post(reverse("contesto_switch"), {"membership": altrui.pk}, follow=True)
    assert "non è tra i ruoli assegnati" in response.content.decode()
    assert client.get(reverse("home"))["Location"] == reverse(
        "ambito_detail", args=[cast.ambito_a.pk]
    )


def test_the_switch_refuses_get(client_for, cast):
    assert client_for("operatore_a").get(reverse("contesto_switch")).status_code == 405


def test_the_header_offers_the_switcher_only_to_users_with_several_roles(cast, client):
    user = UserFactory()
    MembershipFactory(user=user, ambito=cast.ambito_a, ruolo="operatore")
    MembershipFactory(user=user, ambito=cast.ambito_b, ruolo="responsabile")
    client.force_login(user)
    html = client.get(reverse("ambito_detail", args=[cast.ambito_a.pk])).content.decode()
    assert 'for="id_membership_header"' in html and "Ambito di Altamura – Responsabile" in html
