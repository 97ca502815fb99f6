import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _require_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", (
        "The tests run against PostgreSQL: set DATABASE_URL (make test does)."
    )


@pytest.fixture
def seeded_petition(db):
    """The real campaign, loaded exactly as `make run` loads it."""
    from petitions.models import Petition

    call_command("load_petition", verbosity=0)
    return Petition.objects.get()
