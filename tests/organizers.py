"""Organizers and their second factor, and the admin login as a browser submits it."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

PASSWORD = "a-long-password-1"


def make_organizer(username="organizer", device=True):
    """A superuser; with `device`, one with a confirmed authenticator app (a TOTP device)."""
    user = get_user_model().objects.create_superuser(username, password=PASSWORD)
    if device:
        user.totpdevice_set.create(name="phone", confirmed=True)
    return user


def current_token(device):
    """The code the organizer's authenticator app shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def log_in(client, username, password=PASSWORD, device=None, token="", **request):
    """Submit the admin login form: username, password, the chosen device and its code."""
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_device": device.persistent_id if device else "",
            "otp_token": token,
            "next": reverse("admin:index"),
        },
        **request,
    )


def verify(client, user, device):
    """Log in and mark the session as verified by `device`, as django_otp.login() does."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
