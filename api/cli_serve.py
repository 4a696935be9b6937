"""``govgraph serve`` (the API and explorer under uvicorn) and ``govgraph viz`` (pyvis HTML).

Registered on the main CLI by :func:`register`, called from ``api/cli.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from graph.errors import InvalidQuery
from graph.store import GraphStore

__all__ = ["parse_pairs", "register", "view_of"]


def parse_pairs(pairs: list[str]) -> dict[str, Any]:
    """``["department=市发改委", "via=project", "via=place"]`` → parameters (repeats make lists).

    >>> parse_pairs(["department=市发改委", "via=project", "via=place"])
    {'department': '市发改委', 'via': ['project', 'place']}
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidQuery(f"--param takes key=value, not {pair!r}")
        key = key.strip().replace("-", "_")
        if key in params:
            previous = params[key]
            params[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            params[key] = value
    return params


def view_of(
    store: GraphStore,
    *,
    node: str | None,
    query: str | None,
    params: dict[str, Any],
    depth: int,
    limit: int,
) -> tuple[Any, dict[str, str], str]:
    """The subgraph to draw (a node's neighbourhood or a query's answer), statuses, a title."""
    from viz.captions import node_caption
    from viz.subgraph import induced_subgraph, node_ids_in, statuses_in

    if (node is None) == (query is None):
        raise InvalidQuery("give exactly one of --node or --query")
    if node is not None:
        centre = store.node(node)
        export = store.neighbourhood(node, depth=depth, limit=limit)
        return export, {}, f"{node_caption(centre.label, centre.properties)} · {depth} 度邻域"
    from queries.registry import run_query

    assert query is not None
    result = run_query(store, query, params)
    export = induced_subgraph(store, node_ids_in(result), limit=limit)
    shown = " ".join(f"{k}={v}" for k, v in params.items())
    return export, statuses_in(result), f"{query} {shown}".strip()


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``viz`` to the ``govgraph`` command line."""
    from api.cli import _State, err_console

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    ) -> None:
        """Serve the JSON API, /docs and the explorer (store and keys from settings)."""
        import uvicorn

        from api.app import create_app
        from graph.gc_pause import freeze_kept_answers

        settings = _State.settings()
        freeze_kept_answers()  # a long-running process: kept answers out of the GC's passes
        err_console.print(f"govgraph explorer on http://{host}:{port}/ ({settings.store} store)")
        uvicorn.run(create_app(settings=settings), host=host, port=port, log_level=log_level)

    @app.command()
    def viz(
        node: Annotated[str | None, typer.Option(help="Draw this node's neighbourhood.")] = None,
        query: Annotated[str | None, typer.Option(help="Draw this query's answer.")] = None,
        param: Annotated[
            list[str] | None, typer.Option(help="Query parameter key=value (repeatable).")
        ] = None,
        depth: Annotated[int, typer.Option(min=0, max=3, help="Neighbourhood hops.")] = 1,
        limit: Annotated[int | None, typer.Option(min=1, help="Most nodes drawn.")] = None,
        output: Annotated[Path, typer.Option(help="HTML file to write.")] = Path("view.html"),
        title: Annotated[str | None, typer.Option(help="Page title.")] = None,
    ) -> None:
        """Write a self-contained HTML drawing (opens from disk, no internet needed)."""
        from viz.render import render_html

        settings = _State.settings()
        cap = min(limit or settings.neighbourhood_cap, settings.neighbourhood_cap)
        with _State.store() as store:
            export, statuses, default_title = view_of(
                store,
                node=node,
                query=query,
                params=parse_pairs(param or []),
                depth=depth,
                limit=cap,
            )
        output.write_text(
            render_html(export, title or default_title, statuses=statuses), encoding="utf-8"
        )
        err_console.print(f"wrote {output} ({len(export.nodes)} nodes, {len(export.edges)} edges)")
