"""docker-compose.yml is a valid Compose file (checked by Compose itself where it is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def _compose() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def test_compose_config_is_valid() -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {**os.environ, "NEO4J_PASSWORD": "a-long-test-password"}
    proc = subprocess.run(
        [*compose, "config"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "neo4j:5.26-community" in proc.stdout and "service_healthy" in proc.stdout


def test_compose_refuses_to_start_without_a_password() -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    proc = subprocess.run(
        [*compose, "config"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode != 0 and "NEO4J_PASSWORD" in proc.stderr
