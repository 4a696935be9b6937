"""The ``govgraph`` command line: a thin shell over ``ingest``, ``queries`` and the stores."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.render import render_stats, render_task
from api.service import expand_paths, ingest_paths
from graph.errors import GovGraphError, InvalidQuery, NotFound
from graph.exporters import to_csv_dir, to_graphml, to_json
from graph.factory import open_store
from graph.settings import Settings
from graph.store import GraphStore
from ingest.pipeline import IngestOptions
from queries._common import plan_id

__all__ = ["app", "main"]

app = typer.Typer(
    help="govgraph: a knowledge graph of Chinese government work plans.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run a local Neo4j 5.26 (needs Java 17 and Maven).")
app.add_typer(neo4j_app, name="neo4j")
console = Console()
err_console = Console(stderr=True)


class _State:
    overrides: dict[str, Any] = {}  # noqa: RUF012 - process-wide CLI state

    @classmethod
    def settings(cls) -> Settings:
        return Settings(**cls.overrides)

    @classmethod
    def store(cls) -> GraphStore:
        return open_store(cls.settings())


@app.callback()
def _global(
    data_dir: Annotated[
        Path | None, typer.Option(help="Data directory (GOVGRAPH_DATA_DIR).")
    ] = None,
    store: Annotated[str | None, typer.Option(help="embedded | neo4j (GOVGRAPH_STORE).")] = None,
) -> None:
    if data_dir is not None:
        _State.overrides["data_dir"] = data_dir
    if store is not None:
        _State.overrides["store"] = store


@app.command()
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Reports or notices (.txt .docx .html .pdf), or folders of them "
            "(the documents directly inside)."
        ),
    ],
    city: Annotated[
        str | None, typer.Option(help="City of the plan (inferred if omitted).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Year of the plan (inferred if omitted).")
    ] = None,
    period: Annotated[str | None, typer.Option(help="Period, e.g. H1, Q3, FY.")] = None,
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
    strict: Annotated[
        bool,
        typer.Option(
            help="Refuse a copy cut short (a task cut off, fewer tasks than announced) instead "
            "of keeping its complete tasks with a warning."
        ),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            help="A document that revises a stored report (same plan, period and kind, mostly "
            "the same tasks, other text) replaces it instead of being refused."
        ),
    ] = False,
) -> None:
    """Ingest documents; each is written whole or not at all, and re-ingesting changes nothing."""
    settings = _State.settings()
    options = IngestOptions(
        city=city,
        year=year,
        period=period,
        title=title,
        max_bytes=settings.max_upload_bytes * 50,
        strict=strict,
        replace=replace,
    )
    with (
        _State.store() as st,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,  # a bar in a log file is noise
        ) as progress,
    ):
        files = expand_paths(files)
        bar = progress.add_task("ingest", total=2 * len(files))

        def step(stage: str, path: Path) -> None:
            progress.update(bar, description=f"{stage} {path.name}", advance=1)

        outcomes = ingest_paths(st, files, options, on_step=step)
    for o in outcomes:
        r, m = o.result, o.meta
        status = (
            "unchanged (already ingested)"
            if r.already_present and not (r.nodes_created or r.edges_created)
            else (
                f"{r.nodes_created} nodes, {r.edges_created} edges created; "
                f"{r.nodes_updated} nodes, {r.edges_updated} edges updated"
            )
        )
        console.print(
            f"[bold]{o.path}[/]: {m.city} {m.year} {m.period} "
            f"{m.kind}, {o.tasks} tasks → {status} "
            f"[dim]({sum(o.timings.values()) * 1000:.0f} ms)[/]"
        )
        for w in o.warnings:
            console.print(f"  [yellow]warning[/]: {w}")
        for c in r.conflicts:
            console.print(f"  [red]conflict[/]: {c} differs from what is stored; stored value kept")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False) -> None:
    """Counts of nodes by label and edges by type."""
    with _State.store() as st:
        s = st.stats()
    if as_json:
        console.print_json(json.dumps(s.model_dump(), ensure_ascii=False))
    else:
        console.print(render_stats(s))


def _task_node(st: GraphStore, key: str, plan: str | None) -> Any:
    """The task ``N`` (of a plan's first list) or ``S-N`` (task N of its list S)."""
    section, _, number = key.rpartition("-")
    if not number.isdigit() or not (section.isdigit() or section == ""):
        raise InvalidQuery(f"a task is N or LIST-N (e.g. 12 or 2-3), not {key!r}")
    tasks = [
        t
        for t in st.nodes("Task", number=int(number))
        if (t.properties.get("section") or 1) == int(section or 1)
    ]
    if plan is not None:
        tasks = [t for t in tasks if t.properties["plan"] == plan_id(plan)]
    if not tasks:
        raise NotFound(f"no task {key}" + (f" in plan {plan}" if plan else ""))
    if len(tasks) > 1:
        plans = ", ".join(t.properties["plan"] for t in tasks)
        raise InvalidQuery(f"task {key} exists in several plans ({plans}); pass --plan")
    return tasks[0]


@app.command()
def show(
    task_number: Annotated[
        str, typer.Argument(help="Task number, or LIST-N for a later list (2-3).")
    ],
    plan: Annotated[str | None, typer.Option(help="Plan id or city-year, e.g. 南通-2019.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """A task: chapter, responsibility, entities with their sentences, targets, progress."""
    with _State.store() as st:
        task = _task_node(st, task_number, plan)
        hood = st.neighbourhood(task.id, depth=1)
    if as_json:
        console.print_json(json.dumps(hood.model_dump(), ensure_ascii=False))
    else:
        console.print(render_task(task, hood))


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="json | graphml | csv")] = "json",
    output: Annotated[
        Path | None, typer.Option(help="File (json, graphml) or directory (csv).")
    ] = None,
) -> None:
    """Export the whole graph (JSON per the export contract; GraphML for Gephi; neo4j-admin CSV)."""
    with _State.store() as st:
        data = st.export()
    if fmt == "json":
        text = to_json(data)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
    elif fmt == "graphml":
        if output is None:
            raise InvalidQuery("--output is required for graphml")
        to_graphml(data, output)
    elif fmt == "csv":
        if output is None:
            raise InvalidQuery("--output DIRECTORY is required for csv")
        files = to_csv_dir(data, output)
        err_console.print(f"wrote {len(files)} files to {output}")
    else:
        raise InvalidQuery(f"unknown format {fmt!r}; use json, graphml or csv")


@app.command()
def delete(
    report_id: Annotated[str, typer.Argument(help="Report id, e.g. report:a5df610ebdc608c2.")],
) -> None:
    """Remove a report and everything only it contributed."""
    with _State.store() as st:
        r = st.delete_report(report_id)
    console.print(
        f"deleted {report_id} ({r.nodes_updated} nodes, {r.edges_updated} edges kept "
        "because other reports also say them)"
    )


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Really delete everything.")] = False,
) -> None:
    """Delete every node and edge in the store."""
    if not yes:
        raise InvalidQuery("reset deletes the whole graph; pass --yes")
    with _State.store() as st:
        st.clear()
    console.print("store cleared")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start a loopback-only Neo4j under <data_dir>/neo4j and wait until Bolt answers."""
    from graph import local_neo4j

    s = _State.settings()
    info = local_neo4j.start(
        s.local_neo4j_home,
        port=s.neo4j_bolt_port,
        password=s.neo4j_password.get_secret_value() or None,
        heap=s.neo4j_heap,
        pagecache=s.neo4j_pagecache,
    )
    console.print(f"Neo4j answering at {info['uri']} (pid {info['pid']}, home {info['home']})")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the Neo4j started by `govgraph neo4j start`."""
    from graph import local_neo4j

    stopped = local_neo4j.stop(_State.settings().local_neo4j_home)
    console.print("stopped" if stopped else "not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Whether the local Neo4j runs and answers."""
    from graph import local_neo4j

    console.print_json(
        json.dumps(local_neo4j.status(_State.settings().local_neo4j_home), default=str)
    )


def _register_optional() -> None:
    """Commands whose modules are optional at import time (they pull in heavier deps)."""
    import importlib

    for module in ("api.cli_query", "api.cli_serve"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            continue
        mod.register(app)


_register_optional()


def main() -> None:
    """Entry point of the ``govgraph`` console script: errors become one clear line.

    Every error, ours or a usage error of click's, starts stderr with ``error: <message>``
    on one unwrapped line (scripts read the first line); a hint may follow.  The process
    then ends without the interpreter's teardown (:func:`_exit_now`).
    """
    code: int = 0
    try:
        returned = app(standalone_mode=False)
        code = returned if isinstance(returned, int) else 0  # --help and the like: ctx.exit
    except GovGraphError as e:
        _print_error(e.message)
        code = 2 if e.status_code < 500 else 1
    except _USAGE_ERROR as e:  # bad option, missing argument, unknown command ...
        code = e.exit_code
        if type(e).__name__ == "NoArgsIsHelpError":  # `govgraph` alone: the help, not an error
            e.show()
        else:
            _print_error(e.format_message())
            ctx = getattr(e, "ctx", None)
            if ctx is not None:
                sys.stderr.write(f"Try '{ctx.command_path} --help' for help.\n")
    except typer.Abort:  # Ctrl-C at a prompt
        _print_error("aborted")
        code = 1
    except SystemExit as e:
        if isinstance(e.code, str):
            _print_error(e.code)
        code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    _exit_now(code)


# click's ClickException: typer re-exports only its subclasses, and newer typers vendor click
# (``typer._click``), so it is found through one of them rather than imported from click.
_USAGE_ERROR: type[Any] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


def _print_error(message: str) -> None:
    """``error: <message>`` on stderr as one line: plain text, never wrapped, no markup."""
    one_line = " ".join(message.split())
    sys.stderr.write(f"error: {one_line}\n")


def _exit_now(code: int) -> None:
    """Flush and end the process, skipping the interpreter's teardown.

    Tearing down frees every object one by one: for the 1000x embedded graph that took
    about 10 s, longer than the command itself.  By the time a command returns, what it
    wrote is fsynced and its store closed (the commands open it in a ``with``); only the
    output streams and logging handlers are left to flush.
    """
    import contextlib
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`export | head`)
            stream.flush()
    os._exit(code)
