"""A third language (Kyrgyz) is a settings change plus translations, nothing more.

The outer test starts a second pytest with LANGUAGES=ru,en,ky: the translated columns then
exist for Kyrgyz (built from the models, as `makemigrations` would add them), and the inner
tests run against its own PostgreSQL test database.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CHECKS = str(Path(__file__).with_name("third_language_checks.py"))


def test_adding_kyrgyz_is_a_settings_change():
    environment = {
        **os.environ,
        "LANGUAGES": "ru,en,ky",
        # Its own database, so the two sessions' test databases never meet.
        "DATABASE_URL": os.environ["DATABASE_URL"] + "_ky",
    }
    inner = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            CHECKS,
            "--no-migrations",
            "--create-db",
            "-q",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert inner.returncode == 0, inner.stdout + inner.stderr
    assert "3 passed" in inner.stdout

    migration = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "petitions", "--dry-run"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "title_ky" in migration.stdout
    assert "text_ky" in migration.stdout
