"""Raw Cypher with bounds the API keeps itself: how many run at once, and how long a request
waits for one.

Neo4j stops a transaction at its timeout only between rows: one expression (a ``reduce`` over
a huge ``range``) runs on past it.  So a query runs in a thread of its own; the request waits
``timeout`` plus a grace period and then answers 504, and the query keeps its slot of
``cypher_concurrency`` until Neo4j has really finished it, so abandoned queries cannot pile up
on the server.  Past the slots, a request is answered 429 at once.
"""

from __future__ import annotations

import threading
from typing import Any

from graph.errors import QueryTimedOut, TooBusy
from graph.settings import Settings
from graph.store import CypherRows, GraphStore

__all__ = ["CypherRunner"]

GRACE_S = 2.0
"""How much longer than the server's timeout a request waits (a round trip, the plan check)."""


class CypherRunner:
    """Runs users' read-only Cypher under the settings' timeout, caps and concurrency."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._slots = threading.BoundedSemaphore(max(1, settings.cypher_concurrency))

    def run(self, store: GraphStore, query: str, params: dict[str, Any]) -> CypherRows:
        s = self.settings
        if not self._slots.acquire(blocking=False):
            raise TooBusy(
                f"{s.cypher_concurrency} Cypher queries are already running; retry later",
                limit=s.cypher_concurrency,
            )
        done = threading.Event()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["rows"] = store.read_cypher(
                    query,
                    params,
                    timeout=s.cypher_timeout_s,
                    row_cap=s.cypher_row_cap,
                    max_bytes=s.cypher_max_bytes,
                )
            except BaseException as e:  # handed to the request, raised there
                outcome["error"] = e
            finally:
                self._slots.release()
                done.set()

        threading.Thread(target=work, name="govgraph-cypher", daemon=True).start()
        if not done.wait(s.cypher_timeout_s + GRACE_S):
            raise QueryTimedOut(
                f"the query ran past {s.cypher_timeout_s:g} s and was abandoned",
                timeout_s=s.cypher_timeout_s,
            )
        if "error" in outcome:
            raise outcome["error"]
        rows: CypherRows = outcome["rows"]
        if not isinstance(rows, CypherRows):  # a store that does not say: infer from the cap
            rows = CypherRows(rows)
            rows.truncated = len(rows) >= s.cypher_row_cap
        return rows
