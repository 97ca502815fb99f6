"""An organizer's login ends when the browser closes, and after eight hours at the latest."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.organizers import current_token, log_in


def test_sessions_last_eight_hours_and_end_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_login_cookie_is_a_browser_session_cookie(client, organizer):
    device = organizer.totpdevice_set.get()

    response = log_in(client, "organizer", device=device, token=current_token(device))

    cookie = response.cookies["sessionid"]
    assert cookie.value
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""


def test_the_server_forgets_a_login_after_session_cookie_age(client, organizer, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    device = organizer.totpdevice_set.get()
    log_in(client, "organizer", device=device, token=current_token(device))

    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.expire_date - timezone.now() <= timedelta(hours=1)
    assert session.expire_date - timezone.now() > timedelta(minutes=59)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("admin:index")).status_code == 302
