"""The "Moderator" group moderates comments and sees nothing of the signatures."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from signatures.models import Comment, ModerationSettings
from tests.factories import make_comment
from tests.organizers import verify


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user(
        "moderator", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    verify(client, moderator, moderator.totpdevice_set.create(name="phone", confirmed=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_group_holds_only_comment_and_moderation_settings_permissions(db):
    permissions = Group.objects.get(name="Moderator").permissions.values_list(
        "content_type__app_label", "codename"
    )

    assert sorted(permissions) == [
        ("signatures", "change_comment"),
        ("signatures", "change_moderationsettings"),
        ("signatures", "view_comment"),
        ("signatures", "view_moderationsettings"),
    ]


def test_a_moderator_opens_the_queue_and_approves(moderator_client, petition):
    comment = make_comment(petition, status="pending", text="please approve me")

    queue = moderator_client.get("/admin/signatures/comment/")
    assert queue.status_code == 200
    assert "please approve me" in queue.content.decode()
    moderator_client.post(
        "/admin/signatures/comment/", {"action": "approve", "_selected_action": [comment.pk]}
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_a_moderator_edits_the_moderation_settings(moderator_client, db):
    ModerationSettings.load()
    url = "/admin/signatures/moderationsettings/1/change/"
    assert moderator_client.get(url).status_code == 200

    response = moderator_client.post(
        url,
        {"hold": "first-time", "max_links": "1", "hold_words": "casino", "block_words": "spam"},
    )

    assert response.status_code == 302
    settings = ModerationSettings.load()
    assert (settings.hold, settings.max_links) == ("first-time", 1)
    assert (settings.hold_words, settings.block_words) == ("casino", "spam")


def test_a_moderator_has_no_permission_on_signatures(moderator):
    for action in ("view", "add", "change", "delete"):
        assert not moderator.has_perm(f"signatures.{action}_signature")


def test_a_moderator_cannot_reach_signatures_or_petitions_in_admin(moderator_client, db):
    html = moderator_client.get("/admin/").content.decode()

    assert "/admin/signatures/comment/" in html
    assert "/admin/signatures/signature/" not in html
    assert "/admin/petitions/" not in html
    assert moderator_client.get("/admin/signatures/signature/").status_code in (403, 404)
    assert moderator_client.get("/admin/petitions/petition/").status_code == 403
