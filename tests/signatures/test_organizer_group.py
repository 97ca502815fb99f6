"""The "Organizer" group runs the campaign; only a superuser can hand out signers' emails."""

from tests.factories import make_signature


def test_organizers_edit_petitions_and_work_with_signatures_and_comments(
    organizer_staff, seeded_petition
):
    for url in (
        f"/admin/petitions/petition/{seeded_petition.pk}/change/",
        "/admin/signatures/signature/",
        "/admin/signatures/signature/statistics/",
        "/admin/signatures/signature/bulk-invalidate/",
        "/admin/signatures/comment/",
    ):
        assert organizer_staff.get(url).status_code == 200, url


def test_organizers_export_without_emails_and_delete_nothing(organizer_staff, petition):
    signature = make_signature(petition, email="hidden@example.org", status="confirmed")

    page = organizer_staff.get(f"/admin/signatures/signature/{signature.pk}/change/")
    export = organizer_staff.get(
        "/admin/signatures/signature/export/",
        {"petition": petition.pk, "delimiter": "comma", "include_email": "on"},
    )

    assert "hidden@example.org" not in page.content.decode()
    assert "hidden@example.org" not in b"".join(export.streaming_content).decode()
    assert (
        organizer_staff.get(f"/admin/petitions/petition/{petition.pk}/delete/").status_code == 403
    )
