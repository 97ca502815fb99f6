"""Repeated failed logins lock out that username from that address, and nobody else."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from tests.organizers import current_token, log_in, make_organizer


@pytest.fixture
def device(organizer):
    return organizer.totpdevice_set.get()


def _fail(client, times, username="organizer", **request):
    return [
        log_in(client, username, password="wrong-password", **request).status_code
        for _ in range(times)
    ]


def test_the_limit_locks_out_even_the_right_password_and_code(client, device, settings):
    assert settings.AXES_FAILURE_LIMIT == 5

    statuses = _fail(client, 5)

    assert statuses == [200, 200, 200, 200, 429]
    response = log_in(client, "organizer", device=device, token=current_token(device))
    assert response.status_code == 429
    assert "axes/lockout.html" in [template.name for template in response.templates]
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_lockout_page_is_translated_and_says_how_long_it_lasts(client, organizer):
    _fail(client, 5)

    response = client.post(
        reverse("admin:login"),
        {"username": "organizer", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert "Слишком много неудачных попыток входа" in html
    assert "через 60 минут" in html


def test_another_username_from_the_same_address_is_not_locked_out(client, organizer):
    second = make_organizer("second")
    second_device = second.totpdevice_set.get()
    _fail(client, 5)

    response = log_in(client, "second", device=second_device, token=current_token(second_device))

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_same_username_from_another_address_is_not_locked_out(client, device):
    _fail(client, 5)

    response = log_in(
        client, "organizer", device=device, token=current_token(device), REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 302


def test_behind_a_proxy_each_client_address_counts_for_itself(client, device, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    assert _fail(client, 5, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")[-1] == 429
    response = log_in(
        client,
        "organizer",
        device=device,
        token=current_token(device),
        **proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )

    assert response.status_code == 302


def test_a_successful_login_clears_earlier_failures(client, device):
    _fail(client, 4)
    log_in(client, "organizer", device=device, token=current_token(device))
    client.logout()

    assert _fail(client, 4) == [200, 200, 200, 200]


def test_neither_successful_logins_nor_one_time_codes_are_recorded(client, device):
    token = current_token(device)
    log_in(client, "organizer", password="wrong-password", device=device, token=token)

    failure = AccessAttempt.objects.get()
    assert "otp_token=****" in failure.post_data
    assert token not in failure.post_data
    assert "wrong-password" not in failure.post_data

    log_in(client, "organizer", device=device, token=token)

    assert AccessLog.objects.count() == 0
