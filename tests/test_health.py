"""Probes answer cheaply, over plain HTTP and any Host, without a redirect."""

from django.db import connection


def test_liveness_answers_without_the_database(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", headers={"Host": "10.0.0.7:8000"})

    assert response.status_code == 200
    assert response.content == b"ok"


def test_readiness_needs_the_database_migrated(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/readyz", headers={"Host": "10.0.0.7:8000"})

    assert response.status_code == 200


def test_readiness_fails_while_a_migration_is_missing(client, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = "
            "(SELECT max(id) FROM django_migrations WHERE app = 'petitions')"
        )

    response = client.get("/readyz")

    assert response.status_code == 503
