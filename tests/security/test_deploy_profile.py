"""The production profile: ``manage.py check --deploy`` is clean, and secrets come only from the environment."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DTFORUM_", "DATABASE_", "REDIS_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120, check=False)


PRODUCTION = {
    "DTFORUM_PROFILE": "production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-test-secret-with-entropy-1234567890",
    "DJANGO_ALLOWED_HOSTS": "dtforum.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dtforum",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_check_deploy_is_clean_in_production_profile():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_profile_refuses_sqlite():
    env = {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "production profile runs on PostgreSQL" in result.stderr
