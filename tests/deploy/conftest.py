import pytest
from django.conf import settings

from ops.production import throwaway_database


@pytest.fixture
def fresh_database(request):
    """An empty database of its own, for server processes started outside the test."""
    database = settings.DATABASES["default"]
    server = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
    # Named after this run's test database, so parallel runs against one server never collide.
    name = f"{database['NAME']}_{request.node.name}"[:63].lower()
    with throwaway_database(name, server) as url:
        yield url
