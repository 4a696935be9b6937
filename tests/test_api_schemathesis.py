"""Property-based tests over the OpenAPI schema: no input gives a 500 or breaks the contract.

schemathesis generates requests for every operation in ``/openapi.json`` (the
catalogue's query routes included) and checks that the API never fails with a
server error, answers only documented status codes and content types, and that
every body, errors included, matches its documented schema.  The app runs over
an embedded store with the sample; the write key is sent, so uploads and deletes
are exercised past the auth check (random reports do not exist: nothing is removed).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from graph.embedded import EmbeddedStore
from graph.settings import Settings
from ingest.pipeline import process_file
from tests.api_helpers import extra_records
from tests.conftest import SAMPLE

KEY = "schemathesis-key"


def _app() -> FastAPI:
    folder = Path(tempfile.mkdtemp(prefix="gg-schemathesis-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # built at import: no fixture
    store = EmbeddedStore(folder / "graph.pickle")
    store.write(process_file(SAMPLE).records)
    store.write(extra_records(store.export()))
    conf = Settings(data_dir=folder, api_key=KEY, max_upload_bytes=200_000, neighbourhood_cap=60)
    return create_app(store, conf)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": KEY}, checks=CHECKS)
