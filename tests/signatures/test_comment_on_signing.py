"""A signer may leave a comment with their signature; it meets the usual moderation rules."""

import pytest
from django.utils import timezone

from signatures import privacy
from signatures.models import Comment, ModerationSettings, Signature
from tests.factories import make_comment, sign_data


def _sign(client, petition, language="en", **data):
    return client.post(f"/{language}/petitions/{petition.slug}/sign/", sign_data(**data))


def test_the_sign_form_has_an_optional_comment(client, petition):
    html = client.get(f"/en/petitions/{petition.slug}/sign/").content.decode()

    assert '<textarea name="comment"' in html
    assert "Comment (optional)" in html


def test_a_comment_made_while_signing_waits_under_the_signers_public_name(client, petition):
    response = _sign(client, petition, name="Aigul Mamatova", comment="Count me in!\r\nFrom Osh")

    assert response.status_code == 302
    assert response["Location"] == f"/en/petitions/{petition.slug}/check-your-email/"
    signature = Signature.objects.get()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.author_name == "Aigul M."
    assert comment.text == "Count me in!\nFrom Osh"
    assert comment.petition == petition
    assert comment.language == "en"
    assert comment.email_hash == signature.email_hash
    assert comment.ip_hash == signature.ip_hash
    # The signer asked for no reply emails, so the comment keeps no address.
    assert comment.email_encrypted == ""
    assert comment.notify_replies is False


def test_no_comment_is_made_when_the_field_is_empty(client, petition):
    _sign(client, petition, comment="  \r\n ")

    assert Signature.objects.count() == 1
    assert Comment.objects.count() == 0


def test_the_moderation_rules_apply(client, petition):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"block_words": "casino"})

    _sign(client, petition, comment="Visit my casino")

    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_signer_whose_comment_was_approved_before_is_published_under_first_time_rules(
    client, petition
):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"hold": "first-time"})
    make_comment(
        petition,
        email="aigul@example.org",
        created_at=timezone.now() - timezone.timedelta(days=1),
    )

    _sign(client, petition, comment="Again, thank you")

    assert Comment.objects.get(text="Again, thank you").status == Comment.Status.APPROVED


def test_over_the_comment_limits_the_signature_stands_and_the_comment_is_dropped(client, petition):
    # The same email commented seconds ago: the flood guard.
    make_comment(petition, email="aigul@example.org")

    response = _sign(client, petition, comment="A second comment within seconds")

    assert response.status_code == 302
    assert Signature.objects.count() == 1
    assert not Comment.objects.filter(text="A second comment within seconds").exists()


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
        ("bad\x07text", "The text contains invisible or unreadable characters."),
    ],
)
def test_a_bad_comment_refuses_the_whole_form_with_its_error(client, petition, comment, message):
    response = _sign(client, petition, comment=comment)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signature.objects.count() == 0
    assert Comment.objects.count() == 0


def test_the_comment_never_carries_the_signers_full_name_or_email(client, petition):
    _sign(client, petition, name="Aigul Mamatova", email="aigul@example.org", comment="Hello")
    comment = Comment.objects.get()

    assert "Mamatova" not in comment.author_name
    assert comment.email == ""
    assert comment.email_hash == privacy.email_hash("aigul@example.org")
