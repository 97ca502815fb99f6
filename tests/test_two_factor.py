"""Staff reach the admin only after a second factor: an authenticator app or a one-time code."""

from django.core.management import call_command
from django.urls import reverse

from tests.organizers import current_token, log_in, make_organizer, verify


def _reaches_the_admin(client):
    response = client.get(reverse("admin:index"))
    return response.status_code == 200 and "site-name" in response.content.decode()


def _login_errors(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def test_a_password_alone_does_not_open_the_admin(client, db):
    organizer = make_organizer()

    response = log_in(client, "organizer")

    assert response.status_code == 200
    assert _login_errors(response) == ["token_required"]
    assert not _reaches_the_admin(client)
    # Nor does a session that skipped the second factor.
    client.force_login(organizer)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_staff_member_without_a_device_cannot_reach_the_admin(client, db):
    make_organizer(device=False)

    log_in(client, "organizer", token="123456")

    assert not _reaches_the_admin(client)


def test_a_valid_code_from_the_authenticator_app_opens_the_admin(client, organizer):
    device = organizer.totpdevice_set.get()

    response = log_in(client, "organizer", device=device, token=current_token(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert _reaches_the_admin(client)


def test_a_wrong_code_is_refused(client, organizer):
    device = organizer.totpdevice_set.get()
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"

    response = log_in(client, "organizer", device=device, token=wrong)

    assert response.status_code == 200
    assert _login_errors(response) == ["invalid_token"]
    assert not _reaches_the_admin(client)


def test_another_users_device_does_not_verify_a_login(client, organizer):
    make_organizer("second")
    device = organizer.totpdevice_set.get()

    log_in(client, "second", device=device, token=current_token(device))

    assert not _reaches_the_admin(client)


def test_the_first_organizer_logs_in_with_a_static_code_and_adds_an_app(client, db, capsys):
    """The README's bootstrap: createsuperuser, addstatictoken, log in, register a device."""
    organizer = make_organizer(device=False)
    call_command("addstatictoken", "organizer")
    code = capsys.readouterr().out.strip()
    static_device = organizer.staticdevice_set.get()

    log_in(client, "organizer", device=static_device, token=code)

    assert _reaches_the_admin(client)
    response = client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {
            "user": organizer.pk,
            "name": "phone",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert response.status_code == 302
    device = organizer.totpdevice_set.get()
    assert "issuer=petition.test" in device.config_url
    qr_code = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]))
    assert qr_code["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr_code.content
    # The static code worked once only.
    client.logout()
    log_in(client, "organizer", device=static_device, token=code)
    assert not _reaches_the_admin(client)


def test_a_verified_session_reaches_every_admin_page(organizer_client, seeded_petition):
    response = organizer_client.get(
        reverse("admin:petitions_petition_change", args=[seeded_petition.pk])
    )

    assert response.status_code == 200


def test_verification_belongs_to_the_organizers_own_device(client, organizer):
    other = make_organizer("second")

    verify(client, other, organizer.totpdevice_set.get())

    assert client.get(reverse("admin:index")).status_code == 302
