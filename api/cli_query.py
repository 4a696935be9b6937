"""``govgraph query``, ``diff`` and ``eval``: the query catalogue from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from graph.errors import InvalidQuery

__all__ = ["parse_params", "register", "result_rows"]


def parse_params(args: list[str]) -> dict[str, Any]:
    """``--name 市发改委 --limit 5 --flag`` → ``{"name": "市发改委", "limit": "5", "flag": True}``.

    >>> parse_params(["--name", "市发改委", "--status=lagging", "--all"])
    {'name': '市发改委', 'status': 'lagging', 'all': True}
    """
    params: dict[str, Any] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise InvalidQuery(f"unexpected argument {arg!r}; give parameters as --name value")
        key = arg[2:].replace("-", "_")
        if "=" in key:
            key, value = key.split("=", 1)
            params[key] = value
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            params[key] = args[i + 1]
            i += 1
        else:
            params[key] = True
        i += 1
    return params


def result_rows(result: BaseModel) -> tuple[str, list[dict[str, Any]]]:
    """The longest list in a result, as table rows (nested models flattened one level)."""
    data = result.model_dump(mode="json")
    best_key, best = "", list[Any]()
    for key, value in data.items():
        if (
            isinstance(value, list)
            and len(value) >= len(best)
            and all(isinstance(v, dict) for v in value)
        ):
            best_key, best = key, value
    rows = []
    for row in best:
        flat: dict[str, Any] = {}
        for k, v in row.items():
            if isinstance(v, dict):
                for k2, v2 in v.items():
                    if not isinstance(v2, dict | list):
                        flat[f"{k}.{k2}"] = v2
            else:
                flat[k] = v
        rows.append(flat)
    return best_key, rows


_HIDDEN = {"id", "plan", "task_id", "chapter_title", "aliases", "known_as", "reports"}


def readable_columns(rows: list[dict[str, Any]], most: int = 7) -> list[dict[str, Any]]:
    """Rows cut to what fits a terminal: no ids or constant columns, at most ``most`` columns.

    ``--json`` prints everything.

    >>> readable_columns([{"id": "t:1", "plan": "p", "number": 1, "role": "LEADS"},
    ...                   {"id": "t:2", "plan": "p", "number": 2, "role": "LEADS"}])
    [{'number': 1}, {'number': 2}]
    """
    if len(rows) < 2:
        return rows
    columns = [c for c in rows[0] if c not in _HIDDEN and not c.endswith("_id")]
    varying = [c for c in columns if len({str(r.get(c)) for r in rows}) > 1] or columns
    keep = varying[:most]
    return [{c: r.get(c) for c in keep} for r in rows]


def matrix_rows(m: Any) -> list[dict[str, Any]]:
    """A sparse responsibility matrix as one row per department: the tasks it leads and
    assists (task numbers within one plan, ids across plans; ``*`` marks an inferred role)."""
    one_plan = len({t.rsplit(":", 1)[0] for t in m.tasks}) <= 1
    rows = []
    for name, row in zip(m.department_names, m.rows, strict=True):
        roles: dict[str, list[str]] = {"L": [], "A": []}
        for j, code in zip(row.columns, row.codes, strict=True):
            task = str(m.task_numbers[j]) if one_plan else m.tasks[j]
            for letter in code:
                roles[letter.upper()].append(task if letter.isupper() else f"{task}*")
        rows.append(
            {"department": name, "leads": ", ".join(roles["L"]), "assists": ", ".join(roles["A"])}
        )
    return rows


def register(app: typer.Typer) -> None:
    from api.cli import _State, console
    from api.render import render_rows

    @app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def query(
        ctx: typer.Context,
        name: Annotated[str | None, typer.Argument(help="Query name; omit to list them.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
        as_csv: Annotated[
            bool, typer.Option("--csv", help="CSV output (responsibility_matrix: the full table).")
        ] = False,
    ) -> None:
        """Run a query of the catalogue: ``govgraph query department_tasks --name 市发改委``."""
        from queries.registry import CATALOGUE, run_query
        from queries.shared_responsibility import ResponsibilityMatrix, responsibility_matrix_csv

        if name is None:
            rows = [
                {
                    "query": spec.name,
                    "parameters": ", ".join(spec.params_model.model_fields),
                    "answers": spec.summary,
                }
                for spec in CATALOGUE.values()
            ]
            console.print(render_rows(rows, "queries"))
            return
        if as_csv and name != "responsibility_matrix":
            raise typer.BadParameter("--csv is for responsibility_matrix; use --json")
        with _State.store() as st:
            result = run_query(st, name, parse_params(list(ctx.args)))
            if as_csv:
                p = parse_params(list(ctx.args))
                print(responsibility_matrix_csv(st, p.get("source"), p.get("plan")), end="")
                return
        if as_json:
            print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
            return
        if isinstance(result, ResponsibilityMatrix):
            console.print(render_rows(matrix_rows(result), name, console.width))
            return
        key, rows = result_rows(result)
        rows = readable_columns(rows)
        scalars = {
            k: v
            for k, v in result.model_dump(mode="json").items()
            if not isinstance(v, list | dict)
        }
        if scalars:
            console.print(render_rows([scalars], name))
        console.print(render_rows(rows, key or name, console.width))

    @app.command()
    def diff(
        report_a: Annotated[str, typer.Argument(help="Earlier report id.")],
        report_b: Annotated[str, typer.Argument(help="Later report id.")],
        as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    ) -> None:
        """What changed per task between two reports of one plan."""
        from queries.registry import run_query

        with _State.store() as st:
            result = run_query(st, "report_diff", {"report_a": report_a, "report_b": report_b})
        if as_json:
            print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
            return
        key, rows = result_rows(result)
        console.print(render_rows(readable_columns(rows), key or "diff", console.width))

    @app.command("eval")
    def evaluate(
        document: Annotated[Path, typer.Argument(help="Document to ingest (in memory).")],
        gold: Annotated[Path, typer.Argument(help="Gold annotation JSON (ANNOTATION.md format).")],
        city: Annotated[str | None, typer.Option(help="City, if not inferable.")] = None,
        year: Annotated[int | None, typer.Option(help="Year, if not inferable.")] = None,
    ) -> None:
        """Precision, recall, F1 per entity type and target pairing against a gold file."""
        from ingest.evaluate import evaluate_file, format_report

        console.print(format_report(evaluate_file(document, gold, city=city, year=year)))
