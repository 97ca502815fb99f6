"""Whatever is typed into the admin's login form or its addresses, the answer is never a 500."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import make_comment
from tests.organizers import log_in

# Past PostgreSQL's bigint, a digit that int() refuses, words, an empty id.
BAD_IDS = ["abc", "99999999999999999999", "²", "1.5", "-1", "0x10"]


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_overlong_username_is_a_form_error_not_a_500(client, organizer, length):
    response = log_in(client, "a" * length)

    assert response.status_code == 200
    assert response.context["form"].has_error("username", "max_length")
    # Nothing to lock out: no user can have such a name.
    assert not AccessAttempt.objects.exists()


def test_the_right_username_still_logs_in_and_wrong_passwords_still_count(client, organizer):
    from tests.organizers import current_token

    device = organizer.totpdevice_set.get()
    log_in(client, "organizer", password="wrong")
    assert AccessAttempt.objects.get().failures_since_start == 1

    response = log_in(client, "organizer", device=device, token=current_token(device))

    assert response.status_code == 302


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_a_reply_to_a_comment_that_cannot_exist_is_a_404(organizer_client, petition, bad_id):
    make_comment(petition)

    response = organizer_client.get(f"/admin/signatures/comment/{bad_id}/reply/")

    assert response.status_code == 404


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_statistics_for_a_petition_that_cannot_exist_show_all_petitions(
    organizer_client, petition, bad_id
):
    response = organizer_client.get(
        reverse("admin:signatures_signature_stats"), {"petition": bad_id}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_export_and_bulk_invalidation_of_a_petition_that_cannot_exist_are_form_errors(
    organizer_client, petition, bad_id
):
    export = organizer_client.get(
        reverse("admin:signatures_signature_export"), {"petition": bad_id}
    )
    preview = organizer_client.get(
        reverse("admin:signatures_signature_bulk_invalidate"), {"petition": bad_id}
    )
    invalidate = organizer_client.post(
        reverse("admin:signatures_signature_bulk_invalidate"),
        {"petition": bad_id, "since": "x", "until": "y", "reason": "z"},
    )

    assert (export.status_code, preview.status_code, invalidate.status_code) == (200, 200, 200)
    assert export["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/admin/signatures/mailing/{}/preview/"),
        ("post", "/admin/signatures/mailing/{}/test/"),
        ("get", "/admin/signatures/mailing/{}/send/"),
        ("post", "/admin/signatures/mailing/{}/send/"),
    ],
)
def test_a_mailing_that_cannot_exist_is_a_404(organizer_client, petition, bad_id, method, address):
    response = getattr(organizer_client, method)(address.format(bad_id))

    assert response.status_code == 404


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("post", "/admin/signatures/mailing/from-update/{}/"),
        ("get", "/admin/signatures/signature/book/{}/pdf/"),
    ],
)
def test_an_update_or_book_that_cannot_exist_is_never_a_500(
    organizer_client, petition, bad_id, method, address
):
    response = getattr(organizer_client, method)(address.format(bad_id))

    # A number: not found. Anything else does not match the address, and the admin sends
    # it on to the object's change page, which says no such object exists.
    assert response.status_code == (404 if re.fullmatch("[0-9]+", bad_id) else 302)
