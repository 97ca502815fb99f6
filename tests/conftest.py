import pytest
from django.core.management import call_command

# What `manage.py` commands run under: no statement timeout, no bound on an answer.
COMMAND_LIMITS = {"options": "-c statement_timeout=0", "answer_timeout": None}


def _limits(limits):
    """Set the timeouts new connections get; the next query opens a new one."""
    from django.db import connection

    connection.settings_dict["OPTIONS"].update(limits)
    connection.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Creating the test database (CREATE DATABASE, every migration) and dropping it are what
    commands do, not web requests: on a busy machine they can outlast a request's statement
    timeout. The tests themselves run under the web's (django_db_setup below)."""
    from django.conf import settings

    options = settings.DATABASES["default"]["OPTIONS"]
    web = {key: options[key] for key in COMMAND_LIMITS}
    options.update(COMMAND_LIMITS)
    _add_sqlite(settings.DATABASES)
    return web


def _add_sqlite(databases):
    """A second database, SQLite in memory, as `make run` uses: the tests marked
    `django_db(databases=[..., "sqlite"])` run the hand-written SQL on it too. Only they create
    it; every other test runs on PostgreSQL alone."""
    from django.db import connections

    databases["sqlite"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    # Django's defaults for the keys not given, as it fills them in at start-up.
    connections.configure_settings(databases)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_modify_db_settings, django_db_blocker):
    with django_db_blocker.unblock():
        _limits(django_db_modify_db_settings)
    yield
    with django_db_blocker.unblock():
        _limits(COMMAND_LIMITS)


@pytest.fixture(autouse=True)
def _require_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "petition_site.postgresql", (
        "The tests run against PostgreSQL: set DATABASE_URL (make test does)."
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A deliberately slow hash makes every login take a second; Django's docs advise a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded_petition(db):
    """The real campaign, loaded exactly as `make run` loads it."""
    from petitions.models import Petition

    call_command("load_petition", verbosity=0)
    return Petition.objects.get()


@pytest.fixture
def petition(db):
    from tests.factories import make_petition

    return make_petition(
        slug="clean-air",
        title_en="Clean air for Bishkek",
        title_ru="Чистый воздух для Бишкека",
        goal=100,
    )


@pytest.fixture
def organizer(db):
    """A superuser with a confirmed authenticator app."""
    from tests.organizers import make_organizer

    return make_organizer()


@pytest.fixture
def organizer_client(organizer):
    """A browser of its own, logged in to the admin as `organizer` and verified by their device.

    The admin asks for a one-time password, so pytest-django's `admin_client` (a plain
    force_login) is refused; fetch admin pages with this one.
    """
    from django.test import Client

    from tests.organizers import verify

    return verify(Client(), organizer, organizer.totpdevice_set.get())


def _staff(client, username, group):
    """`client`, logged in to the admin (in English) as a member of `group`."""
    from django.contrib.auth.models import Group, User

    from tests.organizers import verify

    user = User.objects.create_user(username, password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    verify(client, user, user.totpdevice_set.create(name="phone", confirmed=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def organizer_staff(client, db):
    """`client`, logged in to the admin (in English) as a member of the "Organizer" group."""
    return _staff(client, "staffer", "Organizer")


@pytest.fixture
def moderator_staff(client, db):
    """`client`, logged in to the admin (in English) as a member of the "Moderator" group."""
    return _staff(client, "moderator", "Moderator")


@pytest.fixture
def run_tasks(db):
    """Run every queued background task, as `manage.py db_worker` does in production."""

    # The worker's own task runner, minus its connection recycling, which would close the
    # connection that holds the test's transaction. tests/signatures/test_worker.py runs the
    # real `db_worker` process against committed data.
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run():
        while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)

    return run


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mail_server_down(settings):
    """Point mail at a closed port, as when the server is down; call the result to restore it."""
    working = settings.MAILERS
    # Nothing listens on the discard port: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }

    def restore():
        settings.MAILERS = working

    return restore
