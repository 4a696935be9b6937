"""The catalogue of queries: how the CLI and the API expose every question generically.

Each :class:`QuerySpec` names a query, its function ``func(store, **params)``, its pydantic
parameter and result models and a one-line summary.  :func:`run_query` validates JSON-able
parameters with the model and runs the query; :func:`render_table` flattens a result into
rows for a table.

>>> sorted(CATALOGUE)[:3]
['bridging_entities', 'department_centrality', 'department_profile']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from graph.errors import InvalidQuery, NotFound
from graph.store import GraphStore
from queries import (
    bridging_entities,
    department_centrality,
    department_profile,
    department_tasks,
    document_trace,
    official_tasks,
    path_between,
    place_tasks,
    project_tasks,
    report_diff,
    search,
    shared_responsibility,
    target_progress,
    task_communities,
    task_dependencies,
    task_documents,
    task_history,
    task_responsibility,
)

__all__ = ["CATALOGUE", "QuerySpec", "render_table", "run_query"]


@dataclass(frozen=True)
class QuerySpec:
    name: str
    func: Callable[..., BaseModel]
    params_model: type[BaseModel]
    result_model: type[BaseModel]
    summary: str


_SPECS = [
    QuerySpec(
        "department_tasks",
        department_tasks.department_tasks,
        department_tasks.DepartmentTasksParams,
        department_tasks.DepartmentTasks,
        "Tasks a department leads or assists, with chapter, role, source and score.",
    ),
    QuerySpec(
        "official_tasks",
        official_tasks.official_tasks,
        official_tasks.OfficialTasksParams,
        official_tasks.OfficialTasks,
        "Tasks a lead official oversees.",
    ),
    QuerySpec(
        "task_responsibility",
        task_responsibility.task_responsibility,
        task_responsibility.TaskResponsibilityParams,
        task_responsibility.TaskResponsibility,
        "Who answers for a task; assignment overrides inferred, both shown.",
    ),
    QuerySpec(
        "shared_responsibility",
        shared_responsibility.shared_responsibility,
        shared_responsibility.SharedResponsibilityParams,
        shared_responsibility.SharedResponsibility,
        "Pairs of departments ranked by the tasks they share.",
    ),
    QuerySpec(
        "responsibility_matrix",
        shared_responsibility.responsibility_matrix,
        shared_responsibility.MatrixParams,
        shared_responsibility.ResponsibilityMatrix,
        "The department x task responsibility matrix (L/A assigned, l/a inferred).",
    ),
    QuerySpec(
        "department_profile",
        department_profile.department_profile,
        department_profile.DepartmentProfileParams,
        department_profile.DepartmentProfile,
        "A department's tasks, projects, places, documents and targets.",
    ),
    QuerySpec(
        "document_trace",
        document_trace.document_trace,
        document_trace.DocumentTraceParams,
        document_trace.DocumentTrace,
        "A policy document back to its tasks, departments, targets and citations.",
    ),
    QuerySpec(
        "task_documents",
        task_documents.task_documents,
        task_documents.TaskDocumentsParams,
        task_documents.TaskDocuments,
        "Documents a task implements, with the sentences that cite them.",
    ),
    QuerySpec(
        "task_dependencies",
        task_dependencies.task_dependencies,
        task_dependencies.TaskDependenciesParams,
        task_dependencies.TaskDependencies,
        "Tasks linked to a task through shared entities, with evidence and weight.",
    ),
    QuerySpec(
        "project_tasks",
        project_tasks.project_tasks,
        project_tasks.ProjectTasksParams,
        project_tasks.ProjectTasks,
        "Tasks that involve a project, and its places.",
    ),
    QuerySpec(
        "place_tasks",
        place_tasks.place_tasks,
        place_tasks.PlaceTasksParams,
        place_tasks.PlaceTasks,
        "Tasks about a place and the places inside it.",
    ),
    QuerySpec(
        "path_between",
        path_between.path_between,
        path_between.PathBetweenParams,
        path_between.PathBetween,
        "The shortest explained path between two nodes.",
    ),
    QuerySpec(
        "target_progress",
        target_progress.target_progress,
        target_progress.TargetProgressParams,
        target_progress.TargetProgress,
        "Targets with reported figure, completion ratio and status.",
    ),
    QuerySpec(
        "search",
        search.search,
        search.SearchParams,
        search.Search,
        "Full-text search over tasks, progress and entity names (Chinese).",
    ),
    QuerySpec(
        "department_centrality",
        department_centrality.department_centrality,
        department_centrality.DepartmentCentralityParams,
        department_centrality.DepartmentCentrality,
        "Departments ranked by betweenness in the shared-responsibility network.",
    ),
    QuerySpec(
        "task_communities",
        task_communities.task_communities,
        task_communities.TaskCommunitiesParams,
        task_communities.TaskCommunities,
        "Clusters of tasks tied by shared entities (Louvain, fixed seed).",
    ),
    QuerySpec(
        "bridging_entities",
        bridging_entities.bridging_entities,
        bridging_entities.BridgingEntitiesParams,
        bridging_entities.BridgingEntities,
        "Entities that bridge tasks across chapters (betweenness).",
    ),
    QuerySpec(
        "task_history",
        task_history.task_history,
        task_history.TaskHistoryParams,
        task_history.TaskHistory,
        "A task's progress across reports, with figures.",
    ),
    QuerySpec(
        "report_diff",
        report_diff.report_diff,
        report_diff.ReportDiffParams,
        report_diff.ReportDiff,
        "Per task: new figures, targets newly met, new documents and projects.",
    ),
]
CATALOGUE: dict[str, QuerySpec] = {s.name: s for s in _SPECS}


def run_query(store: GraphStore, name: str, params: dict[str, Any] | None = None) -> BaseModel:
    """Validate ``params`` with the query's model and run it.

    Unknown ``name``: :class:`NotFound`; parameters the model refuses: :class:`InvalidQuery`.
    """
    spec = CATALOGUE.get(name)
    if spec is None:
        raise NotFound(f"no query {name!r}; known: {', '.join(sorted(CATALOGUE))}", query=name)
    try:
        checked = spec.params_model.model_validate(params or {})
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc']) or 'params'}: {err['msg']}"
            for err in e.errors()
        )
        raise InvalidQuery(f"invalid parameters for {name}: {problems}", query=name) from e
    unknown = set(params or {}) - set(spec.params_model.model_fields)
    if unknown:
        raise InvalidQuery(
            f"unknown parameters for {name}: {', '.join(sorted(unknown))}", query=name
        )
    return spec.func(store, **checked.model_dump())


def _cell(value: Any) -> Any:
    if isinstance(value, BaseModel):
        data = value.model_dump()
        return data.get("name") or data.get("id") or str(data)
    if isinstance(value, list):
        return ", ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return value


def render_table(result: BaseModel) -> list[dict[str, Any]]:
    """Rows for a table: the result's first list of models, flattened one level.

    Nested models become ``field_subfield`` columns; lists are joined with commas.  A result
    without such a list gives one row of its own fields.
    """
    for name, field in type(result).model_fields.items():
        args = get_args(field.annotation)
        if get_origin(field.annotation) is list and any(
            isinstance(a, type) and issubclass(a, BaseModel) for a in args
        ):
            return [_flatten(v) for v in getattr(result, name)]
    return [_flatten(result)]


def _flatten(model: BaseModel) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            for sub in type(value).model_fields:
                row[f"{name}_{sub}"] = _cell(getattr(value, sub))
        else:
            row[name] = _cell(value)
    return row
