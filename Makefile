# Two commands matter: `make run` and `make test`. Everything else is what they build on.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV_VERSION := 0.13.8
PY := .venv/bin/python
MANAGE := $(PY) manage.py

# Development: DEBUG on, an embedded SQLite file under var/, email printed to the console.
DEV := DEBUG=true
# Tests: production settings against a real PostgreSQL server.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/petition_site
TEST := DEBUG=false SECURE_SSL_REDIRECT=false CAPTCHA=off \
	SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnop \
	PRIVACY_HASH_KEY=test-only-hash-key-0123456789abcdefghijklmnop \
	EMAIL_ENCRYPTION_KEYS=dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTEyMzQ1Njc= \
	SITE_URL=https://petition.test \
	DATABASE_URL=$(TEST_DATABASE_URL)

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test bench bench-export bench-mailing bench-book resilience quality install widget lint typecheck format messages makemessages check-migrations static clean

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null || python3 -m pip install --quiet uv==$(UV_VERSION)
	uv sync --frozen
	@touch $@

install: .venv/.installed widget

# The ALTCHA widget's browser files, from the npm package pinned in assets/package-lock.json
# (its integrity hash included): the build without inline styles or string-made workers, which
# the strict CSP allows, its stylesheet and the PBKDF2 worker. Built, never committed; served
# as static/altcha/ (settings.STATICFILES_DIRS). The list of files is assets/package.json's.
widget: var/altcha/.built
var/altcha/.built: assets/package.json assets/package-lock.json
	npm ci --prefix assets --ignore-scripts --no-audit --no-fund
	npm run --prefix assets --silent build
	@touch $@

run: install messages
	@mkdir -p var
	$(DEV) $(MANAGE) migrate --no-input
	$(DEV) $(MANAGE) load_petition --keep-existing
	$(DEV) $(MANAGE) runserver 127.0.0.1:8000

test: install lint typecheck check-migrations messages static
	$(TEST) .venv/bin/pytest

# A viral moment against gunicorn + PostgreSQL with 5 M signatures seeded (kept between runs):
# page, home, JSON, signing and a mixed load, plus cold timings of the figures; stops by itself.
bench: install messages
	$(PY) -m bench.sign_bench

# Memory of the CSV export at 10,000 and 100,000 signatures; stops by itself.
bench-export: install messages static
	$(PY) -m bench.export_memory

# Faults on production settings against a private PostgreSQL cluster in var/: killed and
# frozen database, killed workers, duplicate signs, overload, a scan of the logs for personal
# data. PASS/FAIL per scenario; stops by itself (under ten minutes).
resilience: install messages static
	$(PY) -m bench.resilience

# Time and memory of a mailing to 1,000 and 100,000 signers, to files; stops by itself.
bench-mailing: install messages
	$(PY) -m bench.mailing_bench

# Time and memory of the signature book at 10,000 and 100,000 signers; stops by itself.
bench-book: install messages
	$(PY) -m bench.signature_book

# Page quality in Chromium against gunicorn + PostgreSQL: a visitor signs and confirms, axe-core,
# the Nu HTML Checker, Lighthouse and the page's weight; stops by itself (about three minutes).
# No tool may download a browser: Debian's Chromium is the only one used.
quality: install messages quality/node_modules/.installed
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m quality.run

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used.
quality/node_modules/.installed: quality/package.json quality/package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix quality --ignore-scripts --no-audit --no-fund
	@touch $@

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache --no-logo

# mypy with django-stubs over signatures/ and petitions/ (pyproject.toml); cache in var/mypy.
typecheck: install
	@mkdir -p var
	$(DEV) .venv/bin/mypy

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check-migrations: install
	@mkdir -p var
	$(DEV) $(MANAGE) makemigrations --check --dry-run

# Compiled catalogues are built, never committed; `msgfmt --check` catches a missing plural form.
messages: $(MO_FILES)
%.mo: %.po
	msgfmt --check -o $@ $<

makemessages: install
	$(DEV) $(MANAGE) makemessages --all --no-obsolete --no-location --no-wrap --ignore=.venv --ignore=var

static: install
	$(TEST) $(MANAGE) collectstatic --no-input -v0

clean:
	rm -rf .venv var quality/node_modules assets/node_modules $(MO_FILES)
