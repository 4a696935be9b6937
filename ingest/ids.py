"""Stable node ids, the same on both stores and across runs."""

from __future__ import annotations

__all__ = ["entity_id", "period_rank", "plan_key"]

_PERIOD_ORDER = {"Q1": 1, "H1": 2, "Q3": 3, "FY": 4, "plan": 0}


def plan_key(city: str, year: int) -> str:
    return f"{city}-{year}"


def entity_id(
    label: str,
    name: str,
    city: str,
    level: str | None = None,
    key: str | None = None,
    scope: str | None = None,
) -> str:
    """Id of an entity node; municipal and county departments are scoped by city; projects and
    organizations by the identity rule (:mod:`ingest.identity`: ``key`` and ``scope``).

    >>> entity_id("Department", "市发展和改革委员会", "南通", "市")
    'department:南通:市发展和改革委员会'
    >>> entity_id("Place", "海门市", "南通")
    'place:海门市'
    >>> entity_id("Project", "吕四港区10万吨级通用码头", "南通", key="10万吨通用码头",
    ...           scope="南通:吕四港区")
    'project:南通:吕四港区:10万吨通用码头'
    >>> entity_id("Project", "北沿江高铁", "南通", key="北沿江高铁")
    'project:北沿江高铁'
    """
    if key is not None:
        return f"{label.lower()}:{scope}:{key}" if scope else f"{label.lower()}:{key}"
    if label == "Department" and level not in {"国家", "省"}:
        return f"department:{city}:{name}"
    if label == "Official":
        return f"official:{city}:{name}"
    return f"{label.lower()}:{name}"


def period_rank(period: str) -> str:
    """A string that sorts periods in time order (``2019-H1`` before ``2019-FY``).

    >>> period_rank("2019-H1") < period_rank("2019-Q3") < period_rank("2019-FY")
    True
    """
    year, _, part = period.partition("-")
    return f"{year}.{_PERIOD_ORDER.get(part, 0)}"
