"""The container's parts, tested here since Docker itself cannot run on this machine."""

import functools
import io
import json
import os
import re
import runpy
import signal
import subprocess
from types import SimpleNamespace

import yaml
from django.conf import settings
from gunicorn.config import Config

from ops.production import free_port, wait_until_ready

ROOT = settings.BASE_DIR
GUNICORN = runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def _gunicorn_handler(log):
    """The handler gunicorn itself set on `log` (pytest adds its own capturing ones)."""
    [handler] = [handler for handler in log.handlers if getattr(handler, "_gunicorn", False)]
    return handler


def test_compose_defines_web_worker_postgres_and_a_one_off_migrate():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())

    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker"}
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    # The worker reconnects after a database outage; anything else that stops it, compose restarts.
    assert services["worker"]["restart"] == "unless-stopped"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["postgres"]["image"].startswith("postgres:")
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    # Every gunicorn worker shares one page cache; it keeps nothing on disk.
    assert services["redis"]["image"].startswith("redis:7")
    assert services["web"]["environment"]["CACHE_URL"].endswith("redis://redis:6379/0}")
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_every_variable_the_settings_read_is_in_env_example_and_the_readme():
    read = set(re.findall(r'"([A-Z][A-Z_]+)"', (ROOT / "petition_site/settings.py").read_text()))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    variables = {
        name
        for name in read
        if re.search(
            rf"(env\.\w+|_setting|_bool)\(\s*\"{name}\"",
            (ROOT / "petition_site/settings.py").read_text(),
        )
    }

    assert variables, "the settings should read variables"
    assert {name for name in variables if name not in example} == set()
    assert {name for name in variables if f"`{name}`" not in readme} == set()


def test_the_dockerfile_is_multi_stage_non_root_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert len(re.findall(r"^FROM python:3\.13-slim", dockerfile, re.M)) == 2
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "compilemessages" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER petition$", dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile
    assert 'ENTRYPOINT ["/app/bin/docker-entrypoint.sh"]' in dockerfile


def test_gunicorn_scales_workers_with_cores_and_shares_no_control_socket():
    assert GUNICORN["workers"] == os.cpu_count() * 2 + 1
    assert GUNICORN["control_socket_disable"] is True
    assert GUNICORN["timeout"] == 30


def test_the_access_log_has_no_client_address_query_string_or_token():
    log_format = GUNICORN["access_log_format"]
    for atom in ("%(h)s", "%(q)s", "%(r)s", "%({x-forwarded-for}i)s", "%(f)s"):
        assert atom not in log_format
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", log_format)
    logger = GUNICORN["SafeLogger"](config)
    _gunicorn_handler(logger.access_log).setStream(written := io.StringIO())
    path = "/ru/signatures/confirm/eyJ0b2tlbiI6MX0:1v:abc/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + "?email=a@b.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": "email=a@b.org",
        "REMOTE_ADDR": "203.0.113.5",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)

    logger.access(
        response, SimpleNamespace(headers=[]), environ, SimpleNamespace(seconds=0, microseconds=1)
    )

    [line] = written.getvalue().splitlines()
    assert json.loads(line)["message"].startswith('"GET /ru/signatures/confirm/[token]/" 200')
    assert "eyJ0" not in line
    assert "203.0.113.5" not in line
    assert "a@b.org" not in line


def test_the_entrypoint_migrates_then_serves_and_runs_the_worker(fresh_database):
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": fresh_database,
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
    }
    entrypoint = str(ROOT / "bin" / "docker-entrypoint.sh")

    run = functools.partial(
        subprocess.run, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )

    migrate = run([entrypoint, "migrate"])
    assert migrate.returncode == 0, migrate.stderr
    assert "Created petition" in migrate.stdout

    web = subprocess.Popen([entrypoint, "web"], cwd=ROOT, env=environment, start_new_session=True)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}", web)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)

    worker = run([entrypoint, "worker", "--batch", "--no-startup-delay"])
    assert worker.returncode == 0, worker.stderr


def test_health_probes_are_not_written_to_the_access_log():
    config = Config()
    config.set("accesslog", "-")
    logger = GUNICORN["SafeLogger"](config)
    written = []
    logger.access_log.info = lambda *args, **kwargs: written.append(args)
    response = SimpleNamespace(status="200 OK", headers=[], sent=2)
    request = SimpleNamespace(headers=[])
    timing = SimpleNamespace(seconds=0, microseconds=500)

    for path in ("/healthz", "/readyz", "/ru/"):
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "PATH_INFO": path,
        }
        logger.access(response, request, environ, timing)

    assert len(written) == 1


def test_gunicorn_writes_its_errors_and_tracebacks_as_one_scrubbed_json_line():
    logger = GUNICORN["SafeLogger"](Config())
    _gunicorn_handler(logger.error_log).setStream(written := io.StringIO())

    logger.warning("Invalid request from ip=198.51.100.9: Request Line is too large")
    try:
        raise RuntimeError("worker failed")
    except RuntimeError:
        logger.exception("Error handling request /ru/comments/stop-replies/MQ:1:ab/?e=a@b.org")

    first, second = (json.loads(line) for line in written.getvalue().splitlines())
    assert first["message"] == "Invalid request from ip=[ip]: Request Line is too large"
    assert (
        second["message"] == "Error handling request /ru/comments/stop-replies/[token]/?e=[email]"
    )
    assert "RuntimeError: worker failed" in second["exception"]
