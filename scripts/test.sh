#!/usr/bin/env bash
# Install everything the test suite needs on a fresh machine, then run it.
#   - a virtualenv in .venv with govgraph and its test and dev extras (ruff, mypy)
#   - Debian's chromium (browser tests; Playwright drives /usr/bin/chromium, no browser download)
#   - Neo4j 5.26 jars from Maven Central (resolved by graph.local_neo4j on first start)
# With CI=true (or GOVGRAPH_REQUIRE_NEO4J=1) the Neo4j and browser tests are mandatory:
# if Neo4j or Chromium cannot start, the run fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

# Debian packages: chromium for the browser tests, docker-compose to validate docker-compose.yml
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v docker-compose >/dev/null || missing="$missing docker-compose"
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
command -v java >/dev/null || { echo "java (17) is needed for the Neo4j tests" >&2; exit 1; }
command -v mvn >/dev/null || { echo "maven is needed to resolve Neo4j" >&2; exit 1; }

if [ "${CI:-}" = "true" ]; then
  export GOVGRAPH_REQUIRE_NEO4J=1 GOVGRAPH_REQUIRE_BROWSER=1
fi
# lint and types first: a style or typing regression fails the run like a test would
.venv/bin/ruff check --no-cache .
.venv/bin/ruff format --no-cache --check .
.venv/bin/mypy --no-incremental
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
