"""An invitation from the organisation page to the invitee's first sign-in, through the pages."""

import pytest
from django.urls import reverse

from sciweek.accounts.models import User
from sciweek.audit.models import AuditEntry
from sciweek.notifications.models import OutboxMessage
from sciweek.organizations.enums import InvitationState
from sciweek.organizations.models import Invitation, Membership
from tests.factories import InvitationFactory
from tests.organizations.world import make_world

pytestmark = pytest.mark.django_db

PASSWORD = "Tall-Cedar-Lantern-42"


def _accept(client, token, username="wang.teacher"):
    return client.post(
        reverse("accounts:invitation-accept", args=[token]),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_invitation_from_page_to_first_sign_in(client):
    w = make_world()
    client.force_login(w.unit_admin)
    response = client.post(
        reverse("dashboard:invitation-create", args=[w.unit_a.pk]),
        {"email": "wang@example.test", "name": "王老师", "role": "editor"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert OutboxMessage.objects.get().recipient == "wang@example.test"
    client.logout()

    link = reverse("accounts:invitation-accept", args=[invitation.token])
    assert link == f"/accounts/invitations/{invitation.token}/"
    assert client.get(link).status_code == 200
    response = _accept(client, invitation.token)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")

    user = User.objects.get(username="wang.teacher")
    assert user.email == "wang@example.test"
    assert user.display_name == "王老师"
    assert user.check_password(PASSWORD)
    assert list(Membership.objects.filter(user=user).values_list("organization", "role")) == [
        (w.unit_a.pk, "editor")
    ]
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED
    assert invitation.accepted_by == user
    # The new member is signed in and reaches the back office.
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert AuditEntry.objects.filter(action="invitation.accept", actor=user).count() == 1


def test_invitation_link_works_once(client):
    invitation = InvitationFactory()
    assert _accept(client, invitation.token).status_code == 302
    client.logout()
    response = _accept(client, invitation.token, username="second.person")
    assert response.status_code == 400
    assert not User.objects.filter(username="second.person").exists()
    assert Membership.objects.filter(organization=invitation.organization).count() == 1
    assert AuditEntry.objects.filter(action="invitation.accept").count() == 1


def test_revoked_invitation_link_does_not_work(client):
    w = make_world()
    invitation = InvitationFactory(organization=w.unit_a)
    client.force_login(w.unit_admin)
    client.post(reverse("dashboard:invitation-revoke", args=[w.unit_a.pk, invitation.pk]))
    client.logout()
    response = client.get(reverse("accounts:invitation-accept", args=[invitation.token]))
    assert response.status_code == 200
    assert response.context["invitation"].is_usable is False
    assert _accept(client, invitation.token).status_code == 400
    assert not User.objects.filter(username="wang.teacher").exists()


def test_unknown_invitation_token_is_404(client):
    response = client.get(reverse("accounts:invitation-accept", args=["not-a-real-token"]))
    assert response.status_code == 404
