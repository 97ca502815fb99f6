"""The admin lives at the path ADMIN_URL names, and nowhere else."""

from importlib import import_module, reload

import pytest
from django.urls import clear_url_caches, reverse


@pytest.fixture
def admin_url(settings):
    """Move the admin to another path, as ADMIN_URL does at start-up."""
    original = settings.ADMIN_URL

    def move(path):
        settings.ADMIN_URL = path
        reload(import_module(settings.ROOT_URLCONF))
        clear_url_caches()

    yield move
    move(original)


def test_the_admin_is_at_admin_by_default(settings):
    assert settings.ADMIN_URL == "admin/"
    assert reverse("admin:index") == "/admin/"


def test_a_custom_admin_url_serves_the_admin_and_admin_is_gone(client, organizer_client, admin_url):
    admin_url("organizers-7f3a/")

    assert reverse("admin:index") == "/organizers-7f3a/"
    response = organizer_client.get("/organizers-7f3a/")
    assert response.status_code == 200
    assert "site-name" in response.content.decode()
    login = client.get("/organizers-7f3a/login/")
    assert login.status_code == 200
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    assert organizer_client.get("/admin/").status_code == 404
