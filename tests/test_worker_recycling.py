"""gunicorn workers are recycled now and then, never all at once."""

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _config(monkeypatch, **environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_each_worker_recycles_after_one_to_one_and_a_half_times_the_limit(monkeypatch):
    config = _config(monkeypatch)

    assert config["max_requests"] >= 5000
    # gunicorn draws each worker's limit from [max_requests, max_requests + jitter].
    assert config["max_requests_jitter"] == config["max_requests"] // 2


def test_the_limit_comes_from_the_environment_and_zero_turns_recycling_off(monkeypatch):
    assert _config(monkeypatch, GUNICORN_MAX_REQUESTS="2000")["max_requests_jitter"] == 1000
    config = _config(monkeypatch, GUNICORN_MAX_REQUESTS="0")
    assert config["max_requests"] == config["max_requests_jitter"] == 0
