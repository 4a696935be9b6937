"""Keep Python's cyclic garbage collector off bulk work and off long-lived answers.

Two problems, one module:

- :func:`gc_paused`: bulk work (ingesting a document, merging a batch, copying a graph)
  allocates many objects and frees almost none until it ends; the collector's passes over
  it find nothing.
- :func:`settle` / :func:`thaw`: a long-running process (``govgraph serve``) keeps
  whole-graph answers and indexes per graph version.  Without help, every full pass of the
  collector rescans all of them: at 100x on Neo4j a dozen passes of 50-200 ms land on
  random requests (a catalogue call's p95 of 150-300 ms where its p50 is 5 ms).  In a
  process that turned it on (:func:`freeze_kept_answers`), :func:`settle` moves everything
  alive out of the collector's reach (``gc.freeze``) once such a structure is built, after a
  full pass that frees the garbage first; that pass scans only what was made since the last
  freeze, so passes stay short.  When the graph's version changes the kept answers are
  dropped and :func:`thaw` hands every frozen object back to the collector.  A one-shot
  command gains nothing from this and leaves it off.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Hashable, Iterator

__all__ = ["freeze_kept_answers", "gc_paused", "settle", "thaw"]

_LOCK = threading.Lock()
_enabled = False
_thawed_for: Hashable = None  # the change the last thaw was for


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees).

    Ingesting a document, merging a batch of documents into a store and copying a graph
    allocate many small objects and free almost none until they end, so the collector's
    passes, which rescan everything alive, find nothing: they cost 40% of a 2,000-task
    document's processing and a third of a Neo4j batch write's client time.  What the
    block leaves cyclic is collected after it, at the next pass.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_kept_answers(enabled: bool = True) -> None:
    """Turn :func:`settle` and :func:`thaw` on (or off) for this process.

    For long-running processes that answer many questions on one store: ``govgraph serve``,
    the load test's server, the benchmark's query timing.  Turning it off unfreezes.
    """
    global _enabled, _thawed_for
    with _LOCK:
        _enabled = enabled
        _thawed_for = None
        if not enabled and gc.get_freeze_count():
            gc.unfreeze()


def settle() -> None:
    """Collect the garbage, then freeze what is alive: call it once a long-lived structure
    (a kept answer, an index) has been built.

    The full pass scans only what is not frozen yet (all of it after a :func:`thaw`);
    ``gc.freeze`` itself only moves the collector's lists, whatever the heap's size.
    """
    if not _enabled:
        return
    with _LOCK:
        gc.collect()
        gc.freeze()


def thaw(change: Hashable = None) -> None:
    """Give the frozen objects back to the collector (the graph changed: kept answers go).

    ``change`` names the change (a store and its version): several caches that notice the
    same change thaw once.  The next :func:`settle` frees what is now garbage.
    """
    global _thawed_for
    if not _enabled:
        return
    with _LOCK:
        if change is not None and change == _thawed_for:
            return
        _thawed_for = change
        if gc.get_freeze_count():
            gc.unfreeze()
